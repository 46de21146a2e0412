"""Homework and families' reports over JSON: the same services as the pages."""

from __future__ import annotations

from datetime import date, time
from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from ninja import Field, Router, Schema
from ninja.params.functions import Path as path_param

from jianfu.core.errors import NotFound
from jianfu.feedback.selectors import class_day_summary, report_comparison, report_get_for_parent
from jianfu.feedback.services import report_submit
from jianfu.homework import permissions
from jianfu.homework.days import selectors as days_selectors
from jianfu.homework.days.selectors import Draft
from jianfu.homework.exceptions import services as exceptions_services
from jianfu.homework.exceptions.selectors import exceptions_for_school_week
from jianfu.homework.posting import services as posting_services
from jianfu.homework.posting.selectors import homework_list_for_teacher
from jianfu.homework.publication import services as publication_services
from jianfu.homework.selectors import class_week
from jianfu.schools.access import class_get_for_actor

router = Router(tags=["homework"])


class DraftIn(Schema):
    subject: str = Field(description="subject code, e.g. math, chinese, english")
    kind: str = Field("written", description="written / oral / reading / practical / inquiry / cross_subject")
    where: str = Field("home", description="home / in_class / after_school")
    minutes: int = Field(description="estimated minutes for a typical student", ge=1, le=240)
    tier: str = Field("required", description="required / basic / advanced / extension / elective")
    needs_parent_marking: bool = False
    assigned_to_parent: bool = False
    phone_required: bool = False
    self_marking: bool = False
    punitive: bool = False


class HomeworkIn(DraftIn):
    class_ids: list[int] = Field(
        description="one class, or several classes of a grade at once (all or nothing)"
    )
    date_set: date
    date_due: date
    description: str
    exception_reason: str = Field(
        "",
        description="if over the cap (or the local total of all kinds): a reason turns the refusal into a "
        "request for approval by someone other than the poster (the head teacher; for the head teacher's "
        "own item, the academic office or the profile's designated role)",
    )
    idempotency_key: str = Field(
        "",
        max_length=64,
        description="optional: a fresh random key per post; the same key sent again returns the first "
        "post's items instead of posting twice",
    )
    confirm_warnings: bool = Field(
        False,
        description="the teacher confirms the text's warnings (422 homework_text_needs_confirmation) "
        "and posts again; the confirmation is audited. A refused practice cannot be confirmed",
    )


class ItemOut(Schema):
    id: int
    class_id: int
    subject: str
    date_set: date
    minutes: int
    status: str
    warnings: list[str] = Field(
        default_factory=list, description="e.g. non-written homework above the profile's warning line"
    )


class HomeworkFindingOut(Schema):
    rule_id: str
    severity: str
    message: str
    message_en: str


class PreviewIn(DraftIn):
    class_id: int
    date_set: date
    description: str = Field("", description="the text to screen for forbidden practices")


class TextScreenHitOut(Schema):
    phrase: str = Field(description="the phrase found, as normalised (Simplified, half-width)")
    flag: str = Field(description="the flag it stands for, e.g. phone_required")
    rule_id: str
    level: str = Field(description="block (refused as if the box were ticked) / warn (confirm to post)")
    message: str
    message_en: str


class PreviewOut(Schema):
    cap: int | None
    posted_minutes: int
    total_minutes: int
    exception_minutes: int
    calibrated_minutes: int | None
    day_type: str
    findings: list[HomeworkFindingOut]
    text_screen: list[TextScreenHitOut]


def _draft(p: DraftIn) -> Draft:
    return Draft(
        subject=p.subject,
        kind=p.kind,
        where=p.where,
        minutes=p.minutes,
        tier=p.tier,
        needs_parent_marking=p.needs_parent_marking,
        assigned_to_parent=p.assigned_to_parent,
        phone_required=p.phone_required,
        self_marking=p.self_marking,
        punitive=p.punitive,
    )


def _item(i: Any) -> dict[str, Any]:
    return {
        "id": i.pk,
        "class_id": i.school_class_id,
        "subject": i.subject,
        "date_set": i.date_set,
        "minutes": i.minutes,
        "status": i.status,
    }


@router.post(
    "/items",
    response=list[ItemOut],
    summary="Post homework (422 daily_cap_exceeded / homework_rule_violation / "
    "homework_text_needs_confirmation)",
)
def post_items(request: HttpRequest, payload: HomeworkIn) -> list[dict[str, Any]]:
    items = posting_services.homework_create(
        actor=request.user,
        class_ids=payload.class_ids,
        date_set=payload.date_set,
        date_due=payload.date_due,
        draft=_draft(payload),
        description=payload.description,
        exception_reason=payload.exception_reason,
        confirm_warnings=payload.confirm_warnings,
        idempotency_key=payload.idempotency_key,
    )
    warnings = posting_services.post_warnings(items)
    return [{**_item(i), "warnings": warnings} for i in items]


@router.post("/preview", response=PreviewOut, summary="The class-day load with a draft item added (no write)")
def preview(request: HttpRequest, payload: PreviewIn) -> dict[str, Any]:
    school_class = permissions.class_get_for_posting(request.user, payload.class_id, payload.subject)
    r = days_selectors.homework_evaluate(
        school_class=school_class,
        on=payload.date_set,
        draft=_draft(payload),
        teacher=request.user,
        description=payload.description,
    )
    return {
        "cap": r["cap"],
        "posted_minutes": r["posted_minutes"],
        "total_minutes": r["total_minutes"],
        "exception_minutes": r["exception_minutes"],
        "calibrated_minutes": r["calibrated_minutes"],
        "day_type": r["day_type"],
        "findings": [
            {
                "rule_id": f.rule_id,
                "severity": f.severity,
                "message": f.message_zh,
                "message_en": f.message_en,
            }
            for f in r["findings"]
        ],
        "text_screen": [
            {
                "phrase": h.phrase,
                "flag": h.flag,
                "rule_id": h.rule_id,
                "level": h.level,
                "message": h.what_zh,
                "message_en": h.what_en,
            }
            for h in r["screen"].hits
        ],
    }


class ReasonIn(Schema):
    reason: str


@router.post(
    "/items/{item_id}/approve", response=ItemOut, summary="Head teacher approves an item over the cap"
)
def approve(request: HttpRequest, item_id: int, payload: ReasonIn) -> dict[str, Any]:
    exception = exceptions_services.exception_approve(
        actor=request.user, item_id=item_id, reason=payload.reason
    )
    return _item(exception.items.get(pk=item_id))


@router.post("/items/{item_id}/withdraw", response=ItemOut, summary="The posting teacher withdraws an item")
def withdraw(request: HttpRequest, item_id: int) -> dict[str, Any]:
    return _item(posting_services.homework_withdraw(actor=request.user, item_id=item_id))


# Before /items/{item_id}: URL patterns are tried in order.
class MineOut(Schema):
    upcoming: list[ItemOut]
    recent: list[ItemOut]


@router.get(
    "/items/mine", response=MineOut, summary="What the signed-in teacher posted (upcoming, last 14 days)"
)
def mine(request: HttpRequest) -> dict[str, Any]:
    lists = homework_list_for_teacher(request.user, timezone.localdate())
    return {"upcoming": [_item(i) for i in lists["upcoming"]], "recent": [_item(i) for i in lists["recent"]]}


class ItemPatchIn(Schema):
    """A correction: only the fields given change, the rest is kept."""

    minutes: int | None = Field(None, ge=1, le=240)
    description: str | None = None
    kind: str | None = None
    where: str | None = None
    tier: str | None = None
    date_due: date | None = None
    exception_reason: str = ""
    confirm_warnings: bool = False


@router.patch(
    "/items/{item_id}",
    response=ItemOut,
    summary="The posting teacher corrects an item of today or later (judged again like a post)",
)
def edit(request: HttpRequest, item_id: int, payload: ItemPatchIn) -> dict[str, Any]:
    item = posting_services.homework_update(
        actor=request.user,
        item_id=item_id,
        minutes=payload.minutes,
        description=payload.description,
        kind=payload.kind,
        where=payload.where,
        tier=payload.tier,
        date_due=payload.date_due,
        exception_reason=payload.exception_reason,
        confirm_warnings=payload.confirm_warnings,
    )
    return {**_item(item), "warnings": posting_services.post_warnings([item])}


class ExceptionOut(Schema):
    class_id: int
    date: date
    extra_minutes: int
    extra_all_kinds_minutes: int
    approver_role: str
    reason: str


class ExceptionsWeekOut(Schema):
    pending: list[ItemOut]
    approved: list[ExceptionOut]
    unread_notices: int


@router.get(
    "/exceptions",
    response=ExceptionsWeekOut,
    summary="The week's exceptions of the actor's schools (academic office, principal)",
)
def exceptions(request: HttpRequest, monday: date) -> dict[str, Any]:
    school_ids = permissions.exception_overseer_schools(request.user)
    if not school_ids:
        raise NotFound(_("学校"))
    week = exceptions_for_school_week(school_ids, days_selectors.week_start(monday))
    return {
        "pending": [_item(i) for i in week["pending"]],
        "approved": [
            {
                "class_id": e.school_class_id,
                "date": e.date,
                "extra_minutes": e.extra_minutes,
                "extra_all_kinds_minutes": e.extra_all_kinds_minutes,
                # Stored in the site's language: the label is its own catalogue msgid.
                "approver_role": gettext(e.approver_role or "班主任"),
                "reason": e.reason,
            }
            for e in week["approved"]
        ],
        "unread_notices": week["unread"],
    }


class DayOut(Schema):
    date: date
    counted_minutes: int
    cap_minutes: int | None
    exception_minutes: int
    published: bool
    by_subject: dict[str, int]
    all_kinds_minutes: int = Field(
        0, description="every kind of homework at home; the written part is counted_minutes"
    )
    non_written_minutes: int = 0
    all_kinds_cap: int | None = Field(
        None, description="the local total of all kinds, if the profile sets one"
    )
    needs_republish: bool = Field(
        False, description="changed after publication: the head teacher should publish again"
    )


@router.get("/classes/{class_id}/week", response=list[DayOut], summary="A class's week (staff)")
def week(request: HttpRequest, class_id: int, monday: date) -> list[dict[str, Any]]:
    school_class = permissions.class_get_for_staff(request.user, class_id)
    w = class_week(school_class, days_selectors.week_start(monday))
    return [
        {
            "date": t["date"],
            "counted_minutes": t["counted"],
            "cap_minutes": t["cap"],
            "exception_minutes": t["load"].exception_minutes if t["load"] else 0,
            "published": t["published"],
            "by_subject": (t["load"].by_subject if t["load"] else {}),
            "all_kinds_minutes": t["all_kinds"],
            "non_written_minutes": t["non_written"],
            "all_kinds_cap": t["all_kinds_cap"],
            "needs_republish": t["needs_republish"],
        }
        for t in w["totals"]
    ]


class PublishIn(Schema):
    date: date


@router.post("/classes/{class_id}/publish", response=DayOut, summary="Head teacher publishes a day's list")
def publish(request: HttpRequest, class_id: int, payload: PublishIn) -> dict[str, Any]:
    school_class = class_get_for_actor(request.user, class_id)
    load = publication_services.day_publish(actor=request.user, school_class=school_class, on=payload.date)
    return {
        "date": load.date,
        "counted_minutes": load.counted_minutes,
        "cap_minutes": load.cap_minutes,
        "exception_minutes": load.exception_minutes,
        "published": True,
        "by_subject": load.by_subject,
        "all_kinds_minutes": load.all_kinds_minutes,
        "non_written_minutes": load.non_written_minutes,
        "all_kinds_cap": load.all_kinds_cap,
        "needs_republish": load.needs_republish,
    }


class ReportIn(Schema):
    """A report or a correction. On a correction, a field left out of the body keeps its stored value;
    `null` clears `bedtime`, `wake_time` and `minutes_by_subject` (decision 0026)."""

    student_id: int = Field(ge=1, le=2**63 - 1)  # a database id: past 64 bits was an HTTP 500 (L1 #4)
    date: date
    idempotency_key: str = Field(
        description="a fresh random key per submission attempt; resending it is harmless"
    )
    minutes_total: int | None = Field(
        None, description="0–600; required for the day's first report, optional in a correction"
    )
    finished: bool | None = Field(None, description="default true for a first report")
    stopped_at_bedtime: bool | None = Field(None, description="default false for a first report")
    bedtime: str | None = Field(
        None, description='"HH:MM", Beijing wall-clock time without an offset; null clears'
    )
    wake_time: str | None = Field(
        None, description='"HH:MM", Beijing wall-clock time without an offset; null clears'
    )
    minutes_by_subject: dict[str, Any] | None = Field(
        None,
        description="subject code → minutes (0–600), known subject codes only, adding up to no more "
        "than minutes_total; replaces the stored split as a whole; null or {} clears",
    )
    only_if_new: bool = Field(
        False,
        description="a one-tap report: refused with 409 report_exists if the child already has a "
        "report for the day (a stale page never overwrites a detailed report)",
    )


_REPORT_FIELDS = (
    "minutes_total",
    "finished",
    "stopped_at_bedtime",
    "bedtime",
    "wake_time",
    "minutes_by_subject",
)


class ComparisonOut(Schema):
    cap_minutes: int | None = Field(description="the day's written-homework cap for the child's grade")
    over_cap: bool
    bedtime_latest: time | None = Field(description="the stage's latest recommended bedtime")
    bedtime_late: bool


class ReportOut(Schema):
    id: int
    revision: int
    changed: bool
    date: date
    minutes_total: int
    minutes_by_subject: dict[str, int]
    finished: bool
    stopped_at_bedtime: bool
    bedtime: time | None
    wake_time: time | None
    comparison: ComparisonOut


def _report(row: Any, changed: bool) -> dict[str, Any]:
    c = report_comparison(row, row.school_class)
    return {
        "id": row.pk,
        "revision": row.revision,
        "changed": changed,
        "date": row.date,
        "minutes_total": row.minutes_total,
        "minutes_by_subject": row.minutes_by_subject,
        "finished": row.finished,
        "stopped_at_bedtime": row.stopped_at_bedtime,
        "bedtime": row.bedtime,
        "wake_time": row.wake_time,
        "comparison": {
            "cap_minutes": c.cap_minutes,
            "over_cap": c.over_cap,
            "bedtime_latest": c.bedtime_latest,
            "bedtime_late": c.bedtime_late,
        },
    }


@router.post(
    "/reports",
    response=ReportOut,
    summary="A family's report for a child and a day, or a correction (idempotent; fields left out are kept)",
)
def report(request: HttpRequest, payload: ReportIn) -> dict[str, Any]:
    sent = payload.model_fields_set
    row, changed = report_submit(
        actor=request.user,
        student_id=payload.student_id,
        report_date=payload.date,
        idempotency_key=payload.idempotency_key,
        only_if_new=payload.only_if_new,
        **{name: getattr(payload, name) for name in _REPORT_FIELDS if name in sent},
    )
    # The report as stored, with its class and grade from the service's own read (the comparison
    # needs the grade): no second read of what was just written.
    return _report(row, changed)


@router.get(
    "/reports/{student_id}/{day}", response=ReportOut, summary="A child's report for a day (the family)"
)
def report_get(
    request: HttpRequest,
    day: date,
    # A database id: past 64 bits the lookup overflowed into an HTTP 500 (found by fuzzing, decision 0034).
    student_id: int = path_param(..., ge=1, le=2**63 - 1),
) -> dict[str, Any]:
    return _report(report_get_for_parent(request.user, student_id, day), False)


class SummaryOut(Schema):
    enough: bool = Field(description="the figures are given: the day is released and ≥ min_reports reported")
    released: bool = Field(
        description="the day's figures are final: its report window closed (noon the next day) and "
        "they were computed once; before that only the count of reports is given (decision 0035)"
    )
    reports: int
    min_reports: int
    median_minutes: float | None = None
    p90_minutes: float | None = None
    over_cap_share: float | None = None
    stopped_at_bedtime_share: float | None = None
    median_sleep_minutes: float | None = None


@router.get(
    "/classes/{class_id}/feedback",
    response=SummaryOut,
    summary="Families' summary for a class-day (from noon the next day, ≥ 5 reports)",
)
def feedback(request: HttpRequest, class_id: int, date: date) -> dict[str, Any]:
    school_class = permissions.class_get_for_staff(request.user, class_id)
    return class_day_summary(school_class, date)


@router.post("/items/{item_id}/reject", response=ItemOut, summary="Head teacher turns down a pending item")
def reject(request: HttpRequest, item_id: int, payload: ReasonIn) -> dict[str, Any]:
    return _item(
        exceptions_services.exception_reject(actor=request.user, item_id=item_id, reason=payload.reason)
    )


class QuotaIn(Schema):
    subject: str
    minutes: int | None = Field(None, description="daily minutes for the subject; null clears the quota")


class QuotaOut(Schema):
    subject: str
    minutes: int | None


@router.post(
    "/classes/{class_id}/quotas", response=QuotaOut, summary="Head teacher sets a subject's daily quota"
)
def set_quota(request: HttpRequest, class_id: int, payload: QuotaIn) -> dict[str, Any]:
    school_class = class_get_for_actor(request.user, class_id)
    posting_services.subject_quota_set(
        actor=request.user, school_class=school_class, subject=payload.subject, minutes=payload.minutes
    )
    return {"subject": payload.subject, "minutes": payload.minutes}


class PublicationOut(Schema):
    path: str = Field(
        description="the class's public page, /p/{token}/ (share it with the class's families only)"
    )


@router.post(
    "/classes/{class_id}/publication",
    response=PublicationOut,
    summary="Head teacher gets the public page address, or replaces it (revoke=true)",
)
def publication(request: HttpRequest, class_id: int, revoke: bool = False) -> dict[str, Any]:
    school_class = class_get_for_actor(request.user, class_id)
    pub = (publication_services.publication_revoke if revoke else publication_services.publication_ensure)(
        actor=request.user, school_class=school_class
    )
    return {"path": f"/p/{pub.token}/"}
