"""Rules of the school day (policy-defaults.md §2.4, §2.5, §2.10; myopia_action_2021): the earliest
morning start, the end of after-school service against parents' off-work time. Pure; each check cites
its rule id and source."""

from __future__ import annotations

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
                        f"上午上课时间{hhmm(facts.class_start)}早于{hhmm(earliest)}",
                        f"Morning lessons start at {hhmm(facts.class_start)}, before {hhmm(earliest)}",
                        class_start=hhmm(facts.class_start),
                        earliest=hhmm(earliest),
                    )
                )
    if facts.requires_early_arrival:
        out.append(
            finding(
                "no_required_early_arrival",
                "学校不得要求学生提前到校参加统一教学活动",
                "Students may not be required to arrive early for lessons",
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
                "不得利用课后服务时间讲新课",
                "No new lessons in after-school time",
            )
        )
    if facts.long_break_minutes is not None:
        need = profile.get("long_break_daily.min_minutes")
        if facts.long_break_minutes < need:
            out.append(
                finding(
                    "long_break_daily",
                    f"大课间{facts.long_break_minutes}分钟，少于{need}分钟",
                    f"Long break of {facts.long_break_minutes} min, under {need}",
                    minutes=facts.long_break_minutes,
                )
            )
    if facts.inter_lesson_break_minutes is not None:
        need = profile.get("inter_class_break_min.min_minutes")
        if facts.inter_lesson_break_minutes < need:
            out.append(
                finding(
                    "inter_class_break_min",
                    f"课间{facts.inter_lesson_break_minutes}分钟，少于{need}分钟",
                    f"Break of {facts.inter_lesson_break_minutes} min, under {need}",
                )
            )
    if facts.in_school_learning_hours is not None and facts.stage == "primary":
        cap = profile.get("in_school_learning_time_max_primary.max_hours")
        if cap is not None and facts.in_school_learning_hours > cap:
            out.append(
                finding(
                    "in_school_learning_time_max_primary",
                    f"在校集中学习{facts.in_school_learning_hours}小时，超过本地规定的{cap}小时",
                    f"{facts.in_school_learning_hours} h of in-school learning, over the local {cap} h",
                )
            )
    if facts.stage == "junior" and facts.evening_self_study_end is not None:
        latest = as_time(profile.get("junior_evening_self_study.latest"))
        if facts.evening_self_study_end > latest:
            out.append(
                finding(
                    "junior_evening_self_study",
                    f"晚自习{hhmm(facts.evening_self_study_end)}结束，晚于{hhmm(latest)}",
                    f"Evening self-study ends at {hhmm(facts.evening_self_study_end)}, after {hhmm(latest)}",
                )
            )
    if facts.stage == "junior" and facts.evening_self_study_hours is not None:
        most = profile.get("junior_evening_self_study.max_hours")
        if facts.evening_self_study_hours > most:
            out.append(
                finding(
                    "junior_evening_self_study",
                    f"晚自习{facts.evening_self_study_hours}小时，超过{most}小时",
                    f"Evening self-study of {facts.evening_self_study_hours} h, over {most} h",
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
                    f"电子产品教学{facts.electronic_teaching_minutes}分钟，占教学总时长{share:.0f}%，超过{most_pct}%",
                    f"{facts.electronic_teaching_minutes} min of screen teaching is {share:.0f}% of teaching "
                    f"time, over {most_pct}%",
                    electronic_minutes=facts.electronic_teaching_minutes,
                    teaching_minutes=facts.teaching_minutes,
                    max_percent=most_pct,
                )
            )
    return out
