"""Families' reports: submit (idempotent), correct, and keep the class-day summary current."""

from __future__ import annotations

from dataclasses import asdict
from datetime import date, datetime, time
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from jianfu.core.audit import audit
from jianfu.core.errors import DomainError, NotFound
from jianfu.feedback import rules
from jianfu.feedback.models import AlertKind, ClassDayFeedback, FamilyReport, FeedbackAlert
from jianfu.feedback.thresholds import class_day_thresholds
from jianfu.schools.models import SchoolClass, Student


class FeedbackError(DomainError):
    WINDOW_CLOSED = "report_window_closed"
    INVALID = "report_invalid"


def _own_child(actor: Any, student_id: int) -> Student:
    """A parent may report only for a child whose guardian row is linked to their account."""
    student = (
        Student.objects.filter(pk=student_id, is_active=True, guardians__user=actor)
        .select_related("school_class__grade", "school")
        .first()
    )
    if student is None:
        raise NotFound("学生", "student")
    return student


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
    student = _own_child(actor, student_id)
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
                existing = (
                    FamilyReport.objects.select_for_update().filter(student=student, date=report_date).first()
                )
                if existing is not None:
                    if existing.idempotency_key == idempotency_key:
                        return existing, False
                    for field, value in values.items():
                        setattr(existing, field, value)
                    existing.idempotency_key = idempotency_key
                    existing.revision += 1
                    existing.reported_by = actor
                    existing.save()
                    report = existing
                    action = "family_report_corrected"
                else:
                    report = FamilyReport.objects.create(
                        student=student,
                        school_id=student.school_id,
                        school_class_id=student.school_class_id,
                        date=report_date,
                        reported_by=actor,
                        idempotency_key=idempotency_key,
                        **values,
                    )
                    action = "family_report_filed"
                summary = class_day_feedback_refresh(school_class=student.school_class, on=report_date)
                alerts_refresh(school_class=student.school_class, on=report_date, today=summary)
                audit(
                    actor=actor,
                    action=action,
                    obj=report,
                    school_id=student.school_id,
                    data={"date": report_date.isoformat(), "revision": report.revision},
                )
                return report, True
        except IntegrityError:
            # Another request for the same child and day committed first (PostgreSQL under
            # concurrency); the next attempt sees its row and treats this one as a duplicate or a
            # correction.
            continue
    raise FeedbackError(FeedbackError.INVALID, "提交冲突，请重试", "Conflicting submissions; try again")


def class_day_feedback_refresh(*, school_class: SchoolClass, on: date) -> ClassDayFeedback:
    """Recompute one class-day summary from that day's reports (at most one per child: bounded)."""
    facts = [
        rules.ReportFacts(r.minutes_total, r.finished, r.stopped_at_bedtime, r.bedtime, r.wake_time)
        for r in FamilyReport.objects.filter(school_class=school_class, date=on).only(
            "minutes_total", "finished", "stopped_at_bedtime", "bedtime", "wake_time"
        )
    ]
    cap, min_sleep = class_day_thresholds(school_class, on)
    summary = rules.summarise(facts, cap_minutes=cap, min_sleep_minutes=min_sleep)
    row, _ = ClassDayFeedback.objects.update_or_create(
        school_class=school_class,
        date=on,
        defaults={
            "school_id": school_class.school_id,
            "cap_minutes": cap,
            "sleep_min_minutes": min_sleep,
            **asdict(summary),
        },
    )
    return row


OVER_CAP_DAYS, OVER_CAP_WINDOW = 3, 5


def _notify_after_commit(alert_id: int) -> None:
    from jianfu.feedback.tasks import alert_notify

    transaction.on_commit(lambda: alert_notify.enqueue(alert_id))


def alerts_refresh(*, school_class: SchoolClass, on: date, today: ClassDayFeedback) -> list[FeedbackAlert]:
    """Raise alerts from the class-day summaries (only days with enough reports count):

    - over the cap by reported time (median above the cap) on 3 of the last 5 school days;
    - the class's median sleep under the stage minimum (sleep_notice_2021: 10 h primary, 9 h junior).
    """
    from jianfu.schools.models import DayType, SchoolDay

    raised: list[FeedbackAlert] = []
    days = list(
        SchoolDay.objects.filter(school_id=school_class.school_id, date__lte=on, day_type=DayType.SCHOOL_DAY)
        .order_by("-date")
        .values_list("date", flat=True)[:OVER_CAP_WINDOW]
    )
    rows = ClassDayFeedback.objects.filter(
        school_class=school_class, date__in=days, reports__gte=rules.MIN_REPORTS_SHOWN
    )
    over = [
        r.date
        for r in rows
        if r.cap_minutes is not None and r.median_minutes is not None and r.median_minutes > r.cap_minutes
    ]
    if len(over) >= OVER_CAP_DAYS:
        alert, created = FeedbackAlert.objects.get_or_create(
            school_class=school_class,
            kind=AlertKind.OVER_CAP,
            date=on,
            defaults={
                "school_id": school_class.school_id,
                "message": f"最近{OVER_CAP_WINDOW}个上课日中有{len(over)}天，家长反馈的作业用时中位数超过上限",
            },
        )
        if created:
            raised.append(alert)
            _notify_after_commit(alert.pk)
    min_sleep = today.sleep_min_minutes
    if (
        today.sleep_reports >= rules.MIN_REPORTS_SHOWN
        and today.median_sleep_minutes is not None
        and min_sleep is not None
        and today.median_sleep_minutes < min_sleep
    ):
        alert, created = FeedbackAlert.objects.get_or_create(
            school_class=school_class,
            kind=AlertKind.SHORT_SLEEP,
            date=on,
            defaults={
                "school_id": school_class.school_id,
                "message": f"全班睡眠时间中位数{today.median_sleep_minutes / 60:.1f}小时，低于{min_sleep // 60}小时",
            },
        )
        if created:
            raised.append(alert)
            _notify_after_commit(alert.pk)
    return raised
