"""Which of the after-school day's pages a user has something to open on a day: the menu
(days/selectors.py days_navigation) asks these, built on the rules in ../permissions.py and on what
the day holds. `roles` is the caller's already-read role set (the menu reads it once per request)."""

from __future__ import annotations

from datetime import date
from typing import Any

from jianfu.accounts.models import Role
from jianfu.afterschool.attendance.selectors import has_sessions_on
from jianfu.afterschool.models import ProgrammeStatus
from jianfu.afterschool.permissions import can_run_sessions
from jianfu.afterschool.pickup.selectors import gate_programmes_for, late_flag_count, programmes_taken_part_in
from jianfu.afterschool.selectors import children_of_parent, programmes_for_office

OFFICE = {Role.PRINCIPAL, Role.ACADEMIC_AFFAIRS}
TEACHERS = {Role.SUBJECT_TEACHER, Role.HEAD_TEACHER}


def can_take_attendance_on(user: Any, on: date) -> bool:
    """课后点名: staff (or a provider's staff) with sessions that day."""
    return can_run_sessions(user) and has_sessions_on(user, on)


def can_work_a_gate_on(user: Any, roles: set[str], on: date) -> bool:
    """离校登记: the office or a teacher, for a running programme they may work that day."""
    return bool(roles & (OFFICE | TEACHERS)) and bool(gate_programmes_for(user, on))


def can_arrange_pickup(user: Any, roles: set[str]) -> bool:
    """接送与值守: the office of a school with a published programme."""
    return (
        bool(roles & OFFICE) and programmes_for_office(user).filter(status=ProgrammeStatus.PUBLISHED).exists()
    )


def late_flags_to_see(user: Any, roles: set[str], on: date) -> int:
    """接送提醒（N）: a head teacher's children flagged for repeated late pickups (0: no entry)."""
    return late_flag_count(user, on) if Role.HEAD_TEACHER in roles else 0


def can_book_pickup(user: Any, roles: set[str], on: date) -> bool:
    """接送预约: a family with a child taking part (all children at once: the same few queries)."""
    return Role.PARENT in roles and bool(programmes_taken_part_in(children_of_parent(user), on))
