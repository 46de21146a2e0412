"""Posting homework within the cap, exceptions, withdrawal and publication (公示).

Every change to a class-day's items recomputes that class-day's ClassDayLoad row in the same
transaction. The policy engine judges the class-day with the new item included; hard rules are
refused outright, the minute cap is refused unless the head teacher approves an exception.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass, replace
from datetime import date, timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone

from jianfu.accounts.models import Membership, Role
from jianfu.core.audit import audit
from jianfu.core.errors import DomainError, ErrorDetail, NotFound, PermissionDenied
from jianfu.homework.models import (
    CapException,
    ClassDayLoad,
    ClassPublication,
    HomeworkItem,
    Kind,
    Status,
    SubjectQuota,
    Tier,
    Where,
)
from jianfu.homework.screening import Hit, ScreenResult, screen
from jianfu.homework.selectors import SUBJECT_LABELS
from jianfu.policies.catalogue import RULES_BY_ID
from jianfu.policies.facts import HomeworkDayFacts, HomeworkItemFacts
from jianfu.policies.findings import Finding
from jianfu.policies.profiles import ResolvedProfile
from jianfu.policies.rules import check_homework_day, counted_minutes
from jianfu.policies.selectors import profile_resolve_for_school
from jianfu.schools.models import DayType, SchoolClass, SchoolDay, TeachingAssignment

CAP_RULES = {
    "hw_written_daily_avg_max_g3_6",
    "hw_written_daily_avg_max_g7_9",
    "hw_weekend_holiday_total_controlled",
}
FLAGS = ("needs_parent_marking", "assigned_to_parent", "phone_required", "self_marking", "punitive")


class HomeworkError(DomainError):
    DAILY_CAP_EXCEEDED = "daily_cap_exceeded"
    RULE_VIOLATION = "homework_rule_violation"
    INVALID = "homework_invalid"
    TEXT_NEEDS_CONFIRMATION = "homework_text_needs_confirmation"

    def __init__(
        self,
        code: str,
        message_zh: str,
        message_en: str,
        *,
        findings: list[Finding] | None = None,
        field: str | None = None,
        status: int | None = None,
    ) -> None:
        details = [ErrorDetail(f.message_zh, f.message_en, code=f.rule_id) for f in (findings or [])]
        super().__init__(code, message_zh, message_en, details=details, field=field, status=status or 422)
        self.findings = findings or []


@dataclass(frozen=True)
class Draft:
    """A homework item as typed into the form, before it is saved."""

    subject: str
    kind: str = Kind.WRITTEN
    where: str = Where.HOME
    minutes: int = 0
    tier: str = Tier.REQUIRED
    needs_parent_marking: bool = False
    assigned_to_parent: bool = False
    phone_required: bool = False
    self_marking: bool = False
    punitive: bool = False


def day_type_for(school_class: SchoolClass, on: date) -> tuple[str, bool]:
    """(day type for the evaluator, whether the calendar knows the date).

    A date whose year's holidays are not entered is judged as a school day — the strictest reading —
    and reported as unknown (docs/decisions/0006-calendar-unknown-years.md)."""
    row = SchoolDay.objects.filter(school_id=school_class.school_id, date=on).only("day_type").first()
    if row is None:
        from jianfu.schools.selectors_calendar import term_for_date

        if term_for_date(school_class.school, on) is None:
            return "vacation", True
        return "school_day", False
    return (
        "school_day"
        if row.day_type == DayType.SCHOOL_DAY
        else "holiday"
        if row.day_type == DayType.HOLIDAY
        else "weekend"
    ), True


def _item_minutes(item: HomeworkItem, profile: ResolvedProfile) -> int:
    if profile.setting("homework_time_source") == "calibrated_estimate" and item.calibrated_minutes:
        return item.calibrated_minutes
    return item.minutes


# Facts are built with model_validate: the stored choices are the facts' literals, checked at run time.
def _facts(
    school_class: SchoolClass, on: date, items: list[HomeworkItemFacts], day_type: str
) -> HomeworkDayFacts:
    return HomeworkDayFacts.model_validate(
        {
            "grade": school_class.grade.number,
            "stage": school_class.grade.stage,
            "day_type": day_type,
            "items": items,
        }
    )


def _as_facts(item: HomeworkItem, profile: ResolvedProfile) -> HomeworkItemFacts:
    return HomeworkItemFacts.model_validate(
        {
            "subject": item.subject,
            "kind": item.kind,
            "where": item.where,
            "minutes": _item_minutes(item, profile),
            "tier": item.tier,
        }
    )


def _draft_facts(d: Draft, minutes: int | None = None) -> HomeworkItemFacts:
    return HomeworkItemFacts.model_validate(
        {
            "subject": d.subject,
            "kind": d.kind,
            "where": d.where,
            "minutes": d.minutes if minutes is None else minutes,
            "tier": d.tier,
            **{f: getattr(d, f) for f in FLAGS},
        }
    )


def active_items(school_class: SchoolClass, on: date) -> list[HomeworkItem]:
    return list(HomeworkItem.objects.filter(school_class=school_class, date_set=on, status=Status.ACTIVE))


def class_day_load_refresh(*, school_class: SchoolClass, on: date) -> ClassDayLoad:
    """Recompute the class-day row from that day's active items (a handful: bounded, never history)."""
    profile = profile_resolve_for_school(school_class.school, on)
    items = active_items(school_class, on)
    facts = [_as_facts(i, profile) for i in items]
    cap, _rule, _band = profile.homework_cap(school_class.grade.number, school_class.grade.stage)
    by_subject: dict[str, int] = {}
    for i in items:
        by_subject[i.subject] = by_subject.get(i.subject, 0) + _item_minutes(i, profile)
    extra = sum(
        CapException.objects.filter(school_class=school_class, date=on).values_list(
            "extra_minutes", flat=True
        )
    )
    load, _ = ClassDayLoad.objects.select_for_update().get_or_create(
        school_class=school_class, date=on, defaults={"school_id": school_class.school_id}
    )
    load.counted_minutes = counted_minutes(facts, profile)
    load.total_minutes = sum(f.minutes for f in facts)
    load.items = len(items)
    load.by_subject = by_subject
    load.cap_minutes = cap
    load.exception_minutes = extra
    load.public_items = [public_item(i) for i in items]
    load.version += 1
    load.save()
    _public_page_changed(school_class)
    return load


def public_item(item: HomeworkItem) -> dict[str, Any]:
    """An item as the public page, the print sheet and the family page show it: nothing about anyone."""
    return {
        "subject": SUBJECT_LABELS.get(item.subject, item.subject),
        "code": item.subject,
        "kind": item.get_kind_display(),
        "where": item.get_where_display(),
        "tier": item.get_tier_display(),
        "minutes": item.minutes,
        "description": item.description,
        "due": item.date_due.isoformat(),
    }


def _public_page_changed(school_class: SchoolClass) -> None:
    """Drop this process's cached lookups for the class's public page once the change commits.

    Other processes notice within jianfu.homework.public.META_SECONDS (or at once with a shared cache)."""
    from django.core.cache import cache

    def drop() -> None:
        today = timezone.localdate().isoformat()
        tokens = ClassPublication.objects.filter(school_class=school_class).values_list("token", flat=True)
        cache.delete_many([f"pubmeta:{t}:{today}" for t in tokens])

    drop()  # now, for this request's own reads
    transaction.on_commit(drop)  # and again after commit, in case a reader re-cached the old state meanwhile


def _teaches(actor: Any, school_class: SchoolClass, subject: str) -> bool:
    return TeachingAssignment.objects.filter(
        teacher__user=actor, school_class=school_class, subject=subject
    ).exists()


def _class_for_teacher(actor: Any, class_id: int, subject: str) -> SchoolClass:
    from jianfu.schools.selectors import classes_for_actor_staff

    school_class = classes_for_actor_staff(actor).filter(pk=class_id).first()
    if school_class is None:
        raise NotFound("班级", "class")
    if not _teaches(actor, school_class, subject):
        raise PermissionDenied(
            "你没有担任该班这门学科的教学，不能布置作业", "You do not teach this subject in this class"
        )
    return school_class


def homework_evaluate(
    *,
    school_class: SchoolClass,
    on: date,
    draft: Draft | None,
    teacher: Any = None,
    exclude_item: int | None = None,
    description: str = "",
) -> dict[str, Any]:
    """The class-day as it would be with `draft` added: load, cap, findings. Pure read (the live panel).

    The draft's text ticks the flags it names unambiguously, so their rules show among the findings."""
    screened = screen(description)
    if draft is not None:
        draft = text_flags_applied(draft, screened)
    profile = profile_resolve_for_school(school_class.school, on)
    existing = [i for i in active_items(school_class, on) if i.pk != exclude_item]
    facts = [_as_facts(i, profile) for i in existing]
    calibrated = None
    if draft is not None:
        from jianfu.homework.calibration import calibration_factor

        factor = (
            calibration_factor(
                teacher=teacher,
                subject=draft.subject,
                grade=school_class.grade.number,
                school_id=school_class.school_id,
            )
            if teacher is not None
            else None
        )
        calibrated = round(draft.minutes * factor) if factor else None
        use = (
            calibrated
            if calibrated and profile.setting("homework_time_source") == "calibrated_estimate"
            else None
        )
        facts.append(_draft_facts(draft, use))
    day_type, known = day_type_for(school_class, on)
    findings = check_homework_day(_facts(school_class, on, facts, day_type), profile)
    cap, rule_id, band = profile.homework_cap(school_class.grade.number, school_class.grade.stage)
    extra = sum(
        CapException.objects.filter(school_class=school_class, date=on).values_list(
            "extra_minutes", flat=True
        )
    )
    posted = counted_minutes([_as_facts(i, profile) for i in existing], profile)
    quota = None
    if draft is not None:
        row = SubjectQuota.objects.filter(school_class=school_class, subject=draft.subject).first()
        if row is not None:
            used = sum(i.minutes for i in existing if i.subject == draft.subject) + draft.minutes
            quota = {"minutes": row.minutes, "used": used, "over": used > row.minutes}
    return {
        "quota": quota,
        "profile": profile,
        "existing": existing,
        "findings": findings,
        "cap": cap,
        "cap_rule": rule_id,
        "band": band,
        "exception_minutes": extra,
        "posted_minutes": posted,
        "total_minutes": counted_minutes(facts, profile),
        "day_type": day_type,
        "calendar_known": known,
        "calibrated_minutes": calibrated,
        "screen": screened,
    }


def _split(findings: list[Finding], extra_minutes: int) -> tuple[list[Finding], list[Finding]]:
    """(hard findings other than the cap, cap findings still over after approved exceptions)."""
    hard = [f for f in findings if f.severity == "violation" and f.rule_id not in CAP_RULES]
    cap = [
        f
        for f in findings
        if f.rule_id in CAP_RULES
        and f.severity == "violation"
        and f.evidence.get("counted_minutes", 0) > f.evidence.get("cap_minutes", 0) + extra_minutes
    ]
    return hard, cap


@transaction.atomic
def homework_create(
    *,
    actor: Any,
    class_ids: list[int],
    date_set: date,
    date_due: date,
    draft: Draft,
    description: str,
    exception_reason: str = "",
    confirm_warnings: bool = False,
) -> list[HomeworkItem]:
    """Post homework to one or several classes. All or nothing across the classes.

    The text is read too (decision 0025): a forbidden practice it names is refused as if its box were
    ticked; an arguable one is refused until the teacher posts again with `confirm_warnings`.

    Hard rules are refused (e.g. hw_written_at_home_g1_2, hw_no_parent_checking_or_marking). Going
    over the minute cap is refused too unless `exception_reason` is given, in which case the item is
    saved as pending the head teacher's approval and does not count until approved.
    """
    if not class_ids:
        raise HomeworkError(HomeworkError.INVALID, "请选择班级", "Choose a class", field="class_ids")
    if date_due < date_set:
        raise HomeworkError(
            HomeworkError.INVALID, "完成日期不能早于布置日期", "Due date before set date", field="date_due"
        )
    if not 1 <= draft.minutes <= 240:
        raise HomeworkError(
            HomeworkError.INVALID, "预计用时应在1到240分钟之间", "Minutes must be 1–240", field="minutes"
        )
    if not description.strip():
        raise HomeworkError(
            HomeworkError.INVALID, "请填写作业内容", "Describe the homework", field="description"
        )
    screened = screen(description)
    text_screen_check(screened, confirm_warnings=confirm_warnings)
    draft = text_flags_applied(draft, screened)
    batch = secrets.token_hex(8) if len(class_ids) > 1 else ""
    created: list[HomeworkItem] = []
    for class_id in class_ids:
        school_class = _class_for_teacher(actor, class_id, draft.subject)
        # Lock the class-day row first so two teachers posting at once are judged one after the other.
        ClassDayLoad.objects.get_or_create(
            school_class=school_class, date=date_set, defaults={"school_id": school_class.school_id}
        )
        ClassDayLoad.objects.select_for_update().get(school_class=school_class, date=date_set)
        result = homework_evaluate(school_class=school_class, on=date_set, draft=draft, teacher=actor)
        hard, over = _split(result["findings"], result["exception_minutes"])
        if hard:
            raise HomeworkError(
                HomeworkError.RULE_VIOLATION,
                f"{school_class}：" + "；".join(f"{f.message_zh}（{f.rule_id}）" for f in hard),
                "; ".join(f"{f.message_en} ({f.rule_id})" for f in hard),
                findings=hard,
            )
        status = Status.ACTIVE
        if over:
            if not exception_reason.strip():
                f = over[0]
                raise HomeworkError(
                    HomeworkError.DAILY_CAP_EXCEEDED,
                    f"{school_class}：{f.message_zh}（{f.rule_id}）。可填写理由申请班主任特批。",
                    f"{f.message_en} ({f.rule_id}). You may ask the head teacher for an exception.",
                    findings=over,
                )
            status = Status.PENDING
        item = HomeworkItem.objects.create(
            school_id=school_class.school_id,
            school_class=school_class,
            subject=draft.subject,
            teacher=actor,
            date_set=date_set,
            date_due=date_due,
            kind=draft.kind,
            where=draft.where,
            minutes=draft.minutes,
            calibrated_minutes=result["calibrated_minutes"],
            tier=draft.tier,
            description=description.strip()[:1000],
            status=status,
            batch=batch,
            request_reason=exception_reason.strip()[:200] if over else "",
        )
        class_day_load_refresh(school_class=school_class, on=date_set)
        audit(
            actor=actor,
            action="homework_posted" if status == Status.ACTIVE else "homework_exception_requested",
            obj=item,
            school_id=school_class.school_id,
            data={
                "class": school_class.pk,
                "date": date_set.isoformat(),
                "minutes": draft.minutes,
                # What the teacher confirmed the text does not ask for (decision 0025), for review.
                "text_warnings_confirmed": [h.phrase for h in screened.warnings],
            },
        )
        created.append(item)
    return created


def can_approve_exceptions(actor: Any, school_class: SchoolClass) -> bool:
    """The head teacher of the class (and the school's leadership, who stand in for them)."""
    return (
        Membership.objects.filter(user=actor, role=Role.HEAD_TEACHER, school_class=school_class).exists()
        or Membership.objects.filter(
            user=actor, role__in=[Role.PRINCIPAL, Role.ACADEMIC_AFFAIRS], school_id=school_class.school_id
        ).exists()
    )


def _item_for_approver(actor: Any, item_id: int) -> HomeworkItem:
    from jianfu.schools.selectors import classes_for_actor_staff

    item = (
        HomeworkItem.objects.select_related("school_class__grade", "school_class__school")
        .filter(pk=item_id, school_class__in=classes_for_actor_staff(actor))
        .first()
    )
    if item is None:
        raise NotFound("作业", "homework")
    if not can_approve_exceptions(actor, item.school_class):
        raise PermissionDenied("只有班主任可以特批", "Only the head teacher may approve")
    return item


@transaction.atomic
def exception_approve(*, actor: Any, item_id: int, reason: str) -> CapException:
    """Approve a pending item over the cap: records how many minutes over, why and who (audited)."""
    if not reason.strip():
        raise HomeworkError(HomeworkError.INVALID, "请填写特批理由", "A reason is required", field="reason")
    item = _item_for_approver(actor, item_id)
    if item.status != Status.PENDING:
        raise HomeworkError(HomeworkError.INVALID, "该作业不在待特批状态", "Not pending approval")
    ClassDayLoad.objects.select_for_update().filter(
        school_class=item.school_class, date=item.date_set
    ).first()
    result = homework_evaluate(
        school_class=item.school_class,
        on=item.date_set,
        draft=Draft(
            subject=item.subject, kind=item.kind, where=item.where, minutes=item.minutes, tier=item.tier
        ),
    )
    over = max(0, result["total_minutes"] - (result["cap"] or 0) - result["exception_minutes"])
    exception = CapException.objects.create(
        school_class=item.school_class,
        date=item.date_set,
        extra_minutes=over,
        reason=reason.strip()[:200],
        approved_by=actor,
    )
    item.status = Status.ACTIVE
    item.exception = exception
    item.save(update_fields=["status", "exception", "updated_at"])
    class_day_load_refresh(school_class=item.school_class, on=item.date_set)
    audit(
        actor=actor,
        action="homework_exception_approved",
        obj=exception,
        school_id=item.school_id,
        data={"item": item.pk, "extra_minutes": over, "reason": exception.reason},
    )
    return exception


@transaction.atomic
def exception_reject(*, actor: Any, item_id: int, reason: str) -> HomeworkItem:
    item = _item_for_approver(actor, item_id)
    if item.status != Status.PENDING:
        raise HomeworkError(HomeworkError.INVALID, "该作业不在待特批状态", "Not pending approval")
    item.status = Status.WITHDRAWN
    item.save(update_fields=["status", "updated_at"])
    audit(
        actor=actor,
        action="homework_exception_rejected",
        obj=item,
        school_id=item.school_id,
        data={"reason": reason.strip()[:200]},
    )
    return item


@transaction.atomic
def homework_withdraw(*, actor: Any, item_id: int) -> HomeworkItem:
    item = (
        HomeworkItem.objects.select_related("school_class__grade", "school_class__school")
        .filter(pk=item_id, teacher=actor)
        .first()
    )
    if item is None:
        raise NotFound("作业", "homework")
    item.status = Status.WITHDRAWN
    item.save(update_fields=["status", "updated_at"])
    class_day_load_refresh(school_class=item.school_class, on=item.date_set)
    audit(actor=actor, action="homework_withdrawn", obj=item, school_id=item.school_id)
    return item


def is_head_teacher(actor: Any, school_class: SchoolClass) -> bool:
    return Membership.objects.filter(user=actor, role=Role.HEAD_TEACHER, school_class=school_class).exists()


@transaction.atomic
def day_publish(*, actor: Any, school_class: SchoolClass, on: date) -> ClassDayLoad:
    """The head teacher publishes the day's list (公示): families see it on the class page from now."""
    if not is_head_teacher(actor, school_class):
        raise PermissionDenied("只有班主任可以公示本班作业", "Only the head teacher may publish")
    load = class_day_load_refresh(school_class=school_class, on=on)
    load.published_at = timezone.now()
    load.version += 1
    load.save(update_fields=["published_at", "version", "updated_at"])
    _public_page_changed(school_class)
    audit(
        actor=actor,
        action="homework_day_published",
        obj=load,
        school_id=school_class.school_id,
        data={"date": on.isoformat(), "items": load.items},
    )
    return load


@transaction.atomic
def publication_ensure(*, actor: Any, school_class: SchoolClass) -> ClassPublication:
    if not is_head_teacher(actor, school_class) and not can_approve_exceptions(actor, school_class):
        raise PermissionDenied("只有班主任可以管理公示页", "Only the head teacher may manage the page")
    pub = ClassPublication.objects.filter(school_class=school_class, revoked_at__isnull=True).first()
    if pub is None:
        pub = ClassPublication.objects.create(school_class=school_class)
        audit(actor=actor, action="publication_created", obj=pub, school_id=school_class.school_id)
    return pub


@transaction.atomic
def publication_revoke(*, actor: Any, school_class: SchoolClass) -> ClassPublication:
    """Revoke the current address (e.g. it was shared too widely) and issue a new one."""
    if not is_head_teacher(actor, school_class) and not can_approve_exceptions(actor, school_class):
        raise PermissionDenied("只有班主任可以管理公示页", "Only the head teacher may manage the page")
    ClassPublication.objects.filter(school_class=school_class, revoked_at__isnull=True).update(
        revoked_at=timezone.now()
    )
    pub = ClassPublication.objects.create(school_class=school_class)
    _public_page_changed(school_class)
    audit(actor=actor, action="publication_revoked", obj=pub, school_id=school_class.school_id)
    return pub


def week_start(on: date) -> date:
    return on - timedelta(days=on.weekday())


@transaction.atomic
def subject_quota_set(*, actor: Any, school_class: SchoolClass, subject: str, minutes: int | None) -> None:
    """The head teacher sets (or clears, with None) a subject's daily minute quota for the class."""
    if not is_head_teacher(actor, school_class):
        raise PermissionDenied("只有班主任可以设置学科配额", "Only the head teacher may set quotas")
    if minutes is None:
        SubjectQuota.objects.filter(school_class=school_class, subject=subject).delete()
    else:
        if not 0 <= minutes <= 240:
            raise HomeworkError(
                HomeworkError.INVALID, "配额应在0到240分钟之间", "Quota must be 0–240", field="minutes"
            )
        SubjectQuota.objects.update_or_create(
            school_class=school_class, subject=subject, defaults={"minutes": minutes, "set_by": actor}
        )
    audit(
        actor=actor,
        action="subject_quota_set",
        obj=school_class,
        school_id=school_class.school_id,
        data={"subject": subject, "minutes": minutes},
    )


# --- the text screen (decision 0025) ---


def text_flags_applied(draft: Draft, screened: ScreenResult) -> Draft:
    """The draft with every flag its text ticks unambiguously set, whatever the boxes said (decision 0025)."""
    ticked: dict[str, Any] = dict.fromkeys(screened.flags, True)
    return replace(draft, **ticked) if ticked else draft


def text_screen_check(screened: ScreenResult, *, confirm_warnings: bool) -> None:
    """Refuse a text naming a forbidden practice; ask for confirmation of an arguable one (decision 0025).

    Sources: phone_notice_2021 item 2; dr_opinion_2021 §4 and §6; hw_notice_2021 (the rules of the flags,
    jianfu/policies/catalogue.py)."""

    def finding_of(h: Hit) -> Finding:
        rule = RULES_BY_ID[h.rule_id]
        return Finding(
            h.rule_id,
            rule.severity if h.level == "block" else "warning",
            f"“{h.phrase}”：{h.what_zh}，依据：{rule.title_zh}",
            f"“{h.phrase}”: {h.what_en}; rule: {rule.title_en}",
            {"phrase": h.phrase, "pattern": h.pattern, "level": h.level},
            rule.source_text,
        )

    if screened.blocks:
        found = [finding_of(h) for h in screened.blocks]
        raise HomeworkError(
            HomeworkError.RULE_VIOLATION,
            "作业内容中有政策禁止的做法，请修改后再布置。"
            + "；".join(f"{f.message_zh}（{f.rule_id}）" for f in found)
            + "。",
            "The homework text asks for a practice the rules forbid: "
            + "; ".join(f"{f.message_en} ({f.rule_id})" for f in found)
            + ". Change the text and post again.",
            findings=found,
            field="description",
        )
    if screened.warnings and not confirm_warnings:
        found = [finding_of(h) for h in screened.warnings]
        raise HomeworkError(
            HomeworkError.TEXT_NEEDS_CONFIRMATION,
            "作业内容可能涉及政策不允许的做法，请确认："
            + "；".join(f"{f.message_zh}（{f.rule_id}）" for f in found)
            + "。如果并不需要（例如不用手机、家长不用检查），请勾选确认后再次提交，确认会被记录。",
            "The homework text may ask for a practice the rules forbid: "
            + "; ".join(f"{f.message_en} ({f.rule_id})" for f in found)
            + ". If it does not, confirm and post again (the confirmation is recorded).",
            findings=found,
            field="confirm_warnings",
        )
