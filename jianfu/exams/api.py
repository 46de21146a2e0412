"""Exams over JSON. No endpoint returns a rank, a raw score, or another family's child."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from django.http import HttpRequest
from ninja import Field, Router, Schema

from jianfu.core.errors import NotFound
from jianfu.exams.models import ExamPlan
from jianfu.exams.selectors import child_levels, level_distribution, plans_for_actor
from jianfu.exams.services import ResultEntry, exam_file, results_enter
from jianfu.schools.selectors import classes_for_actor_staff, schools_for_actor

router = Router(tags=["exams"])


class PlanIn(Schema):
    school_id: int
    grade: int
    term_id: int
    kind: str = Field(description="final / midterm / mock / unit / monthly / weekly / quiz")
    subjects: list[str]
    date: date
    paper_based: bool = True
    whole_grade: bool = True
    organiser: str = Field("school", description="school / regional / interschool")


class PlanOut(Schema):
    id: int
    school: str
    grade: int
    kind: str
    subjects: list[str]
    date: date
    violations: list[str] = Field(description="rule ids of the violations found when it was filed")
    findings: list[dict[str, Any]]


def _plan(p: ExamPlan) -> dict[str, Any]:
    return {
        "id": p.pk,
        "school": p.school.name,
        "grade": p.grade.number,
        "kind": p.kind,
        "subjects": p.subjects,
        "date": p.date,
        "findings": p.findings,
        "violations": sorted({f["rule_id"] for f in p.findings if f["severity"] == "violation"}),
    }


@router.get("/plans", response=list[PlanOut], summary="Filed exams the caller may see, with findings")
def plans(request: HttpRequest) -> list[dict[str, Any]]:
    return [_plan(p) for p in plans_for_actor(request.user)]


@router.post("/plans", response=PlanOut, summary="File (备案) a planned exam; findings come back with it")
def file_plan(request: HttpRequest, payload: PlanIn) -> dict[str, Any]:
    school = schools_for_actor(request.user).filter(pk=payload.school_id).first()
    if school is None:
        raise NotFound("学校", "school")
    plan = exam_file(
        actor=request.user,
        school=school,
        grade_number=payload.grade,
        term_id=payload.term_id,
        kind=payload.kind,
        subjects=payload.subjects,
        date=payload.date,
        paper_based=payload.paper_based,
        whole_grade=payload.whole_grade,
        organiser=payload.organiser,
    )
    plan.school = school
    return _plan(plan)


class ResultIn(Schema):
    student_id: int
    subject: str
    level: str
    raw_score: Decimal | None = Field(
        None, description="kept private to the class's teachers; never returned"
    )


class CountOut(Schema):
    saved: int


@router.post("/plans/{plan_id}/results", response=CountOut, summary="Enter levels (all or nothing)")
def enter(request: HttpRequest, plan_id: int, payload: list[ResultIn]) -> dict[str, Any]:
    count = results_enter(
        actor=request.user,
        plan_id=plan_id,
        entries=[ResultEntry(r.student_id, r.subject, r.level, r.raw_score) for r in payload],
    )
    return {"saved": count}


class LevelCount(Schema):
    level: str
    count: int


@router.get(
    "/plans/{plan_id}/distribution",
    response=list[LevelCount],
    summary="How many students of a class got each level (staff; no ranking)",
)
def distribution(request: HttpRequest, plan_id: int, class_id: int, subject: str) -> list[dict[str, Any]]:
    school_class = classes_for_actor_staff(request.user).filter(pk=class_id).first()
    if school_class is None:
        raise NotFound("考试", "exam")
    plan = ExamPlan.objects.filter(pk=plan_id, grade_id=school_class.grade_id).first()
    if plan is None:
        raise NotFound("考试", "exam")
    return level_distribution(plan, school_class, subject)


class ChildLevel(Schema):
    exam: str
    date: date
    subject: str
    level: str


@router.get(
    "/children/{student_id}/levels", response=list[ChildLevel], summary="A guardian's own child's levels"
)
def levels(request: HttpRequest, student_id: int) -> list[dict[str, Any]]:
    from jianfu.schools.models import Student

    if not Student.objects.filter(pk=student_id, guardians__user_id=request.user.pk or 0).exists():
        raise NotFound("学生", "student")
    return child_levels(request.user, student_id)
