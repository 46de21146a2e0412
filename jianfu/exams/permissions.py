"""Who may do what with exams: the one place the exam pages, the API and the services ask.

Filing (备案) belongs to the school's principal or 教导处; the district bureau's staff may file for the
schools below it and alone record an exception to a broken rule (docs/decisions/0027-exam-rules-kept.md).
Levels are entered by the teachers of the exam's grade, released by the school's leaders, and seen by
each family for its own child only. Built on jianfu.schools.access (decision 0041)."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from jianfu.accounts.models import Role
from jianfu.exams.models import ExamPlan
from jianfu.schools.access import (
    REGION_WIDE_ROLES,
    SCHOOL_LEADERS,
    holds_role,
    is_guardian_of,
    schools_for_actor,
)
from jianfu.schools.models import School, SchoolClass, Student, TeachingAssignment

# Who sees the filed exams page: school leaders for their school, bureau roles for their region.
PLAN_VIEWERS = (*SCHOOL_LEADERS, *REGION_WIDE_ROLES)
FILERS = (*SCHOOL_LEADERS, Role.BUREAU_STAFF)


def can_see_exam_plans(actor: Any) -> bool:
    return holds_role(actor, PLAN_VIEWERS)


def can_see_school_exams(actor: Any, school: School) -> bool:
    return holds_role(actor, PLAN_VIEWERS, over=school)


def schools_filing_for(actor: Any) -> QuerySet[School]:
    """Schools the actor may file for: their own as principal/教导处, the district's as bureau staff."""
    return schools_for_actor(actor, roles=FILERS)


def files_as_district(actor: Any, school: School) -> bool:
    """Whether the actor is the district bureau over `school` (who may record an exception)."""
    return holds_role(actor, Role.BUREAU_STAFF, over=school)


def can_record_exam_exception(actor: Any, school: School) -> bool:
    return files_as_district(actor, school)


def is_exam_school_leader(actor: Any, school: School) -> bool:
    """The school's principal or 教导处 (formerly exams.services._check_school_admin)."""
    return holds_role(actor, SCHOOL_LEADERS, over=school)


def can_file_exam(actor: Any, school: School) -> bool:
    return is_exam_school_leader(actor, school) or files_as_district(actor, school)


def can_change_exam(actor: Any, plan: ExamPlan) -> bool:
    """Change or withdraw a plan: whoever may file for its school."""
    return can_file_exam(actor, plan.school)


def can_withdraw_exam(actor: Any, plan: ExamPlan) -> bool:
    return can_file_exam(actor, plan.school)


def can_release_levels(actor: Any, plan: ExamPlan) -> bool:
    """Releasing levels to families is the school's own act: its principal or 教导处, not the bureau."""
    return is_exam_school_leader(actor, plan.school)


def can_enter_levels(actor: Any, plan: ExamPlan) -> bool:
    """A teacher of a class of the exam's grade at its school (which rows: exams.selectors)."""
    return TeachingAssignment.objects.filter(
        teacher__user_id=getattr(actor, "pk", None) or 0,
        teacher__school_id=plan.school_id,
        school_class__grade_id=plan.grade_id,
    ).exists()


def keeps_levels(actor: Any) -> bool:
    """Whether the actor teaches a class at all (the menu's "录入等级" is for them)."""
    return TeachingAssignment.objects.filter(teacher__user_id=getattr(actor, "pk", None) or 0).exists()


def can_see_level_distribution(actor: Any, school_class: SchoolClass) -> bool:
    """Per-class counts per level: staff of the class or its school, never a region role (a bureau
    holding every class's distribution could rank schools and classes: decision 0045), never a
    family."""
    return (
        holds_role(actor, SCHOOL_LEADERS, over=school_class.school)
        or holds_role(actor, Role.HEAD_TEACHER, over=school_class)
        or TeachingAssignment.objects.filter(
            teacher__user_id=getattr(actor, "pk", None) or 0, school_class=school_class
        ).exists()
    )


def can_see_child_levels(actor: Any, student: Student) -> bool:
    """A family sees its own child's released levels, nobody else's."""
    return is_guardian_of(actor, student)
