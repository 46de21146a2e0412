"""Who may reset another person's two-step sign-in from the web: bureau staff (decision 0019). Which
accounts they may reset is selectors.two_step_accounts_for_bureau (the staff of their schools)."""

from __future__ import annotations

from typing import Any

from jianfu.accounts.models import Role
from jianfu.schools.access import holds_role


def can_reset_two_step(actor: Any) -> bool:
    """The reset page, its endpoints and the menu entry (anyone else: "not found")."""
    return holds_role(actor, Role.BUREAU_STAFF)
