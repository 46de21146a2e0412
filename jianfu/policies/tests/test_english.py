"""The rule catalogue and the checks in English (issue 14): titles, scopes, parameter and setting
labels come from the catalogue; the policy documents are cited by their Chinese titles in every
language, as they are quoted."""

from datetime import date

import pytest
from django.utils import translation

from jianfu.policies.rules.after_school import check_after_school_programme, weekdays_zh
from jianfu.policies.rules.catalogue import FAMILIES, RULES, RULES_BY_ID, SETTINGS
from jianfu.policies.rules.facts import AfterSchoolProgrammeFacts, HomeworkDayFacts
from jianfu.policies.rules.profiles import Override, resolve, stage_mapping_problems


def test_every_title_scope_and_label_has_its_english():
    with translation.override("en"):
        for rule in RULES:
            assert rule.title != rule.title_zh and rule.scope != rule.scope_zh, rule.id
            for p in rule.params:
                assert str(p.label) != p.label_zh or not p.label_zh, (rule.id, p.name)
        for s in SETTINGS:
            assert str(s.label) != s.label_zh, s.name
        assert str(FAMILIES["homework"]) == "Homework volume"
    rule = RULES_BY_ID["hw_written_daily_avg_max_g3_6"]
    assert rule.title_zh == "小学三至六年级书面作业平均完成时间不超过60分钟"
    assert rule.title_en == "Grades 3–6 written homework ≤ 60 min/day on average"
    # A source is quoted: the same Chinese title in every language.
    with translation.override("en"):
        assert "中办发〔2021〕40号" in rule.source_text


def test_an_after_school_finding_in_both_languages():
    profile = resolve(
        [
            Override(
                "after_school_end_not_before_off_work.off_work_time",
                "18:00",
                "district",
                "天河区",
                date(2026, 9, 1),
            )
        ],
        date(2026, 10, 12),
    )
    facts = AfterSchoolProgrammeFacts.model_validate(
        {"days": [{"weekday": d, "end": "17:50", "service_minutes": 60} for d in (1, 2, 3, 4, 5)]}
    )
    with translation.override("en"):
        found = check_after_school_programme(facts, profile)
        assert weekdays_zh([1, 3]) == "周一、周三"
    end, short = found
    assert end.message_zh == "周一至周五课后服务17:50结束，早于当地正常下班时间18:00"
    assert end.message_en == (
        "After-school service on Mon–Fri ends at 17:50, before the local normal off-work time (18:00)"
    )
    assert short.message_zh.endswith("，少于每天2小时") and short.message_en.endswith(": under 2 h a day")


def test_a_grade_stage_mismatch_and_a_mapping_problem_in_english():
    with pytest.raises(ValueError) as raised:
        HomeworkDayFacts.model_validate({"grade": 8, "stage": "primary"})
    assert "does not match grade 8" in str(raised.value)
    invalid, problems = stage_mapping_problems({"5": "junior"}, ("six_three",))
    assert not invalid
    with translation.override("en"):
        assert (
            str(problems[0])
            == "grade 5 is primary school under the six-three system and cannot be put in junior secondary"
        )
    with translation.override("zh-hans"):
        assert str(problems[0]) == "六三制5年级属于小学，不能归入初中"


@pytest.mark.django_db
def test_the_policy_page_in_english(client, world):
    user = world.users["principal"]
    user.preferred_language = "en"
    user.save(update_fields=["preferred_language"])
    client.force_login(user)
    html = client.get("/policies/").content.decode()
    assert "Homework volume" in html and "Grades 3–6 written homework ≤ 60 min/day on average" in html
    assert "daily maximum" in html and "中办发〔2021〕40号" in html
