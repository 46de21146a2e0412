"""Families' reports: submit (idempotent), correct, and keep the class-day summary current."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, fields
from datetime import date, datetime, time
from enum import Enum
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from jianfu.core import hotpath, ratelimit
from jianfu.core.audit import audit
from jianfu.core.errors import DomainError, NotFound
from jianfu.feedback import rules
from jianfu.feedback.models import (
    AlertKind,
    ClassDayFeedback,
    FamilyReport,
    FamilyReportVersion,
    FeedbackAlert,
)
from jianfu.feedback.thresholds import class_day_thresholds
from jianfu.schools.models import Grade, Guardian, SchoolClass, Student, Subject


class FeedbackError(DomainError):
    WINDOW_CLOSED = "report_window_closed"
    INVALID = "report_invalid"
    TOO_MANY = "report_rate_limited"
    EXISTS = "report_exists"


@dataclass(frozen=True)
class ChildRef:
    """What a report needs to know about the child: where they are, not who they are."""

    student_id: int
    school_id: int
    school_class_id: int
    grade: int
    stage: str


# The statements a report runs on the evening peak, written out (jianfu.core.hotpath, docs/performance.md).
_REPORT = FamilyReport._meta.db_table
# Two reads, inside the transaction. First the child — only if this account is their guardian and
# they are enrolled — locking their class's row: reports of one class are taken one at a time, so each
# class-day summary is computed after the previous report committed, never from a stale read
# (PostgreSQL reads committed rows; SQLite's IMMEDIATE transactions already queue every writer).
_CHILD_SQL = (
    f"SELECT s.id, s.school_id, s.school_class_id, g.number, g.stage FROM {Student._meta.db_table} s"  # noqa: S608
    f" JOIN {SchoolClass._meta.db_table} c ON c.id = s.school_class_id"
    f" JOIN {Grade._meta.db_table} g ON g.id = c.grade_id"
    f" WHERE s.id = %s AND s.is_active = %s AND EXISTS"
    f" (SELECT 1 FROM {Guardian._meta.db_table} gu WHERE gu.student_id = s.id AND gu.user_id = %s)"
)
# Then, as a new statement (so it sees what committed while it waited for the lock), the day's
# reports of the class and the child's own (filed in another class if they moved since).
# The subject split is read for the child's own row only (a correction keeps it if not sent).
_DAY_SQL = (
    f"SELECT student_id, school_class_id, id, idempotency_key, revision,"  # noqa: S608
    f" minutes_total, finished, stopped_at_bedtime, bedtime, wake_time,"
    f" CASE WHEN student_id = %s THEN minutes_by_subject END FROM {_REPORT}"
    f" WHERE date = %s AND (school_class_id = %s OR student_id = %s)"
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
# Returns created_at so the read above need not load it for every classmate's row.
_UPDATE_SQL = hotpath.update_sql(FamilyReport, _UPDATE_FIELDS, where=["id"], returning="created_at")

# Every filing and correction, as it stood (decision 0026).
_VERSION_COPIED = (
    "reported_by",
    "minutes_total",
    "minutes_by_subject",
    "finished",
    "stopped_at_bedtime",
    "bedtime",
    "wake_time",
    "idempotency_key",
)
_VERSION_FIELDS = ("report", "revision", *_VERSION_COPIED, "created_at")
_VERSION_INSERT_SQL = hotpath.insert_sql(FamilyReportVersion, _VERSION_FIELDS)

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


REPORT_RATE_WINDOW = 10 * 60


class Unset(Enum):
    """A field the caller did not send: a correction keeps its stored value (decision 0026)."""

    UNSET = "unset"


UNSET = Unset.UNSET
KNOWN_SUBJECTS = tuple(Subject.values)
# A new report's values for fields the family left out.
_NEW_REPORT_DEFAULTS: dict[str, Any] = {
    "finished": True,
    "stopped_at_bedtime": False,
    "bedtime": None,
    "wake_time": None,
    "minutes_by_subject": {},
}


def _invalid(exc: rules.ReportValueError) -> FeedbackError:
    return FeedbackError(FeedbackError.INVALID, exc.message_zh, exc.message_en, field=exc.field, status=422)


def _given(
    *,
    minutes_total: Any,
    finished: Any,
    stopped_at_bedtime: Any,
    bedtime: Any,
    wake_time: Any,
    minutes_by_subject: Any,
) -> dict[str, Any]:
    """The fields the caller sent, each checked on its own (the split is checked against the total
    once merged with the stored report)."""
    given: dict[str, Any] = {}
    try:
        if minutes_total is not UNSET:
            given["minutes_total"] = rules.minutes_value(minutes_total, "minutes_total")
        for name, flag in (("finished", finished), ("stopped_at_bedtime", stopped_at_bedtime)):
            if flag is not UNSET:
                if not isinstance(flag, bool):
                    raise rules.ReportValueError(name, "应为是或否", "Must be true or false")
                given[name] = flag
        for name, value in (("bedtime", bedtime), ("wake_time", wake_time)):
            if value is not UNSET:
                given[name] = rules.clock_time(value, name)
        if minutes_by_subject is not UNSET:
            # Bounded before anything else reads it: keys, count and values (security L5).
            given["minutes_by_subject"] = rules.subject_minutes(
                minutes_by_subject, known=KNOWN_SUBJECTS, minutes_total=rules.MAX_MINUTES
            )
    except rules.ReportValueError as exc:
        raise _invalid(exc) from None
    return given


def _stored(own: tuple[Any, ...]) -> dict[str, Any]:
    """The stored report's values from its _DAY_SQL row."""
    split = own[10]
    return {
        "minutes_total": own[5],
        "finished": bool(own[6]),
        "stopped_at_bedtime": bool(own[7]),
        "bedtime": own[8],
        "wake_time": own[9],
        "minutes_by_subject": (json.loads(split) if isinstance(split, str) else split) or {},
    }


def _merged(given: dict[str, Any], base: dict[str, Any] | None) -> dict[str, Any]:
    """What the report says after this submission: the stored values (or a new report's defaults),
    with the fields sent replacing theirs. Checked as a whole: the split within the total."""
    if base is None:
        if "minutes_total" not in given:
            raise FeedbackError(
                FeedbackError.INVALID,
                "请填写作业用时（分钟）",
                "minutes_total is required for a first report",
                field="minutes_total",
                status=422,
            )
        base = _NEW_REPORT_DEFAULTS
    values = {**base, **given}
    try:
        rules.subject_minutes(
            values["minutes_by_subject"], known=KNOWN_SUBJECTS, minutes_total=values["minutes_total"]
        )
    except rules.ReportValueError as exc:
        raise _invalid(exc) from None
    # Stopping at bedtime is never "unfinished" (hw_bedtime_overrides_homework).
    values["finished"] = values["finished"] and not values["stopped_at_bedtime"]
    return values


def report_submit(
    *,
    actor: Any,
    student_id: int,
    report_date: date,
    idempotency_key: str,
    minutes_total: int | str | Unset = UNSET,
    finished: bool | Unset = UNSET,
    stopped_at_bedtime: bool | Unset = UNSET,
    bedtime: time | str | Unset | None = UNSET,
    wake_time: time | str | Unset | None = UNSET,
    minutes_by_subject: dict[str, Any] | Unset | None = UNSET,
    only_if_new: bool = False,
    now: datetime | None = None,
) -> tuple[FamilyReport, bool]:
    """File or correct a child's report for a day. Returns (report, changed).

    A parent may report only for an enrolled child whose guardian row is linked to their account.
    The same submission sent again (same idempotency key) changes nothing and returns the stored
    report; a different key for the same child and day is a correction and updates the row. The
    unique constraint on (student, date) means concurrent duplicates can never create two rows.

    A field left out (UNSET) keeps its stored value on a correction, and takes the default on a new
    report (finished, nothing else); the page and the API leave out every field the family did not
    send, and None clears an optional field (decision 0026). Each
    filing and correction also adds a FamilyReportVersion; summaries count only the latest.

    `only_if_new` (the one-tap "done" button): refused with `report_exists` if the child already has
    a report for the day, so a stale page's tap never replaces a detailed report.
    """
    # A family files a few reports an evening, with retries; far more from one account is a client
    # stuck in a loop or a script, and would crowd out other families at the evening peak.
    if not ratelimit.hit(
        f"report:{actor.pk}", limit=settings.JIANFU_REPORT_RATE_LIMIT, window_seconds=REPORT_RATE_WINDOW
    ):
        raise FeedbackError(
            FeedbackError.TOO_MANY,
            "提交过于频繁，请几分钟后再试",
            "Too many reports from this account; try again in a few minutes",
            status=429,
        )
    now_local = timezone.localtime(now or timezone.now())
    if not rules.report_window_open(report_date, now_local):
        raise FeedbackError(
            FeedbackError.WINDOW_CLOSED,
            "该日期的作业反馈已截止（可在当天中午12点至次日中午12点之间填写或更正）",
            "Reports for that day can be filed from noon that day until noon the next day",
            field="date",
        )
    if not idempotency_key or len(idempotency_key) > 64:
        raise FeedbackError(
            FeedbackError.INVALID,
            "缺少提交编号",
            "Missing idempotency key",
            field="idempotency_key",
            status=422,
        )
    given = _given(
        minutes_total=minutes_total,
        finished=finished,
        stopped_at_bedtime=stopped_at_bedtime,
        bedtime=bedtime,
        wake_time=wake_time,
        minutes_by_subject=minutes_by_subject,
    )
    for _attempt in range(3):
        try:
            with transaction.atomic():
                found = hotpath.fetchone(_CHILD_SQL + hotpath.lock_rows_of("c"), [student_id, True, actor.pk])
                if found is None:
                    raise NotFound("学生", "student")
                child = ChildRef(*found)
                own: tuple[Any, ...] | None = None
                classmates: list[rules.ReportFacts] = []
                for r in hotpath.fetchall(
                    _DAY_SQL, [child.student_id, report_date, child.school_class_id, child.student_id]
                ):
                    if r[0] == child.student_id:
                        own = r
                    elif r[1] == child.school_class_id:
                        classmates.append(rules.ReportFacts(r[5], bool(r[6]), bool(r[7]), r[8], r[9]))
                if own is not None and own[3] == idempotency_key:
                    return FamilyReport.objects.get(pk=own[2]), False
                if own is not None and only_if_new:
                    raise FeedbackError(
                        FeedbackError.EXISTS,
                        "这一天已经反馈过了；要更改，请点“修改”",
                        "A report for that day exists already; correct it instead",
                        status=409,
                    )
                values = _merged(given, _stored(own) if own is not None else None)
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
                if own is not None:
                    report_class, pk, _key, revision = own[1:5]
                    row["school_class_id"] = report_class  # a correction stays where it was filed
                    report = FamilyReport(pk=pk, revision=revision + 1, **row)
                    updated = hotpath.fetchone(_UPDATE_SQL, [*hotpath.row_values(report, _UPDATE_FIELDS), pk])
                    assert updated is not None  # the row is locked through its child
                    report.created_at = hotpath.db_datetime(updated[0])
                    action = "family_report_corrected"
                else:
                    report = FamilyReport(created_at=now, revision=1, **row)
                    inserted = hotpath.fetchone(_INSERT_SQL, hotpath.row_values(report, _INSERT_FIELDS))
                    assert inserted is not None
                    report.pk = inserted[0]
                    action = "family_report_filed"
                version = FamilyReportVersion(report_id=report.pk, revision=report.revision, created_at=now)
                for name in _VERSION_COPIED:
                    setattr(version, name, getattr(report, name))
                hotpath.execute(_VERSION_INSERT_SQL, hotpath.row_values(version, _VERSION_FIELDS))
                facts = rules.ReportFacts(
                    report.minutes_total,
                    report.finished,
                    report.stopped_at_bedtime,
                    report.bedtime,
                    report.wake_time,
                )
                if report.school_class_id == child.school_class_id:
                    classmates.append(facts)
                else:
                    # The child moved class after filing: the report, and the summary it changes,
                    # stay with the class it was filed in (rare: one more read).
                    child, classmates = _filed_class_day(report, report_date)
                summary = _class_day_summary_write(child=child, on=report_date, facts=classmates)
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


_FILED_CLASS_SQL = (
    f"SELECT c.school_id, g.number, g.stage FROM {SchoolClass._meta.db_table} c"  # noqa: S608
    f" JOIN {Grade._meta.db_table} g ON g.id = c.grade_id WHERE c.id = %s"
)
_CLASS_DAY_SQL = (
    f"SELECT minutes_total, finished, stopped_at_bedtime, bedtime, wake_time FROM {_REPORT}"  # noqa: S608
    f" WHERE school_class_id = %s AND date = %s"
)


def _filed_class_day(report: FamilyReport, on: date) -> tuple[ChildRef, list[rules.ReportFacts]]:
    """The class a report was filed in, and that class's reports for the day (this one as written)."""
    found = hotpath.fetchone(_FILED_CLASS_SQL, [report.school_class_id])
    assert found is not None  # the report's foreign key
    school_id, grade, stage = found
    ref = ChildRef(report.student_id, school_id, report.school_class_id, grade, stage)
    facts = [
        rules.ReportFacts(minutes, bool(done), bool(stopped), bedtime, wake)
        for minutes, done, stopped, bedtime, wake in hotpath.fetchall(
            _CLASS_DAY_SQL, [report.school_class_id, on]
        )
    ]
    return ref, facts


def _class_day_summary_write(
    *, child: ChildRef, on: date, facts: list[rules.ReportFacts]
) -> ClassDayFeedback:
    """Write the class-day summary of that day's reports in the child's class (at most one per child:
    bounded, never history) in one upsert statement."""
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


def _alert_sqls() -> tuple[str, str]:
    from jianfu.schools.models import SchoolDay

    days = (
        f"SELECT d.date, f.reports, f.median_minutes, f.cap_minutes FROM {SchoolDay._meta.db_table} d"  # noqa: S608
        f" LEFT JOIN {ClassDayFeedback._meta.db_table} f ON f.school_class_id = %s AND f.date = d.date"
        f" WHERE d.school_id = %s AND d.date <= %s AND d.day_type = %s ORDER BY d.date DESC LIMIT %s"
    )
    raise_ = hotpath.insert_sql(
        FeedbackAlert,
        ("school_class", "school", "kind", "date", "message", "created_at"),
        on_conflict_ignore=("school_class", "kind", "date"),
        returning="id",
    )
    return days, raise_


_LAST_DAYS_SQL, _ALERT_RAISE_SQL = _alert_sqls()


def _alert_raise(
    *, school_class_id: int, school_id: int, kind: str, on: date, message: str
) -> FeedbackAlert | None:
    """Insert the alert unless the class already has it for that day (the unique constraint decides,
    so two reports at once cannot raise it twice); the new alert, or None."""
    created_at = timezone.now()
    row = hotpath.fetchone(_ALERT_RAISE_SQL, [school_class_id, school_id, kind, on, message, created_at])
    if row is None:
        return None
    _notify_after_commit(row[0])
    return FeedbackAlert(
        pk=row[0],
        school_class_id=school_class_id,
        school_id=school_id,
        kind=kind,
        date=on,
        message=message,
        created_at=created_at,
    )


def alerts_refresh(
    *, school_class_id: int, school_id: int, on: date, today: ClassDayFeedback
) -> list[FeedbackAlert]:
    """Raise alerts from the class-day summaries (only days with enough reports count):

    - over the cap by reported time (median above the cap) on 3 of the last 5 school days;
    - the class's median sleep under the stage minimum (sleep_notice_2021: 10 h primary, 9 h junior).

    One read of the last five school days with their summaries (today's was written just before, in
    the same transaction), and an insert only when an alert is due.
    """
    from jianfu.schools.models import DayType

    raised: list[FeedbackAlert] = []
    days = hotpath.fetchall(
        _LAST_DAYS_SQL, [school_class_id, school_id, on, DayType.SCHOOL_DAY, OVER_CAP_WINDOW]
    )
    over = [
        d
        for d, reports, median, cap in days
        if reports is not None
        and reports >= rules.MIN_REPORTS_SHOWN
        and median is not None
        and cap is not None
        and median > cap
    ]
    if len(over) >= OVER_CAP_DAYS:
        alert = _alert_raise(
            school_class_id=school_class_id,
            school_id=school_id,
            kind=AlertKind.OVER_CAP,
            on=on,
            message=f"最近{OVER_CAP_WINDOW}个上课日中有{len(over)}天，家长反馈的作业用时中位数超过上限",
        )
        if alert is not None:
            raised.append(alert)
    if _short_sleep(today):
        median, floor = today.median_sleep_minutes, today.sleep_min_minutes
        assert median is not None and floor is not None  # _short_sleep checked both
        alert = _alert_raise(
            school_class_id=school_class_id,
            school_id=school_id,
            kind=AlertKind.SHORT_SLEEP,
            on=on,
            message=f"全班睡眠时间中位数{median / 60:.1f}小时，低于{floor // 60}小时",
        )
        if alert is not None:
            raised.append(alert)
    return raised
