"""Posting homework within the cap, correcting and withdrawing it, and the head teacher's subject quotas.

The policy engine judges the class-day with the new item included (jianfu.homework.days.selectors):
hard rules are refused outright; the minute cap is refused unless a reason is given, and then the item
waits for an exception decided by someone other than the poster (jianfu.homework.exceptions)."""

from __future__ import annotations

import secrets
from datetime import date, datetime
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.functional import lazy
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from jianfu.core.audit import audit
from jianfu.core.errors import NotFound, PermissionDenied
from jianfu.homework import rules as load_rules
from jianfu.homework.days.selectors import (
    Draft,
    _all_kinds_over,
    _split,
    class_day_read,
    homework_evaluate,
    text_flags_applied,
)
from jianfu.homework.days.services import (
    ADDED,
    EDITED,
    PENDING_TAKEN_DOWN,
    WITHDRAWN,
    change_text,
    class_day_load_refresh,
    class_day_row_lock,
)
from jianfu.homework.errors import HomeworkError
from jianfu.homework.exceptions.services import (
    REQUESTED,
    REQUESTED_AFTER_EDIT,
    exception_waiting_notify,
    notice_exception,
)
from jianfu.homework.models import (
    CapException,
    ClassDayLoad,
    HomeworkItem,
    Kind,
    Status,
    SubjectQuota,
    Tier,
    Where,
)
from jianfu.homework.permissions import can_set_quotas, class_get_for_posting
from jianfu.homework.screening.rules import Hit, ScreenResult, screen
from jianfu.policies.rules.catalogue import RULES_BY_ID
from jianfu.policies.rules.findings import Finding, render
from jianfu.policies.selectors import profile_resolve_for_school
from jianfu.schools.models import SchoolClass


def _findings_text(found: list[Finding]) -> Any:
    """The findings in plain words, rendered when the error is read, in the reader's language. Their
    rule ids travel in the error's details (the API's codes; the page's 依据 disclosure), not in the
    sentence a teacher reads (issue 15)."""

    def build() -> str:
        return gettext("；").join(f.message for f in found)

    return lazy(build, str)()


def _refuse_hard(school_class: SchoolClass, hard: list[Finding]) -> None:
    if hard:
        raise HomeworkError(
            HomeworkError.RULE_VIOLATION,
            _("%(school_class)s：%(findings)s"),
            params={"school_class": school_class, "findings": _findings_text(hard)},
            findings=hard,
        )


def _refuse_over(school_class: SchoolClass, over: list[Finding], result: dict[str, Any]) -> None:
    """Refuse a day over the written cap or the local total of all kinds (no reason given)."""
    if over:
        f = over[0]
        raise HomeworkError(
            HomeworkError.DAILY_CAP_EXCEEDED,
            _("%(school_class)s：%(findings)s。可填写理由申请特批。"),
            params={"school_class": school_class, "findings": _findings_text([f])},
            findings=over,
        )
    raise HomeworkError(
        HomeworkError.ALL_KINDS_CAP_EXCEEDED,
        _(
            "%(school_class)s：当天各类家庭作业合计%(minutes)s分钟，超过本地规定的每日%(cap)s分钟"
            "（含口头、阅读、实践等）。可填写理由申请特批。"
        ),
        params={
            "school_class": school_class,
            "minutes": result["all_kinds_minutes"],
            "cap": result["all_kinds_cap"],
        },
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
            _(
                "%(school_class)s本周已有%(used)s次超时特批（含待审批），达到每班每周%(limit)s次的上限"
                "（本地配置“每班每周作业超时特批次数上限”），不能再申请；请减少作业量。"
            ),
            params={"school_class": school_class, "used": used, "limit": int(limit)},
            field="exception_reason",
        )


def _refuse_past(on: date, now: datetime, field: str = "date_set") -> None:
    if load_rules.is_backdated(on, now):
        raise HomeworkError(
            HomeworkError.DATE_IN_PAST,
            _("布置日期%(date)s已经过去，不能补记或修改以前的作业（只能是今天或以后）"),
            params={"date": on.isoformat()},
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
        raise HomeworkError(HomeworkError.INVALID, _("请选择班级"), field="class_ids")
    _refuse_past(date_set, now)
    if date_due < date_set:
        raise HomeworkError(HomeworkError.INVALID, _("完成日期不能早于布置日期"), field="date_due")
    if not 1 <= draft.minutes <= 240:
        raise HomeworkError(HomeworkError.INVALID, _("预计用时应在1到240分钟之间"), field="minutes")
    if not description.strip():
        raise HomeworkError(HomeworkError.INVALID, _("请填写作业内容"), field="description")
    screened = screen(description)
    text_screen_check(screened, confirm_warnings=confirm_warnings)
    draft = text_flags_applied(draft, screened)
    batch = secrets.token_hex(8) if len(class_ids) > 1 else ""
    created: list[HomeworkItem] = []
    for class_id in dict.fromkeys(class_ids):
        school_class = class_get_for_posting(actor, class_id, draft.subject)
        # Lock the class-day row first so two teachers posting at once are judged one after the other.
        load = class_day_row_lock(school_class, date_set)
        if key:
            # A copy sent at the same moment waited on the lock above; the first one has committed.
            same = list(
                HomeworkItem.objects.filter(teacher=actor, school_class=school_class, idempotency_key=key)
            )
            if same:
                created.extend(same)
                continue
        # The day is read once (profile, active items, exceptions): judged with the draft, then its
        # row refreshed with the new item from the same read (decision 0040).
        day = class_day_read(school_class, date_set)
        result = homework_evaluate(
            school_class=school_class, on=date_set, draft=draft, teacher=actor, day=day, with_quota=False
        )
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
            change=change_text(ADDED, item) if status == Status.ACTIVE else "",
            now=now,
            # A pending item does not count until approved: the day's active items stay as read.
            day=day.with_items([*day.items, item]) if status == Status.ACTIVE else day,
            load=load,
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
            notice_exception(item, REQUESTED, item.request_reason)
            exception_waiting_notify(item)
        created.append(item)
    return created


def _own_item(actor: Any, item_id: int) -> HomeworkItem:
    item = (
        HomeworkItem.objects.select_related("school_class__grade", "school_class__school")
        .filter(pk=item_id, teacher=actor)
        .exclude(status=Status.WITHDRAWN)
        .first()
    )
    if item is None:
        raise NotFound(_("作业"))
    return item


@transaction.atomic
def homework_withdraw(*, actor: Any, item_id: int, now: datetime | None = None) -> HomeworkItem:
    """The posting teacher withdraws an item of today or later (a past day is a record: kept)."""
    now = now or timezone.now()
    item = _own_item(actor, item_id)
    _refuse_past(item.date_set, now)
    load = class_day_row_lock(item.school_class, item.date_set)
    was_active = item.status == Status.ACTIVE
    item.status = Status.WITHDRAWN
    item.save(update_fields=["status", "updated_at"])
    class_day_load_refresh(
        school_class=item.school_class,
        on=item.date_set,
        change=change_text(WITHDRAWN, item) if was_active else "",
        now=now,
        load=load,
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
    load = class_day_row_lock(item.school_class, item.date_set)
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
        raise HomeworkError(HomeworkError.INVALID, _("预计用时应在1到240分钟之间"), field="minutes")
    if not new_description:
        raise HomeworkError(HomeworkError.INVALID, _("请填写作业内容"), field="description")
    for name, value, choices in (("kind", kind, Kind), ("where", where, Where), ("tier", tier, Tier)):
        if value is not None and value not in choices.values:
            raise HomeworkError(
                HomeworkError.INVALID,
                _("%(name)s取值无效：%(value)s"),
                params={"name": name, "value": value},
                field=name,
            )
    new_due = item.date_due if date_due is None else date_due
    if new_due < item.date_set:
        raise HomeworkError(HomeworkError.INVALID, _("完成日期不能早于布置日期"), field="date_due")
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
    day = class_day_read(item.school_class, item.date_set)
    result = homework_evaluate(
        school_class=item.school_class,
        on=item.date_set,
        draft=draft,
        teacher=actor,
        exclude_item=item.pk,
        day=day,
        with_quota=False,
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
        verb = EDITED if status == Status.ACTIVE else PENDING_TAKEN_DOWN
        change = change_text(verb, item, before=int(before["minutes"]))
    else:
        change = ""
    # The day as read above, with the corrected item in place of the old one (or without it while it
    # waits for approval): not read again (decision 0040).
    others = [i for i in day.items if i.pk != item.pk]
    class_day_load_refresh(
        school_class=item.school_class,
        on=item.date_set,
        change=change,
        now=now,
        day=day.with_items([*others, item] if status == Status.ACTIVE else others),
        load=load,
    )
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
        notice_exception(item, REQUESTED_AFTER_EDIT, item.request_reason)
        exception_waiting_notify(item)
    return item


def text_screen_check(screened: ScreenResult, *, confirm_warnings: bool) -> None:
    """Refuse a text naming a forbidden practice; ask for confirmation of an arguable one (decision 0025).

    Sources: phone_notice_2021 item 2; dr_opinion_2021 §4 and §6; hw_notice_2021 (the rules of the flags,
    jianfu/policies/rules/catalogue.py)."""

    def finding_of(h: Hit) -> Finding:
        rule = RULES_BY_ID[h.rule_id]
        message = _("“%(phrase)s”：%(what)s，依据：%(rule)s")
        return Finding(
            h.rule_id,
            rule.severity if h.level == "block" else "warning",
            render(message, {"phrase": h.phrase, "what": h.what_zh, "rule": rule.title_zh}, "zh-hans"),
            render(message, {"phrase": h.phrase, "what": h.what_en, "rule": rule.title_en}, "en"),
            {"phrase": h.phrase, "pattern": h.pattern, "level": h.level},
            rule.source_text,
        )

    if screened.blocks:
        found = [finding_of(h) for h in screened.blocks]
        raise HomeworkError(
            HomeworkError.RULE_VIOLATION,
            _("作业内容中有政策禁止的做法，请修改后再布置。%(findings)s。"),
            params={"findings": _findings_text(found)},
            findings=found,
            field="description",
        )
    if screened.warnings and not confirm_warnings:
        found = [finding_of(h) for h in screened.warnings]
        raise HomeworkError(
            HomeworkError.TEXT_NEEDS_CONFIRMATION,
            _(
                "作业内容可能涉及政策不允许的做法，请确认：%(findings)s。"
                "如果并不需要（例如不用手机、家长不用检查），请勾选确认后再次提交，确认会被记录。"
            ),
            params={"findings": _findings_text(found)},
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
            out.append(
                gettext("%(school_class)s：%(warning)s")
                % {"school_class": item.school_class, "warning": warning}
            )
    return out


@transaction.atomic
def subject_quota_set(*, actor: Any, school_class: SchoolClass, subject: str, minutes: int | None) -> None:
    """The head teacher sets (or clears, with None) a subject's daily minute quota for the class."""
    if not can_set_quotas(actor, school_class):
        raise PermissionDenied(_("只有班主任可以设置学科配额"))
    if minutes is None:
        SubjectQuota.objects.filter(school_class=school_class, subject=subject).delete()
    else:
        if not 0 <= minutes <= 240:
            raise HomeworkError(HomeworkError.INVALID, _("配额应在0到240分钟之间"), field="minutes")
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
