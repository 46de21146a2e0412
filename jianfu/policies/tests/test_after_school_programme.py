"""The after-school programme checks (policy-defaults.md §2.5 and §4.6) against a district profile
whose local off-work time is 18:00, as the demo's 广州 district sets it. Every expected value is
worked out in the comment beside it."""

import json
from datetime import date, time

import pytest
from django.core.management import call_command

from jianfu.policies.rules.after_school import check_after_school_programme
from jianfu.policies.rules.engine import evaluate
from jianfu.policies.rules.facts import AfterSchoolProgrammeFacts, Facts, ScheduleFacts
from jianfu.policies.rules.profiles import Override, resolve
from jianfu.policies.rules.school_day import check_schedule

ON = date(2026, 10, 12)


def district(*extra: tuple[str, object], off_work: str = "18:00", on: date = ON):
    """The national defaults with 天河区's overrides: off-work 18:00 (local by nature) plus `extra`."""
    overrides = [
        Override(
            "after_school_end_not_before_off_work.off_work_time",
            off_work,
            "district",
            "天河区",
            date(2026, 9, 1),
        )
    ] + [Override(k, v, "district", "天河区", date(2026, 9, 1)) for k, v in extra]
    return resolve(overrides, on)


def week(end: str = "18:30", minutes: int = 170, days=(1, 2, 3, 4, 5), **kw) -> AfterSchoolProgrammeFacts:
    return AfterSchoolProgrammeFacts.model_validate(
        {"days": [{"weekday": d, "end": end, "service_minutes": minutes} for d in days], **kw}
    )


def found(facts, profile):
    return [(f.rule_id, f.severity) for f in check_after_school_programme(facts, profile)]


def test_a_full_week_to_1830_passes():
    # Basic 15:40–16:40, courses 16:50–17:50, extended care to 18:30: ends 18:30 ≥ 18:00 and runs
    # 15:40→18:30 = 170 min ≥ 2 h × 60 = 120 min on all 5 school days.
    assert found(week(), district()) == []


def test_ending_before_the_local_off_work_time_is_a_warning_naming_the_days():
    # §2.5 after_school_end_not_before_off_work is guidance → warning; 17:50 < 18:00 on Mon–Fri.
    [f] = check_after_school_programme(week(end="17:50"), district())
    assert (f.rule_id, f.severity) == ("after_school_end_not_before_off_work", "warning")
    assert f.evidence == {
        "after_school_end": "17:50",
        "floor": "18:00",
        "weekdays": [1, 2, 3, 4, 5],
        "off_work_time": "18:00",
    }
    assert f.message_zh == "周一至周五课后服务17:50结束，早于当地正常下班时间18:00"


def test_only_the_early_day_is_named():
    # Mon–Thu end 18:30 (≥ 18:00); Friday ends at 17:00 (< 18:00) and runs 15:40→17:00 = 80 min.
    facts = AfterSchoolProgrammeFacts.model_validate(
        {
            "days": [{"weekday": d, "end": "18:30", "service_minutes": 170} for d in (1, 2, 3, 4)]
            + [{"weekday": 5, "end": "17:00", "service_minutes": 80}]
        }
    )
    findings = check_after_school_programme(facts, district())
    assert [(f.rule_id, f.evidence.get("weekdays")) for f in findings] == [
        ("after_school_end_not_before_off_work", [5]),
        ("after_school_days_and_hours_5x2", None),  # 80 < 120 minutes on Friday
    ]
    assert findings[1].evidence == {"short_days": {"5": 80}, "min_minutes": 120}


def test_the_same_end_time_is_fine_where_off_work_is_earlier():
    # The off-work time is the city's own (policy-defaults.md §2.5, §4.6: local by nature), carried
    # here by the facts. A city whose offices close at 17:30: ending at 17:50 ≥ 17:30 is fine…
    assert found(week(end="17:50", off_work_time="17:30"), resolve([], ON)) == []
    # …a city at 18:00: 17:50 < 18:00.
    assert found(week(end="17:50", off_work_time="18:00"), resolve([], ON)) == [
        ("after_school_end_not_before_off_work", "warning")
    ]


def test_off_work_plus_30_where_the_area_chooses_the_june_2021_notice():
    # §4.6: the area chooses the 意见 floor (≥ off-work) or the June 2021 notice (≥ off-work + 30 min).
    plus30 = district(("after_school_end_off_work_plus_30.enabled", True))
    # 18:00 + 30 min = 18:30: ending at 18:20 is 10 minutes short; ending at 18:30 is on the floor.
    [f] = check_after_school_programme(week(end="18:20"), plus30)
    assert (f.rule_id, f.severity, f.evidence["floor"]) == (
        "after_school_end_off_work_plus_30",
        "warning",
        "18:30",
    )
    assert found(week(end="18:30"), plus30) == []


def test_seasonal_off_work_times_follow_the_profile_on_the_date():
    # §4.6 seasonal variants (seed 002: 18:00 summer / 17:30 winter) as two dated district values.
    overrides = [
        Override(
            "after_school_end_not_before_off_work.off_work_time",
            "18:00",
            "district",
            "天河区",
            date(2026, 9, 1),
            effective_to=date(2026, 11, 1),
        ),
        Override(
            "after_school_end_not_before_off_work.off_work_time",
            "17:30",
            "district",
            "天河区",
            date(2026, 11, 1),
        ),
    ]
    # Ending at 17:45: before 18:00 in October, after 17:30 in November.
    assert found(week(end="17:45"), resolve(overrides, date(2026, 10, 15))) == [
        ("after_school_end_not_before_off_work", "warning")
    ]
    assert found(week(end="17:45"), resolve(overrides, date(2026, 11, 15))) == []


@pytest.mark.parametrize(
    ("days", "minutes", "expected"),
    [
        ((1, 2, 3, 4, 5), 120, []),  # 5 days, 120 = 2 h × 60: exactly on the "5+2" floor
        ((1, 2, 3, 4, 5), 119, ["after_school_days_and_hours_5x2"]),  # one minute short, every day
        ((1, 2, 3, 4), 170, ["after_school_days_and_hours_5x2"]),  # 4 days < 5
        ((1, 2, 3, 4, 6), 170, ["after_school_days_and_hours_5x2"]),  # Saturday is not a school day
    ],
)
def test_5_plus_2_days_and_hours(days, minutes, expected):
    assert [r for r, _ in found(week(minutes=minutes, days=days), district())] == expected


def test_5_plus_2_counts_and_severity():
    [f] = check_after_school_programme(week(days=(1, 2, 3, 4)), district())
    # §2.5: guidance → warning; 4 school days served of the 5 required.
    assert (f.severity, f.evidence) == ("warning", {"days": 4, "min_days": 5, "weekdays": [1, 2, 3, 4]})


def test_a_stricter_local_hours_floor():
    # A district may only raise the "5+2" floor: 2.5 h = 150 min; 160 passes, 140 does not.
    strict = district(("after_school_days_and_hours_5x2.min_hours_per_day", 2.5))
    assert found(week(minutes=160), strict) == []
    [f] = check_after_school_programme(week(minutes=140), strict)
    assert f.evidence["min_minutes"] == 150
    assert f.message_zh == "周一140分钟、周二140分钟、周三140分钟、周四140分钟、周五140分钟，少于每天2.5小时"


def test_new_lessons_are_a_violation_per_course():
    # §2.5 after_school_no_new_lessons is hard ("不得利用课后服务时间讲新课") → violation.
    facts = week(new_lesson_courses=["数学思维拓展", "英语提高"])
    assert found(facts, district()) == [
        ("after_school_no_new_lessons", "violation"),
        ("after_school_no_new_lessons", "violation"),
    ]
    assert [f.evidence["course"] for f in check_after_school_programme(facts, district())] == [
        "数学思维拓展",
        "英语提高",
    ]


def test_signing_children_up_by_default_is_not_voluntary():
    # §2.5 after_school_voluntary is hard (家长、学生自愿).
    assert found(week(enrolled_by_default=True), district()) == [("after_school_voluntary", "violation")]


def test_fees_are_carried_but_not_judged():
    # after_school_fee_rules is a checklist item: provinces set the fee policy.
    assert found(week(fees_charged=True), district()) == []


def test_the_schedule_check_uses_the_same_floor():
    # One helper for both: a school day ending 17:50 under the district's 18:00.
    facts = ScheduleFacts.model_validate({"stage": "primary", "after_school_end": "17:50"})
    [f] = check_schedule(facts, district())
    assert (f.rule_id, f.evidence) == (
        "after_school_end_not_before_off_work",
        {"after_school_end": "17:50", "floor": "18:00"},
    )
    assert check_schedule(ScheduleFacts(stage="primary", after_school_end=time(18, 0)), district()) == []


def test_the_evaluator_takes_the_programme_group():
    facts = Facts.model_validate({"after_school_programme": week(end="17:50").model_dump(mode="json")})
    assert [f.rule_id for f in evaluate(facts, district())] == ["after_school_end_not_before_off_work"]


PROGRAMME = {
    "days": [{"weekday": d, "end": "17:50", "service_minutes": 130} for d in (1, 2, 3, 4, 5)],
    "new_lesson_courses": ["数学提高"],
}


@pytest.mark.django_db
def test_the_what_if_api_evaluates_a_programme_with_the_schools_profile(client, world):
    from jianfu.policies.services import profile_override_set

    profile_override_set(
        actor=world.users["bureau"],
        region=world.district,
        key="after_school_end_not_before_off_work.off_work_time",
        value="18:00",
        effective_from=date(2026, 9, 1),
        reason="本市正常下班时间",
    )
    client.force_login(world.users["principal"])
    body = {"school_id": world.school.pk, "on": "2026-10-12", "facts": {"after_school_programme": PROGRAMME}}
    response = client.post("/api/v1/policy/evaluate", json.dumps(body), content_type="application/json")
    assert response.status_code == 200, response.content
    # 17:50 < 18:00 (warning); 130 ≥ 120 minutes; 5 days; one course teaching new lessons (violation).
    assert [(f["rule_id"], f["severity"]) for f in response.json()["findings"]] == [
        ("after_school_end_not_before_off_work", "warning"),
        ("after_school_no_new_lessons", "violation"),
    ]


@pytest.mark.django_db
def test_the_cli_exits_1_on_the_new_lessons_violation(tmp_path, capsys):
    path = tmp_path / "programme.json"
    # A city whose offices close at 17:30 (local by nature, policy-defaults.md §4.6), set in the file.
    facts = {"after_school_programme": {**PROGRAMME, "off_work_time": "17:30"}}
    path.write_text(json.dumps({"on": "2026-10-12", "facts": facts}), "utf-8")
    with pytest.raises(SystemExit) as exc:
        call_command("policy", "check", str(path))
    assert exc.value.code == 1
    out = capsys.readouterr().out
    # Off-work 17:30: 17:50 passes; the new-lesson course is still a violation.
    assert "after_school_no_new_lessons" in out and "after_school_end_not_before_off_work" not in out
