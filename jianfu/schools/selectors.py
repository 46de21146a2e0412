"""Reads of school structure. Scopes (who sees which school, class, pupil) are jianfu.schools.access."""

from __future__ import annotations

from django.db.models import QuerySet

from jianfu.schools.access import (
    REGION_WIDE_ROLES,
    SCHOOL_WIDE_ROLES,
    class_get_for_actor,
    classes_for_actor,
    classes_for_actor_staff,
    memberships_of,
    regions_for_actor,
    roles_of,
    school_get_for_actor,
    schools_for_actor,
    students_for_actor,
)
from jianfu.schools.models import School, SchoolClass, Term

# The scopes live in the access module (the one reader of Membership); these names stay importable
# from here while the apps move over to jianfu.schools.access (issue 14).
_memberships = memberships_of

__all__ = [
    "REGION_WIDE_ROLES",
    "SCHOOL_WIDE_ROLES",
    "class_get_for_actor",
    "classes_by_id",
    "classes_for_actor",
    "classes_for_actor_staff",
    "memberships_of",
    "regions_for_actor",
    "roles_of",
    "school_get_for_actor",
    "schools_for_actor",
    "students_for_actor",
    "terms_for_school",
]


def terms_for_school(school: School) -> QuerySet[Term]:
    return Term.objects.filter(school=school).order_by("-start_date")


def classes_by_id(class_ids: list[int]) -> dict[int, SchoolClass]:
    """Classes by id with their grade and school (for labels), in one query; the caller has scoped the ids."""
    return {c.pk: c for c in SchoolClass.objects.filter(pk__in=class_ids).select_related("grade", "school")}
