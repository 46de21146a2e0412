"""Homework and families' reports over JSON: the same services as the pages."""

from __future__ import annotations

from datetime import date, time
from typing import Any

from django.http import HttpRequest
from ninja import Field, Router, Schema

from jianfu.core.errors import NotFound
from jianfu.feedback.selectors import class_day_summary
from jianfu.feedback.services import report_submit
from jianfu.homework import services
from jianfu.homework.selectors import class_week
from jianfu.homework.services import Draft
from jianfu.schools.selectors import class_get_for_actor, classes_for_actor_staff

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
        description="if over the cap: a reason turns the refusal into a request "
        "for the head teacher's approval",
    )


class ItemOut(Schema):
    id: int
    class_id: int
    subject: str
    date_set: date
    minutes: int
    status: str


class HomeworkFindingOut(Schema):
    rule_id: str
    severity: str
    message: str
    message_en: str


class PreviewIn(DraftIn):
    class_id: int
    date_set: date


class PreviewOut(Schema):
    cap: int | None
    posted_minutes: int
    total_minutes: int
    exception_minutes: int
    calibrated_minutes: int | None
    day_type: str
    findings: list[HomeworkFindingOut]


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
    summary="Post homework (422 daily_cap_exceeded / homework_rule_violation)",
)
def post_items(request: HttpRequest, payload: HomeworkIn) -> list[dict[str, Any]]:
    items = services.homework_create(
        actor=request.user,
        class_ids=payload.class_ids,
        date_set=payload.date_set,
        date_due=payload.date_due,
        draft=_draft(payload),
        description=payload.description,
        exception_reason=payload.exception_reason,
    )
    return [_item(i) for i in items]


@router.post("/preview", response=PreviewOut, summary="The class-day load with a draft item added (no write)")
def preview(request: HttpRequest, payload: PreviewIn) -> dict[str, Any]:
    school_class = services._class_for_teacher(request.user, payload.class_id, payload.subject)
    r = services.homework_evaluate(
        school_class=school_class, on=payload.date_set, draft=_draft(payload), teacher=request.user
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
    }


class ReasonIn(Schema):
    reason: str


@router.post(
    "/items/{item_id}/approve", response=ItemOut, summary="Head teacher approves an item over the cap"
)
def approve(request: HttpRequest, item_id: int, payload: ReasonIn) -> dict[str, Any]:
    exception = services.exception_approve(actor=request.user, item_id=item_id, reason=payload.reason)
    return _item(exception.items.get(pk=item_id))


@router.post("/items/{item_id}/withdraw", response=ItemOut, summary="The posting teacher withdraws an item")
def withdraw(request: HttpRequest, item_id: int) -> dict[str, Any]:
    return _item(services.homework_withdraw(actor=request.user, item_id=item_id))


class DayOut(Schema):
    date: date
    counted_minutes: int
    cap_minutes: int | None
    exception_minutes: int
    published: bool
    by_subject: dict[str, int]


@router.get("/classes/{class_id}/week", response=list[DayOut], summary="A class's week (staff)")
def week(request: HttpRequest, class_id: int, monday: date) -> list[dict[str, Any]]:
    school_class = classes_for_actor_staff(request.user).filter(pk=class_id).first()
    if school_class is None:
        raise NotFound("班级", "class")
    w = class_week(school_class, services.week_start(monday))
    return [
        {
            "date": t["date"],
            "counted_minutes": t["counted"],
            "cap_minutes": t["cap"],
            "exception_minutes": t["load"].exception_minutes if t["load"] else 0,
            "published": t["published"],
            "by_subject": (t["load"].by_subject if t["load"] else {}),
        }
        for t in w["totals"]
    ]


class PublishIn(Schema):
    date: date


@router.post(
    "/classes/{class_id}/publish", response=DayOut, summary="Head teacher publishes a day's list (公示)"
)
def publish(request: HttpRequest, class_id: int, payload: PublishIn) -> dict[str, Any]:
    school_class = class_get_for_actor(request.user, class_id)
    services.publication_ensure(actor=request.user, school_class=school_class)
    load = services.day_publish(actor=request.user, school_class=school_class, on=payload.date)
    return {
        "date": load.date,
        "counted_minutes": load.counted_minutes,
        "cap_minutes": load.cap_minutes,
        "exception_minutes": load.exception_minutes,
        "published": True,
        "by_subject": load.by_subject,
    }


class ReportIn(Schema):
    student_id: int
    date: date
    minutes_total: int = Field(ge=0, le=600)
    idempotency_key: str = Field(
        description="a fresh random key per submission attempt; resending it is harmless"
    )
    finished: bool = True
    stopped_at_bedtime: bool = False
    bedtime: time | None = None
    wake_time: time | None = None
    minutes_by_subject: dict[str, int] | None = None


class ReportOut(Schema):
    id: int
    revision: int
    changed: bool


@router.post("/reports", response=ReportOut, summary="A family's report for a child and a day (idempotent)")
def report(request: HttpRequest, payload: ReportIn) -> dict[str, Any]:
    row, changed = report_submit(
        actor=request.user,
        student_id=payload.student_id,
        report_date=payload.date,
        minutes_total=payload.minutes_total,
        idempotency_key=payload.idempotency_key,
        finished=payload.finished,
        stopped_at_bedtime=payload.stopped_at_bedtime,
        bedtime=payload.bedtime,
        wake_time=payload.wake_time,
        minutes_by_subject=payload.minutes_by_subject,
    )
    return {"id": row.pk, "revision": row.revision, "changed": changed}


class SummaryOut(Schema):
    enough: bool
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
    summary="Families' summary for a class-day (≥ 5 reports)",
)
def feedback(request: HttpRequest, class_id: int, date: date) -> dict[str, Any]:
    school_class = classes_for_actor_staff(request.user).filter(pk=class_id).first()
    if school_class is None:
        raise NotFound("班级", "class")
    return class_day_summary(school_class, date)


@router.post("/items/{item_id}/reject", response=ItemOut, summary="Head teacher turns down a pending item")
def reject(request: HttpRequest, item_id: int, payload: ReasonIn) -> dict[str, Any]:
    return _item(services.exception_reject(actor=request.user, item_id=item_id, reason=payload.reason))


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
    services.subject_quota_set(
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
    pub = (services.publication_revoke if revoke else services.publication_ensure)(
        actor=request.user, school_class=school_class
    )
    return {"path": f"/p/{pub.token}/"}
