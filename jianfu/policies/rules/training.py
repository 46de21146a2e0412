"""Off-campus training rules (policy-defaults.md §2.11; dr_opinion_2021): when subject training may
run, how long an online lesson lasts, no homework from providers. Pure; each check cites its rule id
and source."""

from __future__ import annotations

from jianfu.policies.rules.facts import (
    TrainingFacts,
)
from jianfu.policies.rules.findings import Finding, as_time, finding, hhmm
from jianfu.policies.rules.profiles import ResolvedProfile


def check_training(facts: TrainingFacts, profile: ResolvedProfile) -> list[Finding]:
    out: list[Finding] = []
    day_type = facts.day_type or "school_day"
    if facts.subject_type == "subject" and day_type != "school_day":
        out.append(
            finding(
                "training_subject_no_weekend_holiday_vacation",
                "学科类培训不得占用休息日、节假日和寒暑假",
                "No subject training on rest days, holidays or vacations",
                day_type=day_type,
            )
        )
    if facts.online:
        most = profile.get("training_online_lesson_max.max_minutes")
        gap = profile.get("training_online_lesson_max.min_break_minutes")
        if facts.lesson_minutes is not None and facts.lesson_minutes > most:
            out.append(
                finding(
                    "training_online_lesson_max",
                    f"线上培训每课时{facts.lesson_minutes}分钟，超过{most}分钟",
                    f"Online lesson of {facts.lesson_minutes} min, over {most}",
                    lesson_minutes=facts.lesson_minutes,
                )
            )
        if facts.break_minutes is not None and facts.break_minutes < gap:
            out.append(
                finding(
                    "training_online_lesson_max",
                    f"线上课程间隔{facts.break_minutes}分钟，少于{gap}分钟",
                    f"Break of {facts.break_minutes} min between online lessons, under {gap}",
                )
            )
        # dr_opinion_2021 (线上培训…每节课不超过30分钟，课程间隔不少于10分钟，培训结束时间不晚于21点) states
        # the 21:00 end inside this rule too; the time is the one parameter of
        # training_end_online_live_latest, so a profile cannot hold two different ends. A late end is
        # reported under both ids (decision 0028).
        if facts.end_time is not None:
            latest = as_time(profile.get("training_end_online_live_latest.latest"))
            if facts.end_time > latest:
                out.append(
                    finding(
                        "training_online_lesson_max",
                        f"线上培训{hhmm(facts.end_time)}结束，晚于{hhmm(latest)}",
                        f"Online training ends at {hhmm(facts.end_time)}, after {hhmm(latest)}",
                        end_time=hhmm(facts.end_time),
                        latest=hhmm(latest),
                        parameter="training_end_online_live_latest.latest",
                    )
                )
    if facts.end_time is not None:
        rule_id = "training_end_online_live_latest" if facts.online else "training_end_offline_latest"
        latest = as_time(profile.get(f"{rule_id}.latest"))
        if facts.end_time > latest:
            out.append(
                finding(
                    rule_id,
                    f"培训{hhmm(facts.end_time)}结束，晚于{hhmm(latest)}",
                    f"Training ends at {hhmm(facts.end_time)}, after {hhmm(latest)}",
                    end_time=hhmm(facts.end_time),
                )
            )
    months_max = profile.get("training_prepay_max_span.max_months")
    lessons_max = profile.get("training_prepay_max_span.max_lessons")
    if facts.prepaid_months is not None and facts.prepaid_months > months_max:
        out.append(
            finding(
                "training_prepay_max_span",
                f"一次性预收{facts.prepaid_months}个月费用，超过{months_max}个月",
                f"Prepaid {facts.prepaid_months} months, over {months_max}",
                prepaid_months=facts.prepaid_months,
            )
        )
    if facts.prepaid_lessons is not None and facts.prepaid_lessons > lessons_max:
        out.append(
            finding(
                "training_prepay_max_span",
                f"一次性预收{facts.prepaid_lessons}课时费用，超过{lessons_max}课时",
                f"Prepaid {facts.prepaid_lessons} lessons, over {lessons_max}",
                prepaid_lessons=facts.prepaid_lessons,
            )
        )
    if facts.subject_type == "non_subject" and facts.prepaid_amount is not None:
        cap = profile.get("training_prepay_max_amount_nonsubject.max_amount")
        if facts.prepaid_amount > cap:
            out.append(
                finding(
                    "training_prepay_max_amount_nonsubject",
                    f"单次预收{facts.prepaid_amount:g}元，超过{cap}元",
                    f"Prepaid {facts.prepaid_amount:g} CNY, over {cap}",
                    amount=facts.prepaid_amount,
                )
            )
    if not facts.in_custody and (facts.prepaid_months or facts.prepaid_lessons or facts.prepaid_amount):
        out.append(
            finding(
                "training_prepay_custody",
                "预收费须全部进入专用账户（银行托管或风险保证金）",
                "Prepaid fees must be held in custody",
            )
        )
    if facts.training_loan:
        out.append(finding("training_no_training_loans", "不得诱导家长使用培训贷", "No training loans"))
    if facts.assigns_homework:
        out.append(
            finding(
                "hw_offcampus_training_no_homework",
                "校外培训机构不得给学生布置作业",
                "Off-campus providers may not assign homework",
            )
        )
    return out
