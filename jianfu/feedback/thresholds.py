"""The cap and sleep minimum a class-day's reports are compared with, from the profile in force."""

from __future__ import annotations

from datetime import date, time


def class_day_thresholds(school_id: int, grade: int, stage: str, on: date) -> tuple[int | None, int | None]:
    """(homework cap in minutes or None, minimum sleep in minutes or None) for a grade of a school."""
    from jianfu.policies.selectors import profile_resolve_for_school_id

    profile = profile_resolve_for_school_id(school_id, on)  # resolved once for both figures
    cap, _rule, _band = profile.homework_cap(grade, stage)
    hours = profile.get(f"sleep_min_{stage}.min_hours")
    return cap, int(hours * 60) if hours is not None else None


def family_thresholds(school_id: int, grade: int, stage: str, on: date) -> tuple[int | None, time | None]:
    """(homework cap in minutes or None, latest recommended bedtime or None) for a grade of a school:
    what a family's report is compared with (the profile's homework cap; bedtime_latest_{stage},
    sleep_notice_2021 item 5)."""
    from jianfu.policies.rules.findings import as_time
    from jianfu.policies.selectors import profile_resolve_for_school_id

    profile = profile_resolve_for_school_id(school_id, on)
    cap, _rule, _band = profile.homework_cap(grade, stage)
    latest = profile.get(f"bedtime_latest_{stage}.latest")
    return cap, as_time(latest) if latest is not None else None
