"""Pure functions for families' reports: sleep duration and the class-day summary. No ORM."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.utils.translation import gettext_lazy as _

from jianfu.core.errors import Text
from jianfu.policies.rules.findings import minutes_between

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
    if report_date >= date.max:
        return False  # the day after 9999-12-31 does not exist (a 500 otherwise)
    opens = datetime.combine(report_date, time(12, 0), tzinfo=now_local.tzinfo)
    closes = datetime.combine(report_date + timedelta(days=1), time(12, 0), tzinfo=now_local.tzinfo)
    return opens <= now_local < closes


def report_day(now_local: datetime) -> date:
    """The evening families report about now: today from noon, else yesterday (decision 0003)."""
    today = now_local.date()
    return today if now_local.time() >= time(12, 0) else today - timedelta(days=1)


def last_closed_day(now_local: datetime) -> date:
    """The latest day whose report window has closed at `now_local`: yesterday from noon on, the day
    before yesterday in the morning. Its figures may be sealed and shown (decision 0035)."""
    back = 1 if now_local.time() >= time(12, 0) else 2
    return now_local.date() - timedelta(days=back)


# The report form's bounds: a day's homework minutes are 0–600 (the model's check constraint); a child
# has at most one entry per subject the school system knows (jianfu.schools.models.Subject).
MAX_MINUTES = 600


class ReportValueError(ValueError):
    """A reported value that cannot be stored: the field it names and the reason, a catalogue message
    with its parameters (rendered in the reader's language by the DomainError it becomes)."""

    def __init__(self, field: str, message: Text, params: dict[str, object] | None = None) -> None:
        super().__init__(field)
        self.field = field
        self.message = message
        self.params = params


def minutes_value(value: object, field: str) -> int:
    """A whole number of minutes within 0..MAX_MINUTES, from an int or a string of digits.

    Booleans are refused although Python counts them as ints (JSON `true` is not a duration)."""
    if isinstance(value, str) and value.strip().isdigit():
        value = int(value.strip())
    if isinstance(value, bool) or not isinstance(value, int):
        raise ReportValueError(field, _("请填写整数分钟"))
    if not 0 <= value <= MAX_MINUTES:
        raise ReportValueError(field, _("用时应在0到%(max)s分钟之间"), {"max": MAX_MINUTES})
    return value


def subject_minutes(value: object, *, known: Sequence[str], minutes_total: int) -> dict[str, int]:
    """The per-subject split: known subject keys only (so at most one entry per subject), each
    0..MAX_MINUTES, together no more than the reported total (product review B3, security L5)."""
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise ReportValueError("minutes_by_subject", _("分学科用时格式不对"))
    if len(value) > len(known):
        raise ReportValueError(
            "minutes_by_subject",
            _("分学科用时最多%(count)s项"),
            {"count": len(known)},
        )
    out: dict[str, int] = {}
    for key, minutes in value.items():
        if key not in known:
            raise ReportValueError(f"minutes_by_subject.{key}"[:80], _("没有这个学科"))
        out[key] = minutes_value(minutes, f"minutes_by_subject.{key}")
    total = sum(out.values())
    if total > minutes_total:
        raise ReportValueError(
            "minutes_by_subject",
            _("分学科用时合计%(total)s分钟，超过了总用时%(minutes_total)s分钟"),
            {"total": total, "minutes_total": minutes_total},
        )
    return out


def clock_time(value: object, field: str) -> time | None:
    """A local clock time "HH:MM" (or "HH:MM:SS"), or None for blank. A time with a UTC offset
    ("22:10+08:00") is refused: bedtimes are Beijing wall-clock times and the column has no zone."""
    if value is None or value == "":
        return None
    if isinstance(value, time):
        parsed = value
    elif isinstance(value, str) and len(value) <= 8:
        try:
            parsed = time.fromisoformat(value)
        except ValueError:
            parsed = None
    else:
        parsed = None
    if parsed is None or parsed.tzinfo is not None:
        raise ReportValueError(
            field,
            _("时间格式应为“时:分”，例如 21:30（不带时区）"),
        )
    return parsed.replace(microsecond=0)


def bedtime_late(bedtime: time, latest: time) -> bool:
    """A bedtime later than the stage's recommended latest (bedtime_latest_* — sleep_notice_2021 item 5:
    primary 21:20, junior 22:00, "一般不晚于"). After midnight (before 05:00) is later than any evening
    limit, as in jianfu.policies.rules.check_night."""
    return bedtime > latest or bedtime < time(5, 0)
