"""Reads of exams. Results leave the database only as levels: a child's own levels for their
guardians, and per-class counts per level for staff. Nothing here sorts students or classes by
result (exam_no_ranking_no_publication), and raw scores are never selected."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db.models import Count, QuerySet

from jianfu.exams.models import ExamPlan, ExamResult
from jianfu.policies.facts import ExamFacts, ExamTermFacts
from jianfu.policies.findings import Finding
from jianfu.policies.rules import check_exam_term
from jianfu.policies.selectors import profile_resolve_for_school
from jianfu.schools.models import Grade, School, SchoolClass, Student, Term
from jianfu.schools.selectors import regions_for_actor, schools_for_actor


def level_labels(school: School, on: date) -> list[str]:
    labels: list[str] = list(profile_resolve_for_school(school, on).setting("exam_level_labels"))
    return labels


def live_plans(grade: Grade, term: Term) -> QuerySet[ExamPlan]:
    return ExamPlan.objects.filter(grade=grade, term=term, withdrawn_at__isnull=True)


def exam_term_findings(grade: Grade, term: Term) -> list[Finding]:
    """The policy engine's verdict on the grade's whole term of filed exams (policy-defaults.md §2.3)."""
    plans = list(live_plans(grade, term))
    facts = ExamTermFacts.model_validate(
        {
            "grade": grade.number,
            "stage": grade.stage,
            "system": grade.school.system,
            "level_count": len(level_labels(grade.school, term.start_date)),
            "exams": [
                ExamFacts.model_validate(
                    {
                        "kind": p.kind,
                        "paper_based": p.paper_based,
                        "subjects": p.subjects,
                        "date": p.date,
                        "whole_grade": p.whole_grade,
                        "organiser": p.organiser,
                    }
                )
                for p in plans
            ],
        }
    )
    profile = profile_resolve_for_school(grade.school, term.start_date)
    return check_exam_term(facts, profile)


def plans_for_actor(actor: Any) -> QuerySet[ExamPlan]:
    """Filed exams the actor may see: their schools', or every school below a bureau's region."""
    schools = schools_for_actor(actor)
    return (
        ExamPlan.objects.filter(school__in=schools, withdrawn_at__isnull=True)
        .select_related("school", "grade", "term")
        .order_by("school__code", "grade__number", "date")
    )


def bureau_sees(actor: Any) -> bool:
    return regions_for_actor(actor).exists()


def level_distribution(plan: ExamPlan, school_class: SchoolClass, subject: str) -> list[dict[str, Any]]:
    """How many students of the class got each level, in the labels' order (never a ranking)."""
    counts = dict(
        ExamResult.objects.filter(exam=plan, school_class=school_class, subject=subject)
        .values_list("level")
        .annotate(n=Count("pk"))
        .values_list("level", "n")
    )
    return [{"level": label, "count": counts.get(label, 0)} for label in level_labels(plan.school, plan.date)]


def child_levels(parent: Any, student_id: int) -> list[dict[str, Any]]:
    """A guardian's own child's levels; anything else is NotFound-shaped (empty and a 404 upstream)."""
    student = Student.objects.filter(pk=student_id, guardians__user=parent, is_active=True).first()
    if student is None:
        return []
    rows = ExamResult.objects.filter(student=student, exam__withdrawn_at__isnull=True).select_related("exam")
    return [
        {"exam": r.exam.get_kind_display(), "date": r.exam.date, "subject": r.subject, "level": r.level}
        for r in rows.order_by("exam__date", "subject")
    ]


def results_for_entry(plan: ExamPlan, teacher: Any) -> list[dict[str, Any]]:
    """The entry sheet for a teacher: their students and subjects in this exam, in roster order."""
    from jianfu.schools.models import TeachingAssignment

    taught = TeachingAssignment.objects.filter(
        teacher__user=teacher, school_class__grade=plan.grade, subject__in=plan.subjects
    ).select_related("school_class__grade")
    existing = {(r.student_id, r.subject): r for r in ExamResult.objects.filter(exam=plan)}
    sheet = []
    for a in taught:
        for s in Student.objects.filter(school_class=a.school_class, is_active=True).order_by("name"):
            r = existing.get((s.pk, a.subject))
            sheet.append(
                {
                    "student": s,
                    "class": a.school_class,
                    "subject": a.subject,
                    "level": r.level if r else "",
                    "raw_score": r.raw_score if r else None,
                }
            )
    return sheet
