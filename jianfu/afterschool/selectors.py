"""Shared reads of after-school programmes, scoped to what the actor may see.

"Not found" and "not allowed" look the same (NotFound for both). Topic-specific reads live beside
their services (<topic>/selectors.py); what every page needs is here.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from jianfu.accounts.models import Role
from jianfu.afterschool.models import Programme, ProgrammeStatus
from jianfu.core.errors import NotFound
from jianfu.schools.access import (
    BUREAU_ROLES,
    SCHOOL_WIDE_ROLES,
    memberships_of,
    schools_for_actor,
)
from jianfu.schools.models import Student


def programmes_for_office(actor: Any) -> QuerySet[Programme]:
    """Programmes the actor runs: the school office (principal, academic affairs) of the school."""
    return Programme.objects.filter(
        school__in=schools_for_actor(actor, roles=SCHOOL_WIDE_ROLES).values("pk")
    ).select_related("school", "term")


def programmes_for_bureau(actor: Any) -> QuerySet[Programme]:
    """Programmes of every school in the bureau role's region and below (read-only oversight)."""
    return Programme.objects.filter(
        school__in=schools_for_actor(actor, roles=BUREAU_ROLES).values("pk")
    ).select_related("school", "term")


def programmes_for_staff(actor: Any) -> QuerySet[Programme]:
    """Programmes of the schools where the actor works in any staff role (teachers read their
    school's programme to take attendance; head teachers to see their class)."""
    ms = memberships_of(actor)
    school_ids = {m.school_id for m in ms if m.school_id and m.role != Role.PARENT}
    school_ids |= {
        m.school_class.school_id for m in ms if m.role == Role.HEAD_TEACHER and m.school_class is not None
    }
    q = Q(school_id__in=school_ids) | Q(school__in=schools_for_actor(actor).values("pk"))
    return Programme.objects.filter(q).select_related("school", "term")


def programme_get_for_office(actor: Any, programme_id: int) -> Programme:
    programme = programmes_for_office(actor).filter(pk=programme_id).first()
    if programme is None:
        raise NotFound(_("课后服务方案"))
    return programme


def programme_get_for_staff(actor: Any, programme_id: int) -> Programme:
    programme = programmes_for_staff(actor).filter(pk=programme_id).first()
    if programme is None:
        raise NotFound(_("课后服务方案"))
    return programme


def children_of_parent(actor: Any) -> QuerySet[Student]:
    """The actor's own children (guardian rows linked to their account), nobody else's."""
    if not getattr(actor, "is_authenticated", False):
        return Student.objects.none()
    return (
        Student.objects.filter(guardians__user=actor, is_active=True)
        .distinct()
        .select_related("school_class__grade", "school")
    )


def child_get_for_parent(actor: Any, student_id: int) -> Student:
    student = children_of_parent(actor).filter(pk=student_id).first()
    if student is None:
        raise NotFound(_("学生"))
    return student


def programmes_for_child(student: Student) -> QuerySet[Programme]:
    """What a family may see for a child: the child's school's programmes once they are open to
    families (never drafts)."""
    return Programme.objects.filter(school_id=student.school_id).exclude(status=ProgrammeStatus.DRAFT)
