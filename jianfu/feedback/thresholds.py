"""The cap and sleep minimum a class-day's reports are compared with, from the profile in force."""

from __future__ import annotations

from datetime import date

from jianfu.schools.models import SchoolClass


def class_day_thresholds(school_class: SchoolClass, on: date) -> tuple[int | None, int | None]:
    """(homework cap in minutes or None, minimum sleep in minutes or None) for this class on `on`."""
    from jianfu.policies.selectors import profile_resolve_for_school

    profile = profile_resolve_for_school(school_class.school, on)  # resolved once for both figures
    cap, _rule, _band = profile.homework_cap(school_class.grade.number, school_class.grade.stage)
    hours = profile.get(f"sleep_min_{school_class.grade.stage}.min_hours")
    return cap, int(hours * 60) if hours is not None else None
