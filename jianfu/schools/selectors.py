"""Reads of school structure, always scoped to what the actor may see.

"Not found" and "not allowed" look the same: every *_get_for_actor raises NotFound for both.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet

from jianfu.accounts.models import Membership, Role
from jianfu.core.errors import NotFound
from jianfu.schools.models import Region, School, SchoolClass, Student, Term

SCHOOL_WIDE_ROLES = (Role.PRINCIPAL, Role.ACADEMIC_AFFAIRS)
REGION_WIDE_ROLES = (Role.BUREAU_STAFF, Role.INSPECTOR, Role.CUSTODIAN)


def _memberships(user: Any) -> list[Membership]:
    if not getattr(user, "is_authenticated", False):
        return []
    cached: list[Membership] | None = getattr(user, "_jianfu_memberships", None)
    if cached is None:
        cached = list(Membership.objects.filter(user=user).select_related("region", "school", "school_class"))
        user._jianfu_memberships = cached
    return cached


def _region_filter(regions: list[Region], field: str) -> Q:
    q = Q(pk__in=[])
    for region in regions:
        q |= Q(**{f"{field}__code__startswith": region.descendant_codes_prefix})
    return q


def roles_of(user: Any) -> set[str]:
    return {m.role for m in _memberships(user)}


def regions_for_actor(user: Any) -> QuerySet[Region]:
    """Regions a bureau role may see: its own and every region below it."""
    regions = [m.region for m in _memberships(user) if m.role in REGION_WIDE_ROLES and m.region]
    if not regions:
        return Region.objects.none()
    q = Q(pk__in=[])
    for region in regions:
        q |= Q(code__startswith=region.descendant_codes_prefix)
    return Region.objects.filter(q)


def schools_for_actor(user: Any, *, roles: tuple[str, ...] | None = None) -> QuerySet[School]:
    """Schools the actor may see at school level (bureau roles below their region; school roles)."""
    ms = [m for m in _memberships(user) if roles is None or m.role in roles]
    regions = [m.region for m in ms if m.role in REGION_WIDE_ROLES and m.region]
    school_ids = {m.school_id for m in ms if m.role in SCHOOL_WIDE_ROLES and m.school_id}
    q = Q(pk__in=school_ids)
    if regions:
        q |= _region_filter(regions, "region")
    return School.objects.filter(q).select_related("region")


def school_get_for_actor(user: Any, school_id: int, *, roles: tuple[str, ...] | None = None) -> School:
    school = schools_for_actor(user, roles=roles).filter(pk=school_id).first()
    if school is None:
        raise NotFound("学校", "school")
    return school


def classes_for_actor(user: Any) -> QuerySet[SchoolClass]:
    """Classes the actor may see: whole schools for school and bureau roles; own class for a head
    teacher; taught classes for a subject teacher; children's classes for a parent."""
    ms = _memberships(user)
    school_qs = schools_for_actor(user)
    q = Q(school__in=school_qs.values("pk"))
    q |= Q(pk__in=[m.school_class_id for m in ms if m.role == Role.HEAD_TEACHER and m.school_class_id])
    if any(m.role == Role.SUBJECT_TEACHER for m in ms):
        q |= Q(assignments__teacher__user=user)
    if any(m.role == Role.PARENT for m in ms):
        q |= Q(students__guardians__user=user, students__is_active=True)
    return SchoolClass.objects.filter(q).distinct().select_related("grade", "school")


def class_get_for_actor(user: Any, class_id: int) -> SchoolClass:
    school_class = classes_for_actor(user).filter(pk=class_id).first()
    if school_class is None:
        raise NotFound("班级", "class")
    return school_class


def students_for_actor(user: Any) -> QuerySet[Student]:
    """Students the actor may see: a parent only their own children; staff the classes they see."""
    ms = _memberships(user)
    staff_roles = {m.role for m in ms} - {Role.PARENT}
    q = Q(pk__in=[])
    if Role.PARENT in {m.role for m in ms}:
        q |= Q(guardians__user=user)
    if staff_roles:
        staff_class_ids = classes_for_actor_staff(user).values("pk")
        q |= Q(school_class__in=staff_class_ids)
    return (
        Student.objects.filter(q, is_active=True).distinct().select_related("school_class__grade", "school")
    )


def classes_for_actor_staff(user: Any) -> QuerySet[SchoolClass]:
    """Like classes_for_actor but ignoring parent links (for staff-only pages)."""
    ms = _memberships(user)
    q = Q(school__in=schools_for_actor(user).values("pk"))
    q |= Q(pk__in=[m.school_class_id for m in ms if m.role == Role.HEAD_TEACHER and m.school_class_id])
    if any(m.role == Role.SUBJECT_TEACHER for m in ms):
        q |= Q(assignments__teacher__user=user)
    return SchoolClass.objects.filter(q).distinct().select_related("grade", "school")


def terms_for_school(school: School) -> QuerySet[Term]:
    return Term.objects.filter(school=school).order_by("-start_date")
