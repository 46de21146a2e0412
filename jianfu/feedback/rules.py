"""Pure functions for families' reports: sleep duration and the class-day summary. No ORM."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from jianfu.policies.findings import minutes_between

# Architecture.md, privacy: class aggregates from families are shown only when at least 5 answered.
MIN_REPORTS_SHOWN = 5


def sleep_minutes(bedtime: time, wake_time: time) -> int:
    """Minutes from bedtime to wake time, across midnight when the wake time is earlier in the day."""
    return minutes_between(bedtime, wake_time)


def median(values: Sequence[float]) -> float | None:
    if not values:
        return None
    ordered = sorted(values)
    mid = len(ordered) // 2
    if len(ordered) % 2:
        return float(ordered[mid])
    return (ordered[mid - 1] + ordered[mid]) / 2


def percentile(values: Sequence[float], p: float) -> float | None:
    """Nearest-rank percentile: the smallest value with at least p% of values at or below it."""
    if not values:
        return None
    ordered = sorted(values)
    rank = max(1, math.ceil(p / 100 * len(ordered)))
    return float(ordered[rank - 1])


@dataclass(frozen=True)
class ReportFacts:
    minutes_total: int
    finished: bool
    stopped_at_bedtime: bool
    bedtime: time | None
    wake_time: time | None


@dataclass(frozen=True)
class ClassDaySummary:
    reports: int
    median_minutes: float | None
    p90_minutes: float | None
    over_cap: int
    stopped_at_bedtime: int
    unfinished: int
    sleep_reports: int
    median_sleep_minutes: float | None
    short_sleep: int


def summarise(
    reports: Sequence[ReportFacts], *, cap_minutes: int | None, min_sleep_minutes: int | None
) -> ClassDaySummary:
    """The class-day summary.

    A child who stopped at bedtime is counted in `stopped_at_bedtime` and never as "unfinished":
    policy-defaults.md `hw_bedtime_overrides_homework` (sleep_notice_2021) — a student who has not
    finished by bedtime goes to bed, and that is not the student's fault.
    """
    minutes = [r.minutes_total for r in reports]
    sleeps = [sleep_minutes(r.bedtime, r.wake_time) for r in reports if r.bedtime and r.wake_time]
    return ClassDaySummary(
        reports=len(reports),
        median_minutes=median(minutes),
        p90_minutes=percentile(minutes, 90),
        over_cap=sum(1 for m in minutes if cap_minutes is not None and m > cap_minutes),
        stopped_at_bedtime=sum(1 for r in reports if r.stopped_at_bedtime),
        unfinished=sum(1 for r in reports if not r.finished and not r.stopped_at_bedtime),
        sleep_reports=len(sleeps),
        median_sleep_minutes=median(sleeps),
        short_sleep=sum(1 for s in sleeps if min_sleep_minutes is not None and s < min_sleep_minutes),
    )


def report_window_open(report_date: date, now_local: datetime) -> bool:
    """A report for day D may be filed or corrected from D 12:00 until D+1 12:00 (Beijing time).

    Families report in the evening; those who forget may do it before noon the next day
    (docs/decisions/0003-family-report-window.md).
    """
    opens = datetime.combine(report_date, time(12, 0), tzinfo=now_local.tzinfo)
    closes = datetime.combine(report_date + timedelta(days=1), time(12, 0), tzinfo=now_local.tzinfo)
    return opens <= now_local < closes
