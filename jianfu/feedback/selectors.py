"""Reads of families' feedback, scoped, and hidden below the minimum number of families."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, time
from typing import Any

from django.db.models import Count, Exists, OuterRef, Subquery
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from jianfu.core.errors import NotFound
from jianfu.feedback.models import ClassDayFeedback, FamilyReport, FeedbackAlert
from jianfu.feedback.rules import MIN_REPORTS_SHOWN, bedtime_late, last_closed_day, report_window_open
from jianfu.feedback.thresholds import family_thresholds
from jianfu.homework.models import Tier, Where
from jianfu.schools.models import SchoolClass, Student


def class_day_summary(school_class: SchoolClass, on: date, *, now: datetime | None = None) -> dict[str, Any]:
    """The day's figures once the day is sealed and at least MIN_REPORTS_SHOWN families reported,
    else only the count.

    Fewer than five answers could be traced to individual families (architecture.md, privacy). And
    while the report window is open (until noon the next day) only the count is given: figures that
    moved with each report would show what the last family reported to anyone reading before and
    after it (security.md L2, decision 0035)."""
    return class_day_summaries(school_class, [on], now=now)[on]


def class_day_summaries(
    school_class: SchoolClass, days: Iterable[date], *, now: datetime | None = None
) -> dict[date, dict[str, Any]]:
    """class_day_summary for several days of one class (a week, the days a complaint names) in one query."""
    wanted = list(days)
    # Until the seal a report does not write the class-day's row (decision 0049): the count is read
    # from the reports themselves, in the same query.
    live = (
        FamilyReport.objects.filter(school_class_id=OuterRef("school_class_id"), date=OuterRef("date"))
        .order_by()
        .values("school_class_id")
        .annotate(n=Count("pk"))
        .values("n")
    )
    rows = {
        r.date: r
        for r in ClassDayFeedback.objects.filter(school_class=school_class, date__in=wanted).annotate(
            live_reports=Subquery(live)
        )
    }
    last_closed = last_closed_day(timezone.localtime(now))
    return {d: _shown(rows.get(d), closed=d <= last_closed) for d in wanted}


def _shown(row: ClassDayFeedback | None, *, closed: bool) -> dict[str, Any]:
    """`released`: the figures are final — the day was sealed (a day nobody reported on: its window
    closed). Only then are they given, and only from MIN_REPORTS_SHOWN reports on."""
    if row is None:
        return {"enough": False, "released": closed, "reports": 0, "min_reports": MIN_REPORTS_SHOWN}
    released = row.sealed_at is not None
    reports = row.reports if released else (getattr(row, "live_reports", None) or 0)
    if not released or reports < MIN_REPORTS_SHOWN:
        return {"enough": False, "released": released, "reports": reports, "min_reports": MIN_REPORTS_SHOWN}
    return {
        "enough": True,
        "released": True,
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


def sealed_subject_minutes(class_ids: Iterable[int], since: date) -> list[tuple[int, date, dict[str, Any]]]:
    """(class, day, the report's minutes by subject) for every report on a sealed class-day of these
    classes from `since`: what the teachers' calibration may learn from. An open day is left out, as
    it is from the summaries, so no figure moves with one family's report (decision 0035)."""
    sealed = ClassDayFeedback.objects.filter(
        school_class_id=OuterRef("school_class_id"), date=OuterRef("date"), sealed_at__isnull=False
    )
    return list(
        FamilyReport.objects.filter(school_class_id__in=list(class_ids), date__gte=since)
        .filter(Exists(sealed))
        .values_list("school_class_id", "date", "minutes_by_subject")
    )


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
        raise NotFound(_("反馈"))
    return report


def report_window_is_open(day: date, now_local: datetime) -> bool:
    """Whether a family may still file or correct a report for `day` (decision 0003)."""
    return report_window_open(day, now_local)


def report_counts(class_ids: Iterable[int], on: date) -> dict[int, int]:
    """How many families reported about `on`, by class: the count only, which may be shown from the
    first report and while the window is open (the figures wait for the seal and five families,
    decision 0035). One query."""
    rows = (
        FamilyReport.objects.filter(school_class_id__in=list(class_ids), date=on)
        .values_list("school_class_id")
        .annotate(n=Count("pk"))
    )
    return dict(rows)


def classes_over_cap_reported(school_ids: Iterable[int], days: Iterable[date]) -> list[ClassDayFeedback]:
    """Class-days of these schools where the families' median minutes went over the cap, among the
    released figures only: sealed days with at least MIN_REPORTS_SHOWN reports (what any staff page
    may show, decision 0035). One query."""
    from django.db.models import F

    return list(
        ClassDayFeedback.objects.filter(
            school_id__in=list(school_ids),
            date__in=list(days),
            sealed_at__isnull=False,
            reports__gte=MIN_REPORTS_SHOWN,
            cap_minutes__isnull=False,
            median_minutes__gt=F("cap_minutes"),
        )
        .select_related("school_class__grade")
        .order_by("school_class__grade__number", "school_class__number", "date")
    )


def children_reported(parent: Any, student_ids: Iterable[int], on: date) -> set[int]:
    """Which of the family's own children have a report for `on` (the home page's "to report"). One query."""
    return set(
        FamilyReport.objects.filter(
            student_id__in=list(student_ids), date=on, student__guardians__user=parent
        ).values_list("student_id", flat=True)
    )
