"""Internal identifiers never reach users (issue 15; product review H2, H3; decision 0053).

The policy page and the rule engine's messages speak plain words: no rule ids, parameter names or
choice codes (snake_case), no raw JSON, no English subject keys inside Chinese sentences. The rule id
and the source stay on the page behind the 依据 disclosure (<details class="basis">)."""

import re
from datetime import date

import pytest

from jianfu.policies.rules import evaluate
from jianfu.policies.rules.facts import Facts
from jianfu.policies.rules.profiles import resolve
from jianfu.policies.rules.wording import parse_bands, value_words, verification_words
from jianfu.policies.services import profile_override_set
from jianfu.schools.models import Subject

NATIONAL = resolve([], date(2026, 11, 23))
SNAKE = re.compile(r"\b[a-z][a-z0-9]*(?:_[a-z0-9]+)+\b")
SUBJECT_KEYS = re.compile(r"\b(?:" + "|".join(s.value for s in Subject) + r")\b")


def visible_words(html: str) -> str:
    """The page's text as a reader sees it before opening any 依据 disclosure."""
    html = re.sub(r"<details class=\"basis[^\"]*\">.*?</details>", " ", html, flags=re.S)
    html = re.sub(r"<(script|style)\b.*?</\1>", " ", html, flags=re.S)
    return re.sub(r"<[^>]+>", " ", html)


def internal_terms(text: str) -> list[str]:
    return SNAKE.findall(text) + SUBJECT_KEYS.findall(text) + re.findall(r"[\[{]\"", text)


def test_the_checker_finds_what_it_looks_for():
    html = '<p>上限（hw_written_daily_avg_max_g3_6）math [{"grades": [3]}]</p>'
    assert internal_terms(visible_words(html)) == ["hw_written_daily_avg_max_g3_6", "math", '{"']
    hidden = '<p>上限</p><details class="basis small"><summary>依据</summary><code>hw_x_y</code></details>'
    assert internal_terms(visible_words(hidden)) == []


@pytest.mark.django_db
def test_the_policy_page_speaks_plain_words_with_ids_behind_the_disclosure(client, world):
    # A district's local values of every shape: grade bands (a list of objects), a choice code.
    for key, value in (
        ("settings.homework_bands", [{"grades": [3, 4], "max_minutes": 40}]),
        ("settings.tier_counting", "required_plus_max_layer"),
    ):
        profile_override_set(
            actor=world.users["bureau"],
            region=world.district,
            key=key,
            value=value,
            effective_from=date(2026, 9, 1),
            reason="区文件",
        )
    client.force_login(world.users["bureau"])
    html = client.get(f"/policies/?school={world.school.pk}").content.decode()
    assert internal_terms(visible_words(html)) == []
    # The values in words …
    text = visible_words(html)
    assert "3–4年级 40分钟" in text
    assert "必做部分加用时最多的一层分层作业" in text
    assert "“平均完成时间”的含义" in text and "按每班每天布置的时长计" in text
    assert "§4" not in text and "V2" not in text
    # … and the rule id and its source behind 依据.
    assert '<details class="basis' in html and "hw_written_daily_avg_max_g3_6" in html
    assert "中办发〔2021〕40号" in html


@pytest.mark.parametrize("flag", ["needs_parent_marking", "assigned_to_parent", "punitive"])
@pytest.mark.parametrize("subject", list(Subject))
def test_engine_messages_name_the_subject_not_its_key(subject, flag):
    facts = {
        "homework_day": {
            "grade": 5,
            "day_type": "school_day",
            "items": [{"subject": subject.value, "minutes": 10, flag: True}],
        }
    }
    [found] = evaluate(Facts.model_validate(facts), NATIONAL)
    assert f"（{subject.label}）" in found.message_zh  # e.g. 不得要求家长检查、批改作业（数学）
    assert internal_terms(found.message_zh) == []


def test_grades_1_2_message_names_the_subject():
    facts = {"homework_day": {"grade": 1, "items": [{"subject": "math", "minutes": 10}]}}
    [found] = evaluate(Facts.model_validate(facts), NATIONAL)
    assert "（数学，10分钟）" in found.message_zh
    assert "Mathematics" in found.message_en and "(math" not in found.message_en


def test_an_unknown_subject_code_is_kept_as_given():
    facts = {"homework_day": {"grade": 5, "items": [{"subject": "robotics", "minutes": 5, "punitive": True}]}}
    [found] = evaluate(Facts.model_validate(facts), NATIONAL)
    assert "（robotics）" in found.message_zh


def test_values_in_words():
    assert value_words([{"grades": [3, 4], "max_minutes": 40}, {"grades": [5], "max_minutes": 50}]) == (
        "3–4年级 40分钟；5年级 50分钟"
    )
    assert value_words({"7": "junior", "6": "primary"}) == "6年级：小学；7年级：初中"
    assert value_words(None) == "—（未规定）"
    assert value_words(True) == "是"
    assert value_words("teacher_estimate") == "教师预估"
    assert value_words("21:20") == "21:20"
    assert verification_words("V2/R") == "据权威报道或转引的文件核实；凭记忆整理，尚未找到出处"


def test_grade_bands_typed_in_words():
    assert parse_bands("3-4年级 40分钟；5年级：50") == [
        {"grades": [3, 4], "max_minutes": 40},
        {"grades": [5], "max_minutes": 50},
    ]
    assert parse_bands("三四年级") is None
