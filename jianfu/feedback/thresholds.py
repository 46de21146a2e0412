"""The cap and sleep minimum a class-day's reports are compared with, from the profile in force."""

from __future__ import annotations

from datetime import date

from jianfu.schools.models import SchoolClass


def class_day_thresholds(school_class: SchoolClass, on: date) -> tuple[int | None, int | None]:
    """(homework cap in minutes or None, minimum sleep in minutes or None) for this class on `on`."""
    from jianfu.policies.selectors import homework_cap_minutes, sleep_min_minutes

    return homework_cap_minutes(school_class, on), sleep_min_minutes(school_class, on)
