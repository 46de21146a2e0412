"""Reads of families' feedback, scoped, and hidden below the minimum number of families."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any

from jianfu.feedback.models import ClassDayFeedback, FamilyReport, FeedbackAlert
from jianfu.feedback.rules import MIN_REPORTS_SHOWN
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
