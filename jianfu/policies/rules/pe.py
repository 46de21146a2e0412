"""PE and activity rules (policy-defaults.md §2.6; fitness_notice_2021, edu_power_plan_2025): PE lessons
a week and the daily activity time. Pure; each check cites its rule id and source."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from jianfu.policies.rules.facts import (
    ActivityDayFacts,
    PeWeekFacts,
)
from jianfu.policies.rules.findings import Finding, finding
from jianfu.policies.rules.profiles import ResolvedProfile


def check_pe_week(facts: PeWeekFacts, profile: ResolvedProfile) -> list[Finding]:
    out: list[Finding] = []
    stage = facts.stage or profile.stage_for(facts.grade, facts.system or "six_three")
    if stage == "senior":
        rule_id = "pe_weekly_periods_senior"
    elif facts.grade <= 2:
        rule_id = "pe_weekly_periods_g1_2"
    else:
        rule_id = "pe_weekly_periods_g3_9"
    need = profile.get(f"{rule_id}.min_periods")
    if facts.pe_periods < need:
        out.append(
            finding(
                rule_id,
                _("体育课每周%(pe_periods)s课时，少于%(need)s课时"),
                params={"pe_periods": facts.pe_periods, "need": need},
                periods=facts.pe_periods,
                min_periods=need,
            )
        )
    if facts.total_periods is not None and facts.grade <= 9:
        plan = (
            "weekly_periods_g1_2"
            if facts.grade <= 2
            else "weekly_periods_g3_6"
            if facts.grade <= 6
            else "weekly_periods_g7_9"
        )
        most = profile.get(f"{plan}.max_periods")
        if facts.total_periods > most:
            out.append(
                finding(
                    plan,
                    _("周课时%(total_periods)s节，超过课程方案的%(most)s节"),
                    params={"total_periods": facts.total_periods, "most": most},
                    periods=facts.total_periods,
                )
            )
    if facts.labor_periods is not None and facts.grade <= 9:
        need_labor = profile.get("labor_weekly_min.min_periods")
        if facts.labor_periods < need_labor:
            out.append(
                finding(
                    "labor_weekly_min",
                    _("劳动课每周%(labor_periods)s课时，少于%(need_labor)s课时"),
                    params={"labor_periods": facts.labor_periods, "need_labor": need_labor},
                )
            )
    return out


def check_activity_day(facts: ActivityDayFacts, profile: ResolvedProfile) -> list[Finding]:
    """Daily physical activity.

    pe_activity_in_school_daily, pe_activity_out_of_school_daily — fitness_notice_2021: 保障学生每天校内、
    校外各1小时体育活动时间 (in school on school days; out of school every day).
    pe_comprehensive_daily_min — edu_power_plan_2025: 中小学生每天综合体育活动时间不低于2小时 (counted
    here as in-school plus out-of-school activity; a rest day has no in-school part).
    """
    out: list[Finding] = []
    school_day = (facts.day_type or "school_day") == "school_day"
    if school_day and facts.in_school_minutes is not None:
        need = profile.get("pe_activity_in_school_daily.min_minutes")
        if need is not None and facts.in_school_minutes < need:
            out.append(
                finding(
                    "pe_activity_in_school_daily",
                    _("校内体育活动%(in_school_minutes)s分钟，少于%(need)s分钟"),
                    params={"in_school_minutes": facts.in_school_minutes, "need": need},
                    minutes=facts.in_school_minutes,
                    min_minutes=need,
                )
            )
    if facts.out_of_school_minutes is not None:
        need = profile.get("pe_activity_out_of_school_daily.min_minutes")
        if need is not None and facts.out_of_school_minutes < need:
            out.append(
                finding(
                    "pe_activity_out_of_school_daily",
                    _("校外体育活动%(out_of_school_minutes)s分钟，少于%(need)s分钟"),
                    params={"out_of_school_minutes": facts.out_of_school_minutes, "need": need},
                    minutes=facts.out_of_school_minutes,
                    min_minutes=need,
                )
            )
    in_school = facts.in_school_minutes if school_day else (facts.in_school_minutes or 0)
    if in_school is not None and facts.out_of_school_minutes is not None:
        total = in_school + facts.out_of_school_minutes
        need = profile.get("pe_comprehensive_daily_min.min_minutes")
        if need is not None and total < need:
            out.append(
                finding(
                    "pe_comprehensive_daily_min",
                    _("全天体育活动合计%(total)s分钟，少于%(need)s分钟"),
                    params={"total": total, "need": need},
                    minutes=total,
                    min_minutes=need,
                )
            )
    return out


# --- off-campus training -----------------------------------------------------------------------
