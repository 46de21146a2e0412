"""Off-campus training rules (policy-defaults.md §2.11; dr_opinion_2021): when subject training may
run, how long an online lesson lasts, no homework from providers. Pure; each check cites its rule id
and source."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

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
                _("学科类培训不得占用休息日、节假日和寒暑假"),
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
                    _("线上培训每课时%(lesson_minutes)s分钟，超过%(most)s分钟"),
                    params={"lesson_minutes": facts.lesson_minutes, "most": most},
                    lesson_minutes=facts.lesson_minutes,
                )
            )
        if facts.break_minutes is not None and facts.break_minutes < gap:
            out.append(
                finding(
                    "training_online_lesson_max",
                    _("线上课程间隔%(break_minutes)s分钟，少于%(gap)s分钟"),
                    params={"break_minutes": facts.break_minutes, "gap": gap},
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
                        _("线上培训%(end_time)s结束，晚于%(hhmm)s"),
                        params={"end_time": hhmm(facts.end_time), "hhmm": hhmm(latest)},
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
                    _("培训%(end_time)s结束，晚于%(hhmm)s"),
                    params={"end_time": hhmm(facts.end_time), "hhmm": hhmm(latest)},
                    end_time=hhmm(facts.end_time),
                )
            )
    months_max = profile.get("training_prepay_max_span.max_months")
    lessons_max = profile.get("training_prepay_max_span.max_lessons")
    if facts.prepaid_months is not None and facts.prepaid_months > months_max:
        out.append(
            finding(
                "training_prepay_max_span",
                _("一次性预收%(prepaid_months)s个月费用，超过%(months_max)s个月"),
                params={"prepaid_months": facts.prepaid_months, "months_max": months_max},
                prepaid_months=facts.prepaid_months,
            )
        )
    if facts.prepaid_lessons is not None and facts.prepaid_lessons > lessons_max:
        out.append(
            finding(
                "training_prepay_max_span",
                _("一次性预收%(prepaid_lessons)s课时费用，超过%(lessons_max)s课时"),
                params={"prepaid_lessons": facts.prepaid_lessons, "lessons_max": lessons_max},
                prepaid_lessons=facts.prepaid_lessons,
            )
        )
    if facts.subject_type == "non_subject" and facts.prepaid_amount is not None:
        cap = profile.get("training_prepay_max_amount_nonsubject.max_amount")
        if facts.prepaid_amount > cap:
            out.append(
                finding(
                    "training_prepay_max_amount_nonsubject",
                    _("单次预收%(amount)s元，超过%(cap)s元"),
                    params={"amount": f"{facts.prepaid_amount:g}", "cap": cap},
                    amount=facts.prepaid_amount,
                )
            )
    if not facts.in_custody and (facts.prepaid_months or facts.prepaid_lessons or facts.prepaid_amount):
        out.append(
            finding(
                "training_prepay_custody",
                _("预收费须全部进入专用账户（银行托管或风险保证金）"),
            )
        )
    if facts.training_loan:
        out.append(finding("training_no_training_loans", _("不得诱导家长使用培训贷")))
    if facts.assigns_homework:
        out.append(
            finding(
                "hw_offcampus_training_no_homework",
                _("校外培训机构不得给学生布置作业"),
            )
        )
    return out
