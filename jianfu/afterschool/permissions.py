"""Who may do what with after-school programmes (shared by pages and the API)."""

from __future__ import annotations

from typing import Any

from jianfu.afterschool.models import Programme
from jianfu.schools.selectors import SCHOOL_WIDE_ROLES, _memberships


def can_manage_programme(actor: Any, programme: Programme) -> bool:
    """The school office (principal, academic affairs) defines the programme, runs the allocation
    and sees hardship claims; nobody else does."""
    return any(
        m.role in SCHOOL_WIDE_ROLES and m.school_id == programme.school_id for m in _memberships(actor)
    )
