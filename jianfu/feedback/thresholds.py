"""The cap and sleep minimum a class-day's reports are compared with, from the profile in force."""

from __future__ import annotations

from datetime import date


def class_day_thresholds(school_id: int, grade: int, stage: str, on: date) -> tuple[int | None, int | None]:
    """(homework cap in minutes or None, minimum sleep in minutes or None) for a grade of a school."""
    from jianfu.policies.selectors import profile_resolve_for_school_id

    profile = profile_resolve_for_school_id(school_id, on)  # resolved once for both figures
    cap, _rule, _band = profile.homework_cap(grade, stage)
    hours = profile.get(f"sleep_min_{stage}.min_hours")
    return cap, int(hours * 60) if hours is not None else None
