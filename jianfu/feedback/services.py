"""Families' reports: submit (idempotent), correct, and keep the class-day summary current."""

from __future__ import annotations

from dataclasses import asdict, dataclass, fields
from datetime import date, datetime, time
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from jianfu.core import hotpath
from jianfu.core.audit import audit
from jianfu.core.errors import DomainError, NotFound
from jianfu.feedback import rules
from jianfu.feedback.models import AlertKind, ClassDayFeedback, FamilyReport, FeedbackAlert
from jianfu.feedback.thresholds import class_day_thresholds
from jianfu.schools.models import Grade, Guardian, SchoolClass, Student


class FeedbackError(DomainError):
    WINDOW_CLOSED = "report_window_closed"
    INVALID = "report_invalid"


@dataclass(frozen=True)
class ChildRef:
    """What a report needs to know about the child: where they are, not who they are."""

    student_id: int
    school_id: int
    school_class_id: int
    grade: int
    stage: str


# The statements a report runs on the evening peak, written out (jianfu.core.hotpath, docs/performance.md).
_CHILD_SQL = (
    f"SELECT s.id, s.school_id, s.school_class_id, g.number, g.stage FROM {Student._meta.db_table} s"  # noqa: S608
    f" JOIN {SchoolClass._meta.db_table} c ON c.id = s.school_class_id"
    f" JOIN {Grade._meta.db_table} g ON g.id = c.grade_id"
    f" WHERE s.id = %s AND s.is_active = %s AND EXISTS"
    f" (SELECT 1 FROM {Guardian._meta.db_table} gu WHERE gu.student_id = s.id AND gu.user_id = %s)"
)
_REPORT = FamilyReport._meta.db_table
_EXISTING_SQL = (
    f"SELECT id, idempotency_key, revision, created_at FROM {_REPORT} WHERE student_id = %s AND date = %s"  # noqa: S608
)
_INSERT_FIELDS = (
    "student",
    "school",
    "school_class",
    "date",
    "reported_by",
    "minutes_total",
    "minutes_by_subject",
    "finished",
    "stopped_at_bedtime",
    "bedtime",
    "wake_time",
    "idempotency_key",
    "created_at",
    "updated_at",
    "revision",
)
_INSERT_SQL = hotpath.insert_sql(FamilyReport, _INSERT_FIELDS, returning="id")
_UPDATE_FIELDS = (
    "minutes_total",
    "minutes_by_subject",
    "finished",
    "stopped_at_bedtime",
    "bedtime",
    "wake_time",
    "idempotency_key",
    "reported_by",
    "updated_at",
    "revision",
)
_UPDATE_SQL = hotpath.update_sql(FamilyReport, _UPDATE_FIELDS, where=["id"])
_CLASS_DAY_SQL = (
    f"SELECT minutes_total, finished, stopped_at_bedtime, bedtime, wake_time FROM {_REPORT}"  # noqa: S608
    f" WHERE school_class_id = %s AND date = %s"
)

SUMMARY_FIELDS = [f.name for f in fields(rules.ClassDaySummary)]
_SUMMARY_COLUMNS = (
    "school_class",
    "school",
    "date",
    *SUMMARY_FIELDS,
    "cap_minutes",
    "sleep_min_minutes",
    "updated_at",
)
_SUMMARY_UPSERT_SQL = hotpath.upsert_sql(
    ClassDayFeedback, _SUMMARY_COLUMNS, conflict=["school_class", "date"]
)


def _own_child(actor: Any, student_id: int) -> ChildRef:
    """A parent may report only for a child whose guardian row is linked to their account."""
    row = hotpath.fetchone(_CHILD_SQL, [student_id, True, actor.pk])
    if row is None:
        raise NotFound("学生", "student")
    return ChildRef(*row)


def report_submit(
    *,
    actor: Any,
    student_id: int,
    report_date: date,
    minutes_total: int,
    idempotency_key: str,
    finished: bool = True,
    stopped_at_bedtime: bool = False,
    bedtime: time | None = None,
    wake_time: time | None = None,
    minutes_by_subject: dict[str, int] | None = None,
    now: datetime | None = None,
) -> tuple[FamilyReport, bool]:
    """File or correct a child's report for a day. Returns (report, changed).

    The same submission sent again (same idempotency key) changes nothing and returns the stored
    report; a different key for the same child and day is a correction and updates the row. The
    unique constraint on (student, date) means concurrent duplicates can never create two rows.
    """
    child = _own_child(actor, student_id)
    now_local = timezone.localtime(now or timezone.now())
    if not rules.report_window_open(report_date, now_local):
        raise FeedbackError(
            FeedbackError.WINDOW_CLOSED,
            "该日期的作业反馈已截止（可在当天中午12点至次日中午12点之间填写或更正）",
            "Reports for that day can be filed from noon that day until noon the next day",
            field="date",
        )
    if not 0 <= minutes_total <= 600:
        raise FeedbackError(
            FeedbackError.INVALID,
            "作业用时应在0到600分钟之间",
            "Minutes must be 0–600",
            field="minutes_total",
        )
    if not idempotency_key or len(idempotency_key) > 64:
        raise FeedbackError(
            FeedbackError.INVALID, "缺少提交编号", "Missing idempotency key", field="idempotency_key"
        )
    by_subject = {str(k): int(v) for k, v in (minutes_by_subject or {}).items() if int(v) >= 0}
    values = {
        "minutes_total": minutes_total,
        "minutes_by_subject": by_subject,
        "finished": finished and not stopped_at_bedtime,
        "stopped_at_bedtime": stopped_at_bedtime,
        "bedtime": bedtime,
        "wake_time": wake_time,
    }
    for _attempt in range(3):
        try:
            with transaction.atomic():
                existing = hotpath.fetchone(
                    _EXISTING_SQL + hotpath.for_update(), [child.student_id, report_date]
                )
                now = timezone.now()
                row = {
                    "student_id": child.student_id,
                    "school_id": child.school_id,
                    "school_class_id": child.school_class_id,
                    "date": report_date,
                    "reported_by": actor,
                    "idempotency_key": idempotency_key,
                    "updated_at": now,
                    **values,
                }
                if existing is not None:
                    pk, key, revision, created_at = existing
                    if key == idempotency_key:
                        return FamilyReport.objects.get(pk=pk), False
                    report = FamilyReport(pk=pk, created_at=created_at, revision=revision + 1, **row)
                    hotpath.execute(_UPDATE_SQL, [*hotpath.row_values(report, _UPDATE_FIELDS), pk])
                    action = "family_report_corrected"
                else:
                    report = FamilyReport(created_at=now, revision=1, **row)
                    inserted = hotpath.fetchone(_INSERT_SQL, hotpath.row_values(report, _INSERT_FIELDS))
                    assert inserted is not None
                    report.pk = inserted[0]
                    action = "family_report_filed"
                summary = class_day_feedback_refresh(child=child, on=report_date)
                if _may_raise_alert(summary):
                    alerts_refresh(
                        school_class_id=child.school_class_id,
                        school_id=child.school_id,
                        on=report_date,
                        today=summary,
                    )
                audit(
                    actor=actor,
                    action=action,
                    obj=report,
                    school_id=child.school_id,
                    data={"date": report_date.isoformat(), "revision": report.revision},
                )
                return report, True
        except IntegrityError:
            # Another request for the same child and day committed first (PostgreSQL under
            # concurrency); the next attempt sees its row and treats this one as a duplicate or a
            # correction.
            continue
    raise FeedbackError(FeedbackError.INVALID, "提交冲突，请重试", "Conflicting submissions; try again")


def class_day_feedback_refresh(*, child: ChildRef, on: date) -> ClassDayFeedback:
    """Recompute the child's class-day summary from that day's reports (at most one per child in the
    class: bounded, never history) and write it in one upsert statement."""
    facts = [
        rules.ReportFacts(minutes, bool(finished), bool(stopped), bedtime, wake)
        for minutes, finished, stopped, bedtime, wake in hotpath.fetchall(
            _CLASS_DAY_SQL, [child.school_class_id, on]
        )
    ]
    cap, min_sleep = class_day_thresholds(child.school_id, child.grade, child.stage, on)
    summary = rules.summarise(facts, cap_minutes=cap, min_sleep_minutes=min_sleep)
    row = ClassDayFeedback(
        school_class_id=child.school_class_id,
        school_id=child.school_id,
        date=on,
        cap_minutes=cap,
        sleep_min_minutes=min_sleep,
        updated_at=timezone.now(),
        **asdict(summary),
    )
    hotpath.execute(_SUMMARY_UPSERT_SQL, hotpath.row_values(row, _SUMMARY_COLUMNS))
    return row


def _over_cap(day: ClassDayFeedback) -> bool:
    """The families' median time above the day's cap."""
    return (
        day.cap_minutes is not None
        and day.median_minutes is not None
        and day.median_minutes > day.cap_minutes
    )


def _short_sleep(day: ClassDayFeedback) -> bool:
    """The class's median sleep under the stage minimum, from enough families to show."""
    return (
        day.sleep_reports >= rules.MIN_REPORTS_SHOWN
        and day.median_sleep_minutes is not None
        and day.sleep_min_minutes is not None
        and day.median_sleep_minutes < day.sleep_min_minutes
    )


def _may_raise_alert(today: ClassDayFeedback) -> bool:
    """Whether this report could raise an alert, so the alert checks' reads are skipped otherwise.

    Both alerts are keyed by the day just reported on. The short-sleep alert needs that day's median
    under the minimum. The over-cap alert counts over-cap days among the last five school days; if the
    day itself is not over the cap, that count is no higher than it was for the previous school day,
    which was already checked when it was reported on, so nothing new can be raised."""
    return today.reports >= rules.MIN_REPORTS_SHOWN and (_over_cap(today) or _short_sleep(today))


OVER_CAP_DAYS, OVER_CAP_WINDOW = 3, 5


def _notify_after_commit(alert_id: int) -> None:
    from jianfu.feedback.tasks import alert_notify

    transaction.on_commit(lambda: alert_notify.enqueue(alert_id))


def alerts_refresh(
    *, school_class_id: int, school_id: int, on: date, today: ClassDayFeedback
) -> list[FeedbackAlert]:
    """Raise alerts from the class-day summaries (only days with enough reports count):

    - over the cap by reported time (median above the cap) on 3 of the last 5 school days;
    - the class's median sleep under the stage minimum (sleep_notice_2021: 10 h primary, 9 h junior).
    """
    from jianfu.schools.models import DayType, SchoolDay

    raised: list[FeedbackAlert] = []
    days = list(
        SchoolDay.objects.filter(school_id=school_id, date__lte=on, day_type=DayType.SCHOOL_DAY)
        .order_by("-date")
        .values_list("date", flat=True)[:OVER_CAP_WINDOW]
    )
    rows = ClassDayFeedback.objects.filter(
        school_class_id=school_class_id, date__in=days, reports__gte=rules.MIN_REPORTS_SHOWN
    )
    over = [r.date for r in rows if _over_cap(r)]
    if len(over) >= OVER_CAP_DAYS:
        alert, created = FeedbackAlert.objects.get_or_create(
            school_class_id=school_class_id,
            kind=AlertKind.OVER_CAP,
            date=on,
            defaults={
                "school_id": school_id,
                "message": f"最近{OVER_CAP_WINDOW}个上课日中有{len(over)}天，家长反馈的作业用时中位数超过上限",
            },
        )
        if created:
            raised.append(alert)
            _notify_after_commit(alert.pk)
    if _short_sleep(today):
        median, floor = today.median_sleep_minutes, today.sleep_min_minutes
        assert median is not None and floor is not None  # _short_sleep checked both
        alert, created = FeedbackAlert.objects.get_or_create(
            school_class_id=school_class_id,
            kind=AlertKind.SHORT_SLEEP,
            date=on,
            defaults={
                "school_id": school_id,
                "message": f"全班睡眠时间中位数{median / 60:.1f}小时，低于{floor // 60}小时",
            },
        )
        if created:
            raised.append(alert)
            _notify_after_commit(alert.pk)
    return raised
