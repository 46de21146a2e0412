"""Families' reports: submit (idempotent) and correct; at noon the next day, seal the class-day's
figures and raise the alerts they call for (decision 0035)."""

from __future__ import annotations

import json
from dataclasses import asdict, fields
from datetime import date, datetime, time
from enum import Enum
from typing import Any, NamedTuple

from django.conf import settings
from django.db import IntegrityError, connection, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

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


# The statements a report runs on the evening peak, written out (jianfu.core.hotpath, docs/performance.md).
_REPORT = FamilyReport._meta.db_table
_SUMMARY = ClassDayFeedback._meta.db_table
# The child — only if this account is their guardian and they are enrolled — with their class and
# grade, locking the child's row: two submissions for one child are taken one at a time, so a resend
# or a correction reads what the previous one committed (PostgreSQL reads committed rows; SQLite's
# IMMEDIATE transactions already queue every writer). Reports for different children of a class go
# side by side: since the class-day's figures are computed once at the seal (decision 0035) a report
# only counts itself, and the class-day row's share lock orders it against the seal (decision 0049).
# The class and grade come back whole, so the answer's comparison with the cap needs no second read.
_CLASS_ATTNAMES = [f.attname for f in SchoolClass._meta.concrete_fields]
_GRADE_ATTNAMES = [f.attname for f in Grade._meta.concrete_fields]


# With the child, in the same statement (each statement is a round trip on PostgreSQL, and the
# report's round trips are what it spends beyond a bare one-row commit: docs/performance.md), the
# child's own report for the day, wherever it was filed (the child may have moved class since), and
# the class-day's row. On PostgreSQL a statement that waited for the child's lock reads the joined
# report as it stood when the statement began, so a report that another submission for the same
# child committed meanwhile is not seen. That case is retried, never stored wrong: a new report then
# breaks the (student, date) unique constraint, and a correction's UPDATE is conditional on the
# revision it read; the retry reads the report in a statement of its own, after the lock.
class OwnRow(NamedTuple):
    """The child's stored report for the day, from the columns _child_sql reads of it."""

    school_class_id: int
    id: int
    idempotency_key: str
    revision: int
    minutes_total: int
    finished: bool
    stopped_at_bedtime: bool
    bedtime: Any
    wake_time: Any
    minutes_by_subject: Any


def _child_sql(*, with_day: bool) -> str:
    """`with_day`: also the class-day's row (its sealed_at is the last column), held in share mode;
    the row exists from the class-day's first report on (see _DAY_OPEN_SQL), and without it the
    statement finds nothing. Parameters: [day if with_day], day, child, True, account."""
    day_join = f" JOIN {_SUMMARY} d ON d.school_class_id = c.id AND d.date = %s" if with_day else ""
    sql = (
        f"SELECT {', '.join('c.' + c for c in hotpath.columns(SchoolClass, _CLASS_ATTNAMES))},"  # noqa: S608
        f" {', '.join('g.' + c for c in hotpath.columns(Grade, _GRADE_ATTNAMES))},"
        f" {', '.join('r.' + c for c in OwnRow._fields)}"
        + (", d.sealed_at" if with_day else "")
        + f" FROM {Student._meta.db_table} s"
        f" JOIN {SchoolClass._meta.db_table} c ON c.id = s.school_class_id"
        f" JOIN {Grade._meta.db_table} g ON g.id = c.grade_id"
        + day_join
        + f" LEFT JOIN {_REPORT} r ON r.student_id = s.id AND r.date = %s"  # noqa: S608
        f" WHERE s.id = %s AND s.is_active = %s AND EXISTS"
        f" (SELECT 1 FROM {Guardian._meta.db_table} gu WHERE gu.student_id = s.id AND gu.user_id = %s)"
    )
    return sql + hotpath.lock_rows_of("s") + (hotpath.share_lock_of("d") if with_day else "")


_CHILD_SQL_CACHE: dict[tuple[str, bool], str] = {}


def _child_sql_for(*, with_day: bool) -> str:
    key = (connection.vendor, with_day)
    sql = _CHILD_SQL_CACHE.get(key)
    if sql is None:
        sql = _CHILD_SQL_CACHE[key] = _child_sql(with_day=with_day)
    return sql


class _Stale(Exception):
    """A correction read a report that changed before its UPDATE: the attempt is made again."""


# The child's report alone: read on a retry, after the child's lock (see OwnRow).
_OWN_SQL = f"SELECT {', '.join(OwnRow._fields)} FROM {_REPORT} WHERE student_id = %s AND date = %s"  # noqa: S608

# Where the parts of a _child_sql row sit.
_N_CLASS = len(_CLASS_ATTNAMES)
_N_GRADE = len(_GRADE_ATTNAMES)
_OWN_AT = _N_CLASS + _N_GRADE
_OWN_END = _OWN_AT + len(OwnRow._fields)


# Where the class's id and school sit in a _child_sql row.
_CHILD_CLASS_ID = _CLASS_ATTNAMES.index("id")
_CHILD_SCHOOL_ID = _CLASS_ATTNAMES.index("school_id")
# The report's own values, in the order every statement below takes them (_report_write).
_VALUES = ("minutes_total", "minutes_by_subject", "finished", "stopped_at_bedtime", "bedtime", "wake_time")
_INSERT_FIELDS = (
    "student",
    "school",
    "school_class",
    "date",
    "reported_by",
    *_VALUES,
    "idempotency_key",
    "created_at",
    "updated_at",
    "revision",
)
_INSERT_SQL = hotpath.insert_sql(FamilyReport, _INSERT_FIELDS, returning="id")
_UPDATE_FIELDS = (*_VALUES, "idempotency_key", "reported_by", "updated_at", "revision")
# Returns created_at so the read above need not load it.
_UPDATE_SQL = hotpath.update_sql(
    FamilyReport, _UPDATE_FIELDS, where=["id", "revision"], returning="created_at"
)

# Every filing and correction, as it stood (decision 0026).
_VERSION_FIELDS = ("report", "revision", "reported_by", *_VALUES, "idempotency_key", "created_at")
_VERSION_INSERT_SQL = hotpath.insert_sql(FamilyReportVersion, _VERSION_FIELDS)

# A report checks that its class-day is still open — sealed days are never written again and the
# report is refused, so the figures shown are exactly those computed at the seal (decision 0035) —
# under a shared lock of the class-day's row: shared locks do not wait for each other, so the reports
# of a class go side by side, while the seal's FOR UPDATE of the same rows waits until every report
# that got in first has committed, and a report that comes after it finds the day sealed (decision
# 0049). The row is made by the class-day's first report; until the seal the count of reports is
# read from the reports themselves (selectors.class_day_summaries).
_DAY_COLUMNS = hotpath.columns(
    ClassDayFeedback,
    (
        "school_class",
        "school",
        "date",
        "reports",
        "over_cap",
        "stopped_at_bedtime",
        "unfinished",
        "sleep_reports",
        "short_sleep",
        "updated_at",
    ),
)
_DAY_INSERT_SQL = (
    f"INSERT INTO {_SUMMARY} ({', '.join(_DAY_COLUMNS)})"  # noqa: S608
    f" VALUES (%s, %s, %s, 0, 0, 0, 0, 0, 0, %s)"
    f" ON CONFLICT (school_class_id, date) DO NOTHING"
)
_DAY_OPEN_SQL = f"SELECT sealed_at FROM {_SUMMARY} WHERE school_class_id = %s AND date = %s"  # noqa: S608

SUMMARY_FIELDS = [f.name for f in fields(rules.ClassDaySummary)]
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
    return FeedbackError(FeedbackError.INVALID, exc.message, params=exc.params, field=exc.field, status=422)


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
                    raise rules.ReportValueError(name, _("应为是或否"))
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


def _stored(own: OwnRow) -> dict[str, Any]:
    """The stored report's values as _child_sql read them."""
    split = own.minutes_by_subject
    return {
        "minutes_total": own.minutes_total,
        "finished": bool(own.finished),
        "stopped_at_bedtime": bool(own.stopped_at_bedtime),
        "bedtime": own.bedtime,
        "wake_time": own.wake_time,
        "minutes_by_subject": (json.loads(split) if isinstance(split, str) else split) or {},
    }


def _school_class(found: tuple[Any, ...]) -> SchoolClass:
    """The class and its grade from a _child_sql row, as the ORM would load them."""
    school_class = SchoolClass.from_db(connection.alias, _CLASS_ATTNAMES, found[:_N_CLASS])
    school_class.grade = Grade.from_db(connection.alias, _GRADE_ATTNAMES, found[_N_CLASS:_OWN_AT])
    return school_class


def _merged(given: dict[str, Any], base: dict[str, Any] | None) -> dict[str, Any]:
    """What the report says after this submission: the stored values (or a new report's defaults),
    with the fields sent replacing theirs. Checked as a whole: the split within the total."""
    if base is None:
        if "minutes_total" not in given:
            raise FeedbackError(
                FeedbackError.INVALID,
                _("请填写作业用时（分钟）"),
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
            _("提交过于频繁，请几分钟后再试"),
            status=429,
        )
    now_local = timezone.localtime(now or timezone.now())
    if not rules.report_window_open(report_date, now_local):
        raise _window_closed()
    if not idempotency_key or len(idempotency_key) > 64:
        raise FeedbackError(
            FeedbackError.INVALID,
            _("缺少提交编号"),
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
    # Everything that does not depend on the stored report is prepared before the transaction: on
    # SQLite the transaction holds the database's one write lock, so each microsecond spent in it
    # is one every other family waits (docs/performance.md, "Writes"). The time is adapted once for
    # the five places it is written.
    now = timezone.now()
    at = hotpath.adapt(now)
    on = hotpath.adapt(report_date)
    for _attempt in range(3):
        try:
            with transaction.atomic():
                # Where the class-day's row exists (every report but the class-day's first), one
                # statement reads the child, their report and whether the day is still open.
                found = hotpath.fetchone(_child_sql_for(with_day=True), [on, on, student_id, True, actor.pk])
                day_checked = found is not None
                if found is None:
                    found = hotpath.fetchone(_child_sql_for(with_day=False), [on, student_id, True, actor.pk])
                if found is None:
                    raise NotFound(_("学生"))
                class_id, school_id = found[_CHILD_CLASS_ID], found[_CHILD_SCHOOL_ID]
                own_row = found[_OWN_AT:_OWN_END]
                if _attempt:
                    # Retried because another submission for the child got in first: now that this
                    # one holds the child's lock, a new statement reads what that one committed.
                    own_row = hotpath.fetchone(_OWN_SQL, [student_id, on]) or (None,) * len(OwnRow._fields)
                own = OwnRow._make(own_row) if own_row[1] is not None else None
                resend = own is not None and own.idempotency_key == idempotency_key
                if not resend:
                    if day_checked and found[-1] is not None:
                        # The day was sealed after this request's window check (see _day_still_open).
                        raise _window_closed()
                    if own is not None and only_if_new:
                        raise FeedbackError(
                            FeedbackError.EXISTS,
                            _("这一天已经反馈过了；要更改，请点“修改”"),
                            status=409,
                        )
                    values = _merged(given, _stored(own) if own is not None else None)
                    written = _report_write(
                        actor_id=actor.pk,
                        student_id=student_id,
                        school_id=school_id,
                        class_id=class_id,
                        on=on,
                        at=at,
                        key=idempotency_key,
                        values=values,
                        own=own,
                    )
                    audit(
                        actor=actor,
                        action="family_report_corrected" if own is not None else "family_report_filed",
                        object_type=FamilyReport.__name__,
                        object_id=str(written.pk),
                        school_id=school_id,
                        data={"date": report_date.isoformat(), "revision": written.revision},
                        at=at,
                    )
                    if not day_checked or written.school_class_id != class_id:
                        # The class-day's first report, or a correction filed in the child's former class.
                        _day_still_open(class_id=written.school_class_id, school_id=school_id, on=on, at=at)
        except (IntegrityError, _Stale):
            # Another request for the same child and day committed first (PostgreSQL under
            # concurrency); the next attempt sees its row and treats this one as a duplicate or a
            # correction.
            continue
        # Committed: the answer's objects are built outside the lock.
        school_class = _school_class(found)
        if resend and own is not None:
            return _same_report(own.id, school_class), False
        report = FamilyReport(
            pk=written.pk,
            student_id=student_id,
            school_id=school_id,
            school_class_id=written.school_class_id,
            date=report_date,
            reported_by=actor,
            idempotency_key=idempotency_key,
            created_at=written.created_at or now,
            updated_at=now,
            revision=written.revision,
            **values,
        )
        if report.school_class_id == school_class.pk:
            report.school_class = school_class  # the answer's comparison reads its grade
        return report, True
    raise FeedbackError(FeedbackError.INVALID, _("提交冲突，请重试"))


def _window_closed() -> FeedbackError:
    return FeedbackError(
        FeedbackError.WINDOW_CLOSED,
        _("该日期的作业反馈已截止（可在当天中午12点至次日中午12点之间填写或更正）"),
        field="date",
    )


class Written(NamedTuple):
    """What _report_write stored: the report's id, class, revision and (a correction) first filing."""

    pk: int
    school_class_id: int
    revision: int
    created_at: datetime | None


def _report_write(
    *,
    actor_id: int,
    student_id: int,
    school_id: int,
    class_id: int,
    on: Any,
    at: Any,
    key: str,
    values: dict[str, Any],
    own: OwnRow | None,
) -> Written:
    """The report's row and its version, inside the caller's
    transaction. `on` and `at` come adapted for the database (hotpath.adapt)."""
    split = hotpath.adapt(values["minutes_by_subject"])
    bedtime, wake = hotpath.adapt(values["bedtime"]), hotpath.adapt(values["wake_time"])
    common = [values[name] for name in _VALUES]  # in _VALUES's order, adapted where needed
    common[1], common[4], common[5] = split, bedtime, wake
    if own is not None:
        # A correction stays in the class where it was filed (the child may have moved since).
        revision = own.revision + 1
        updated = hotpath.fetchone(_UPDATE_SQL, [*common, key, actor_id, at, revision, own.id, own.revision])
        if updated is None:
            # Another submission for the child committed after this one's read began (see OwnRow):
            # read again.
            raise _Stale
        written = Written(own.id, own.school_class_id, revision, hotpath.db_datetime(updated[0]))
    else:
        inserted = hotpath.fetchone(
            _INSERT_SQL, [student_id, school_id, class_id, on, actor_id, *common, key, at, at, 1]
        )
        if inserted is None:
            raise NotFound(_("反馈"))
        written = Written(inserted[0], class_id, 1, None)
    hotpath.execute(_VERSION_INSERT_SQL, [written.pk, written.revision, actor_id, *common, key, at])
    return written


def _day_still_open(*, class_id: int, school_id: int, on: Any, at: Any) -> None:
    """Check, as the transaction's last step, that the class-day is still open, holding its row in
    share mode until the commit (see _DAY_OPEN_SQL); make the row with the class-day's first report."""
    sql = _DAY_OPEN_SQL + hotpath.share_lock()
    day = hotpath.fetchone(sql, [class_id, on])
    if day is None:
        hotpath.execute(_DAY_INSERT_SQL, [class_id, school_id, on, at])
        day = hotpath.fetchone(sql, [class_id, on])
    if day is None or day[0] is not None:
        # The day was sealed after this request's window check (noon passed while it waited):
        # nothing of it is kept, so the sealed figures stay as they were shown.
        raise _window_closed()


def _same_report(pk: int, school_class: SchoolClass) -> FamilyReport:
    """The stored report a resend (same key) answers with, unchanged."""
    report = FamilyReport.objects.get(pk=pk)
    if report.school_class_id == school_class.pk:
        report.school_class = school_class
    return report


# --- the noon seal ---------------------------------------------------------------------------------

SEAL_BATCH = 500
_SEALED_FIELDS = [*SUMMARY_FIELDS, "cap_minutes", "sleep_min_minutes", "sealed_at", "updated_at"]


def class_days_seal(*, now: datetime | None = None) -> int:
    """Seal every class-day whose report window has closed (noon the next day): compute its figures
    once from the reports as they stand, and raise the alerts they call for. Returns the days sealed.

    Run by `jianfu worker` at 12:00 (settings.JIANFU_PERIODIC_JOBS); a run that was missed seals every
    closed day still open when the worker next runs. The figures are shown only once sealed, and a
    sealed day is never written again (a report still in flight at noon is refused), so reading them
    before and after one family's report cannot single that report out (security.md L2, decision 0035).
    """
    now = now or timezone.now()
    last_closed = rules.last_closed_day(timezone.localtime(now))
    pending = list(
        ClassDayFeedback.objects.filter(sealed_at__isnull=True, date__lte=last_closed)
        .order_by("date", "pk")
        .values_list("pk", flat=True)
    )
    sealed = 0
    for start in range(0, len(pending), SEAL_BATCH):
        sealed += _seal_batch(pending[start : start + SEAL_BATCH], now)
    return sealed


def _seal_batch(pks: list[int], now: datetime) -> int:
    with transaction.atomic():
        # Locking the rows first waits for any report that counted itself in them to commit (it holds
        # the row until then); the reports are read after, as a new statement, so they include it. A
        # report that comes later finds the row sealed and is refused.
        days = list(
            ClassDayFeedback.objects.select_for_update()
            .filter(pk__in=pks, sealed_at__isnull=True)
            .order_by("date", "pk")
        )
        if not days:
            return 0
        grades = {
            pk: (school_id, number, stage)
            for pk, school_id, number, stage in SchoolClass.objects.filter(
                pk__in={d.school_class_id for d in days}
            ).values_list("pk", "school_id", "grade__number", "grade__stage")
        }
        facts: dict[tuple[int, date], list[rules.ReportFacts]] = {}
        for on in sorted({d.date for d in days}):
            for class_id, minutes, done, stopped, bedtime, wake in FamilyReport.objects.filter(
                date=on, school_class_id__in=[d.school_class_id for d in days if d.date == on]
            ).values_list(
                "school_class_id", "minutes_total", "finished", "stopped_at_bedtime", "bedtime", "wake_time"
            ):
                facts.setdefault((class_id, on), []).append(
                    rules.ReportFacts(minutes, done, stopped, bedtime, wake)
                )
        thresholds: dict[tuple[int, int, str, date], tuple[int | None, int | None]] = {}
        for day in days:
            school_id, grade, stage = grades[day.school_class_id]
            key = (school_id, grade, stage, day.date)
            if key not in thresholds:
                thresholds[key] = class_day_thresholds(school_id, grade, stage, day.date)
            cap, min_sleep = thresholds[key]
            summary = rules.summarise(
                facts.get((day.school_class_id, day.date), []), cap_minutes=cap, min_sleep_minutes=min_sleep
            )
            for name, value in asdict(summary).items():
                setattr(day, name, value)
            day.cap_minutes, day.sleep_min_minutes = cap, min_sleep
            day.sealed_at = day.updated_at = now
        ClassDayFeedback.objects.bulk_update(days, _SEALED_FIELDS)
        # In date order, so a class's earlier day is sealed before a later one counts it.
        for day in days:
            if _may_raise_alert(day):
                alerts_refresh(
                    school_class_id=day.school_class_id, school_id=day.school_id, on=day.date, today=day
                )
        return len(days)


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
    """Whether the day just sealed could raise an alert, so the alert checks' reads are skipped otherwise.

    Both alerts are keyed by the day sealed. The short-sleep alert needs that day's median under the
    minimum. The over-cap alert counts over-cap days among the last five school days; if the day
    itself is not over the cap, that count is no higher than it was for the previous school day,
    which was already checked when it was sealed, so nothing new can be raised."""
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
        f" AND f.sealed_at IS NOT NULL"
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
    so two seals at once cannot raise it twice); the new alert, or None."""
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


def _stored_text(message: Any, params: dict[str, Any]) -> str:
    """An alert's text as stored: rendered in the site's language (Chinese) whatever language the
    request or task that sealed the day was running in, so every alert row reads the same."""
    with translation.override(settings.LANGUAGE_CODE):
        return str(message) % params


def alerts_refresh(
    *, school_class_id: int, school_id: int, on: date, today: ClassDayFeedback
) -> list[FeedbackAlert]:
    """Raise alerts from the sealed class-day summaries (only days with enough reports count), when
    a day is sealed — never from a day still open, whose figures are not shown either:

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
            message=_stored_text(
                _("最近%(window)s个上课日中有%(days)s天，家长反馈的作业用时中位数超过上限"),
                {"window": OVER_CAP_WINDOW, "days": len(over)},
            ),
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
            message=_stored_text(
                _("全班睡眠时间中位数%(hours)s小时，低于%(floor)s小时"),
                {"hours": f"{median / 60:.1f}", "floor": floor // 60},
            ),
        )
        if alert is not None:
            raised.append(alert)
    return raised
