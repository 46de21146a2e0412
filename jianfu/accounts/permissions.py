"""Who may do what with an account, stated once for pages, the API and the site menu.

Accounts sit below the schools app and may not ask it about scopes: these rules use only the roles an
account holds (``User.held_roles``, or a set the caller has read already)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from jianfu.accounts.models import Role


def can_use_two_step(user: Any, roles: Iterable[str]) -> bool:
    """Two-step sign-in (and the 账号安全 page) is for staff: school and bureau roles and site
    administrators. Parents sign in on a family phone inside WeChat and are not asked for a second
    device."""
    return bool(user.is_staff) or bool(set(roles) - {Role.PARENT})


def is_staff_account(user: Any, roles: Iterable[str]) -> bool:
    """Any role besides parent, or a site administrator: such an account signs in with its password
    and, where it has one, its second step — never through a parent's activation code."""
    return bool(user.is_staff or user.is_superuser) or bool(set(roles) - {Role.PARENT})
