"""Reads of families' feedback, scoped, and hidden below the minimum number of families."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, time
from typing import Any

from jianfu.core.errors import NotFound
from jianfu.feedback.models import ClassDayFeedback, FamilyReport, FeedbackAlert
from jianfu.feedback.rules import MIN_REPORTS_SHOWN, bedtime_late, report_window_open
from jianfu.feedback.thresholds import family_thresholds
from jianfu.homework.models import Tier, Where
from jianfu.schools.models import SchoolClass, Student


def class_day_summary(school_class: SchoolClass, on: date) -> dict[str, Any]:
    """The summary if at least MIN_REPORTS_SHOWN families reported, else only the count.

    Fewer than five answers could be traced to individual families (architecture.md, privacy)."""
    return class_day_summaries(school_class, [on])[on]


def class_day_summaries(school_class: SchoolClass, days: Iterable[date]) -> dict[date, dict[str, Any]]:
    """class_day_summary for several days of one class (a week, the days a complaint names) in one query."""
    wanted = list(days)
    rows = {r.date: r for r in ClassDayFeedback.objects.filter(school_class=school_class, date__in=wanted)}
    return {d: _shown(rows.get(d)) for d in wanted}


def _shown(row: ClassDayFeedback | None) -> dict[str, Any]:
    reports = row.reports if row else 0
    if row is None or reports < MIN_REPORTS_SHOWN:
        return {"enough": False, "reports": reports, "min_reports": MIN_REPORTS_SHOWN}
    return {
        "enough": True,
        "reports": reports,
        "min_reports": MIN_REPORTS_SHOWN,
        "median_minutes": row.median_minutes,
        "p90_minutes": row.p90_minutes,
        "cap_minutes": row.cap_minutes,
        "over_cap_share": row.over_cap / reports,
        "stopped_at_bedtime_share": row.stopped_at_bedtime / reports,
        "sleep_reports": row.sleep_reports,
        "median_sleep_minutes": row.median_sleep_minutes,
        "short_sleep_share": (row.short_sleep / row.sleep_reports) if row.sleep_reports else None,
    }


def alerts_for_class(school_class: SchoolClass, limit: int = 10) -> list[FeedbackAlert]:
    return list(FeedbackAlert.objects.filter(school_class=school_class).order_by("-date", "kind")[:limit])


def children_of(parent: Any) -> list[Student]:
    return list(
        Student.objects.filter(guardians__user=parent, is_active=True)
        .select_related("school_class__grade", "school")
        .distinct()
    )


def report_for(parent: Any, student: Student, on: date) -> FamilyReport | None:
    return FamilyReport.objects.filter(student=student, date=on, student__guardians__user=parent).first()


@dataclass(frozen=True)
class DayMinutes:
    """A published day's homework as a family carries it: every kind, and the written part counted
    against the cap (issue 12, product review A1)."""

    all_kinds: int
    written: int


_HOME = Where.HOME.label
_ELECTIVE = Tier.ELECTIVE.label
_REQUIRED = Tier.REQUIRED.label


def homework_day_minutes(published: dict[str, Any] | None) -> DayMinutes | None:
    """The minutes of a published day (jianfu.homework.selectors.published_days' value), or None:
    every kind at home and the written part, both from the class-day row kept on write (decision
    0023; the same tier counting as the cap's, policies.rules.counted_minutes)."""
    if not published:
        return None
    load = published["load"]
    return DayMinutes(load.all_kinds_minutes, load.counted_minutes)


@dataclass(frozen=True)
class ReportComparison:
    """A report held against the child's cap and the stage's latest bedtime, for the family."""

    minutes_total: int
    cap_minutes: int | None
    bedtime: time | None
    bedtime_latest: time | None

    @property
    def over_cap(self) -> bool:
        return self.cap_minutes is not None and self.minutes_total > self.cap_minutes

    @property
    def bedtime_late(self) -> bool:
        return (
            self.bedtime is not None
            and self.bedtime_latest is not None
            and bedtime_late(self.bedtime, self.bedtime_latest)
        )

    @property
    def hard_evening(self) -> bool:
        return self.over_cap or self.bedtime_late


def report_comparison(report: FamilyReport, school_class: SchoolClass) -> ReportComparison:
    """The report against the profile in force that day for the class's school and grade."""
    cap, latest = family_thresholds(
        school_class.school_id, school_class.grade.number, school_class.grade.stage, report.date
    )
    return ReportComparison(report.minutes_total, cap, report.bedtime, latest)


def report_get_for_parent(parent: Any, student_id: int, on: date) -> FamilyReport:
    """A child's report for a day, if this account is the child's guardian; NotFound otherwise
    (missing and forbidden answer the same)."""
    report = (
        FamilyReport.objects.filter(student_id=student_id, date=on, student__guardians__user=parent)
        .select_related("school_class__grade")
        .first()
    )
    if report is None:
        raise NotFound("反馈", "report")
    return report


def report_window_is_open(day: date, now_local: datetime) -> bool:
    """Whether a family may still file or correct a report for `day` (decision 0003)."""
    return report_window_open(day, now_local)
