"""The family page's totals for a published day: every kind of home task, and the written part, as
the class-day row keeps them on every post (decision 0023)."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest

from jianfu.feedback.selectors import homework_day_minutes
from jianfu.homework.models import ClassDayLoad
from jianfu.homework.services import Draft, homework_create

pytestmark = pytest.mark.django_db
DAY = date(2026, 12, 7)  # a Monday of the autumn term
MORNING = datetime(2026, 12, 7, 8, 0, tzinfo=ZoneInfo("Asia/Shanghai"))


def test_every_kind_at_home_counts_with_one_layer_and_no_electives(world, autumn_term):
    def post(minutes, subject="math", **kw):
        homework_create(
            actor=world.users["teacher"],
            class_ids=[world.class_5_1.pk],
            date_set=DAY,
            date_due=DAY,
            draft=Draft(subject=subject, minutes=minutes, **kw),
            description="练习",
            now=MORNING,
        )

    post(25)  # written, required
    post(30)  # written, required
    post(60, kind="oral")  # A1's oral item: counts in the family's total
    post(15, kind="reading", tier="basic")
    post(20, kind="reading", tier="advanced")  # a child gets one layer: the heavier, 20
    post(40, tier="elective")  # elective: not expected of every child
    post(10, where="in_class")  # done in class, not at home
    minutes = homework_day_minutes({"load": ClassDayLoad.objects.get(school_class=world.class_5_1, date=DAY)})
    # All kinds: 25 + 30 + 60 + max(15, 20) = 135; written against the cap: 25 + 30 = 55.
    assert minutes is not None and (minutes.all_kinds, minutes.written) == (135, 55)


def test_an_unpublished_day_has_no_totals():
    assert homework_day_minutes(None) is None
