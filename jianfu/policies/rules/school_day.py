"""Rules of the school day (policy-defaults.md §2.4, §2.5, §2.10; myopia_action_2021): the earliest
morning start, the end of after-school service against parents' off-work time. Pure; each check cites
its rule id and source."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from jianfu.policies.rules.after_school import after_school_end_finding
from jianfu.policies.rules.facts import (
    ScheduleFacts,
)
from jianfu.policies.rules.findings import Finding, as_time, finding, hhmm
from jianfu.policies.rules.profiles import ResolvedProfile


def check_schedule(facts: ScheduleFacts, profile: ResolvedProfile) -> list[Finding]:
    out: list[Finding] = []
    if facts.class_start is not None:
        if facts.stage == "primary":
            rule_id = "morning_class_start_earliest_primary"
        elif facts.stage == "junior" or profile.setting("middle_includes_senior"):
            rule_id = "morning_class_start_earliest_middle"
        else:
            rule_id = ""
        if rule_id:
            earliest = as_time(profile.get(f"{rule_id}.earliest"))
            if facts.class_start < earliest:
                out.append(
                    finding(
                        rule_id,
                        _("上午上课时间%(class_start)s早于%(hhmm)s"),
                        params={"class_start": hhmm(facts.class_start), "hhmm": hhmm(earliest)},
                        class_start=hhmm(facts.class_start),
                        earliest=hhmm(earliest),
                    )
                )
    if facts.requires_early_arrival:
        out.append(
            finding(
                "no_required_early_arrival",
                _("学校不得要求学生提前到校参加统一教学活动"),
            )
        )
    if facts.after_school_end is not None:
        end_finding = after_school_end_finding(facts.after_school_end, profile, facts.off_work_time)
        if end_finding is not None:
            out.append(end_finding)
    if facts.new_lessons_in_after_school:
        out.append(
            finding(
                "after_school_no_new_lessons",
                _("不得利用课后服务时间讲新课"),
            )
        )
    if facts.long_break_minutes is not None:
        need = profile.get("long_break_daily.min_minutes")
        if facts.long_break_minutes < need:
            out.append(
                finding(
                    "long_break_daily",
                    _("大课间%(long_break_minutes)s分钟，少于%(need)s分钟"),
                    params={"long_break_minutes": facts.long_break_minutes, "need": need},
                    minutes=facts.long_break_minutes,
                )
            )
    if facts.inter_lesson_break_minutes is not None:
        need = profile.get("inter_class_break_min.min_minutes")
        if facts.inter_lesson_break_minutes < need:
            out.append(
                finding(
                    "inter_class_break_min",
                    _("课间%(inter_lesson_break_minutes)s分钟，少于%(need)s分钟"),
                    params={"inter_lesson_break_minutes": facts.inter_lesson_break_minutes, "need": need},
                )
            )
    if facts.in_school_learning_hours is not None and facts.stage == "primary":
        cap = profile.get("in_school_learning_time_max_primary.max_hours")
        if cap is not None and facts.in_school_learning_hours > cap:
            out.append(
                finding(
                    "in_school_learning_time_max_primary",
                    _("在校集中学习%(in_school_learning_hours)s小时，超过本地规定的%(cap)s小时"),
                    params={"in_school_learning_hours": facts.in_school_learning_hours, "cap": cap},
                )
            )
    if facts.stage == "junior" and facts.evening_self_study_end is not None:
        latest = as_time(profile.get("junior_evening_self_study.latest"))
        if facts.evening_self_study_end > latest:
            out.append(
                finding(
                    "junior_evening_self_study",
                    _("晚自习%(evening_self_study_end)s结束，晚于%(hhmm)s"),
                    params={
                        "evening_self_study_end": hhmm(facts.evening_self_study_end),
                        "hhmm": hhmm(latest),
                    },
                )
            )
    if facts.stage == "junior" and facts.evening_self_study_hours is not None:
        most = profile.get("junior_evening_self_study.max_hours")
        if facts.evening_self_study_hours > most:
            out.append(
                finding(
                    "junior_evening_self_study",
                    _("晚自习%(evening_self_study_hours)s小时，超过%(most)s小时"),
                    params={"evening_self_study_hours": facts.evening_self_study_hours, "most": most},
                )
            )
    # electronic_teaching_max_share — myopia_action_2021: 使用电子产品开展教学时长原则上不超过教学总时长的30%.
    if facts.teaching_minutes and facts.electronic_teaching_minutes is not None:
        most_pct = profile.get("electronic_teaching_max_share.max_percent")
        share = facts.electronic_teaching_minutes * 100 / facts.teaching_minutes
        if most_pct is not None and share > most_pct:
            out.append(
                finding(
                    "electronic_teaching_max_share",
                    _("电子产品教学%(minutes)s分钟，占教学总时长%(share)s%%，超过%(most)s%%"),
                    params={
                        "minutes": facts.electronic_teaching_minutes,
                        "share": f"{share:.0f}",
                        "most": most_pct,
                    },
                    electronic_minutes=facts.electronic_teaching_minutes,
                    teaching_minutes=facts.teaching_minutes,
                    max_percent=most_pct,
                )
            )
    return out
