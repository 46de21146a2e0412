"""Exams tests run against a term around today (Beijing): filing is for today or later, and levels
open on an exam's last day, so dates are written relative to `today`."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from django.utils import timezone

from jianfu.core.actors import SystemActor
from jianfu.exams.services import PlanDraft, exam_file
from jianfu.schools.calendar.services import term_create


@pytest.fixture
def w(world: Any) -> Any:
    today = timezone.localdate()
    world.today = today
    world.term = term_create(
        actor=SystemActor("test-setup"),
        school=world.school,
        school_year="exams",
        kind="autumn",
        start_date=today - timedelta(days=60),
        end_date=today + timedelta(days=90),
    )
    # The nine-year school's term around today is its spring term (the graduating grade's second
    # term, where the 2021 exam notice allows 1–2 mock exams); the dates are the test's, not a calendar's.
    world.junior_term = term_create(
        actor=SystemActor("test-setup"),
        school=world.five_four_school,
        school_year="exams",
        kind="spring",
        start_date=today - timedelta(days=60),
        end_date=today + timedelta(days=90),
    )
    return world


def days(w: Any, n: int) -> date:
    return w.today + timedelta(days=n)


def draft(w: Any, grade: int, kind: str, first: date, **kw: Any) -> PlanDraft:
    term = kw.pop("term", None) or w.term
    return PlanDraft(
        grade_number=grade,
        term_id=term.pk,
        kind=kind,
        subjects=kw.pop("subjects", ["math"]),
        date=first,
        **kw,
    )


def file(
    w: Any, grade: int, kind: str, first: date, *, actor: str = "academic", school: Any = None, **kw: Any
):
    reason = kw.pop("exception_reason", "")
    return exam_file(
        actor=w.users[actor],
        school=school or w.school,
        draft=draft(w, grade, kind, first, **kw),
        exception_reason=reason,
    )
