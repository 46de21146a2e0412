"""Filing exams (备案) against the count rules, and entering results as levels."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone

from jianfu.accounts.models import Membership, Role
from jianfu.core.audit import audit
from jianfu.core.errors import DomainError, ErrorDetail, NotFound, PermissionDenied
from jianfu.exams.models import ExamKind, ExamPlan, ExamResult, Organiser
from jianfu.exams.selectors import exam_term_findings, level_labels
from jianfu.schools.models import School, Student, TeachingAssignment


class ExamError(DomainError):
    INVALID = "exam_invalid"
    LEVEL_INVALID = "exam_level_invalid"
    status = 422


def _check_school_admin(actor: Any, school: School) -> None:
    from jianfu.schools.selectors import schools_for_actor

    if not schools_for_actor(actor).filter(pk=school.pk).exists():
        raise NotFound("学校", "school")
    if not Membership.objects.filter(
        user=actor, school=school, role__in=[Role.PRINCIPAL, Role.ACADEMIC_AFFAIRS]
    ).exists():
        raise PermissionDenied("只有校长或教导处可以备案考试", "Only school leaders may file exams")


@transaction.atomic
def exam_file(
    *,
    actor: Any,
    school: School,
    grade_number: int,
    term_id: int,
    kind: str,
    subjects: list[str],
    date: date,
    paper_based: bool = True,
    whole_grade: bool = True,
    organiser: str = Organiser.SCHOOL,
) -> ExamPlan:
    """File a planned exam. It is recorded with the policy engine's findings for the grade's term —
    including violations, which the school and the district both see (docs/decisions/0009-exams.md)."""
    _check_school_admin(actor, school)
    grade = school.grades.filter(number=grade_number).first()
    term = school.terms.filter(pk=term_id).first()
    if grade is None:
        raise ExamError(ExamError.INVALID, "年级不存在", "No such grade", field="grade")
    if term is None:
        raise ExamError(ExamError.INVALID, "学期不存在", "No such term", field="term")
    if kind not in ExamKind.values:
        raise ExamError(ExamError.INVALID, "考试类型无效", "Invalid exam kind", field="kind")
    if organiser not in Organiser.values:
        raise ExamError(ExamError.INVALID, "组织方无效", "Invalid organiser", field="organiser")
    if not term.start_date <= date <= term.end_date:
        raise ExamError(ExamError.INVALID, "考试日期不在该学期内", "Date outside the term", field="date")
    if not subjects:
        raise ExamError(ExamError.INVALID, "请选择科目", "Choose subjects", field="subjects")
    plan = ExamPlan.objects.create(
        school=school,
        grade=grade,
        term=term,
        kind=kind,
        subjects=sorted(set(subjects)),
        date=date,
        paper_based=paper_based,
        whole_grade=whole_grade,
        organiser=organiser,
        filed_by=actor,
    )
    plan.findings = [f.as_dict() for f in exam_term_findings(grade, term)]
    plan.save(update_fields=["findings"])
    audit(
        actor=actor,
        action="exam_filed",
        obj=plan,
        school_id=school.pk,
        region_code=school.region.code,
        data={
            "grade": grade_number,
            "kind": kind,
            "violations": sum(1 for f in plan.findings if f["severity"] == "violation"),
        },
    )
    return plan


@transaction.atomic
def exam_withdraw(*, actor: Any, plan_id: int) -> ExamPlan:
    plan = (
        ExamPlan.objects.select_related("school__region")
        .filter(pk=plan_id, withdrawn_at__isnull=True)
        .first()
    )
    if plan is None:
        raise NotFound("考试", "exam")
    _check_school_admin(actor, plan.school)
    plan.withdrawn_at = timezone.now()
    plan.save(update_fields=["withdrawn_at"])
    audit(actor=actor, action="exam_withdrawn", obj=plan, school_id=plan.school_id)
    return plan


@dataclass(frozen=True)
class ResultEntry:
    student_id: int
    subject: str
    level: str
    raw_score: Decimal | None = None


@transaction.atomic
def results_enter(*, actor: Any, plan_id: int, entries: list[ResultEntry]) -> int:
    """Enter or correct levels (all or nothing). Only a teacher of that subject in the student's
    class may enter them; levels must be the profile's labels (default 优秀/良好/合格/待合格)."""
    plan = (
        ExamPlan.objects.select_related("school__region", "grade")
        .filter(pk=plan_id, withdrawn_at__isnull=True)
        .first()
    )
    if plan is None:
        raise NotFound("考试", "exam")
    labels = level_labels(plan.school, plan.date)
    taught = set(
        TeachingAssignment.objects.filter(teacher__user=actor, school_class__grade=plan.grade).values_list(
            "school_class_id", "subject"
        )
    )
    if not taught:
        raise NotFound("考试", "exam")
    students = {
        s.pk: s
        for s in Student.objects.filter(
            pk__in=[e.student_id for e in entries],
            school=plan.school,
            school_class__grade=plan.grade,
            is_active=True,
        )
    }
    problems: list[ErrorDetail] = []
    for n, e in enumerate(entries, start=1):
        s = students.get(e.student_id)
        if s is None or (s.school_class_id, e.subject) not in taught:
            problems.append(
                ErrorDetail(
                    f"第{n}条：你不能录入该学生该科目的成绩",
                    f"Entry {n}: not your student or subject",
                    row=n,
                    field="student_id",
                )
            )
        elif e.subject not in plan.subjects:
            problems.append(
                ErrorDetail(
                    f"第{n}条：本次考试不含该科目",
                    f"Entry {n}: subject not in this exam",
                    row=n,
                    field="subject",
                )
            )
        elif e.level not in labels:
            problems.append(
                ErrorDetail(
                    f"第{n}条：等级应为{'/'.join(labels)}之一",
                    f"Entry {n}: level must be one of {labels}",
                    row=n,
                    field="level",
                )
            )
    if problems:
        raise ExamError(
            ExamError.LEVEL_INVALID, "成绩未保存：有条目不符合要求", "Nothing saved", details=problems
        )
    for e in entries:
        ExamResult.objects.update_or_create(
            exam=plan,
            student_id=e.student_id,
            subject=e.subject,
            defaults={
                "level": e.level,
                "raw_score": e.raw_score,
                "entered_by": actor,
                "school_class_id": students[e.student_id].school_class_id,
            },
        )
    audit(
        actor=actor,
        action="exam_results_entered",
        obj=plan,
        school_id=plan.school_id,
        data={"count": len(entries)},
    )
    return len(entries)
