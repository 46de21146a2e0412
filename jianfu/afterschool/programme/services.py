"""Defining a programme (课后服务实施方案): the term, the weekday slots, the choice window and the
priority rules, subsidy rules; opening and closing the choice window. Courses and providers are in
courses/services.py. Every change re-runs the policy engine and stores its findings on the
programme; a programme with a violation cannot open for choosing, and once open no change may add one.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, time
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from jianfu.afterschool.models import (
    Programme,
    ProgrammeStatus,
    ServicePart,
    ServiceSlot,
    SubsidyCategory,
    SubsidyRule,
)
from jianfu.afterschool.programme.rules import DEFAULT_PRIORITY_RULES, priority_rules_problems
from jianfu.afterschool.programme.selectors import has_violation, programme_findings
from jianfu.afterschool.rules import WEEKDAYS, Bilingual, Joined
from jianfu.afterschool.selectors import programme_get_for_office, programmes_for_staff
from jianfu.core.audit import audit
from jianfu.core.errors import DomainError, ErrorDetail, NotFound, PermissionDenied
from jianfu.schools.access import SCHOOL_WIDE_ROLES, schools_for_actor
from jianfu.schools.models import School


class ProgrammeError(DomainError):
    INVALID = "afterschool_invalid"
    WRONG_STATUS = "afterschool_wrong_status"
    POLICY_VIOLATION = "afterschool_policy_violation"
    status = 422


def office_programme(actor: Any, programme_id: int, *, lock: bool = False) -> Programme:
    """The programme if the actor runs it (principal, academic affairs). Its staff and the bureau can
    see it but not change it (403); anyone else gets 404, as for a programme that does not exist."""
    try:
        programme = programme_get_for_office(actor, programme_id)
    except NotFound:
        if programmes_for_staff(actor).filter(pk=programme_id).exists():
            raise PermissionDenied(_("只有校长或教导处可以管理课后服务方案")) from None
        raise
    if lock:
        # One writer per programme at a time: allocation runs, cancellations and withdrawals queue.
        programme = (
            Programme.objects.select_for_update()
            .select_related("school__region", "term")
            .get(pk=programme.pk)
        )
    return programme


def require_status(programme: Programme, *allowed: str, action: Any) -> None:
    """Refuse unless the programme is in one of `allowed`; `action` names what was asked (a catalogue
    text, e.g. _("开放选课"))."""
    if programme.status not in allowed:
        raise ProgrammeError(
            ProgrammeError.WRONG_STATUS,
            _("方案当前状态为“%(status)s”，不能%(action)s"),
            params={"status": ProgrammeStatus(programme.status).label, "action": action},
            field="status",
            status=409,
        )


def _violations(findings: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [f for f in findings if f["severity"] == "violation"]


def _violation_details(violations: list[dict[str, Any]]) -> list[ErrorDetail]:
    # The policy engine's findings come in both languages already (not from this catalogue).
    return [ErrorDetail(f["message_zh"], f["message_en"], code=f["rule_id"]) for f in violations]


def _both(details: list[ErrorDetail]) -> Joined:
    return Joined(Bilingual(d.message_zh, d.message_en) for d in details)


def _said(violations: list[dict[str, Any]]) -> Joined:
    return Joined(Bilingual(f["message_zh"], f["message_en"]) for f in violations)


def refresh_findings(programme: Programme) -> list[dict[str, Any]]:
    """Re-run the policy engine and store its findings. Once families can see the programme (open
    for choosing or later), a change that brings a violation is refused (the caller's transaction
    rolls back): a violation may only be found, and fixed, in a draft."""
    programme.findings = programme_findings(programme)
    programme.save(update_fields=["findings", "updated_at"])
    if programme.status != ProgrammeStatus.DRAFT and has_violation(programme.findings):
        violations = _violations(programme.findings)
        raise ProgrammeError(
            ProgrammeError.POLICY_VIOLATION,
            _("修改未保存：会违反课后服务规定（%(rules)s）"),
            params={"rules": _said(violations)},
            details=_violation_details(violations),
        )
    return programme.findings


def _audit(actor: Any, action: str, programme: Programme, **data: Any) -> None:
    audit(
        actor=actor,
        action=action,
        obj=programme,
        school_id=programme.school_id,
        region_code=programme.school.region.code,
        data=data,
    )


def _check_window(opens_at: datetime | None, closes_at: datetime | None) -> None:
    if opens_at is not None and closes_at is not None and closes_at <= opens_at:
        raise ProgrammeError(
            ProgrammeError.INVALID,
            _("选课截止时间应晚于开始时间"),
            field="choice_closes_at",
        )


def _check_max_choices(max_choices: int) -> None:
    if not 1 <= max_choices <= 10:
        raise ProgrammeError(ProgrammeError.INVALID, _("最多志愿数应在1到10之间"), field="max_choices")


def _without_zeros(rules: dict[str, Any]) -> dict[str, int]:
    """A weight of 0 means "not considered": stored by leaving the flag out, so {"hardship": 0} and {}
    are the same rules."""
    return {k: int(v) for k, v in rules.items() if v}


def _check_priority_rules(rules: dict[str, Any]) -> None:
    problems = priority_rules_problems(rules)
    if problems:
        details = [
            ErrorDetail(message, params=params, field="priority_rules") for message, params in problems
        ]
        raise ProgrammeError(
            ProgrammeError.INVALID,
            _("优先规则有误：%(problems)s"),
            params={"problems": _both(details)},
            field="priority_rules",
            details=details,
        )


@transaction.atomic
def programme_create(
    *,
    actor: Any,
    school_id: int,
    term_id: int,
    name: str,
    max_choices: int = 3,
    priority_rules: dict[str, int] | None = None,
    choice_opens_at: datetime | None = None,
    choice_closes_at: datetime | None = None,
) -> Programme:
    """A new programme, as a draft, for one of the actor's schools and one of its terms."""
    school: School | None = schools_for_actor(actor, roles=SCHOOL_WIDE_ROLES).filter(pk=school_id).first()
    if school is None:
        raise NotFound(_("学校"))
    term = school.terms.filter(pk=term_id).first()
    if term is None:
        raise ProgrammeError(ProgrammeError.INVALID, _("学期不存在"), field="term_id")
    name = (name or "").strip()
    if not name or len(name) > 100:
        raise ProgrammeError(ProgrammeError.INVALID, _("请填写方案名称（100字以内）"), field="name")
    rules = dict(DEFAULT_PRIORITY_RULES if priority_rules is None else priority_rules)
    _check_max_choices(max_choices)
    _check_priority_rules(rules)
    rules = _without_zeros(rules)
    _check_window(choice_opens_at, choice_closes_at)
    programme = Programme.objects.create(
        school=school,
        term=term,
        name=name,
        max_choices=max_choices,
        priority_rules=rules,
        choice_opens_at=choice_opens_at,
        choice_closes_at=choice_closes_at,
        created_by=actor,
    )
    refresh_findings(programme)
    _audit(actor, "afterschool_programme_created", programme, term=term.pk)
    return programme


@transaction.atomic
def programme_update(
    *,
    actor: Any,
    programme_id: int,
    name: str | None = None,
    max_choices: int | None = None,
    priority_rules: dict[str, int] | None = None,
    choice_opens_at: datetime | None = None,
    choice_closes_at: datetime | None = None,
) -> Programme:
    """Change the settings (None = unchanged). In a draft everything may change; once families are
    choosing, the rules they chose under (max choices, priorities, the opening) are fixed and only
    the closing time may move; after the allocation only the name."""
    programme = office_programme(actor, programme_id, lock=True)
    draft = programme.status == ProgrammeStatus.DRAFT
    choosing = programme.status == ProgrammeStatus.CHOOSING
    changed: dict[str, Any] = {}

    def locked(field: str, label: Any) -> ProgrammeError:
        return ProgrammeError(
            ProgrammeError.WRONG_STATUS,
            _("家长已开始选课，%(what)s不能再修改"),
            params={"what": label},
            field=field,
            status=409,
        )

    if name is not None and name.strip() != programme.name:
        if not name.strip() or len(name.strip()) > 100:
            raise ProgrammeError(ProgrammeError.INVALID, _("请填写方案名称（100字以内）"), field="name")
        programme.name = changed["name"] = name.strip()
    if max_choices is not None and max_choices != programme.max_choices:
        if not draft:
            raise locked("max_choices", _("最多志愿数"))
        _check_max_choices(max_choices)
        programme.max_choices = changed["max_choices"] = max_choices
    if priority_rules is not None:
        _check_priority_rules(priority_rules)
    if priority_rules is not None and _without_zeros(priority_rules) != programme.priority_rules:
        if not draft:
            raise locked("priority_rules", _("优先规则"))
        programme.priority_rules = changed["priority_rules"] = _without_zeros(priority_rules)
    if choice_opens_at is not None and choice_opens_at != programme.choice_opens_at:
        if not draft:
            raise locked("choice_opens_at", _("选课开始时间"))
        programme.choice_opens_at = choice_opens_at
        changed["choice_opens_at"] = choice_opens_at.isoformat()
    if choice_closes_at is not None and choice_closes_at != programme.choice_closes_at:
        if not (draft or choosing):
            raise locked("choice_closes_at", _("选课截止时间"))
        if choosing and choice_closes_at <= timezone.now():
            raise ProgrammeError(
                ProgrammeError.INVALID,
                _("截止时间不能早于现在；要立即截止请用“结束选课”"),
                field="choice_closes_at",
            )
        programme.choice_closes_at = choice_closes_at
        changed["choice_closes_at"] = choice_closes_at.isoformat()
    _check_window(programme.choice_opens_at, programme.choice_closes_at)
    programme.save()
    if changed:
        _audit(actor, "afterschool_programme_updated", programme, **changed)
    return programme


@dataclass(frozen=True)
class SlotSpec:
    weekday: int
    part: str
    start: time
    end: time


@transaction.atomic
def slots_set(*, actor: Any, programme_id: int, slots: list[SlotSpec]) -> list[ServiceSlot]:
    """Replace the programme's weekday slots (all or nothing): one slot per part per weekday, ending
    after it starts, not overlapping another part of the same day."""
    programme = office_programme(actor, programme_id, lock=True)
    require_status(
        programme,
        ProgrammeStatus.DRAFT,
        ProgrammeStatus.CHOOSING,
        ProgrammeStatus.ALLOCATED,
        ProgrammeStatus.PUBLISHED,
        action=_("修改时段"),
    )
    problems: list[ErrorDetail] = []
    seen: dict[tuple[int, str], SlotSpec] = {}
    for n, s in enumerate(slots, start=1):
        if s.weekday not in WEEKDAYS:
            problems.append(
                ErrorDetail(_("第%(n)s个时段：星期应为1到7"), params={"n": n}, row=n, field="weekday")
            )
            continue
        where = {
            "day": WEEKDAYS[s.weekday],
            "part": ServicePart(s.part).label if s.part in ServicePart.values else "",
        }
        if s.part not in ServicePart.values:
            problems.append(ErrorDetail(_("第%(n)s个时段：类型无效"), params={"n": n}, row=n, field="part"))
        elif (s.weekday, s.part) in seen:
            problems.append(ErrorDetail(_("%(day)s%(part)s填了两次"), params=where, row=n, field="part"))
        elif s.end <= s.start:
            problems.append(
                ErrorDetail(_("%(day)s%(part)s：结束时间应晚于开始时间"), params=where, row=n, field="end")
            )
        else:
            for other in seen.values():
                if other.weekday == s.weekday and s.start < other.end and other.start < s.end:
                    problems.append(
                        ErrorDetail(
                            _("%(day)s%(part)s与同日其他时段重叠"), params=where, row=n, field="start"
                        )
                    )
                    break
            seen[(s.weekday, s.part)] = s
    if problems:
        raise ProgrammeError(
            ProgrammeError.INVALID,
            _("时段未保存：%(problems)s"),
            params={"problems": _both(problems)},
            details=problems,
        )
    programme.slots.all().delete()
    rows = ServiceSlot.objects.bulk_create(
        [
            ServiceSlot(programme=programme, weekday=s.weekday, part=s.part, start=s.start, end=s.end)
            for s in slots
        ]
    )
    refresh_findings(programme)
    _audit(actor, "afterschool_slots_set", programme, slots=len(rows))
    return rows


@transaction.atomic
def subsidy_rules_set(*, actor: Any, programme_id: int, percents: dict[str, int]) -> list[SubsidyRule]:
    """The share of a course's fee waived per category of family (after_school_fee_rules: the
    province sets the policy, the school enters it). 0 removes the category's rule."""
    programme = office_programme(actor, programme_id, lock=True)
    for category, percent in percents.items():
        if category not in SubsidyCategory.values:
            raise ProgrammeError(
                ProgrammeError.INVALID,
                _("未知的减免类别：%(category)s"),
                params={"category": category},
                field="category",
            )
        if not isinstance(percent, int) or not 0 <= percent <= 100:
            raise ProgrammeError(ProgrammeError.INVALID, _("减免比例应为0到100的整数"), field="percent")
    for category, percent in percents.items():
        if percent == 0:
            programme.subsidy_rules.filter(category=category).delete()
        else:
            SubsidyRule.objects.update_or_create(
                programme=programme, category=category, defaults={"percent": percent}
            )
    _audit(actor, "afterschool_subsidies_set", programme, **percents)
    return list(programme.subsidy_rules.all())


@transaction.atomic
def programme_open_choosing(*, actor: Any, programme_id: int, now: datetime | None = None) -> Programme:
    """Open the programme to families. Needs slots, a choice window that has not ended, and no
    violation in the policy engine's findings."""
    now = now or timezone.now()
    programme = office_programme(actor, programme_id, lock=True)
    require_status(programme, ProgrammeStatus.DRAFT, action=_("开放选课"))
    findings = refresh_findings(programme)
    if has_violation(findings):
        violations = _violations(findings)
        raise ProgrammeError(
            ProgrammeError.POLICY_VIOLATION,
            _("方案违反课后服务规定，不能开放选课：%(rules)s"),
            params={"rules": _said(violations)},
            details=_violation_details(violations),
        )
    if not programme.slots.exists():
        raise ProgrammeError(ProgrammeError.INVALID, _("请先设置服务时段"), field="slots")
    if programme.choice_opens_at is None or programme.choice_closes_at is None:
        raise ProgrammeError(ProgrammeError.INVALID, _("请先设置选课时间"), field="choice_opens_at")
    if programme.choice_closes_at <= now:
        raise ProgrammeError(
            ProgrammeError.INVALID,
            _("选课截止时间已过，请先修改"),
            field="choice_closes_at",
        )
    programme.status = ProgrammeStatus.CHOOSING
    programme.save(update_fields=["status", "updated_at"])
    _audit(actor, "afterschool_choosing_opened", programme)
    return programme


@transaction.atomic
def programme_close_choosing(*, actor: Any, programme_id: int, now: datetime | None = None) -> Programme:
    """End the choice window now (the office may close it early, e.g. on the announced day)."""
    now = now or timezone.now()
    programme = office_programme(actor, programme_id, lock=True)
    require_status(programme, ProgrammeStatus.CHOOSING, action=_("结束选课"))
    if programme.choice_closes_at is None or programme.choice_closes_at > now:
        programme.choice_closes_at = now
        if programme.choice_opens_at is not None and programme.choice_opens_at > now:
            programme.choice_opens_at = now
        programme.save(update_fields=["choice_closes_at", "choice_opens_at", "updated_at"])
    _audit(actor, "afterschool_choosing_closed", programme)
    return programme
