"""Fixtures and helpers shared by the after-school tests."""

import re
from unittest import mock

import pytest

from jianfu.afterschool.allocation.services import allocation_publish, allocation_run
from jianfu.afterschool.family.services import hardship_verify
from jianfu.afterschool.tests.alloc_fixtures import apply, close, course, open_choosing, programme
from jianfu.afterschool.tests.factories_days import MON, at


@pytest.fixture
def monday():
    """Everything happens on Monday 23 November 2026 at 13:30, Beijing time (before the day's 14:00
    booking cutoff): the after-school day tests' clock."""
    with mock.patch("django.utils.timezone.now", return_value=at(MON, 13, 30)):
        yield


@pytest.fixture
def published(world, autumn_term):
    p = programme(world, autumn_term)
    football = course(world, p, "足球", 1)
    choir = course(world, p, "合唱", 20, category="art")
    open_choosing(world, p)
    app = apply(
        world.users["parent"],
        world.student,
        p,
        [football, choir],
        hardship_claimed=True,
        hardship_category="hardship",
    )
    hardship_verify(actor=world.users["academic"], programme_id=p.pk, application_id=app.pk, verified=True)
    close(world, p)
    allocation_run(actor=world.users["academic"], programme_id=p.pk, seed=5)
    allocation_publish(actor=world.users["academic"], programme_id=p.pk)
    return p, football, choir


def assert_says(text: str, *facts: str | re.Pattern[str], never: tuple[str, ...] = ()) -> None:
    """A notice, SMS or error message carries every one of `facts` (a name, course, time, count; a
    compiled pattern where the fact may be written more than one way) and none of `never`. The words
    around the facts are the code's to choose: rewording passes, a wrong fact fails."""
    missing = [f for f in facts if (f.search(text) is None if isinstance(f, re.Pattern) else f not in text)]
    assert not missing, f"{text!r} does not say {missing}"
    wrong = [f for f in never if f in text]
    assert not wrong, f"{text!r} says {wrong}"


def grades(low: int, high: int) -> re.Pattern[str]:
    """A grade range however it is written: 1至2年级, 1–2年级, 1-2年级."""
    return re.compile(rf"{low}\s*[至到–~-]\s*{high}\s*年级")


def course_at(
    name: str, days: str = "周一、周三", start: str = "16:50", end: str = "17:50", room: str = "操场"
) -> re.Pattern[str]:
    """A course named together with its schedule — the name, then with only punctuation between, the
    days, the times and the room (alloc_fixtures' defaults: Mon/Wed, the course part, 操场) — so a
    notice that puts the right schedule on the wrong course fails."""
    return re.compile(rf"{re.escape(name)}\W*{re.escape(days)}\W*{start}\s*[–-]\s*{end}\W*{re.escape(room)}")
