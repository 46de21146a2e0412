"""Posting homework within the cap, exceptions, withdrawal and publication (公示).

Every change to a class-day's items recomputes that class-day's ClassDayLoad row in the same
transaction. The policy engine judges the class-day with the new item included; hard rules are
refused outright, the minute cap is refused unless the head teacher approves an exception.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone

from jianfu.accounts.models import Membership, Role
from jianfu.core.audit import audit
from jianfu.core.errors import DomainError, ErrorDetail, NotFound, PermissionDenied
from jianfu.homework import rules as load_rules
from jianfu.homework.models import (
    CapException,
    ClassDayLoad,
    ClassPublication,
    HomeworkItem,
    HomeworkNotice,
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
    ALL_KINDS_CAP_EXCEEDED = "all_kinds_cap_exceeded"
    EXCEPTION_LIMIT_REACHED = "exception_limit_reached"
    DATE_IN_PAST = "homework_date_in_past"
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
        from jianfu.schools.calendar.selectors import term_for_date

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


def day_exceptions(school_class: SchoolClass, on: date) -> list[CapException]:
    """The day's approved exceptions that still hold: one whose item was withdrawn lifts nothing
    (otherwise an approval could be kept for a withdrawn item and spent on another)."""
    return list(
        CapException.objects.filter(
            school_class=school_class, date=on, items__status=Status.ACTIVE
        ).distinct()
    )


def _split_by_kind(items: list[HomeworkItem], profile: ResolvedProfile) -> dict[str, dict[str, int]]:
    """Per subject: written at home, other kinds at home, and work done at school (the class grid)."""
    out: dict[str, dict[str, int]] = {}
    for i in items:
        row = out.setdefault(i.subject, {"written": 0, "other": 0, "school": 0})
        part = "school" if i.where != Where.HOME else "written" if i.kind == Kind.WRITTEN else "other"
        row[part] += _item_minutes(i, profile)
    return out


ROLE_LABELS = {"head_teacher": "班主任", "academic_affairs": "教导处", "principal": "校长"}


def class_day_load_refresh(
    *, school_class: SchoolClass, on: date, change: str = "", now: datetime | None = None
) -> ClassDayLoad:
    """Recompute the class-day row from that day's active items (a handful: bounded, never history).

    `change` says what a post, edit, withdrawal or approval changed as families would read it; on a
    day already published (公示) it is recorded with the time and the head teacher is asked to
    confirm the day again (docs/decisions/0024-separation-of-duties-for-exceptions.md)."""
    profile = profile_resolve_for_school(school_class.school, on)
    items = active_items(school_class, on)
    facts = [_as_facts(i, profile) for i in items]
    cap, _rule, _band = profile.homework_cap(school_class.grade.number, school_class.grade.stage)
    by_subject: dict[str, int] = {}
    for i in items:
        by_subject[i.subject] = by_subject.get(i.subject, 0) + _item_minutes(i, profile)
    exceptions = day_exceptions(school_class, on)
    load, _ = ClassDayLoad.objects.select_for_update().get_or_create(
        school_class=school_class, date=on, defaults={"school_id": school_class.school_id}
    )
    load.counted_minutes = counted_minutes(facts, profile)
    load.total_minutes = sum(f.minutes for f in facts)
    load.all_kinds_minutes = load_rules.all_kinds_minutes(facts, profile)
    load.non_written_minutes = load_rules.non_written_minutes(facts, profile)
    load.all_kinds_cap = load_rules.all_kinds_cap(profile, school_class.grade.stage)
    load.items = len(items)
    load.by_subject = by_subject
    load.by_subject_kinds = _split_by_kind(items, profile)
    load.cap_minutes = cap
    load.exception_minutes = sum(e.extra_minutes for e in exceptions)
    load.public_exceptions = [
        {
            "role": e.approver_role or "班主任",
            "minutes": e.extra_minutes,
            "all_kinds_minutes": e.extra_all_kinds_minutes,
            "reason": e.reason,
        }
        for e in exceptions
    ]
    load.public_items = [public_item(i) for i in items]
    if change and load.published_at is not None:
        moment = now or timezone.now()
        load.changed_at = moment
        load.changes = [*(load.changes or []), {"at": moment.isoformat(), "what": change[:120]}][-10:]
    load.version += 1
    load.save()
    _public_page_changed(school_class)
    return load


def change_text(verb: str, item: HomeworkItem, before: int | None = None) -> str:
    """What changed, as families read it: no one's name."""
    label = SUBJECT_LABELS.get(item.subject, item.subject)
    minutes = (
        f"约{before}→{item.minutes}分钟"
        if before is not None and before != item.minutes
        else (f"约{item.minutes}分钟")
    )
    return f"{verb}：{label}（{item.get_kind_display()}）{minutes}"


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
    exceptions = day_exceptions(school_class, on)
    extra = sum(e.extra_minutes for e in exceptions)
    posted = counted_minutes([_as_facts(i, profile) for i in existing], profile)
    all_kinds = load_rules.all_kinds_minutes(facts, profile)
    non_written = load_rules.non_written_minutes(facts, profile)
    warning = load_rules.non_written_warning(non_written, profile)
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
        "all_kinds_minutes": all_kinds,
        "all_kinds_posted": load_rules.all_kinds_minutes([_as_facts(i, profile) for i in existing], profile),
        "non_written_minutes": non_written,
        "all_kinds_cap": load_rules.all_kinds_cap(profile, school_class.grade.stage),
        "exception_all_kinds_minutes": sum(e.extra_all_kinds_minutes for e in exceptions),
        "warnings": [warning] if warning else [],
        "exceptions_per_week": profile.setting("homework_exceptions_per_class_week_max"),
        "own_exception_approver": profile.setting("homework_own_exception_approver"),
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


def _all_kinds_over(result: dict[str, Any]) -> int:
    """Minutes over the local total of all kinds (school days only, like the written cap), after
    approved exceptions; 0 when within it or when no local total is set."""
    limit = result["all_kinds_cap"]
    if limit is None or result["day_type"] != "school_day":
        return 0
    return max(0, result["all_kinds_minutes"] - limit - result["exception_all_kinds_minutes"])


def _refuse_hard(school_class: SchoolClass, hard: list[Finding]) -> None:
    if hard:
        raise HomeworkError(
            HomeworkError.RULE_VIOLATION,
            f"{school_class}：" + "；".join(f"{f.message_zh}（{f.rule_id}）" for f in hard),
            "; ".join(f"{f.message_en} ({f.rule_id})" for f in hard),
            findings=hard,
        )


def _refuse_over(school_class: SchoolClass, over: list[Finding], result: dict[str, Any]) -> None:
    """Refuse a day over the written cap or the local total of all kinds (no reason given)."""
    if over:
        f = over[0]
        raise HomeworkError(
            HomeworkError.DAILY_CAP_EXCEEDED,
            f"{school_class}：{f.message_zh}（{f.rule_id}）。可填写理由申请特批。",
            f"{f.message_en} ({f.rule_id}). You may ask for an exception.",
            findings=over,
        )
    raise HomeworkError(
        HomeworkError.ALL_KINDS_CAP_EXCEEDED,
        f"{school_class}：当天各类家庭作业合计{result['all_kinds_minutes']}分钟，超过本地规定的每日"
        f"{result['all_kinds_cap']}分钟（含口头、阅读、实践等）。可填写理由申请特批。",
        f"All kinds of homework total {result['all_kinds_minutes']} min, over the local "
        f"{result['all_kinds_cap']}-minute daily total. You may ask for an exception.",
        field="minutes",
    )


def _check_exception_limit(school_class: SchoolClass, on: date, result: dict[str, Any]) -> None:
    """The profile's limit on exceptions per class per week (approved or waiting), refused above it."""
    limit = result["exceptions_per_week"]
    if limit is None:
        return
    monday, sunday = load_rules.exception_week_bounds(on)
    used = (
        CapException.objects.filter(
            school_class=school_class, date__range=(monday, sunday), items__status=Status.ACTIVE
        )
        .distinct()
        .count()
    )
    used += HomeworkItem.objects.filter(
        school_class=school_class, date_set__range=(monday, sunday), status=Status.PENDING
    ).count()
    if used >= int(limit):
        raise HomeworkError(
            HomeworkError.EXCEPTION_LIMIT_REACHED,
            f"{school_class}本周已有{used}次超时特批（含待审批），达到每班每周{int(limit)}次的上限"
            "（本地配置“每班每周作业超时特批次数上限”），不能再申请；请减少作业量。",
            f"This class already has {used} exceptions this week (the limit is {int(limit)} per class per "
            "week); reduce the homework instead.",
            field="exception_reason",
        )


def _refuse_past(on: date, now: datetime, field: str = "date_set") -> None:
    if load_rules.is_backdated(on, now):
        raise HomeworkError(
            HomeworkError.DATE_IN_PAST,
            f"布置日期{on:%Y-%m-%d}已经过去，不能补记或修改以前的作业（只能是今天或以后）",
            f"The date {on.isoformat()} is in the past: homework is set for today or later",
            field=field,
        )


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
    idempotency_key: str = "",
    now: datetime | None = None,
) -> list[HomeworkItem]:
    """Post homework to one or several classes. All or nothing across the classes.

    The text is read too (decision 0025): a forbidden practice it names is refused as if its box were
    ticked; an arguable one is refused until the teacher posts again with `confirm_warnings`.

    Hard rules are refused (e.g. hw_written_at_home_g1_2, hw_no_parent_checking_or_marking). Going
    over the minute cap (or the local total of all kinds) is refused too unless `exception_reason`
    is given, in which case the item is saved as pending approval by someone other than the poster
    and does not count until approved. `date_set` is today (Beijing time) or later. The same
    `idempotency_key` sent again returns the items of the first post. `now` is for the demo's history.
    """
    now = now or timezone.now()
    key = idempotency_key.strip()[:64]
    if key:
        earlier = list(HomeworkItem.objects.filter(teacher=actor, idempotency_key=key).order_by("pk"))
        if earlier:
            return earlier
    if not class_ids:
        raise HomeworkError(HomeworkError.INVALID, "请选择班级", "Choose a class", field="class_ids")
    _refuse_past(date_set, now)
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
    for class_id in dict.fromkeys(class_ids):
        school_class = _class_for_teacher(actor, class_id, draft.subject)
        # Lock the class-day row first so two teachers posting at once are judged one after the other.
        ClassDayLoad.objects.get_or_create(
            school_class=school_class, date=date_set, defaults={"school_id": school_class.school_id}
        )
        ClassDayLoad.objects.select_for_update().get(school_class=school_class, date=date_set)
        if key:
            # A copy sent at the same moment waited on the lock above; the first one has committed.
            same = HomeworkItem.objects.filter(teacher=actor, school_class=school_class, idempotency_key=key)
            if same.exists():
                created.extend(same)
                continue
        result = homework_evaluate(school_class=school_class, on=date_set, draft=draft, teacher=actor)
        hard, over = _split(result["findings"], result["exception_minutes"])
        _refuse_hard(school_class, hard)
        status = Status.ACTIVE
        if over or _all_kinds_over(result):
            if not exception_reason.strip():
                _refuse_over(school_class, over, result)
            _check_exception_limit(school_class, date_set, result)
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
            request_reason=exception_reason.strip()[:200] if status == Status.PENDING else "",
            idempotency_key=key,
        )
        class_day_load_refresh(
            school_class=school_class,
            on=date_set,
            change=change_text("新增", item) if status == Status.ACTIVE else "",
            now=now,
        )
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
        if status == Status.PENDING:
            notice_exception(item, "申请", item.request_reason)
        created.append(item)
    return created


def can_approve_exceptions(actor: Any, school_class: SchoolClass) -> bool:
    """The head teacher of the class (and the school's leadership, who stand in for them): who may
    manage the class's exceptions at all. Whether one may decide a given item: can_decide_exception."""
    return (
        Membership.objects.filter(user=actor, role=Role.HEAD_TEACHER, school_class=school_class).exists()
        or Membership.objects.filter(
            user=actor, role__in=[Role.PRINCIPAL, Role.ACADEMIC_AFFAIRS], school_id=school_class.school_id
        ).exists()
    )


def exception_decider_role(item: HomeworkItem) -> str:
    """Who decides this item's exception: the head teacher for other teachers' items; for the head
    teacher's own, the profile's designated role (settings.homework_own_exception_approver, default
    教导处). Issue 12, "Nobody approves their own exception"; decision 0024."""
    if not is_head_teacher(item.teacher, item.school_class):
        return "head_teacher"
    profile = profile_resolve_for_school(item.school_class.school, item.date_set)
    return str(profile.setting("homework_own_exception_approver") or "academic_affairs")


def _decider_roles(role: str) -> list[str]:
    # The principal leads the academic office, so may decide what 教导处 decides; the head teacher's
    # role is held by the class's head teacher, with the school's leadership standing in.
    if role == "principal":
        return [Role.PRINCIPAL]
    if role == "academic_affairs":
        return [Role.ACADEMIC_AFFAIRS, Role.PRINCIPAL]
    return [Role.PRINCIPAL, Role.ACADEMIC_AFFAIRS]


def acting_role(actor: Any, item: HomeworkItem) -> str | None:
    """The role in which `actor` may decide `item`'s exception, or None. Never the poster."""
    if actor.pk == item.teacher_id:
        return None
    role = exception_decider_role(item)
    if role == "head_teacher" and is_head_teacher(actor, item.school_class):
        return "head_teacher"
    held = set(
        Membership.objects.filter(
            user=actor, role__in=_decider_roles(role), school_id=item.school_class.school_id
        ).values_list("role", flat=True)
    )
    for candidate in (Role.ACADEMIC_AFFAIRS, Role.PRINCIPAL):
        if candidate in held:
            return str(candidate)
    return None


def can_decide_exception(actor: Any, item: HomeworkItem) -> bool:
    return acting_role(actor, item) is not None


def notice_exception(item: HomeworkItem, what: str, reason: str = "") -> None:
    """An in-app notice to the school's academic office (教导处) of every exception: it sees each one
    on the week's exceptions page (a notification channel comes later)."""
    decider = ROLE_LABELS.get(exception_decider_role(item), "班主任")
    label = SUBJECT_LABELS.get(item.subject, item.subject)
    text = (
        f"{item.school_class} {item.date_set:%m月%d日} {label}{item.minutes}分钟：{what}特批"
        f"（由{decider}审批）" + (f"，理由：{reason}" if reason else "")
    )
    HomeworkNotice.objects.create(school_id=item.school_id, item=item, text=text[:300])


def _item_for_approver(actor: Any, item_id: int) -> HomeworkItem:
    from jianfu.schools.selectors import classes_for_actor_staff

    item = (
        HomeworkItem.objects.select_related("school_class__grade", "school_class__school", "teacher")
        .filter(pk=item_id, school_class__in=classes_for_actor_staff(actor))
        .first()
    )
    if item is None:
        raise NotFound("作业", "homework")
    if actor.pk == item.teacher_id:
        raise PermissionDenied("不能审批自己布置的作业的特批申请", "Nobody approves their own exception")
    if not can_decide_exception(actor, item):
        role = ROLE_LABELS.get(exception_decider_role(item), "班主任")
        raise PermissionDenied(f"这项特批由{role}审批", f"This exception is decided by the {role}")
    return item


@transaction.atomic
def exception_approve(*, actor: Any, item_id: int, reason: str) -> CapException:
    """Approve a pending item over the cap: records how many minutes over, why, who and in which
    role (audited). Never the poster; the head teacher's own item goes to the designated role."""
    if not reason.strip():
        raise HomeworkError(HomeworkError.INVALID, "请填写特批理由", "A reason is required", field="reason")
    item = _item_for_approver(actor, item_id)
    if item.status != Status.PENDING:
        raise HomeworkError(HomeworkError.INVALID, "该作业不在待特批状态", "Not pending approval")
    role = acting_role(actor, item) or "head_teacher"
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
    # Approving counts against the week's limit too (this item was one of the requests counted).
    limit = result["exceptions_per_week"]
    monday, sunday = load_rules.exception_week_bounds(item.date_set)
    approved = (
        CapException.objects.filter(
            school_class=item.school_class, date__range=(monday, sunday), items__status=Status.ACTIVE
        )
        .distinct()
        .count()
    )
    if limit is not None and approved >= int(limit):
        raise HomeworkError(
            HomeworkError.EXCEPTION_LIMIT_REACHED,
            f"{item.school_class}本周已批准{approved}次超时特批，达到每班每周{int(limit)}次的上限"
            "（本地配置“每班每周作业超时特批次数上限”）",
            f"This class already has {approved} approved exceptions this week (limit {int(limit)})",
        )
    over = max(0, result["total_minutes"] - (result["cap"] or 0) - result["exception_minutes"])
    if result["cap"] is None or result["day_type"] != "school_day":
        over = 0
    exception = CapException.objects.create(
        school_class=item.school_class,
        date=item.date_set,
        extra_minutes=over,
        extra_all_kinds_minutes=_all_kinds_over(result),
        reason=reason.strip()[:200],
        approved_by=actor,
        approver_role=ROLE_LABELS.get(role, ""),
    )
    item.status = Status.ACTIVE
    item.exception = exception
    item.save(update_fields=["status", "exception", "updated_at"])
    class_day_load_refresh(
        school_class=item.school_class, on=item.date_set, change=change_text("特批后新增", item)
    )
    audit(
        actor=actor,
        action="homework_exception_approved",
        obj=exception,
        school_id=item.school_id,
        data={"item": item.pk, "extra_minutes": over, "reason": exception.reason, "role": role},
    )
    notice_exception(item, f"{exception.approver_role}已批准", exception.reason)
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
    notice_exception(item, "已退回", reason.strip()[:100])
    return item


def _own_item(actor: Any, item_id: int) -> HomeworkItem:
    item = (
        HomeworkItem.objects.select_related("school_class__grade", "school_class__school")
        .filter(pk=item_id, teacher=actor)
        .exclude(status=Status.WITHDRAWN)
        .first()
    )
    if item is None:
        raise NotFound("作业", "homework")
    return item


@transaction.atomic
def homework_withdraw(*, actor: Any, item_id: int, now: datetime | None = None) -> HomeworkItem:
    """The posting teacher withdraws an item of today or later (a past day is a record: kept)."""
    now = now or timezone.now()
    item = _own_item(actor, item_id)
    _refuse_past(item.date_set, now)
    ClassDayLoad.objects.select_for_update().filter(
        school_class=item.school_class, date=item.date_set
    ).first()
    was_active = item.status == Status.ACTIVE
    item.status = Status.WITHDRAWN
    item.save(update_fields=["status", "updated_at"])
    class_day_load_refresh(
        school_class=item.school_class,
        on=item.date_set,
        change=change_text("撤回", item) if was_active else "",
        now=now,
    )
    audit(actor=actor, action="homework_withdrawn", obj=item, school_id=item.school_id)
    return item


@transaction.atomic
def homework_update(
    *,
    actor: Any,
    item_id: int,
    minutes: int | None = None,
    description: str | None = None,
    kind: str | None = None,
    where: str | None = None,
    tier: str | None = None,
    date_due: date | None = None,
    exception_reason: str = "",
    confirm_warnings: bool = False,
    now: datetime | None = None,
) -> HomeworkItem:
    """The posting teacher corrects an item of today or later; what is not given is kept.

    A changed description is screened like a post's (decision 0025): a forbidden practice is refused,
    an arguable one needs `confirm_warnings` again; an unchanged one is not asked about twice.

    The day is judged again with the corrected item, through the same rules as a post: hard rules
    refused; over the cap (or the local total of all kinds) refused unless a reason is given, then
    the item waits for approval again. An approved exception still covers the corrected item if the
    day stays within what was approved. Audited with the values before and after."""
    now = now or timezone.now()
    item = _own_item(actor, item_id)
    _refuse_past(item.date_set, now)
    ClassDayLoad.objects.select_for_update().filter(
        school_class=item.school_class, date=item.date_set
    ).first()
    before: dict[str, Any] = {
        "minutes": item.minutes,
        "description": item.description,
        "kind": item.kind,
        "where": item.where,
        "tier": item.tier,
        "date_due": item.date_due.isoformat(),
    }
    new_minutes = item.minutes if minutes is None else minutes
    new_description = item.description if description is None else description.strip()
    if not 1 <= new_minutes <= 240:
        raise HomeworkError(
            HomeworkError.INVALID, "预计用时应在1到240分钟之间", "Minutes must be 1–240", field="minutes"
        )
    if not new_description:
        raise HomeworkError(
            HomeworkError.INVALID, "请填写作业内容", "Describe the homework", field="description"
        )
    for name, value, choices in (("kind", kind, Kind), ("where", where, Where), ("tier", tier, Tier)):
        if value is not None and value not in choices.values:
            raise HomeworkError(
                HomeworkError.INVALID, f"{name}取值无效：{value}", f"Invalid {name}: {value}", field=name
            )
    new_due = item.date_due if date_due is None else date_due
    if new_due < item.date_set:
        raise HomeworkError(
            HomeworkError.INVALID, "完成日期不能早于布置日期", "Due date before set date", field="date_due"
        )
    draft = Draft(
        subject=item.subject,
        kind=kind or item.kind,
        where=where or item.where,
        minutes=new_minutes,
        tier=tier or item.tier,
    )
    if new_description != item.description:
        screened = screen(new_description)
        text_screen_check(screened, confirm_warnings=confirm_warnings)
        draft = text_flags_applied(draft, screened)
    result = homework_evaluate(
        school_class=item.school_class, on=item.date_set, draft=draft, teacher=actor, exclude_item=item.pk
    )
    hard, over = _split(result["findings"], result["exception_minutes"])
    _refuse_hard(item.school_class, hard)
    status = Status.ACTIVE
    if over or _all_kinds_over(result):
        if not exception_reason.strip():
            _refuse_over(item.school_class, over, result)
        if item.status == Status.ACTIVE:
            item.exception = None  # the approval was for the item as it was; the change is asked anew
            _check_exception_limit(item.school_class, item.date_set, result)
        status = Status.PENDING
    elif item.status == Status.PENDING and not exception_reason.strip():
        item.request_reason = ""
    was_active = item.status == Status.ACTIVE
    item.minutes = new_minutes
    item.description = new_description[:1000]
    item.kind, item.where, item.tier, item.date_due = draft.kind, draft.where, draft.tier, new_due
    item.calibrated_minutes = result["calibrated_minutes"]
    item.status = status
    if status == Status.PENDING and exception_reason.strip():
        item.request_reason = exception_reason.strip()[:200]
    item.save()
    if status == Status.ACTIVE or was_active:
        verb = "修改" if status == Status.ACTIVE else "撤下待特批"
        change = change_text(verb, item, before=int(before["minutes"]))
    else:
        change = ""
    class_day_load_refresh(school_class=item.school_class, on=item.date_set, change=change, now=now)
    audit(
        actor=actor,
        action="homework_edited",
        obj=item,
        school_id=item.school_id,
        data={
            "before": before,
            "after": {
                "minutes": item.minutes,
                "description": item.description,
                "kind": item.kind,
                "where": item.where,
                "tier": item.tier,
                "date_due": item.date_due.isoformat(),
            },
            "status": item.status,
        },
    )
    if status == Status.PENDING and (was_active or exception_reason.strip()):
        notice_exception(item, "修改后申请", item.request_reason)
    return item


def is_head_teacher(actor: Any, school_class: SchoolClass) -> bool:
    return Membership.objects.filter(user=actor, role=Role.HEAD_TEACHER, school_class=school_class).exists()


@transaction.atomic
def day_publish(*, actor: Any, school_class: SchoolClass, on: date) -> ClassDayLoad:
    """The head teacher publishes the day's list (公示): families see it on the class page from now."""
    if not is_head_teacher(actor, school_class):
        raise PermissionDenied("只有班主任可以公示本班作业", "Only the head teacher may publish")
    load = class_day_load_refresh(school_class=school_class, on=on)
    republished = load.needs_republish
    load.published_at = timezone.now()
    load.version += 1
    load.save(update_fields=["published_at", "version", "updated_at"])
    _public_page_changed(school_class)
    audit(
        actor=actor,
        action="homework_day_published",
        obj=load,
        school_id=school_class.school_id,
        data={"date": on.isoformat(), "items": load.items, "again_after_changes": republished},
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


# The years a school calendar can hold; a week asked for outside them is refused (a week around
# 9999-12-31 overflowed Python's dates: security.md L1 #5).
DATES_SUPPORTED = (date(2000, 1, 3), date(2099, 12, 28))


def week_start(on: date) -> date:
    if not DATES_SUPPORTED[0] <= on <= DATES_SUPPORTED[1]:
        raise HomeworkError(
            HomeworkError.INVALID,
            "日期超出范围（2000年至2099年）",
            "The date is out of range (2000–2099)",
            field="monday",
            status=422,
        )
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


def post_warnings(items: list[HomeworkItem]) -> list[str]:
    """Warnings (never refusals) for the class-days just posted to: non-written homework at home above
    the profile's threshold. The head teacher sees the same on the class's week."""
    out: list[str] = []
    for item in items:
        load = ClassDayLoad.objects.filter(school_class_id=item.school_class_id, date=item.date_set).first()
        if load is None:
            continue
        profile = profile_resolve_for_school(item.school_class.school, item.date_set)
        warning = load_rules.non_written_warning(load.non_written_minutes, profile)
        if warning:
            out.append(f"{item.school_class}：{warning}")
    return out


def exception_overseer_schools(actor: Any) -> list[int]:
    """The schools whose exceptions the actor oversees: their academic office (教导处) or principal."""
    return list(
        Membership.objects.filter(
            user=actor, role__in=[Role.ACADEMIC_AFFAIRS, Role.PRINCIPAL], school__isnull=False
        ).values_list("school_id", flat=True)
    )


@transaction.atomic
def exception_notices_mark_read(*, actor: Any) -> bool:
    """The academic office has read the notices of its schools (shared by the office). False if the
    actor oversees no school."""
    schools = exception_overseer_schools(actor)
    if not schools:
        return False
    HomeworkNotice.objects.filter(school_id__in=schools, read_at__isnull=True).update(read_at=timezone.now())
    return True


def non_written_threshold(school_class: SchoolClass, on: date) -> int:
    """The profile's warning line for non-written homework at home (a very large number if unset)."""
    value = profile_resolve_for_school(school_class.school, on).setting("homework_non_written_warn_minutes")
    return int(value) if value is not None else 10_000
