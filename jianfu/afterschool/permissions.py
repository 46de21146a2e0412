"""Who may do what in the after-school service: one predicate per rule, shared by the pages, the API,
the services and the menu (days/permissions.py adds the menu's "is there anything to open today").
Built on jianfu.schools.access only; no page or endpoint re-derives a rule."""

from __future__ import annotations

from datetime import date
from typing import Any

from jianfu.accounts.models import Role
from jianfu.afterschool.models import ExternalProvider, Programme, ProviderStaff, ServiceSession, StaffDuty
from jianfu.core.actors import is_system
from jianfu.schools.access import (
    BUREAU_ROLES,
    REGION_WIDE_ROLES,
    SCHOOL_WIDE_ROLES,
    memberships_of,
    regions_for_actor,
    roles_of,
    schools_for_actor,
)

STAFF_ROLES = {Role.PRINCIPAL, Role.ACADEMIC_AFFAIRS, Role.HEAD_TEACHER, Role.SUBJECT_TEACHER}


def can_manage_programme(actor: Any, programme: Programme) -> bool:
    """The school office (principal, academic affairs) defines the programme, runs the allocation
    and sees hardship claims; nobody else does. Read from the request's cached memberships (no
    query: the pages call it per row)."""
    if is_system(actor):
        return True
    return any(
        m.role in SCHOOL_WIDE_ROLES and m.school_id == programme.school_id for m in memberships_of(actor)
    )


def can_run_sessions(actor: Any) -> bool:
    """Anyone who may run a session: school staff, or a provider's staff member with an account."""
    if roles_of(actor) & STAFF_ROLES:
        return True
    return bool(getattr(actor, "pk", None)) and ProviderStaff.objects.filter(user=actor).exists()


def can_take_attendance(actor: Any, session: ServiceSession) -> bool:
    """The session's teacher (course teacher or basic-part supervisor), the provider's staff member
    who signs in, or the school office."""
    uid = getattr(actor, "pk", None)
    if uid is None and not is_system(actor):
        return False
    if session.teacher is not None and session.teacher.user_id == uid:
        return True
    if session.provider_staff is not None and session.provider_staff.user_id == uid:
        return True
    return can_manage_programme(actor, session.programme)


def can_work_gate(actor: Any, programme: Programme, on: date) -> bool:
    """Staff on duty for any of the programme's slots that day, and the school office."""
    if not getattr(actor, "is_authenticated", False) and not is_system(actor):
        return False
    if can_manage_programme(actor, programme):
        return True
    return StaffDuty.objects.filter(programme=programme, date=on, teacher__user=actor).exists()


def bureau_region_ids(actor: Any) -> set[int]:
    """Regions where the actor is bureau staff: the bureau registers (and vets) providers there."""
    return {m.region_id for m in memberships_of(actor) if m.role == Role.BUREAU_STAFF and m.region_id}


def can_register_provider_in_region(actor: Any, region_id: int) -> bool:
    return is_system(actor) or region_id in bureau_region_ids(actor)


def can_keep_provider(actor: Any, provider: ExternalProvider) -> bool:
    """Who keeps a provider's record: the bureau staff of its region, or the office of its school."""
    if is_system(actor):
        return True
    if provider.region_id is not None:
        return provider.region_id in bureau_region_ids(actor)
    return any(
        m.role in SCHOOL_WIDE_ROLES and m.school_id == provider.school_id for m in memberships_of(actor)
    )


def can_see_providers(actor: Any) -> bool:
    """The providers list: region roles (their regions' providers) and school offices (their own)."""
    return regions_for_actor(actor).exists() or schools_for_actor(actor, roles=SCHOOL_WIDE_ROLES).exists()


def can_see_district(actor: Any) -> bool:
    """The district's overview of programmes: the bureau and its inspectors (not the custodian,
    whose one power is unsealing complaints: decision 0045)."""
    if is_system(actor):
        return True
    return any(m.role in BUREAU_ROLES and m.region_id for m in memberships_of(actor))


def can_see_school_programmes(actor: Any) -> bool:
    """Programmes of the schools where the actor works (any role held below the region level)."""
    return bool(roles_of(actor) - set(REGION_WIDE_ROLES))


def can_open_programmes(actor: Any) -> bool:
    """The programme list: school staff and region roles (each sees what their scope reaches)."""
    return bool(roles_of(actor) & (STAFF_ROLES | set(REGION_WIDE_ROLES)))


def can_see_school_figures(actor: Any) -> bool:
    """A school's own figures: its office."""
    return bool(roles_of(actor) & set(SCHOOL_WIDE_ROLES))


def can_see_district_figures(actor: Any) -> bool:
    """The district's figures per school: the bureau and its inspectors."""
    return bool(roles_of(actor) & set(BUREAU_ROLES))


def head_teacher_class_ids(actor: Any) -> set[int]:
    """Classes the actor heads by membership (the class's own head_teacher link is read by the caller)."""
    return {
        m.school_class_id for m in memberships_of(actor) if m.role == Role.HEAD_TEACHER and m.school_class_id
    }
