"""The homework tests post on Monday 23 November 2026 (the autumn term) as that morning.

Homework is set for today or later (Beijing time), so the clock is that Monday at 08:00 unless a
test sets another moment itself (nested mock.patch of django.utils.timezone.now wins)."""

from datetime import date, datetime, time
from unittest import mock
from zoneinfo import ZoneInfo

import pytest

SH = ZoneInfo("Asia/Shanghai")
MON = date(2026, 11, 23)


def at(day: date, hour: int = 8, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute), tzinfo=SH)


@pytest.fixture(autouse=True)
def monday_morning():
    with mock.patch("django.utils.timezone.now", return_value=at(MON)) as clock:
        yield clock
