"""Intake: a parent files a complaint online (with photos), or bureau staff record one that came by
phone or letter. The complainant goes to SealedIdentity only; the school never sees who filed."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.functional import lazy
from django.utils.translation import gettext_lazy as _

from jianfu.cases.errors import CaseError
from jianfu.cases.models import (
    DISTRICT_CATEGORIES,
    Category,
    Complaint,
    Level,
    SealedIdentity,
)
from jianfu.cases.permissions import can_record_complaint
from jianfu.cases.rules import photos as photo_rules
from jianfu.cases.rules.triage import NEAR_DUPLICATE, similarity, triage
from jianfu.cases.services.common import SEALED_COMPLAINANT, no_nul, receipt_code_new
from jianfu.cases.services.release import deadlines, release_at
from jianfu.core.audit import audit
from jianfu.core.errors import NotFound, PermissionDenied
from jianfu.schools.models import Student

MAX_PER_ACCOUNT_PER_DAY = 3
MAX_PER_CLASS_PER_DAY = 20

_CHOOSE_CATEGORY = _("请选择问题类别")
_DESCRIBE = _("请具体描述问题（至少5个字）")


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

    The complainant is written only to SealedIdentity; the audit row names the sealed complainant,
    not the parent (an audit view must not reveal who filed) and the complaint keeps only the day it
    was filed. The same submission (same account, same idempotency key) sent again returns the
    complaint it filed the first time, also when both arrive at once.
    """
    key = idempotency_key.strip()
    if len(key) > 64:
        raise CaseError(CaseError.INVALID, _("提交编号过长"), field="idempotency_key")
    if not getattr(actor, "is_authenticated", False):
        # Nobody (None) and no system actor files a complaint: a filing is a parent's own act.
        raise NotFound(_("学生"))
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
        raise NotFound(_("学生"))
    if category not in Category.values:
        raise CaseError(CaseError.INVALID, _CHOOSE_CATEGORY, field="category")
    text = no_nul(text).strip()
    if len(text) < 5:
        raise CaseError(CaseError.INVALID, _DESCRIBE, field="text")
    day = today or timezone.localdate()
    _check_daily_limit(actor)
    if (
        Complaint.objects.filter(school_class=student.school_class, filed_on=day).count()
        >= MAX_PER_CLASS_PER_DAY
    ):
        raise CaseError(
            CaseError.RATE_LIMITED,
            _("该班级今天的反映已达上限，请明天再试或拨打监督电话"),
            status=429,
        )
    level = Level.DISTRICT if (about_leadership or category in DISTRICT_CATEGORIES) else Level.SCHOOL
    region = student.school.region
    suggestion = triage(text)
    released = release_at(region, day)
    ack_due, answer_due = deadlines(student.school, day, start=released.date())
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
        receipt_code=receipt_code_new(),
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
        actor=SEALED_COMPLAINANT,
        action="complaint_filed",
        obj=complaint,
        school_id=student.school_id,
        region_code=region.code,
        data={"level": level, "category": category},
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
    from jianfu.schools.access import schools_for_actor
    from jianfu.schools.models import SchoolClass

    school = schools_for_actor(actor).filter(pk=school_id).select_related("region").first()
    if school is None:
        raise NotFound(_("学校"))
    if not can_record_complaint(actor, school):
        raise PermissionDenied(_("只有教育局工作人员可以登记电话或信件举报"))
    text, contact = no_nul(text), no_nul(contact)
    if channel not in ("phone", "letter"):
        raise CaseError(CaseError.INVALID, _("来源应为电话或信件"), field="channel")
    if category not in Category.values:
        raise CaseError(CaseError.INVALID, _CHOOSE_CATEGORY, field="category")
    if len(text.strip()) < 5:
        raise CaseError(CaseError.INVALID, _DESCRIBE, field="text")
    school_class = SchoolClass.objects.filter(pk=class_id, school=school).first() if class_id else None
    day = today or timezone.localdate()
    level = Level.DISTRICT if (about_leadership or category in DISTRICT_CATEGORIES) else Level.SCHOOL
    suggestion = triage(text)
    released = release_at(school.region, day)
    ack_due, answer_due = deadlines(school, day, start=released.date())
    complaint = Complaint.objects.create(
        released_at=released,
        receipt_code=receipt_code_new(),
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
        actor=SEALED_COMPLAINANT,
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
            _("每个账号每天最多提交%(limit)s条反映"),
            params={"limit": MAX_PER_ACCOUNT_PER_DAY},
            status=429,
        )


def _photo_error(n: int, exc: photo_rules.PhotoInvalid) -> CaseError:
    """One message for every photo refusal: which photo, then what is wrong with it, each rendered
    in the reader's language when the message is shown."""
    return CaseError(
        CaseError.INVALID,
        _("第%(n)s张照片：%(problem)s"),
        params={"n": n, "problem": lazy(exc.render, str)()},
        field="photos",
    )


def _photos_clean(actor: Any, photos: list[Any]) -> list[tuple[bytes, int, int]]:
    """Each photo re-encoded without metadata: (jpeg, width, height). Count and byte sizes are
    checked before any photo is read; the daily limit before any is decoded; a photo the decoder
    refuses is recorded as a refused filing, which counts against that limit (security.md M5)."""
    from jianfu.cases.models import RefusedFiling

    if not photos:
        return []
    if len(photos) > photo_rules.MAX_PHOTOS:
        raise CaseError(
            CaseError.INVALID,
            _("最多上传%(max)s张照片"),
            params={"max": photo_rules.MAX_PHOTOS},
            field="photos",
        )
    for n, source in enumerate(photos, start=1):
        try:
            photo_rules.check_size(source)
        except photo_rules.PhotoInvalid as exc:
            raise _photo_error(n, exc) from exc
    _check_daily_limit(actor)
    cleaned = []
    for n, source in enumerate(photos, start=1):
        try:
            cleaned.append(photo_rules.strip_metadata(source))
        except photo_rules.PhotoInvalid as exc:
            RefusedFiling.objects.create(filed_by=actor)
            raise _photo_error(n, exc) from exc
    return cleaned


def _attach_photos(complaint: Complaint, photos: list[tuple[bytes, int, int]]) -> None:
    from django.core.files.base import ContentFile

    from jianfu.cases.models import ComplaintPhoto

    for jpeg, width, height in photos:
        photo = ComplaintPhoto(complaint=complaint, width=width, height=height)
        photo.image.save("photo.jpg", ContentFile(jpeg), save=False)
        photo.save()
