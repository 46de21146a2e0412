import re
from pathlib import Path

import pytest

from jianfu.policies.rules.catalogue import RULES, RULES_BY_ID, national_defaults

POLICY_DEFAULTS = Path(__file__).resolve().parents[4] / "shared" / "design" / "policy-defaults.md"


@pytest.mark.skipif(not POLICY_DEFAULTS.exists(), reason="../shared is not beside this checkout")
def test_every_rule_id_in_policy_defaults_sections_2_1_to_2_11_is_in_the_catalogue():
    text = POLICY_DEFAULTS.read_text(encoding="utf-8")
    section = text[text.index("### 2.1") : text.index("### 2.12")]
    ids = set(re.findall(r"^\| `([a-z0-9_]+)` \|", section, re.M))
    assert len(ids) >= 90
    assert ids <= set(RULES_BY_ID)


def test_rule_ids_are_unique_and_every_rule_has_a_source():
    assert len(RULES) == len(RULES_BY_ID)
    for rule in RULES:
        assert rule.sources and rule.source_text
        assert rule.strictness in ("hard", "guidance")


@pytest.mark.parametrize(
    ("key", "value"),
    [
        ("hw_written_daily_avg_max_g3_6.max_minutes", 60),
        ("hw_written_daily_avg_max_g7_9.max_minutes", 90),
        ("sleep_min_primary.min_hours", 10),
        ("sleep_min_junior.min_hours", 9),
        ("sleep_min_senior.min_hours", 8),
        ("bedtime_latest_primary.latest", "21:20"),
        ("morning_class_start_earliest_primary.earliest", "08:20"),
        ("exam_mock_max_graduating.max_count", 2),
        ("training_prepay_max_span.max_months", 3),
        ("training_prepay_max_span.max_lessons", 60),
        ("training_prepay_max_amount_nonsubject.max_amount", 5000),
        ("pe_weekly_periods_g1_2.min_periods", 4),
        ("weekly_periods_g7_9.max_periods", 34),
        ("hw_weekend_holiday_total_controlled.max_minutes_per_day", None),
        ("settings.homework_cap_aggregation", "per_class_estimate_per_day"),
        ("settings.exam_level_labels", ["优秀", "良好", "合格", "待合格"]),
    ],
)
def test_national_defaults_match_policy_defaults(key, value):
    assert national_defaults()[key] == value
