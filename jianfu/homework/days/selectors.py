"""The class-day as the rules judge it: its active items, approved exceptions and day type, and
the judgement of a day with a draft added (homework_evaluate, the live panel and every write's check).

A class-day's figures are computed here once per call, from the day's active items and the school's
resolved policy profile; the writes (jianfu.homework.days.services) keep them on the ClassDayLoad row."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, timedelta
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from jianfu.feedback.rules import median
from jianfu.homework import rules as load_rules
from jianfu.homework.errors import HomeworkError
from jianfu.homework.models import (
    CapException,
    HomeworkItem,
    Kind,
    Status,
    SubjectQuota,
    Tier,
    Where,
)
from jianfu.homework.screening.rules import ScreenResult, screen
from jianfu.policies.rules import check_homework_day, counted_minutes
from jianfu.policies.rules.facts import HomeworkDayFacts, HomeworkItemFacts
from jianfu.policies.rules.findings import Finding
from jianfu.policies.rules.profiles import ResolvedProfile
from jianfu.policies.selectors import profile_resolve_for_school
from jianfu.schools.models import DayType, SchoolClass, SchoolDay

CAP_RULES = {
    "hw_written_daily_avg_max_g3_6",
    "hw_written_daily_avg_max_g7_9",
    "hw_weekend_holiday_total_controlled",
}

FLAGS = ("needs_parent_marking", "assigned_to_parent", "phone_required", "self_marking", "punitive")


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


@dataclass(frozen=True)
class ClassDay:
    """A class-day as read once for a write: the school's resolved policy profile, the day's active
    items and its approved exceptions that still hold. A post judges the day with it
    (homework_evaluate) and then refreshes the day's row from it (days.services) without reading
    either again (docs/decisions/0040-homework-split-and-post-path.md)."""

    profile: ResolvedProfile
    items: list[HomeworkItem]
    exceptions: list[CapException]

    def with_items(self, items: list[HomeworkItem]) -> ClassDay:
        """The same day after a write changed its active items to `items`, in the order a read of the
        day gives (HomeworkItem.Meta.ordering: subject, then id). An exception holds while an active
        item of the day is linked to it (day_exceptions), so one whose items left no longer counts;
        no write here links an item to an exception (an approval reads the day afresh)."""
        kept = sorted(items, key=lambda i: (i.subject, i.pk))
        linked = {i.exception_id for i in kept}
        return replace(self, items=kept, exceptions=[e for e in self.exceptions if e.pk in linked])


def class_day_read(school_class: SchoolClass, on: date) -> ClassDay:
    return ClassDay(
        profile=profile_resolve_for_school(school_class.school, on),
        items=active_items(school_class, on),
        exceptions=day_exceptions(school_class, on),
    )


def homework_evaluate(
    *,
    school_class: SchoolClass,
    on: date,
    draft: Draft | None,
    teacher: Any = None,
    exclude_item: int | None = None,
    description: str = "",
    day: ClassDay | None = None,
    with_quota: bool = True,
) -> dict[str, Any]:
    """The class-day as it would be with `draft` added: load, cap, findings. Pure read (the live panel).

    The draft's text ticks the flags it names unambiguously, so their rules show among the findings."""
    screened = screen(description)
    if draft is not None:
        draft = text_flags_applied(draft, screened)
    day = day or class_day_read(school_class, on)
    profile = day.profile
    existing = [i for i in day.items if i.pk != exclude_item]
    facts = [_as_facts(i, profile) for i in existing]
    calibrated = None
    if draft is not None:
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
    exceptions = day.exceptions
    extra = sum(e.extra_minutes for e in exceptions)
    posted = counted_minutes([_as_facts(i, profile) for i in existing], profile)
    all_kinds = load_rules.all_kinds_minutes(facts, profile)
    non_written = load_rules.non_written_minutes(facts, profile)
    warning = load_rules.non_written_warning(non_written, profile)
    quota = None
    # The subject's quota is shown on the live panel; a write does not need it (with_quota=False).
    if draft is not None and with_quota:
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


def text_flags_applied(draft: Draft, screened: ScreenResult) -> Draft:
    """The draft with every flag its text ticks unambiguously set, whatever the boxes said (decision 0025)."""
    ticked: dict[str, Any] = dict.fromkeys(screened.flags, True)
    return replace(draft, **ticked) if ticked else draft


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


# The years a school calendar can hold; a week asked for outside them is refused (a week around
# 9999-12-31 overflowed Python's dates: security.md L1 #5).
DATES_SUPPORTED = (date(2000, 1, 3), date(2099, 12, 28))


def week_start(on: date) -> date:
    if not DATES_SUPPORTED[0] <= on <= DATES_SUPPORTED[1]:
        raise HomeworkError(
            HomeworkError.INVALID,
            _("日期超出范围（2000年至2099年）"),
            field="monday",
            status=422,
        )
    return on - timedelta(days=on.weekday())


def non_written_threshold(school_class: SchoolClass, on: date) -> int:
    """The profile's warning line for non-written homework at home (a very large number if unset)."""
    value = profile_resolve_for_school(school_class.school, on).setting("homework_non_written_warn_minutes")
    return int(value) if value is not None else 10_000


# Calibration: how long a teacher's homework really takes, from families' reports.
#
# For a teacher × subject × grade: on each recent class-day where at least MIN_REPORTS families gave a
# per-subject time, the day's ratio is median(reported minutes for the subject) / the teacher's
# estimate for that subject that day. The factor is the median of those ratios over at least MIN_DAYS
# days — medians, so one family's typo or one odd day does not move it.
MIN_REPORTS = 5

MIN_DAYS = 3

WINDOW_DAYS = 42


def calibration_factor(*, teacher: Any, subject: str, grade: int, school_id: int) -> float | None:
    from jianfu.feedback.selectors import sealed_subject_minutes
    from jianfu.homework.models import HomeworkItem, Status

    since = timezone.localdate() - timedelta(days=WINDOW_DAYS)
    estimates: dict[tuple[int, Any], int] = {}
    for class_id, day, minutes in HomeworkItem.objects.filter(
        teacher=teacher,
        subject=subject,
        school_id=school_id,
        school_class__grade__number=grade,
        status=Status.ACTIVE,
        date_set__gte=since,
    ).values_list("school_class_id", "date_set", "minutes"):
        estimates[(class_id, day)] = estimates.get((class_id, day), 0) + minutes
    if len(estimates) < MIN_DAYS:
        return None
    reported: dict[tuple[int, Any], list[int]] = {}
    class_ids = {c for c, _ in estimates}
    # Sealed days only: while a day is open its reports would move the factor one family at a time
    # (decision 0035).
    for class_id, day, by_subject in sealed_subject_minutes(class_ids, since):
        if (class_id, day) in estimates and subject in (by_subject or {}):
            reported.setdefault((class_id, day), []).append(int(by_subject[subject]))
    ratios = [
        (median(values) or 0) / estimates[key]
        for key, values in reported.items()
        if len(values) >= MIN_REPORTS and estimates[key] > 0
    ]
    if len(ratios) < MIN_DAYS:
        return None
    return median(ratios)
