"""Reads of exams. Results leave the database only as levels: a child's own levels for their
guardians, and per-class counts per level for staff. Nothing here sorts students or classes by
result (exam_no_ranking_no_publication), and raw scores are never selected."""

from __future__ import annotations

from collections import Counter
from datetime import date, timedelta
from typing import Any

from django.db.models import Count, F, QuerySet

from jianfu.exams.models import ExamPlan, ExamResult
from jianfu.policies.rules.exams import check_exam_term
from jianfu.policies.rules.facts import ExamFacts, ExamTermFacts
from jianfu.policies.rules.findings import Finding
from jianfu.policies.selectors import profile_resolve_for_school
from jianfu.schools.access import regions_for_actor, schools_for_actor
from jianfu.schools.models import Grade, School, SchoolClass, Student, Subject, TeachingAssignment, Term


def level_labels(school: School, on: date) -> list[str]:
    labels: list[str] = list(profile_resolve_for_school(school, on).setting("exam_level_labels"))
    return labels


# Subjects taught only in junior secondary (domain.md, "Subjects"): a primary grade offers none of them.
JUNIOR_ONLY_SUBJECTS = frozenset({"physics", "chemistry", "biology", "geography", "history"})


def subjects_for_stage(stage: str) -> list[tuple[str, str]]:
    """The subjects an exam of a grade in `stage` may cover, as (value, label)."""
    return [(v, label) for v, label in Subject.choices if stage != "primary" or v not in JUNIOR_ONLY_SUBJECTS]


def live_plans(grade: Grade, term: Term) -> QuerySet[ExamPlan]:
    return ExamPlan.objects.filter(grade=grade, term=term, withdrawn_at__isnull=True)


def _exam_facts(p: ExamPlan) -> ExamFacts:
    return ExamFacts.model_validate(
        {
            "kind": p.kind,
            "paper_based": p.paper_based,
            "subjects": p.subjects,
            "date": p.date,
            "whole_grade": p.whole_grade,
            "organiser": p.organiser,
        }
    )


def _term_check(grade: Grade, term: Term, plans: list[ExamPlan]) -> list[Finding]:
    facts = ExamTermFacts.model_validate(
        {
            "grade": grade.number,
            "stage": grade.stage,
            "system": grade.school.system,
            # The plan's own term: mocks are for the graduating grade's second term (2021 exam notice),
            # which the calendar knows better than the month of the exam.
            "term": term.kind,
            "level_count": len(level_labels(grade.school, term.start_date)),
            "exams": [_exam_facts(p) for p in plans],
        }
    )
    profile = profile_resolve_for_school(grade.school, term.start_date)
    return check_exam_term(facts, profile)


def exam_term_findings(grade: Grade, term: Term) -> list[Finding]:
    """The policy engine's verdict on the grade's whole term of filed exams (policy-defaults.md §2.3)."""
    return _term_check(grade, term, list(live_plans(grade, term)))


def _key(f: Finding) -> str:
    # The evidence (a count, a date) is part of the key: a third mock in a non-graduating grade says
    # the same sentence as the excepted first one, but not with the same count.
    return f"{f.rule_id}|{f.message_zh}|{sorted((k, str(v)) for k, v in f.evidence.items())}"


def plan_findings(plan: ExamPlan) -> list[Finding]:
    """The findings this plan causes (C3): the term's verdict with the plan, less the verdict without
    it. A rule on one exam (a 月考, a paper exam in grade 2) appears only with it; a count rule (a
    second final) appears with the plan that goes over the count; a finding the other plans already
    had, or one about the profile (exam_grade_levels), is not this plan's. Counted as a multiset of
    (rule, message, evidence) so two 月考 in a term each carry their own."""
    others = [p for p in live_plans(plan.grade, plan.term) if p.pk != plan.pk]
    before = Counter(_key(f) for f in _term_check(plan.grade, plan.term, others))
    mine = []
    for f in _term_check(plan.grade, plan.term, [*others, plan]):
        key = _key(f)
        if before[key] > 0:
            before[key] -= 1
        else:
            mine.append(f)
    return mine


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
    # Only what the school has released (exam_release): a level typed in is not yet a result.
    rows = ExamResult.objects.filter(
        student=student, exam__withdrawn_at__isnull=True, exam__released_at__isnull=False
    ).select_related("exam")
    return [
        {
            "exam": r.exam.get_kind_display(),
            "date": r.exam.date,
            "subject": r.subject,
            "level": r.level,
            "comment": r.comment,
        }
        for r in rows.order_by("exam__date", "subject")
    ]


def _taught(plan: ExamPlan, teacher: Any) -> QuerySet[TeachingAssignment]:
    return TeachingAssignment.objects.filter(
        teacher__user_id=getattr(teacher, "pk", None) or 0,
        teacher__school_id=plan.school_id,
        school_class__grade=plan.grade,
        subject__in=plan.subjects,
    )


def results_for_entry(plan: ExamPlan, teacher: Any) -> list[dict[str, Any]]:
    """The entry sheet for a teacher: their students and subjects in this exam, by class, then subject,
    then 学号 (the class list's number; children without one after, in the roster's order). Never by
    level or name, and never ranked."""
    taught = sorted(
        _taught(plan, teacher).select_related("school_class__grade"),
        key=lambda a: (a.school_class.number, a.subject),
    )
    existing = {(r.student_id, r.subject): r for r in ExamResult.objects.filter(exam=plan)}
    students: dict[int, list[Student]] = {}
    for s in Student.objects.filter(
        school_class_id__in=[a.school_class_id for a in taught], is_active=True
    ).order_by(F("seat").asc(nulls_last=True), "pk"):
        students.setdefault(s.school_class_id, []).append(s)
    sheet = []
    for a in taught:
        for n, s in enumerate(students.get(a.school_class_id, []), start=1):
            r = existing.get((s.pk, a.subject))
            sheet.append(
                {
                    "student": s,
                    "seq": n,
                    "class": a.school_class,
                    "subject": a.subject,
                    "level": r.level if r else "",
                    "comment": r.comment if r else "",
                    "raw_score": r.raw_score if r else None,
                }
            )
    return sheet


def plans_awaiting_levels(teacher: Any, today: date) -> list[dict[str, Any]]:
    """Exams the teacher can keep levels for (live, within the rules or excepted by the district):
    those open now (their last day has come) and the coming ones, with how many of the teacher's
    rows are filled. Bounded to the current and coming terms' plans of the grades they teach."""
    grades = set(
        TeachingAssignment.objects.filter(teacher__user_id=getattr(teacher, "pk", None) or 0).values_list(
            "school_class__grade_id", flat=True
        )
    )
    plans = ExamPlan.objects.filter(
        grade_id__in=grades, withdrawn_at__isnull=True, term__end_date__gte=today - timedelta(days=60)
    ).select_related("school", "grade", "term")
    out = []
    for plan in plans:
        if not plan.enterable:
            continue
        sheet = results_for_entry(plan, teacher)
        if not sheet:
            continue
        out.append(
            {
                "plan": plan,
                "open": plan.end_date <= today,
                "rows": len(sheet),
                "filled": sum(1 for r in sheet if r["level"]),
            }
        )
    return out


def plans_waiting_for_office(school_ids: list[int], today: date) -> dict[str, list[ExamPlan]]:
    """Exams of these schools that are over and whose levels are not released: those with no level
    entered yet (waiting for the teachers) and those with levels (waiting for the office to release).
    Plans that open no level entry (a violation without the district's exception) are left out. One
    query, however many plans."""
    plans = (
        ExamPlan.objects.filter(
            school_id__in=school_ids, withdrawn_at__isnull=True, released_at__isnull=True, end_date__lte=today
        )
        .annotate(entered=Count("results"))
        .select_related("grade", "school")
        .order_by("end_date", "pk")
    )
    waiting: dict[str, list[ExamPlan]] = {"levels": [], "release": []}
    for p in plans:
        if p.enterable:
            waiting["release" if p.entered else "levels"].append(p)
    return waiting
