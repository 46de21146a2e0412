"""Exams over JSON. No endpoint returns a rank, a raw score, or another family's child. The page and
the API call the same services (jianfu.exams.services)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from ninja import Field, Router, Schema

from jianfu.core.errors import NotFound
from jianfu.exams.models import ExamPlan
from jianfu.exams.permissions import can_see_child_levels, can_see_level_distribution
from jianfu.exams.selectors import (
    child_levels,
    level_distribution,
    plans_awaiting_levels,
    plans_for_actor,
)
from jianfu.exams.services import (
    PlanDraft,
    ResultEntry,
    exam_file,
    exam_release,
    exam_update,
    exam_withdraw,
    results_enter,
    results_paste,
    today,
)
from jianfu.schools.access import schools_for_actor
from jianfu.schools.models import SchoolClass, Student

router = Router(tags=["exams"])


class PlanFields(Schema):
    grade: int = Field(description="a grade number of the school")
    term_id: int
    kind: str = Field(description="final / midterm / mock / unit / monthly / weekly / quiz")
    subjects: list[str] = Field(description="subjects of the grade's stage (no physics in a primary grade)")
    date: dt.date = Field(description="first day (Beijing); not before today")
    end_date: dt.date | None = Field(
        None, description="last day of a multi-day exam (several sittings); omitted → one day"
    )
    paper_based: bool = True
    whole_grade: bool = True
    organiser: str = Field("school", description="school / regional / interschool")
    exception_reason: str = Field(
        "",
        max_length=300,
        description="district bureau only: file a plan that breaks a rule anyway, with a reason (≥ 5 characters)",
    )

    def draft(self) -> PlanDraft:
        return PlanDraft(
            grade_number=self.grade,
            term_id=self.term_id,
            kind=self.kind,
            subjects=self.subjects,
            date=self.date,
            end_date=self.end_date,
            paper_based=self.paper_based,
            whole_grade=self.whole_grade,
            organiser=self.organiser,
        )


class PlanIn(PlanFields):
    school_id: int


class PlanOut(Schema):
    id: int
    school: str
    grade: int
    kind: str
    subjects: list[str]
    date: dt.date
    end_date: dt.date
    violations: list[str] = Field(description="rule ids of the violations this plan causes (excepted ones)")
    findings: list[dict[str, Any]]
    exception_reason: str = Field(description="the district's reason when it excepted a violation")
    released: bool = Field(description="levels released to families")


def _plan(p: ExamPlan) -> dict[str, Any]:
    return {
        "id": p.pk,
        "school": p.school.name,
        "grade": p.grade.number,
        "kind": p.kind,
        "subjects": p.subjects,
        "date": p.date,
        "end_date": p.end_date,
        "findings": p.findings,
        "violations": sorted({f["rule_id"] for f in p.findings if f["severity"] == "violation"}),
        "exception_reason": p.exception_reason,
        "released": p.released_at is not None,
    }


@router.get("/plans", response=list[PlanOut], summary="Filed exams the caller may see, with findings")
def plans(request: HttpRequest) -> list[dict[str, Any]]:
    return [_plan(p) for p in plans_for_actor(request.user)]


@router.post(
    "/plans",
    response=PlanOut,
    summary="File a planned exam; one breaking a rule is refused (422 exam_rule_broken)",
)
def file_plan(request: HttpRequest, payload: PlanIn) -> dict[str, Any]:
    school = schools_for_actor(request.user).filter(pk=payload.school_id).first()
    if school is None:
        raise NotFound(_("学校"))
    plan = exam_file(
        actor=request.user, school=school, draft=payload.draft(), exception_reason=payload.exception_reason
    )
    return _plan(plan)


@router.put("/plans/{plan_id}", response=PlanOut, summary="Change a plan before its first day")
def change_plan(request: HttpRequest, plan_id: int, payload: PlanFields) -> dict[str, Any]:
    plan = exam_update(
        actor=request.user, plan_id=plan_id, draft=payload.draft(), exception_reason=payload.exception_reason
    )
    return _plan(plan)


@router.post("/plans/{plan_id}/withdraw", response=PlanOut, summary="Withdraw a plan before its first day")
def withdraw_plan(request: HttpRequest, plan_id: int) -> dict[str, Any]:
    return _plan(exam_withdraw(actor=request.user, plan_id=plan_id))


@router.post(
    "/plans/{plan_id}/release",
    response=PlanOut,
    summary="Release the levels to families (principal / academic office, from the last day)",
)
def release_plan(request: HttpRequest, plan_id: int) -> dict[str, Any]:
    return _plan(exam_release(actor=request.user, plan_id=plan_id))


class PendingOut(Schema):
    id: int
    grade: int
    kind: str
    date: dt.date
    end_date: dt.date
    open: bool = Field(description="levels can be entered now (the last day has come)")
    rows: int = Field(description="the caller's students × subjects in this exam")
    filled: int


@router.get(
    "/levels/pending", response=list[PendingOut], summary="Exams the caller (a teacher) keeps levels for"
)
def pending(request: HttpRequest) -> list[dict[str, Any]]:
    return [
        {
            "id": p["plan"].pk,
            "grade": p["plan"].grade.number,
            "kind": p["plan"].kind,
            "date": p["plan"].date,
            "end_date": p["plan"].end_date,
            "open": p["open"],
            "rows": p["rows"],
            "filled": p["filled"],
        }
        for p in plans_awaiting_levels(request.user, today())
    ]


class ResultIn(Schema):
    student_id: int
    subject: str
    level: str
    comment: str = Field("", max_length=200, description="optional comment, shown to the family")
    raw_score: Decimal | None = Field(
        None, ge=0, le=1000, description="kept private to the class's teachers; never returned"
    )


class CountOut(Schema):
    saved: int


@router.post("/plans/{plan_id}/results", response=CountOut, summary="Enter levels (all or nothing)")
def enter(request: HttpRequest, plan_id: int, payload: list[ResultIn]) -> dict[str, Any]:
    count = results_enter(
        actor=request.user,
        plan_id=plan_id,
        entries=[ResultEntry(r.student_id, r.subject, r.level, r.raw_score, r.comment) for r in payload],
    )
    return {"saved": count}


class PasteIn(Schema):
    class_id: int
    subject: str
    levels: str = Field(
        max_length=20000, description="one level per line, in the entry sheet's order (class, roster order)"
    )


@router.post(
    "/plans/{plan_id}/results/paste",
    response=CountOut,
    summary="Enter a pasted column of levels for one class and subject (all or nothing)",
)
def paste(request: HttpRequest, plan_id: int, payload: PasteIn) -> dict[str, Any]:
    count = results_paste(
        actor=request.user,
        plan_id=plan_id,
        class_id=payload.class_id,
        subject=payload.subject,
        text=payload.levels,
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
    school_class = SchoolClass.objects.filter(pk=class_id).first()
    if school_class is None or not can_see_level_distribution(request.user, school_class):
        raise NotFound(_("考试"))
    plan = ExamPlan.objects.filter(pk=plan_id, grade_id=school_class.grade_id).first()
    if plan is None:
        raise NotFound(_("考试"))
    return level_distribution(plan, school_class, subject)


class ChildLevel(Schema):
    exam: str
    date: dt.date
    subject: str
    level: str
    comment: str


@router.get(
    "/children/{student_id}/levels",
    response=list[ChildLevel],
    summary="A guardian's own child's released levels",
)
def levels(request: HttpRequest, student_id: int) -> list[dict[str, Any]]:
    student = Student.objects.filter(pk=student_id).first()
    if student is None or not can_see_child_levels(request.user, student):
        raise NotFound(_("学生"))
    return child_levels(request.user, student_id)
