"""Who reaches what: the one place that reads roles (``Membership``) and turns them into scopes.

Every "may this actor do that to this object" question in jianfu is answered from here: the apps'
``permissions.py`` predicates build on ``holds_role`` and the ``*_for_actor`` scopes, and nothing
else reads ``Membership`` (an import-linter contract and tests/test_access_contract.py keep it so).
Scopes follow domain.md, "People and what they may see":

- region roles (bureau staff, inspector, custodian) reach their region and every region below it;
- school roles (principal, academic affairs) reach their school; subject teachers their school's
  classes they teach (``TeachingAssignment``);
- class roles (head teacher, parent) reach one class; a parent only their own children (``Guardian``).

"Not found" and "not allowed" look the same to a caller of the ``*_get_for_actor`` functions: both
raise NotFound, so an id from another school tells an attacker nothing.

A ``SystemActor`` (jianfu.core.actors) reaches everything: the demo loader, periodic jobs and CLI
imports act as one explicitly, and the audit log names it. ``None`` is never an actor.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from jianfu.accounts.models import Membership, Role
from jianfu.core.actors import is_system
from jianfu.core.errors import NotFound
from jianfu.schools.models import Region, School, SchoolClass, Student

SCHOOL_WIDE_ROLES = (Role.PRINCIPAL, Role.ACADEMIC_AFFAIRS)
SCHOOL_LEADERS = SCHOOL_WIDE_ROLES
REGION_WIDE_ROLES = (Role.BUREAU_STAFF, Role.INSPECTOR, Role.CUSTODIAN)
BUREAU_ROLES = (Role.BUREAU_STAFF, Role.INSPECTOR)

_CACHE_ATTR = "_jianfu_memberships"


def memberships_of(user: Any) -> list[Membership]:
    """The user's roles with their scopes, read once per user object (a request's user)."""
    if not getattr(user, "is_authenticated", False) or is_system(user):
        return []
    cached: list[Membership] | None = getattr(user, _CACHE_ATTR, None)
    if cached is None:
        cached = list(
            Membership.objects.filter(user=user).select_related(
                "region", "school", "school_class__grade", "school_class__school"
            )
        )
        setattr(user, _CACHE_ATTR, cached)
    return cached


def forget_memberships(user: Any) -> None:
    """Drop the per-object cache after a grant or revocation so the next check reads afresh."""
    if hasattr(user, _CACHE_ATTR):
        delattr(user, _CACHE_ATTR)


def roles_of(user: Any) -> set[str]:
    return {m.role for m in memberships_of(user)}


def _as_roles(role: str | Iterable[str]) -> set[str]:
    return {role} if isinstance(role, str) else set(role)


def _region_chain_ids(over: Any) -> set[int]:
    region = _region_of(over)
    return {r.pk for r in region.ancestors()} if region is not None else set()


def _region_of(over: Any) -> Region | None:
    if isinstance(over, Region):
        return over
    if isinstance(over, School):
        return over.region
    if isinstance(over, SchoolClass):
        return over.school.region
    if isinstance(over, Student):
        return over.school.region
    return None


def _school_id_of(over: Any) -> int | None:
    if isinstance(over, School):
        return int(over.pk)
    if isinstance(over, SchoolClass):
        return int(over.school_id)
    if isinstance(over, Student):
        return int(over.school_id)
    return None


def _class_id_of(over: Any) -> int | None:
    if isinstance(over, SchoolClass):
        return int(over.pk)
    if isinstance(over, Student):
        return int(over.school_class_id) if over.school_class_id else None
    return None


def holds_role(actor: Any, role: str | Iterable[str], *, over: Any = None) -> bool:
    """Whether ``actor`` holds ``role`` (or one of several) at a scope that covers ``over``.

    ``over`` is a Region, School, SchoolClass or Student, or None for "anywhere". A region role
    covers its region and everything below; a school role its school and its classes and pupils; a
    class role its class and its pupils (a parent role: any pupil of the class here; whether the
    pupil is their own child is ``is_guardian_of``).
    """
    if is_system(actor):
        return True
    wanted = _as_roles(role)
    ms = [m for m in memberships_of(actor) if m.role in wanted]
    if not ms:
        return False
    if over is None:
        return True
    # The region chain costs a read per level: only work it out when a region role could match.
    chain = _region_chain_ids(over) if any(m.region_id is not None for m in ms) else set()
    school_id = _school_id_of(over)
    class_id = _class_id_of(over)
    for m in ms:
        if m.region_id is not None and m.region_id in chain:
            return True
        if m.school_id is not None and school_id is not None and m.school_id == school_id:
            return True
        if m.school_class_id is not None and class_id is not None and m.school_class_id == class_id:
            return True
    return False


def is_guardian_of(actor: Any, student: Student) -> bool:
    if is_system(actor):
        return True
    return students_for_actor(actor).filter(pk=student.pk, guardians__user=actor).exists()


def holders(role: str | Iterable[str], *, over: Any) -> QuerySet[Membership]:
    """Memberships of ``role`` held exactly at ``over``'s own scope (e.g. the head teacher of a class,
    the academic office of a school), with their users: for notices and hand-offs, not for checks."""
    q = Q(role__in=_as_roles(role))
    if isinstance(over, Region):
        q &= Q(region=over)
    elif isinstance(over, School):
        q &= Q(school=over)
    elif isinstance(over, SchoolClass):
        q &= Q(school_class=over)
    else:
        raise TypeError(f"holders() needs a Region, School or SchoolClass, not {type(over).__name__}")
    return Membership.objects.filter(q).select_related("user")


def grant(user: Any, role: str, *, at: Region | School | SchoolClass) -> Membership:
    """Give ``user`` ``role`` at one scope (idempotent). Callers check who may grant; this only writes."""
    scope: dict[str, Any] = {
        "region": at if isinstance(at, Region) else None,
        "school": at if isinstance(at, School) else None,
        "school_class": at if isinstance(at, SchoolClass) else None,
    }
    membership, _ = Membership.objects.get_or_create(user=user, role=role, **scope)
    forget_memberships(user)
    return membership


def region_role_holders_exist(role: str, *, over: Any) -> bool:
    """Whether anyone holds a region role above ``over`` (e.g. is there a custodian for this school)."""
    return Membership.objects.filter(role=role, region_id__in=_region_chain_ids(over)).exists()


def _region_filter(regions: list[Region], field: str) -> Q:
    q = Q(pk__in=[])
    for region in regions:
        q |= Q(**{f"{field}__code__startswith": region.descendant_codes_prefix})
    return q


def regions_for_actor(user: Any) -> QuerySet[Region]:
    """Regions a bureau role may see: its own and every region below it."""
    if is_system(user):
        return Region.objects.all()
    regions = [m.region for m in memberships_of(user) if m.role in REGION_WIDE_ROLES and m.region]
    if not regions:
        return Region.objects.none()
    q = Q(pk__in=[])
    for region in regions:
        q |= Q(code__startswith=region.descendant_codes_prefix)
    return Region.objects.filter(q)


def schools_for_actor(user: Any, *, roles: tuple[str, ...] | None = None) -> QuerySet[School]:
    """Schools the actor may see at school level (bureau roles below their region; school roles)."""
    if is_system(user):
        return School.objects.all().select_related("region")
    ms = [m for m in memberships_of(user) if roles is None or m.role in roles]
    regions = [m.region for m in ms if m.role in REGION_WIDE_ROLES and m.region]
    school_ids = {m.school_id for m in ms if m.role in SCHOOL_WIDE_ROLES and m.school_id}
    q = Q(pk__in=school_ids)
    if regions:
        q |= _region_filter(regions, "region")
    return School.objects.filter(q).select_related("region")


def school_get_for_actor(user: Any, school_id: int, *, roles: tuple[str, ...] | None = None) -> School:
    school = schools_for_actor(user, roles=roles).filter(pk=school_id).first()
    if school is None:
        raise NotFound(_("学校"))
    return school


def classes_for_actor(user: Any) -> QuerySet[SchoolClass]:
    """Classes the actor may see: whole schools for school and bureau roles; own class for a head
    teacher; taught classes for a subject teacher; children's classes for a parent."""
    if is_system(user):
        return SchoolClass.objects.all().select_related("grade", "school")
    ms = memberships_of(user)
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
        raise NotFound(_("班级"))
    return school_class


def classes_for_actor_staff(user: Any) -> QuerySet[SchoolClass]:
    """Like classes_for_actor but ignoring parent links (for staff-only pages)."""
    if is_system(user):
        return SchoolClass.objects.all().select_related("grade", "school")
    ms = memberships_of(user)
    q = Q(school__in=schools_for_actor(user).values("pk"))
    q |= Q(pk__in=[m.school_class_id for m in ms if m.role == Role.HEAD_TEACHER and m.school_class_id])
    if any(m.role == Role.SUBJECT_TEACHER for m in ms):
        q |= Q(assignments__teacher__user=user)
    return SchoolClass.objects.filter(q).distinct().select_related("grade", "school")


def students_for_actor(user: Any) -> QuerySet[Student]:
    """Students the actor may see: a parent only their own children; staff the classes they see."""
    if is_system(user):
        return Student.objects.filter(is_active=True).select_related("school_class__grade", "school")
    ms = memberships_of(user)
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


# --- the staff of schools (the bureau's two-step resets, jianfu.schools.two_step) ------------------


def staff_memberships_of_schools(school_ids: Iterable[int]) -> QuerySet[Membership]:
    """Every staff (non-parent) role of the active accounts that hold any role in these schools or
    their classes — all of each such account's staff roles, wherever held, so a caller can tell an
    account that also holds a role elsewhere. With user, class and grade."""
    ids = list(school_ids)
    in_schools = Membership.objects.filter(Q(school_id__in=ids) | Q(school_class__school_id__in=ids))
    return (
        Membership.objects.filter(user__is_active=True, user__in=in_schools.values("user_id"))
        .exclude(role=Role.PARENT)
        .select_related("user", "school_class__grade")
    )
