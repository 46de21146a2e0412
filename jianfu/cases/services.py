"""Complaints: sealed intake, acknowledgement and answer on working-day deadlines, escalation,
receipt-code follow-up, and audited unsealing by the bureau's custodian."""

from __future__ import annotations

import secrets
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from jianfu.accounts.models import Membership, Role
from jianfu.accounts.selectors import totp_enabled
from jianfu.accounts.services import AccountError, second_factor_confirm
from jianfu.cases.models import (
    DISTRICT_CATEGORIES,
    Category,
    Complaint,
    Level,
    SealedIdentity,
    Status,
    TriageCorrection,
    Unsealing,
)
from jianfu.cases.triage import NEAR_DUPLICATE, similarity, triage
from jianfu.core.audit import audit
from jianfu.core.errors import DomainError, NotFound, PermissionDenied
from jianfu.schools.calendar.selectors import add_working_days
from jianfu.schools.models import Student

MAX_PER_ACCOUNT_PER_DAY = 3
MAX_PER_CLASS_PER_DAY = 20
_CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I/L: read over the phone


class CaseError(DomainError):
    INVALID = "complaint_invalid"
    RATE_LIMITED = "complaint_rate_limited"
    CLOSED = "complaint_closed"
    TWO_STEP_REQUIRED = AccountError.TWO_STEP_REQUIRED  # one code for "turn on two-step sign-in first"
    status = 422


def _no_nul(text: str) -> str:
    """Text without NUL characters. PostgreSQL refuses NUL in text (an HTTP 500 there), and a NUL
    carries nothing a reader could see, so it is dropped rather than the whole complaint refused:
    a family that pasted one by accident keeps what it wrote (security.md L1)."""
    return text.replace("\x00", "")


def _receipt_code() -> str:
    return "".join(secrets.choice(_CODE_ALPHABET) for _ in range(10))


def complaint_file(
    *,
    actor: Any,
    student_id: int,
    category: str,
    text: str,
    about_leadership: bool = False,
    today: date | None = None,
    photos: list[Any] | None = None,
    idempotency_key: str = "",
) -> Complaint:
    """A parent files a complaint about their child's school or class. Returns it with its receipt code.

    The complainant is written only to SealedIdentity; the audit row has no actor (an audit view must
    not reveal who filed) and the complaint keeps only the day it was filed. The same submission
    (same account, same idempotency key) sent again returns the complaint it filed the first time,
    also when both arrive at once.
    """
    key = idempotency_key.strip()
    if len(key) > 64:
        raise CaseError(
            CaseError.INVALID, "提交编号过长", "Idempotency key too long", field="idempotency_key"
        )
    if key and (earlier := _filed_with_key(actor, key)) is not None:
        return earlier
    # Photos are decoded before the transaction: the costly part holds no write lock, and a refusal
    # is recorded where no rollback takes it back (security.md M5).
    cleaned = _photos_clean(actor, photos or [])
    try:
        with transaction.atomic():
            return _complaint_file(
                actor=actor,
                student_id=student_id,
                category=category,
                text=text,
                about_leadership=about_leadership,
                today=today,
                photos=cleaned,
                key=key,
            )
    except IntegrityError:
        # The same submission committed first from another request: answer with what it filed.
        earlier = _filed_with_key(actor, key) if key else None
        if earlier is None:
            raise
        return earlier


def _filed_with_key(actor: Any, key: str) -> Complaint | None:
    sealed = (
        SealedIdentity.objects.filter(filed_by=actor, idempotency_key=key).select_related("complaint").first()
    )
    return sealed.complaint if sealed else None


def _complaint_file(
    *,
    actor: Any,
    student_id: int,
    category: str,
    text: str,
    about_leadership: bool,
    today: date | None,
    photos: list[tuple[bytes, int, int]],
    key: str,
) -> Complaint:
    student = (
        Student.objects.select_related("school__region", "school_class")
        .filter(pk=student_id, guardians__user=actor, is_active=True)
        .first()
    )
    if student is None:
        raise NotFound("学生", "student")
    if category not in Category.values:
        raise CaseError(CaseError.INVALID, "请选择问题类别", "Choose a category", field="category")
    text = _no_nul(text).strip()
    if len(text) < 5:
        raise CaseError(
            CaseError.INVALID, "请具体描述问题（至少5个字）", "Describe the problem", field="text"
        )
    day = today or timezone.localdate()
    _check_daily_limit(actor)
    if (
        Complaint.objects.filter(school_class=student.school_class, filed_on=day).count()
        >= MAX_PER_CLASS_PER_DAY
    ):
        raise CaseError(
            CaseError.RATE_LIMITED,
            "该班级今天的举报已达上限，请明天再试或拨打监督电话",
            "Too many complaints for this class today",
            status=429,
        )
    level = Level.DISTRICT if (about_leadership or category in DISTRICT_CATEGORIES) else Level.SCHOOL
    region = student.school.region
    suggestion = triage(text)
    released = release_at(region, day)
    ack_due, answer_due = _deadlines(student.school, day, start=released.date())
    duplicate_of = None
    candidates = Complaint.objects.filter(
        school_class=student.school_class, filed_on__gte=day - timedelta(days=14), duplicate_of__isnull=True
    )
    if level == Level.SCHOOL:
        # The school handles this one and will see the link: never to a complaint kept from it
        # (its leadership, paid tutoring, off-campus), whose existence, class and gist the badge
        # would reveal (security.md M1).
        candidates = candidates.filter(level=Level.SCHOOL)
    for earlier in candidates.order_by("pk"):
        if similarity(earlier.text, text) >= NEAR_DUPLICATE:
            duplicate_of = earlier
            break
    complaint = Complaint.objects.create(
        suggested_category=suggestion.category,
        flag_not_burden=suggestion.not_burden,
        flag_empty=suggestion.empty,
        duplicate_of=duplicate_of,
        receipt_code=_receipt_code(),
        school=student.school,
        school_class=student.school_class,
        category=category,
        about_leadership=about_leadership,
        text=text[:2000],
        filed_on=day,
        released_at=released,
        level=level,
        acknowledge_due=ack_due,
        answer_due=answer_due,
    )
    SealedIdentity.objects.create(complaint=complaint, filed_by=actor, student=student, idempotency_key=key)
    _attach_photos(complaint, photos)
    audit(
        actor=None,
        action="complaint_filed",
        obj=complaint,
        school_id=student.school_id,
        region_code=region.code,
        data={"level": level, "category": category},
    )
    return complaint


def _handler_scope(actor: Any, complaint: Complaint) -> str:
    """'school' or 'district' if the actor handles this complaint now, else ''."""
    if (
        complaint.level == Level.SCHOOL
        and Membership.objects.filter(
            user=actor, school_id=complaint.school_id, role__in=[Role.PRINCIPAL, Role.ACADEMIC_AFFAIRS]
        ).exists()
    ):
        return "school"
    chain = [r.pk for r in complaint.school.region.ancestors()]
    if Membership.objects.filter(user=actor, region_id__in=chain, role__in=[Role.BUREAU_STAFF]).exists():
        return "district"
    return ""


def _for_handler(actor: Any, complaint_id: int | str) -> Complaint:
    """The complaint by id (callers in code) or by the key a page or the API was given (its ref;
    an id only for district roles, selectors.complaint_for_actor)."""
    from jianfu.cases.selectors import complaint_for_actor

    complaint = complaint_for_actor(actor, complaint_id)
    if complaint is None:
        raise NotFound("举报", "complaint")
    if not _handler_scope(actor, complaint):
        raise PermissionDenied("你不能办理这条举报", "You may not handle this complaint")
    return complaint


@transaction.atomic
def complaint_acknowledge(*, actor: Any, complaint_id: int | str) -> Complaint:
    complaint = _for_handler(actor, complaint_id)
    if complaint.status == Status.NEW:
        complaint.status = Status.ACKNOWLEDGED
        complaint.save(update_fields=["status"])
        audit(actor=actor, action="complaint_acknowledged", obj=complaint, school_id=complaint.school_id)
    return complaint


@transaction.atomic
def complaint_answer(*, actor: Any, complaint_id: int | str, answer: str, public: bool = False) -> Complaint:
    complaint = _for_handler(actor, complaint_id)
    if complaint.status == Status.CLOSED:
        raise CaseError(CaseError.CLOSED, "该举报已办结", "The complaint is closed")
    answer = _no_nul(answer)
    if len(answer.strip()) < 5:
        raise CaseError(CaseError.INVALID, "请填写答复内容", "Write an answer", field="answer")
    complaint.answer = answer.strip()[:4000]
    complaint.answer_public = public
    complaint.answered_on = timezone.localdate()
    complaint.status = Status.ANSWERED
    complaint.save(update_fields=["answer", "answer_public", "answered_on", "status"])
    audit(
        actor=actor,
        action="complaint_answered",
        obj=complaint,
        school_id=complaint.school_id,
        data={"public": public},
    )
    return complaint


# Failed receipt lookups one address may make per hour (security.md L7). A family mistyping its
# code a few times stays far below; a client guessing codes stops after this many. Counted in the
# cache like jianfu.core.ratelimit (per process with the in-process cache, shared with Redis).
RECEIPT_FAILURES_PER_HOUR = 10
_RECEIPT_WINDOW = 3600


def receipt_code_normalise(code: str) -> str:
    """The code as printed: capitals, without the spaces or dashes a family may type to group it
    (e.g. "abcd-efgh 23" is "ABCDEFGH23")."""
    return "".join(ch for ch in code if ch not in " -\t\u00a0\u3000－—").upper()


def _receipt_failure_key(address: str, now: float | None) -> str:
    import time

    window = int((time.time() if now is None else now) // _RECEIPT_WINDOW)
    return f"receipt-fail:{address}:{window}"


def complaint_by_receipt(code: str, *, address: str | None = None, now: float | None = None) -> Complaint:
    """The complaint a receipt code follows. With the caller's address, failed lookups are counted,
    and an address past RECEIPT_FAILURES_PER_HOUR is refused (429) before any lookup, right or
    wrong, so a guesser learns nothing more until the hour has passed."""
    from django.core.cache import cache

    key = _receipt_failure_key(address, now) if address is not None else ""
    if key and int(cache.get(key, 0)) >= RECEIPT_FAILURES_PER_HOUR:
        raise CaseError(
            CaseError.RATE_LIMITED,
            "查询失败次数过多，请一小时后再试",
            "Too many failed receipt lookups from this address; try again in an hour",
            field="code",
            status=429,
        )
    normalised = receipt_code_normalise(code)
    complaint = Complaint.objects.filter(receipt_code=normalised).first() if normalised else None
    if complaint is None:
        if key:
            cache.add(key, 0, timeout=_RECEIPT_WINDOW + 5)
            try:
                cache.incr(key)
            except ValueError:  # expired between add() and incr()
                cache.add(key, 1, timeout=_RECEIPT_WINDOW + 5)
        raise NotFound("举报", "complaint")
    return complaint


@transaction.atomic
def complaint_rate(*, code: str, rating: int, reopen: bool = False, address: str | None = None) -> Complaint:
    """The complainant rates the handling (1–5) and may reopen once, using the receipt code."""
    complaint = complaint_by_receipt(code, address=address)
    if complaint.status != Status.ANSWERED:
        raise CaseError(CaseError.INVALID, "答复后才能评价", "Rate after the answer")
    if not 1 <= rating <= 5:
        raise CaseError(CaseError.INVALID, "评价应为1到5", "Rating must be 1–5", field="rating")
    complaint.rating = rating
    if reopen:
        if complaint.reopened:
            raise CaseError(CaseError.CLOSED, "每条举报只能重新办理一次", "A complaint can be reopened once")
        complaint.reopened = True
        complaint.status = Status.ACKNOWLEDGED
        today = timezone.localdate()
        complaint.answer_due = _deadlines(complaint.school, today)[1]
    else:
        complaint.status = Status.CLOSED
    complaint.save(update_fields=["rating", "reopened", "status", "answer_due"])
    audit(
        actor=None,
        action="complaint_rated",
        obj=complaint,
        school_id=complaint.school_id,
        data={"rating": rating, "reopened": reopen},
    )
    return complaint


@transaction.atomic
def complaints_escalate_overdue(*, today: date | None = None) -> int:
    """Move school-level complaints past a deadline to the district (run daily as a task)."""
    day = today or timezone.localdate()
    overdue = (
        Complaint.objects.filter(level=Level.SCHOOL)
        .exclude(status__in=[Status.ANSWERED, Status.CLOSED])
        .filter(Q(status=Status.NEW, acknowledge_due__lt=day) | Q(answer_due__lt=day))
    )
    count = 0
    for complaint in overdue.select_for_update():
        complaint.level = Level.DISTRICT
        complaint.escalated_on = day
        complaint.save(update_fields=["level", "escalated_on"])
        audit(
            actor=None,
            action="complaint_escalated",
            obj=complaint,
            school_id=complaint.school_id,
            data={"on": day.isoformat()},
        )
        count += 1
    return count


def complaint_unseal(
    *, actor: Any, complaint_id: int, reason: str, session_passed: bool, code: str, now: Any = None
) -> dict[str, Any]:
    """The bureau's designated custodian reads who filed, with a recorded reason (audited; the
    bureau's leadership sees every unsealing). Only from a session that passed the second step, with
    a fresh code from the custodian's app at that moment (security.md H1)."""
    complaint = Complaint.objects.select_related("school__region").filter(pk=complaint_id).first()
    if complaint is None:
        raise NotFound("举报", "complaint")
    chain = [r.pk for r in complaint.school.region.ancestors()]
    if not Membership.objects.filter(user=actor, role=Role.CUSTODIAN, region_id__in=chain).exists():
        raise NotFound("举报", "complaint")
    # A custodian's password alone must not open a family's identity: a leaked password would
    # expose everyone who complained (docs/decisions/0018-two-step-sign-in.md).
    if not totp_enabled(actor):
        raise CaseError(
            CaseError.TWO_STEP_REQUIRED,
            "启封反映人身份前，请先在“账号安全”中开启两步验证",
            "Turn on two-step sign-in (账号安全) before unsealing a complainant's identity",
            status=403,
        )
    reason = _no_nul(reason)
    if len(reason.strip()) < 5:
        raise CaseError(
            CaseError.INVALID,
            "请填写启封理由（至少5个字）",
            "Give a reason (at least 5 characters)",
            field="reason",
        )
    # Last, so a refusal above does not use up the code the custodian typed.
    # Outside the transaction below: a wrong code is counted towards the lock even though nothing
    # is unsealed.
    second_factor_confirm(actor=actor, session_passed=session_passed, code=code, now=now)
    with transaction.atomic():
        identity = SealedIdentity.objects.select_related("filed_by", "student").get(complaint=complaint)
        Unsealing.objects.create(complaint=complaint, custodian=actor, reason=reason.strip()[:300])
        audit(
            actor=actor,
            action="complaint_unsealed",
            obj=complaint,
            region_code=complaint.school.region.code,
            data={"reason": reason.strip()[:300]},
        )
    from jianfu.core.masking import mask_phone

    if identity.filed_by is None:  # recorded from a phone call or a letter
        return {"name": "", "phone": "", "student": "", "contact": identity.contact}
    return {
        "name": identity.filed_by.name,
        "phone": mask_phone(identity.filed_by.phone),
        "student": identity.student.name if identity.student else "",
        "contact": "",
    }


@transaction.atomic
def triage_confirm(
    *, actor: Any, complaint_id: int, category: str, not_burden: bool, empty: bool
) -> Complaint:
    """A handler confirms or corrects the suggestion; a correction is kept for re-fitting."""
    complaint = _for_handler(actor, complaint_id)
    if category not in Category.values:
        raise CaseError(CaseError.INVALID, "类别无效", "Invalid category", field="category")
    if (category, not_burden, empty) != (
        complaint.suggested_category,
        complaint.flag_not_burden,
        complaint.flag_empty,
    ):
        TriageCorrection.objects.create(
            complaint=complaint,
            text=complaint.text,
            suggested_category=complaint.suggested_category,
            category=category,
            not_burden=not_burden,
            empty=empty,
            by=actor,
        )
    complaint.category = category
    complaint.flag_not_burden = not_burden
    complaint.flag_empty = empty
    complaint.triage_confirmed = True
    complaint.save(update_fields=["category", "flag_not_burden", "flag_empty", "triage_confirmed"])
    audit(
        actor=actor,
        action="complaint_triaged",
        obj=complaint,
        school_id=complaint.school_id,
        data={"category": category, "not_burden": not_burden, "empty": empty},
    )
    return complaint


@transaction.atomic
def complaint_close_abusive(*, actor: Any, complaint_id: int, reason: str) -> Complaint:
    """Close an abusive or empty report with a reason. Every such closure is listed for the district
    bureau to review (issue 4: "reports that are abusive can be closed with a reason, which the
    bureau can review")."""
    complaint = _for_handler(actor, complaint_id)
    reason = _no_nul(reason)
    if len(reason.strip()) < 5:
        raise CaseError(
            CaseError.INVALID,
            "请填写关闭理由（至少5个字）",
            "Give a reason (at least 5 characters)",
            field="reason",
        )
    complaint.status = Status.CLOSED
    complaint.closed_as_abusive = True
    complaint.closed_reason = reason.strip()[:300]
    complaint.save(update_fields=["status", "closed_as_abusive", "closed_reason"])
    audit(
        actor=actor,
        action="complaint_closed_abusive",
        obj=complaint,
        school_id=complaint.school_id,
        data={"reason": complaint.closed_reason},
    )
    return complaint


@transaction.atomic
def closure_review(*, actor: Any, complaint_id: int, uphold: bool) -> Complaint:
    """District bureau staff review a closure: uphold it, or reopen the complaint at district level."""
    complaint = (
        Complaint.objects.select_related("school__region")
        .filter(pk=complaint_id, closed_as_abusive=True)
        .first()
    )
    if complaint is None:
        raise NotFound("举报", "complaint")
    chain = [r.pk for r in complaint.school.region.ancestors()]
    if not Membership.objects.filter(user=actor, role=Role.BUREAU_STAFF, region_id__in=chain).exists():
        raise NotFound("举报", "complaint")
    complaint.closure_reviewed = True
    if not uphold:
        complaint.closed_as_abusive = False
        complaint.status = Status.ACKNOWLEDGED
        complaint.level = Level.DISTRICT
    complaint.save(update_fields=["closure_reviewed", "closed_as_abusive", "status", "level"])
    audit(
        actor=actor,
        action="complaint_closure_reviewed",
        obj=complaint,
        school_id=complaint.school_id,
        data={"uphold": uphold},
    )
    return complaint


@transaction.atomic
def complaint_record(
    *,
    actor: Any,
    school_id: int,
    class_id: int | None,
    category: str,
    text: str,
    channel: str,
    contact: str = "",
    about_leadership: bool = False,
    today: date | None = None,
) -> Complaint:
    """Bureau staff record a complaint that arrived by phone (hotline) or letter. The complainant's
    contact details go to the sealed table like an online filer's identity; the school sees neither."""
    from jianfu.schools.models import SchoolClass
    from jianfu.schools.selectors import schools_for_actor

    school = schools_for_actor(actor).filter(pk=school_id).select_related("region").first()
    if school is None:
        raise NotFound("学校", "school")
    chain = [r.pk for r in school.region.ancestors()]
    if not Membership.objects.filter(user=actor, role=Role.BUREAU_STAFF, region_id__in=chain).exists():
        raise PermissionDenied(
            "只有教育局工作人员可以登记电话或信件举报", "Only bureau staff record complaints"
        )
    text, contact = _no_nul(text), _no_nul(contact)
    if channel not in ("phone", "letter"):
        raise CaseError(
            CaseError.INVALID, "来源应为电话或信件", "Channel must be phone or letter", field="channel"
        )
    if category not in Category.values:
        raise CaseError(CaseError.INVALID, "请选择问题类别", "Choose a category", field="category")
    if len(text.strip()) < 5:
        raise CaseError(
            CaseError.INVALID, "请具体描述问题（至少5个字）", "Describe the problem", field="text"
        )
    school_class = SchoolClass.objects.filter(pk=class_id, school=school).first() if class_id else None
    day = today or timezone.localdate()
    level = Level.DISTRICT if (about_leadership or category in DISTRICT_CATEGORIES) else Level.SCHOOL
    suggestion = triage(text)
    released = release_at(school.region, day)
    ack_due, answer_due = _deadlines(school, day, start=released.date())
    complaint = Complaint.objects.create(
        released_at=released,
        receipt_code=_receipt_code(),
        school=school,
        school_class=school_class,
        category=category,
        about_leadership=about_leadership,
        text=text.strip()[:2000],
        channel=channel,
        filed_on=day,
        level=level,
        acknowledge_due=ack_due,
        answer_due=answer_due,
        suggested_category=suggestion.category,
        flag_not_burden=suggestion.not_burden,
        flag_empty=suggestion.empty,
    )
    SealedIdentity.objects.create(complaint=complaint, recorded_by=actor, contact=contact.strip()[:200])
    audit(
        actor=None,
        action="complaint_filed",
        obj=complaint,
        school_id=school.pk,
        region_code=school.region.code,
        data={"level": level, "category": category, "channel": channel},
    )
    return complaint


def _check_daily_limit(actor: Any) -> None:
    """At most MAX_PER_ACCOUNT_PER_DAY filings in 24 hours, counting those refused for a photo."""
    from jianfu.cases.models import RefusedFiling

    since = timezone.now() - timedelta(days=1)
    used = (
        SealedIdentity.objects.filter(filed_by=actor, created_at__gte=since).count()
        + RefusedFiling.objects.filter(filed_by=actor, at__gte=since).count()
    )
    if used >= MAX_PER_ACCOUNT_PER_DAY:
        raise CaseError(
            CaseError.RATE_LIMITED,
            f"每个账号每天最多提交{MAX_PER_ACCOUNT_PER_DAY}条举报",
            "Too many complaints from this account today",
            status=429,
        )


def _photos_clean(actor: Any, photos: list[Any]) -> list[tuple[bytes, int, int]]:
    """Each photo re-encoded without metadata: (jpeg, width, height). Count and byte sizes are
    checked before any photo is read; the daily limit before any is decoded; a photo the decoder
    refuses is recorded as a refused filing, which counts against that limit (security.md M5)."""
    from jianfu.cases.models import RefusedFiling
    from jianfu.cases.photos import MAX_PHOTOS, PhotoInvalid, check_size, strip_metadata

    if not photos:
        return []
    if len(photos) > MAX_PHOTOS:
        raise CaseError(
            CaseError.INVALID,
            f"最多上传{MAX_PHOTOS}张照片",
            f"At most {MAX_PHOTOS} photos",
            field="photos",
        )
    for n, source in enumerate(photos, start=1):
        try:
            check_size(source)
        except PhotoInvalid as exc:
            raise CaseError(
                CaseError.INVALID,
                f"第{n}张照片：{exc.message_zh}",
                f"Photo {n}: {exc.message_en}",
                field="photos",
            ) from exc
    _check_daily_limit(actor)
    cleaned = []
    for n, source in enumerate(photos, start=1):
        try:
            cleaned.append(strip_metadata(source))
        except PhotoInvalid as exc:
            RefusedFiling.objects.create(filed_by=actor)
            raise CaseError(
                CaseError.INVALID,
                f"第{n}张照片：{exc.message_zh}",
                f"Photo {n}: {exc.message_en}",
                field="photos",
            ) from exc
    return cleaned


def _attach_photos(complaint: Complaint, photos: list[tuple[bytes, int, int]]) -> None:
    from django.core.files.base import ContentFile

    from jianfu.cases.models import ComplaintPhoto

    for jpeg, width, height in photos:
        photo = ComplaintPhoto(complaint=complaint, width=width, height=height)
        photo.image.save("photo.jpg", ContentFile(jpeg), save=False)
        photo.save()


RELEASE_TIME = time(8, 0)
_BEIJING = ZoneInfo("Asia/Shanghai")


def release_day(region: Any, filed_on: date) -> date:
    """The day a complaint filed on `filed_on` reaches its school: the first working day after it on
    the national calendar with the bureau's entries, or, where the calendar does not reach that far
    yet, the next Monday to Friday. One batch a day, so the school cannot tell when a complaint
    arrived (security.md M2; docs/decisions/0032-daily-release-of-complaints.md)."""
    day = add_working_days(region, filed_on, 1)
    if day is None:
        day = filed_on + timedelta(days=1)
        while day.weekday() >= 5:
            day += timedelta(days=1)
    return day


def release_at(region: Any, filed_on: date) -> datetime:
    """08:00 Beijing time on the release day (decision 0032)."""
    return datetime.combine(release_day(region, filed_on), RELEASE_TIME, tzinfo=_BEIJING)


def _deadlines(school: Any, day: date, *, start: date | None = None) -> tuple[date | None, date | None]:
    """(acknowledge by, answer by) from the profile's working-day settings (defaults 2 and 15),
    counted on the national calendar with the bureau's entries from `start` (the release day for a
    new complaint, decision 0032: the school's time runs from when it can see the complaint, and
    like any period in days the first day is not counted, 《民法典》第二百零一条); None when the
    calendar does not reach that far yet (docs/decisions/0006-calendar-unknown-years.md)."""
    from jianfu.policies.selectors import profile_resolve_for_school

    profile = profile_resolve_for_school(school, day)
    start = start or day
    return (
        add_working_days(school.region, start, int(profile.setting("complaint_ack_working_days"))),
        add_working_days(school.region, start, int(profile.setting("complaint_answer_working_days"))),
    )
