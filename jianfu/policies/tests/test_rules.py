"""Rule tests. Expected values come from policy-defaults.md §2 (the table row is named in each case)."""

from datetime import date, time

import pytest

from jianfu.policies.rules import evaluate
from jianfu.policies.rules.facts import Facts
from jianfu.policies.rules.profiles import resolve

NATIONAL = resolve([], date(2026, 11, 23))


def ids(facts: dict, profile=NATIONAL) -> list[str]:
    return sorted(f.rule_id for f in evaluate(Facts.model_validate(facts), profile))


def hw(grade, *items, system="six_three", day_type="school_day"):
    return {"homework_day": {"grade": grade, "system": system, "day_type": day_type, "items": list(items)}}


def item(minutes, subject="math", **kw):
    return {"subject": subject, "minutes": minutes, **kw}


# §2.1 hw_written_daily_avg_max_g3_6: "三至六年级 … 不超过60分钟"; g7_9: "初中 … 不超过90分钟".
@pytest.mark.parametrize(
    ("grade", "system", "minutes", "expected"),
    [
        (3, "six_three", 60, []),
        (3, "six_three", 61, ["hw_written_daily_avg_max_g3_6"]),
        (6, "six_three", 60, []),
        (6, "six_three", 61, ["hw_written_daily_avg_max_g3_6"]),
        (6, "five_four", 90, []),  # 五四制: grade 6 is junior (policy-defaults.md §4.3)
        (6, "five_four", 91, ["hw_written_daily_avg_max_g7_9"]),
        (7, "six_three", 90, []),
        (9, "six_three", 91, ["hw_written_daily_avg_max_g7_9"]),
        (5, "five_four", 61, ["hw_written_daily_avg_max_g3_6"]),  # 五四制 grade 5 is still primary
    ],
)
def test_daily_caps_and_boundaries(grade, system, minutes, expected):
    assert ids(hw(grade, item(minutes), system=system)) == expected


def test_caps_sum_across_subjects():
    # 25 + 20 + 20 = 65 > 60 (the journey in issue 3).
    assert ids(hw(5, item(25, "chinese"), item(20, "math"), item(20, "english"))) == [
        "hw_written_daily_avg_max_g3_6"
    ]
    assert ids(hw(5, item(25, "chinese"), item(20, "math"), item(15, "english"))) == []


# §2.1 hw_written_at_home_g1_2: 0 min of written homework at home; consolidation inside school allowed.
@pytest.mark.parametrize("grade", [1, 2])
def test_grades_1_2_written_at_home_refused_in_class_allowed(grade):
    assert ids(hw(grade, item(10, where="home"))) == ["hw_written_at_home_g1_2"]
    assert ids(hw(grade, item(15, where="in_class"))) == []
    assert ids(hw(grade, item(20, kind="reading", where="home"))) == []


def test_non_written_and_in_school_work_do_not_count_by_default():
    # §4.2 defaults: count_non_written = false, count_in_school_completed = false.
    facts = hw(4, item(50), item(30, kind="practical"), item(30, where="after_school"))
    assert ids(facts) == []
    counting_all = resolve(
        [],
        date(2026, 11, 23),
        national={
            **NATIONAL.values,
            "settings.count_non_written": True,
            "settings.count_in_school_completed": True,
        },
    )
    assert ids(facts, counting_all) == ["hw_written_daily_avg_max_g3_6"]


def test_tiers_count_required_plus_the_largest_layer():
    # §4.15 default: required + the heaviest layer a student may get; electives excluded.
    facts = hw(4, item(30), item(20, tier="basic"), item(31, tier="extension"), item(40, tier="elective"))
    assert ids(facts) == ["hw_written_daily_avg_max_g3_6"]  # 30 + 31 = 61
    facts = hw(4, item(30), item(20, tier="basic"), item(30, tier="extension"), item(40, tier="elective"))
    assert ids(facts) == []  # 30 + 30 = 60


def test_local_band_cap_of_40_for_grades_3_4():
    # §3.2: e.g. 003 篇12 / 篇13 cap grades 3–4 at 40 minutes; §4.3 bands.
    banded = resolve(
        [],
        date(2026, 11, 23),
        national={**NATIONAL.values, "settings.homework_bands": [{"grades": [3, 4], "max_minutes": 40}]},
    )
    assert ids(hw(3, item(40)), banded) == []
    assert ids(hw(4, item(41)), banded) == ["hw_written_daily_avg_max_g3_6"]
    assert ids(hw(5, item(60)), banded) == []  # grade 5 keeps the stage cap


def test_weekend_has_no_national_number_so_only_a_local_value_warns():
    assert ids(hw(5, item(120), day_type="weekend")) == []
    local = resolve(
        [],
        date(2026, 11, 23),
        national={**NATIONAL.values, "hw_weekend_holiday_total_controlled.max_minutes_per_day": 90},
    )
    findings = evaluate(Facts.model_validate(hw(5, item(120), day_type="holiday")), local)
    assert [(f.rule_id, f.severity) for f in findings] == [("hw_weekend_holiday_total_controlled", "warning")]


# §2.2 teacher practice flags, all hard.
@pytest.mark.parametrize(
    ("flag", "rule_id"),
    [
        ("assigned_to_parent", "hw_no_parent_assignment"),
        ("needs_parent_marking", "hw_no_parent_checking_or_marking"),
        ("self_marking", "hw_no_student_self_marking"),
        ("punitive", "hw_no_repetitive_or_punitive"),
        ("phone_required", "hw_no_phone_based_homework"),
    ],
)
def test_forbidden_flags_are_violations(flag, rule_id):
    findings = evaluate(Facts.model_validate(hw(5, item(10, **{flag: True}))), NATIONAL)
    assert [(f.rule_id, f.severity) for f in findings] == [(rule_id, "violation")]


def exam_ids(grade, *exams, system="six_three", graduating=None, level_count=None):
    return ids(
        {
            "exam_term": {
                "grade": grade,
                "system": system,
                "graduating": graduating,
                "exams": list(exams),
                "level_count": level_count,
            }
        }
    )


def exam(kind, **kw):
    return {"kind": kind, **kw}


# §2.3 exams.
def test_grade_8_midterm_and_final_is_fine():
    assert exam_ids(8, exam("midterm"), exam("final")) == []


def test_grade_4_midterm_is_not():
    assert exam_ids(4, exam("midterm"), exam("final")) == ["exam_midterm_per_term_max"]


def test_grades_1_2_no_paper_exams_but_non_paper_assessment_is_fine():
    assert exam_ids(2, exam("final", paper_based=True)) == ["exam_paper_none_g1_2"]
    assert exam_ids(1, exam("final", paper_based=False)) == []


def test_two_finals_and_two_midterms_are_too_many():
    assert exam_ids(7, exam("final"), exam("final")) == ["exam_final_per_term_max"]
    assert exam_ids(8, exam("midterm"), exam("midterm")) == ["exam_midterm_per_term_max"]


@pytest.mark.parametrize("kind", ["weekly", "monthly", "unit"])
def test_weekly_monthly_unit_tests_are_banned(kind):
    assert exam_ids(8, exam(kind)) == ["exam_no_weekly_monthly_unit_tests"]


def test_a_whole_grade_quiz_is_a_disguised_test_but_a_class_quiz_is_not():
    assert exam_ids(5, exam("quiz", whole_grade=True)) == ["exam_no_weekly_monthly_unit_tests"]
    assert exam_ids(5, exam("quiz", whole_grade=False)) == []


def test_mocks_only_in_graduating_junior_grade_and_at_most_two():
    assert exam_ids(9, exam("mock"), exam("mock")) == []
    assert exam_ids(9, exam("mock"), exam("mock"), exam("mock")) == ["exam_mock_max_graduating"]
    assert exam_ids(8, exam("mock")) == ["exam_mock_max_graduating"]


def test_regional_exams_only_for_the_graduating_junior_grade():
    assert exam_ids(5, exam("final", organiser="regional")) == ["exam_no_regional_or_interschool"]
    assert exam_ids(8, exam("final", organiser="interschool")) == ["exam_no_regional_or_interschool"]
    assert exam_ids(9, exam("final", organiser="regional")) == []


def test_levels_are_4_to_5():
    assert exam_ids(5, exam("final"), level_count=4) == []
    assert exam_ids(5, exam("final"), level_count=3) == ["exam_grade_levels"]


# §2.4 sleep and schedule.
@pytest.mark.parametrize(
    ("stage", "bed", "wake", "expected"),
    [
        ("primary", "21:20", "07:20", []),  # exactly 10 h, bedtime exactly 21:20
        ("primary", "21:20", "07:19", ["sleep_min_primary"]),
        ("primary", "21:21", "07:30", ["bedtime_latest_primary"]),
        ("junior", "22:00", "07:00", []),  # 9 h
        ("junior", "22:30", "07:00", ["bedtime_latest_junior", "sleep_min_junior"]),
        ("senior", "23:00", "07:00", []),  # 8 h
        ("senior", "00:10", "07:00", ["bedtime_latest_senior", "sleep_min_senior"]),
    ],
)
def test_night(stage, bed, wake, expected):
    assert ids({"night": {"stage": stage, "bedtime": bed, "wake_time": wake}}) == expected


def test_sleep_is_hard_and_bedtime_is_guidance():
    findings = evaluate(
        Facts.model_validate({"night": {"stage": "junior", "bedtime": "22:30", "wake_time": "07:00"}}),
        NATIONAL,
    )
    assert {f.rule_id: f.severity for f in findings} == {
        "sleep_min_junior": "violation",
        "bedtime_latest_junior": "warning",
    }


@pytest.mark.parametrize(
    ("stage", "start", "expected"),
    [
        ("primary", "08:20", []),
        ("primary", "08:10", ["morning_class_start_earliest_primary"]),
        ("junior", "08:00", []),
        ("junior", "07:50", ["morning_class_start_earliest_middle"]),
    ],
)
def test_morning_start(stage, start, expected):
    assert ids({"schedule": {"stage": stage, "class_start": start}}) == expected


def test_early_arrival_and_after_school_end_against_local_off_work_time():
    assert ids({"schedule": {"stage": "primary", "requires_early_arrival": True}}) == [
        "no_required_early_arrival"
    ]
    # Default off-work time 17:30 is local by nature; the fact may carry the city's own.
    assert ids({"schedule": {"stage": "primary", "after_school_end": "17:30"}}) == []
    assert ids({"schedule": {"stage": "primary", "after_school_end": "17:20"}}) == [
        "after_school_end_not_before_off_work"
    ]
    assert ids({"schedule": {"stage": "primary", "after_school_end": "17:45", "off_work_time": "18:00"}}) == [
        "after_school_end_not_before_off_work"
    ]
    plus30 = resolve(
        [],
        date(2026, 11, 23),
        national={**NATIONAL.values, "after_school_end_off_work_plus_30.enabled": True},
    )
    assert ids({"schedule": {"stage": "primary", "after_school_end": "17:50"}}, plus30) == [
        "after_school_end_off_work_plus_30"
    ]
    assert ids({"schedule": {"stage": "primary", "after_school_end": "18:00"}}, plus30) == []


# §2.6 PE periods 4 / 3 / 3 / 2; §2.9 weekly periods 26 / 30 / 34.
@pytest.mark.parametrize(
    ("grade", "periods", "expected"),
    [(1, 4, []), (2, 3, ["pe_weekly_periods_g1_2"]), (3, 3, []), (8, 2, ["pe_weekly_periods_g3_9"])],
)
def test_pe_periods(grade, periods, expected):
    assert ids({"pe_week": {"grade": grade, "pe_periods": periods}}) == expected


def test_weekly_periods_and_labour():
    assert ids({"pe_week": {"grade": 2, "pe_periods": 4, "total_periods": 26, "labor_periods": 1}}) == []
    assert ids({"pe_week": {"grade": 5, "pe_periods": 3, "total_periods": 31, "labor_periods": 0}}) == [
        "labor_weekly_min",
        "weekly_periods_g3_6",
    ]
    assert ids({"pe_week": {"grade": 8, "pe_periods": 3, "total_periods": 35}}) == ["weekly_periods_g7_9"]


# §2.11 off-campus training.
def test_training_rules():
    ok = {
        "subject_type": "non_subject",
        "online": False,
        "end_time": "20:30",
        "prepaid_months": 3,
        "prepaid_lessons": 60,
        "prepaid_amount": 5000,
        "in_custody": True,
    }
    assert ids({"training": ok}) == []
    bad = {
        "subject_type": "subject",
        "online": True,
        "lesson_minutes": 40,
        "break_minutes": 5,
        "end_time": "21:10",
        "day_type": "weekend",
        "prepaid_months": 4,
        "prepaid_lessons": 61,
        "in_custody": False,
        "training_loan": True,
        "assigns_homework": True,
    }
    assert ids({"training": bad}) == sorted(
        [
            "training_subject_no_weekend_holiday_vacation",
            "training_online_lesson_max",  # 40 min > 30
            "training_online_lesson_max",  # 5 min break < 10
            "training_online_lesson_max",  # ends 21:10 > 21:00 (the same notice sentence, decision 0028)
            "training_end_online_live_latest",
            "training_prepay_max_span",
            "training_prepay_max_span",
            "training_prepay_custody",
            "training_no_training_loans",
            "hw_offcampus_training_no_homework",
        ]
    )
    assert ids({"training": {**ok, "prepaid_amount": 5001}}) == ["training_prepay_max_amount_nonsubject"]
    assert ids({"training": {**ok, "end_time": "20:31"}}) == ["training_end_offline_latest"]


def test_every_finding_cites_its_source():
    findings = evaluate(
        Facts.model_validate(
            {
                **hw(1, item(10)),
                "night": {"stage": "primary", "bedtime": time(23, 0), "wake_time": time(6, 0)},
            }
        ),
        NATIONAL,
    )
    assert findings
    assert all(f.source and f.message_zh and f.message_en for f in findings)
