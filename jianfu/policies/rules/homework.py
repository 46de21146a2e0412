"""Homework rules (policy-defaults.md §2.1, §2.2; dr_opinion_2021 §4–§5, hw_notice_2021): the daily cap
by grade band, no written homework at home in grades 1–2, what counts toward the cap, and rest days as
a whole. Pure: facts and a resolved profile in, findings out; each check cites its rule id and source."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import date, timedelta

from django.utils.translation import gettext_lazy as _

from jianfu.policies.rules.facts import (
    HomeworkDayFacts,
    HomeworkItemFacts,
    HomeworkPeriodFacts,
)
from jianfu.policies.rules.findings import (
    LAYERED,
    STAGE_LABELS,
    Finding,
    Grades,
    SubjectName,
    finding,
)
from jianfu.policies.rules.profiles import ResolvedProfile


def counted_minutes(items: list[HomeworkItemFacts], profile: ResolvedProfile) -> int:
    """Minutes that count toward the daily cap, following the profile (policy-defaults.md §4.2, §4.15).

    Default: written work meant to be done at home; the required tier plus the largest layered tier
    (a student gets one layer, so the heaviest layer is what some students carry); electives excluded.
    """
    count_non_written = bool(profile.setting("count_non_written"))
    count_in_school = bool(profile.setting("count_in_school_completed"))
    tier_counting = profile.setting("tier_counting")
    relevant = [
        i
        for i in items
        if (i.kind == "written" or count_non_written) and (i.where == "home" or count_in_school)
    ]
    required = sum(i.minutes for i in relevant if i.tier == "required")
    if tier_counting == "required_only":
        return required
    by_layer: dict[str, int] = {}
    for i in relevant:
        if i.tier in LAYERED:
            by_layer[i.tier] = by_layer.get(i.tier, 0) + i.minutes
    return required + max(by_layer.values(), default=0)


def check_homework_day(facts: HomeworkDayFacts, profile: ResolvedProfile) -> list[Finding]:
    out: list[Finding] = []
    stage = facts.stage or profile.stage_for(facts.grade, facts.system or "six_three")
    day_type = facts.day_type or "school_day"
    # hw_written_at_home_g1_2 — dr_opinion_2021 §5: 小学一、二年级不布置家庭书面作业; in-school consolidation is allowed.
    if stage == "primary" and facts.grade <= 2:
        for item in facts.items:
            if item.kind == "written" and item.where == "home":
                out.append(
                    finding(
                        "hw_written_at_home_g1_2",
                        _(
                            "一、二年级不得布置家庭书面作业（%(subject)s，%(minutes)s分钟）；可在校内适当安排巩固练习"
                        ),
                        params={"subject": SubjectName(item.subject), "minutes": item.minutes},
                        subject=item.subject,
                        minutes=item.minutes,
                        grade=facts.grade,
                    )
                )
    # Daily caps — dr_opinion_2021 §5: 三至六年级 ≤ 60, 初中 ≤ 90 (平均完成时间), on school days.
    total = counted_minutes(facts.items, profile)
    if day_type == "school_day":
        if not (stage == "primary" and facts.grade <= 2):
            cap, rule_id, band = profile.homework_cap(facts.grade, stage)
            if cap is not None and rule_id != "hw_senior_high_reasonable" and total > cap:
                where = (
                    Grades(min(band["grades"]), max(band["grades"]))
                    if band
                    else STAGE_LABELS.get(stage, stage)
                )
                out.append(
                    finding(
                        rule_id,
                        _("书面作业合计%(total)s分钟，超过%(where)s每日%(cap)s分钟的上限"),
                        params={"total": total, "where": where, "cap": cap},
                        counted_minutes=total,
                        cap_minutes=cap,
                        grade=facts.grade,
                        stage=stage,
                        band=band,
                    )
                )
    else:
        # hw_weekend_holiday_total_controlled — hw_notice_2021: no national number; local value if set.
        limit = profile.get("hw_weekend_holiday_total_controlled.max_minutes_per_day")
        if limit is not None and total > limit:
            out.append(
                finding(
                    "hw_weekend_holiday_total_controlled",
                    _("休息日书面作业合计%(total)s分钟，超过本地规定的%(limit)s分钟"),
                    params={"total": total, "limit": limit},
                    counted_minutes=total,
                    cap_minutes=limit,
                    day_type=day_type,
                )
            )
    # Teacher practice — dr_opinion_2021 §4, hw_notice_2021, phone_notice_2021 item 2.
    flag_rules: list[tuple[str, Callable[[HomeworkItemFacts], bool], object]] = [
        (
            "hw_no_parent_assignment",
            lambda i: i.assigned_to_parent,
            _("不得给家长布置作业"),
        ),
        (
            "hw_no_parent_checking_or_marking",
            lambda i: i.needs_parent_marking,
            _("不得要求家长检查、批改作业"),
        ),
        (
            "hw_no_student_self_marking",
            lambda i: i.self_marking,
            _("不得要求学生自批自改作业"),
        ),
        (
            "hw_no_repetitive_or_punitive",
            lambda i: i.punitive,
            _("不得布置重复性、惩罚性作业"),
        ),
        (
            "hw_no_phone_based_homework",
            lambda i: i.phone_required,
            _("不得要求学生用手机完成作业"),
        ),
    ]
    for rule_id, test, what in flag_rules:
        for item in facts.items:
            if test(item):
                out.append(
                    finding(
                        rule_id,
                        _("%(what)s（%(subject)s）"),
                        params={"what": what, "subject": SubjectName(item.subject)},
                        subject=item.subject,
                    )
                )
    return out


def _rest_day_type(day: date) -> str:
    """A day's type when neither the caller nor a calendar gave one: Saturday and Sunday rest."""
    return "weekend" if day.weekday() >= 5 else "school_day"


def check_homework_period(facts: HomeworkPeriodFacts, profile: ResolvedProfile) -> list[Finding]:
    """Each day as a homework_day, then each run of consecutive rest days as a whole.

    hw_weekend_holiday_total_controlled — hw_notice_2021 (周末、节假日、寒暑假要控制书面作业总量): no
    national number, so the period total is checked only where a profile sets
    `max_minutes_per_period` (a local value, e.g. a weekend's or a holiday's written work together).
    """
    out: list[Finding] = []
    days = sorted(facts.days, key=lambda d: d.date)
    runs: list[list[tuple[date, int]]] = []
    for day in days:
        day_type = day.day_type or _rest_day_type(day.date)
        one = HomeworkDayFacts.model_validate(
            {
                "grade": facts.grade,
                "stage": facts.stage,
                "system": facts.system,
                "day_type": day_type,
                "items": day.items,
            }
        )
        for f in check_homework_day(one, profile):
            out.append(replace(f, evidence={**f.evidence, "date": day.date.isoformat()}))
        if day_type == "school_day":
            continue
        minutes = counted_minutes(day.items, profile)
        if runs and runs[-1][-1][0] == day.date - timedelta(days=1):
            runs[-1].append((day.date, minutes))
        else:
            runs.append([(day.date, minutes)])
    limit = profile.get("hw_weekend_holiday_total_controlled.max_minutes_per_period")
    if limit is None:
        return out
    for run in runs:
        total = sum(m for _, m in run)
        if total > limit:
            first, last = run[0][0].isoformat(), run[-1][0].isoformat()
            out.append(
                finding(
                    "hw_weekend_holiday_total_controlled",
                    _(
                        "%(first)s至%(last)s连续%(len)s个休息日书面作业合计%(total)s分钟，超过本地规定的%(limit)s分钟"
                    ),
                    params={"first": first, "last": last, "len": len(run), "total": total, "limit": limit},
                    counted_minutes=total,
                    cap_minutes=limit,
                    first_date=first,
                    last_date=last,
                    days=len(run),
                )
            )
    return out
