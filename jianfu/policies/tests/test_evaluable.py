"""Invariant (issue 20): every rule the catalogue marks evaluable is checked by the evaluator.

For each such rule there is one set of facts that breaks it and one that keeps it, at or next to the
limit the policy text gives (cited beside each case, policy-defaults.md §2 and the source register
§1). A rule marked evaluable without a case here fails `test_every_evaluable_rule_has_cases`; a
rule with a case but no check fails the violating case. Rules with no national number are tried
with a local value in the profile (the third element), as the catalogue says they work.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Any

import pytest

from jianfu.policies.rules import evaluate
from jianfu.policies.rules.catalogue import RULES, national_defaults
from jianfu.policies.rules.facts import Facts
from jianfu.policies.rules.profiles import ResolvedProfile


def hw(grade: int, minutes: int, day_type: str = "school_day", **item: Any) -> dict[str, Any]:
    return {
        "homework_day": {
            "grade": grade,
            "day_type": day_type,
            "items": [{"subject": "math", "kind": "written", "where": "home", "minutes": minutes, **item}],
        }
    }


def exams(grade: int, *kinds: str, term: str | None = None, **flags: Any) -> dict[str, Any]:
    group: dict[str, Any] = {"grade": grade, "exams": [{"kind": k, **flags} for k in kinds]}
    if term:
        group["term"] = term
    return {"exam_term": group}


def night(stage: str, bedtime: str, wake: str) -> dict[str, Any]:
    return {"night": {"stage": stage, "bedtime": bedtime, "wake_time": wake}}


def schedule(**kw: Any) -> dict[str, Any]:
    return {"schedule": {"stage": kw.pop("stage", "primary"), **kw}}


def pe(grade: int, periods: int, **kw: Any) -> dict[str, Any]:
    return {"pe_week": {"grade": grade, "pe_periods": periods, **kw}}


def training(**kw: Any) -> dict[str, Any]:
    return {"training": {"subject_type": kw.pop("subject_type", "non_subject"), **kw}}


def activity(**kw: Any) -> dict[str, Any]:
    return {"activity_day": {"day_type": "school_day", **kw}}


def programme(end: str = "17:30", days: int = 5, minutes: int = 120, **kw: Any) -> dict[str, Any]:
    return {
        "after_school_programme": {
            "days": [{"weekday": d, "end": end, "service_minutes": minutes} for d in range(1, days + 1)],
            **kw,
        }
    }


def period(*days: tuple[str, int]) -> dict[str, Any]:
    return {
        "homework_period": {
            "grade": 5,
            "days": [
                {"date": d, "items": [{"subject": "math", "kind": "written", "minutes": m}]} for d, m in days
            ],
        }
    }


# rule id → (violating facts, compliant facts, local profile values or {}, the policy text)
CASES: dict[str, tuple[dict[str, Any], dict[str, Any], dict[str, Any], str]] = {
    "hw_written_at_home_g1_2": (
        hw(2, 1),
        hw(2, 20, where="in_class"),
        {},
        "小学一、二年级不布置家庭书面作业，可在校内适当安排巩固练习",
    ),
    "hw_written_daily_avg_max_g3_6": (
        hw(3, 61),
        hw(3, 60),
        {},
        "小学三至六年级书面作业平均完成时间不超过60分钟",
    ),
    "hw_written_daily_avg_max_g7_9": (hw(7, 91), hw(7, 90), {}, "初中书面作业平均完成时间不超过90分钟"),
    "hw_weekend_holiday_total_controlled": (
        # A weekend, Saturday 2026-11-28 and Sunday 2026-11-29: 60 + 61 = 121 > a local 120 …
        period(("2026-11-28", 60), ("2026-11-29", 61)),
        # … 60 + 60 = 120 is at the limit; Friday's 60 is a school day's, not part of the weekend.
        period(("2026-11-27", 60), ("2026-11-28", 60), ("2026-11-29", 60)),
        {"hw_weekend_holiday_total_controlled.max_minutes_per_period": 120},
        "周末、节假日、寒暑假要控制书面作业总量 (hw_notice_2021; the number is local)",
    ),
    "hw_offcampus_training_no_homework": (
        training(assigns_homework=True),
        training(),
        {},
        "校外培训机构不得给学生布置作业",
    ),
    "hw_no_parent_assignment": (
        hw(5, 10, assigned_to_parent=True),
        hw(5, 10),
        {},
        "不得给家长布置或变相布置作业",
    ),
    "hw_no_parent_checking_or_marking": (
        hw(5, 10, needs_parent_marking=True),
        hw(5, 10),
        {},
        "不得要求家长检查、批改作业",
    ),
    "hw_no_student_self_marking": (hw(5, 10, self_marking=True), hw(5, 10), {}, "不得要求学生自批自改作业"),
    "hw_no_repetitive_or_punitive": (
        hw(5, 10, punitive=True),
        hw(5, 10),
        {},
        "严禁布置机械、无效作业，杜绝重复性、惩罚性作业",
    ),
    "hw_no_phone_based_homework": (
        hw(5, 10, phone_required=True),
        hw(5, 10),
        {},
        "不得要求学生利用手机完成作业",
    ),
    "exam_paper_none_g1_2": (
        exams(2, "final"),
        exams(2, "final", paper_based=False),
        {},
        "一二年级不进行纸笔考试",
    ),
    "exam_final_per_term_max": (exams(5, "final", "final"), exams(5, "final"), {}, "每学期组织一次期末考试"),
    "exam_midterm_per_term_max": (
        exams(7, "midterm", "midterm"),
        exams(7, "midterm"),
        {},
        "初中年级从不同学科实际出发，可适当安排一次期中考试",
    ),
    "exam_no_weekly_monthly_unit_tests": (
        exams(5, "monthly"),
        exams(5, "final"),
        {},
        "不得组织周考、月考、单元考试等其他统考统测",
    ),
    "exam_no_regional_or_interschool": (
        exams(5, "final", organiser="regional"),
        exams(5, "final"),
        {},
        "小学和初中非毕业年级不得组织区域性或跨校际的考试",
    ),
    "exam_mock_max_graduating": (
        exams(9, "mock", "mock", "mock", term="spring"),
        exams(9, "mock", "mock", term="spring"),
        {},
        "初中毕业年级为适应学业水平考试，可在下学期适当安排1-2次模拟考试",
    ),
    "exam_grade_levels": (
        {"exam_term": {"grade": 5, "exams": [{"kind": "final"}], "level_count": 6}},
        {"exam_term": {"grade": 5, "exams": [{"kind": "final"}], "level_count": 5}},
        {},
        "考试结果实行等级评价，一般分4至5个等级",
    ),
    "exam_no_ranking_no_publication": (
        exams(5, "final", ranking_published=True),
        exams(5, "final"),
        {},
        "不得公布学生考试成绩和排名",
    ),
    "exam_no_tracking_by_score": (
        exams(5, "final", placement_by_score=True),
        exams(5, "final"),
        {},
        "不得按考试结果给学生排座位、分班",
    ),
    # Sleep: 小学生每天睡眠时间应达到10小时，初中生应达到9小时，高中生应达到8小时 (sleep_notice_2021 item 2).
    "sleep_min_primary": (
        night("primary", "21:00", "06:59"),
        night("primary", "21:00", "07:00"),
        {},
        "小学生…10小时",
    ),
    "sleep_min_junior": (
        night("junior", "22:00", "06:59"),
        night("junior", "22:00", "07:00"),
        {},
        "初中生…9小时",
    ),
    "sleep_min_senior": (
        night("senior", "22:30", "06:29"),
        night("senior", "22:30", "06:30"),
        {},
        "高中生…8小时",
    ),
    # 就寝时间一般不晚于21:20、22:00、23:00 (sleep_notice_2021 item 5).
    "bedtime_latest_primary": (
        night("primary", "21:21", "07:30"),
        night("primary", "21:20", "07:30"),
        {},
        "小学生就寝时间一般不晚于21:20",
    ),
    "bedtime_latest_junior": (
        night("junior", "22:01", "07:30"),
        night("junior", "22:00", "07:30"),
        {},
        "初中生一般不晚于22:00",
    ),
    "bedtime_latest_senior": (
        night("senior", "23:01", "07:30"),
        night("senior", "23:00", "07:30"),
        {},
        "高中生一般不晚于23:00",
    ),
    "morning_class_start_earliest_primary": (
        schedule(class_start="08:19"),
        schedule(class_start="08:20"),
        {},
        "小学上午上课时间一般不早于8:20",
    ),
    "morning_class_start_earliest_middle": (
        schedule(stage="junior", class_start="07:59"),
        schedule(stage="junior", class_start="08:00"),
        {},
        "中学一般不早于8:00",
    ),
    "no_required_early_arrival": (
        schedule(requires_early_arrival=True),
        schedule(),
        {},
        "学校不得要求学生提前到校参加统一的教育教学活动",
    ),
    "training_end_offline_latest": (
        training(end_time="20:31"),
        training(end_time="20:30"),
        {},
        "校外培训机构线下培训结束时间不得晚于20:30",
    ),
    "training_end_online_live_latest": (
        training(online=True, end_time="21:01"),
        training(online=True, end_time="21:00"),
        {},
        "线上直播类培训不得晚于21:00",
    ),
    "after_school_end_not_before_off_work": (
        programme(end="17:29"),
        programme(end="17:30"),
        {},
        "课后服务结束时间原则上不早于当地正常下班时间",
    ),
    "after_school_end_off_work_plus_30": (
        programme(end="17:59"),
        programme(end="18:00"),
        {"after_school_end_off_work_plus_30.enabled": True},
        "不早于当地普遍的正常下班时间后半小时 (17:30 + 30 min)",
    ),
    "after_school_days_and_hours_5x2": (
        programme(days=4),
        programme(days=5, minutes=120),
        {},
        "“5+2”：每周5天，每天至少2小时",
    ),
    "after_school_voluntary": (
        programme(enrolled_by_default=True),
        programme(),
        {},
        "课后服务由学生家长自愿选择",
    ),
    "after_school_no_new_lessons": (
        programme(new_lesson_courses=["数学"]),
        programme(),
        {},
        "不得利用课后服务时间讲新课",
    ),
    "junior_evening_self_study": (
        schedule(stage="junior", evening_self_study_end="20:31"),
        schedule(stage="junior", evening_self_study_end="20:30"),
        {},
        "初中学校晚自习结束时间一般不晚于20:30",
    ),
    # 保证小学一、二年级每周4课时，小学三至六年级和初中每周3课时，高中每周2课时 (fitness_notice_2021).
    "pe_weekly_periods_g1_2": (pe(1, 3), pe(1, 4), {}, "小学一、二年级每周4课时"),
    "pe_weekly_periods_g3_9": (pe(7, 2), pe(7, 3), {}, "三至六年级和初中每周3课时"),
    "pe_weekly_periods_senior": (pe(10, 1), pe(10, 2), {}, "高中每周2课时"),
    # 保障学生每天校内、校外各1小时体育活动时间 (fitness_notice_2021).
    "pe_activity_in_school_daily": (
        activity(in_school_minutes=59),
        activity(in_school_minutes=60),
        {},
        "每天校内1小时",
    ),
    "pe_activity_out_of_school_daily": (
        activity(out_of_school_minutes=59),
        activity(out_of_school_minutes=60),
        {},
        "每天校外1小时",
    ),
    # 中小学生每天综合体育活动时间不低于2小时 (edu_power_plan_2025): 60 + 59 < 120 ≤ 60 + 60.
    "pe_comprehensive_daily_min": (
        activity(in_school_minutes=60, out_of_school_minutes=59),
        activity(in_school_minutes=60, out_of_school_minutes=60),
        {},
        "每天综合体育活动时间不低于2小时",
    ),
    "long_break_daily": (
        schedule(long_break_minutes=29),
        schedule(long_break_minutes=30),
        {},
        "每天统一安排30分钟的大课间体育活动",
    ),
    "inter_class_break_min": (
        schedule(inter_lesson_break_minutes=9),
        schedule(inter_lesson_break_minutes=10),
        {},
        "课间10分钟",
    ),
    # 使用电子产品开展教学时长原则上不超过教学总时长的30% (myopia_action_2021): of 300 min, 90 is 30%.
    "electronic_teaching_max_share": (
        schedule(teaching_minutes=300, electronic_teaching_minutes=91),
        schedule(teaching_minutes=300, electronic_teaching_minutes=90),
        {},
        "电子产品教学时长不超过教学总时长的30%",
    ),
    # 课程方案 (curriculum_plan_2022): 一二年级每周26课时，三至六年级30课时，七至九年级34课时.
    "weekly_periods_g1_2": (pe(1, 4, total_periods=27), pe(1, 4, total_periods=26), {}, "一二年级26课时"),
    "weekly_periods_g3_6": (pe(4, 3, total_periods=31), pe(4, 3, total_periods=30), {}, "三至六年级30课时"),
    "weekly_periods_g7_9": (pe(8, 3, total_periods=35), pe(8, 3, total_periods=34), {}, "七至九年级34课时"),
    "labor_weekly_min": (pe(4, 3, labor_periods=0), pe(4, 3, labor_periods=1), {}, "劳动课每周不少于1课时"),
    "in_school_learning_time_max_primary": (
        schedule(in_school_learning_hours=6.5),
        schedule(in_school_learning_hours=6),
        {"in_school_learning_time_max_primary.max_hours": 6},
        "在校集中学习时间（地方规定，如不超过6小时）",
    ),
    "training_subject_no_weekend_holiday_vacation": (
        training(subject_type="subject", day_type="weekend"),
        training(subject_type="subject", day_type="school_day"),
        {},
        "学科类培训不得占用国家法定节假日、休息日及寒暑假期组织",
    ),
    "training_online_lesson_max": (
        training(online=True, lesson_minutes=31),
        training(online=True, lesson_minutes=30, break_minutes=10, end_time="21:00"),
        {},
        "线上培训每课时不超过30分钟，课程间隔不少于10分钟，培训结束时间不晚于21点",
    ),
    "training_prepay_max_span": (
        training(prepaid_months=4),
        training(prepaid_months=3, prepaid_lessons=60),
        {},
        "不得超过3个月或60课时",
    ),
    "training_prepay_max_amount_nonsubject": (
        training(prepaid_amount=5001),
        training(prepaid_amount=5000),
        {},
        "非学科类单次预收费不超过5000元",
    ),
    "training_prepay_custody": (
        training(prepaid_months=1, in_custody=False),
        training(prepaid_months=1, in_custody=True),
        {},
        "预收费须全部进入本机构收费专用账户",
    ),
    "training_no_training_loans": (
        training(training_loan=True),
        training(),
        {},
        "不得诱导家长使用培训贷方式缴纳培训费用",
    ),
}

EVALUABLE = sorted(r.id for r in RULES if r.evaluable)


def profile_with(local: dict[str, Any]) -> ResolvedProfile:
    return ResolvedProfile(values={**national_defaults(), **local}, on=date(2026, 11, 23))


def rule_ids(facts: dict[str, Any], local: dict[str, Any]) -> list[str]:
    return [f.rule_id for f in evaluate(Facts.model_validate(facts), profile_with(local))]


def test_every_evaluable_rule_has_cases():
    assert sorted(CASES) == EVALUABLE


@pytest.mark.parametrize("rule_id", EVALUABLE)
def test_the_violating_facts_are_found(rule_id):
    bad, _, local, _ = CASES[rule_id]
    assert rule_id in rule_ids(bad, local)


@pytest.mark.parametrize("rule_id", EVALUABLE)
def test_the_compliant_facts_are_not(rule_id):
    _, good, local, _ = CASES[rule_id]
    assert rule_id not in rule_ids(good, local)


def test_rules_not_marked_evaluable_are_never_reported():
    """The other half: a finding under a rule the catalogue calls not evaluable would be a check the
    catalogue does not admit to. Every violating case together reports only evaluable rules."""
    found = {rid for bad, _, local, _ in CASES.values() for rid in rule_ids(bad, local)}
    assert found <= set(EVALUABLE)


# --- the new checks, at and around their limits ----------------------------------------------------


@pytest.mark.parametrize(
    ("term", "date_", "expected"),
    [
        ("spring", None, 0),  # 下学期: allowed
        ("autumn", None, 1),  # 上学期: not
        (None, "2027-03-20", 0),  # no term given: March lies in the spring term
        (None, "2026-12-10", 1),  # December lies in the autumn term
        (None, None, 0),  # nothing to tell the term by: only the count is judged
    ],
)
def test_mock_exams_only_in_the_graduating_grades_second_term(term, date_, expected):
    group: dict[str, Any] = {"grade": 9, "exams": [{"kind": "mock", "date": date_}]}
    if term:
        group["term"] = term
    found = evaluate(Facts.model_validate({"exam_term": group}), profile_with({}))
    assert [f.rule_id for f in found] == ["exam_mock_max_graduating"] * expected


def test_a_mock_outside_the_graduating_grade_is_refused_whatever_the_term():
    facts = exams(8, "mock", term="spring")
    assert rule_ids(facts, {}) == ["exam_mock_max_graduating"]


@pytest.mark.parametrize(
    ("flags", "expected"),
    [
        ({"results_published": True}, ["exam_no_ranking_no_publication"]),
        ({"ranking_published": True}, ["exam_no_ranking_no_publication"]),
        ({"results_published": True, "ranking_published": True}, ["exam_no_ranking_no_publication"] * 2),
        ({"placement_by_score": True}, ["exam_no_tracking_by_score"]),
        ({}, []),
    ],
)
def test_publishing_ranking_and_placing_by_score(flags, expected):
    assert rule_ids(exams(7, "final", **flags), {}) == expected


@pytest.mark.parametrize(
    ("in_school", "out_of_school", "day_type", "expected"),
    [
        (60, 60, "school_day", []),
        (59, 61, "school_day", ["pe_activity_in_school_daily"]),  # 59 + 61 = 120: the total is met
        (None, 120, "weekend", []),  # a rest day: no in-school hour, 120 out of school
        (None, 119, "weekend", ["pe_comprehensive_daily_min"]),
        (0, 30, "weekend", ["pe_activity_out_of_school_daily", "pe_comprehensive_daily_min"]),
    ],
)
def test_daily_activity(in_school, out_of_school, day_type, expected):
    facts = activity(in_school_minutes=in_school, out_of_school_minutes=out_of_school, day_type=day_type)
    assert rule_ids(facts, {}) == expected


def test_a_period_total_is_only_checked_where_a_profile_sets_it():
    facts = period(("2026-11-28", 100), ("2026-11-29", 100))
    assert rule_ids(facts, {}) == []  # no national number (hw_notice_2021 gives none)


def test_a_period_runs_only_over_consecutive_rest_days():
    # Two weekends, 60 each day: each weekend is 120, not 240 (the week between breaks the run).
    facts = period(("2026-11-28", 60), ("2026-11-29", 60), ("2026-12-05", 60), ("2026-12-06", 60))
    assert rule_ids(facts, {"hw_weekend_holiday_total_controlled.max_minutes_per_period": 120}) == []
    found = evaluate(
        Facts.model_validate(facts),
        profile_with({"hw_weekend_holiday_total_controlled.max_minutes_per_period": 119}),
    )
    assert [(f.rule_id, f.evidence["first_date"]) for f in found] == [
        ("hw_weekend_holiday_total_controlled", "2026-11-28"),
        ("hw_weekend_holiday_total_controlled", "2026-12-05"),
    ]


def test_a_school_day_inside_a_period_keeps_its_daily_cap():
    # Friday 2026-11-27 is a school day: 61 > 60 for grade 5; the weekend days are rest days.
    found = evaluate(Facts.model_validate(period(("2026-11-27", 61), ("2026-11-28", 61))), profile_with({}))
    assert [(f.rule_id, f.evidence["date"]) for f in found] == [
        ("hw_written_daily_avg_max_g3_6", "2026-11-27")
    ]


# policy-defaults.md §2.11: `training_online_lesson_max` — "≤ 30 min per lesson, ≥ 10 min between
# lessons, ends by 21:00". Each limit named in the rule's catalogue title is checked under that id,
# each alone and just past it (P11 of policy-interface.md; decision 0028).
def test_every_limit_named_in_the_online_lesson_rule_is_checked_under_its_id():
    from jianfu.policies.rules.catalogue import RULES_BY_ID

    title = RULES_BY_ID["training_online_lesson_max"].title_zh
    assert re.findall(r"\d+:\d+|\d+", title) == ["30", "10", "21:00"]
    within = {"online": True, "lesson_minutes": 30, "break_minutes": 10, "end_time": "21:00"}
    assert "training_online_lesson_max" not in rule_ids(training(**within), {})
    for past in ({"lesson_minutes": 31}, {"break_minutes": 9}, {"end_time": "21:01"}):
        assert rule_ids(training(**{**within, **past}), {}).count("training_online_lesson_max") == 1, past
