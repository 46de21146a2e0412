"""Who may do what in the schools app (the roster, the calendar), stated once for the pages, the API
endpoints and the site menu. Built on jianfu.schools.access; a SystemActor passes, ``None`` never."""

from __future__ import annotations

from typing import Any

from jianfu.accounts.models import Role
from jianfu.schools.access import SCHOOL_LEADERS, holds_role
from jianfu.schools.models import Region, School

# Who sees the calendar page: the bureau's people and the school's leaders.
CALENDAR_READERS = (Role.BUREAU_STAFF, Role.INSPECTOR, Role.CUSTODIAN, *SCHOOL_LEADERS)


def is_school_admin(actor: Any, school: School) -> bool:
    """The school's principal or academic office, or bureau staff of its region or a region above.
    The rule behind changing a school's calendar and importing its roster. (Exams have their own,
    different rule: jianfu.exams.permissions.)"""
    return holds_role(actor, SCHOOL_LEADERS, over=school) or holds_role(actor, Role.BUREAU_STAFF, over=school)


def can_import_roster(actor: Any, school: School) -> bool:
    return is_school_admin(actor, school)


def can_import_roster_somewhere(actor: Any) -> bool:
    """Whether the roster import page has a school for the actor (the menu's question)."""
    return holds_role(actor, (*SCHOOL_LEADERS, Role.BUREAU_STAFF))


def can_view_calendar(actor: Any) -> bool:
    return holds_role(actor, CALENDAR_READERS)


def can_edit_calendar(actor: Any, school: School) -> bool:
    return is_school_admin(actor, school)


def can_declare_holidays(actor: Any, region: Region) -> bool:
    """Bureau staff of the region or a region above enter the State Council's holiday arrangement."""
    return holds_role(actor, Role.BUREAU_STAFF, over=region)
