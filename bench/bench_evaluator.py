"""Policy evaluator throughput: class-day evaluations per second, beside baselines in the same run.

    uv run python bench/bench_evaluator.py [--seconds 3]

Baselines: (a) a bare Python loop that sums the same six items' minutes and compares with 60 — the
least any check must do; (b) pydantic validation of the same facts from JSON (what the API pays
before the evaluator runs).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

from jianfu.policies.rules import evaluate
from jianfu.policies.rules.facts import Facts
from jianfu.policies.rules.profiles import resolve

ITEMS = [
    {"subject": "chinese", "kind": "written", "where": "home", "minutes": 20},
    {"subject": "math", "kind": "written", "where": "home", "minutes": 20},
    {"subject": "english", "kind": "written", "where": "home", "minutes": 15},
    {"subject": "science", "kind": "practical", "where": "home", "minutes": 15},
    {"subject": "chinese", "kind": "reading", "where": "home", "minutes": 20, "tier": "elective"},
    {"subject": "math", "kind": "written", "where": "in_class", "minutes": 10, "needs_parent_marking": True},
]
PAYLOAD = json.dumps({"homework_day": {"grade": 5, "items": ITEMS}})


def rate(fn, seconds: float) -> tuple[float, int]:
    n = 0
    start = time.perf_counter()
    deadline = start + seconds
    while time.perf_counter() < deadline:
        for _ in range(100):
            fn()
        n += 100
    return n / (time.perf_counter() - start), n


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=float, default=3.0)
    args = parser.parse_args()
    profile = resolve([], date(2026, 11, 23))
    facts = Facts.model_validate_json(PAYLOAD)
    findings = evaluate(facts, profile)
    assert [f.rule_id for f in findings] == ["hw_no_parent_checking_or_marking"], findings

    def bare() -> bool:
        return sum(i["minutes"] for i in ITEMS if i["kind"] == "written" and i["where"] == "home") > 60

    rows = [
        ("baseline: bare Python sum-and-compare", *rate(bare, args.seconds)),
        (
            "baseline: pydantic parse of the facts (JSON)",
            *rate(lambda: Facts.model_validate_json(PAYLOAD), args.seconds),
        ),
        ("evaluator: evaluate(facts, profile)", *rate(lambda: evaluate(facts, profile), args.seconds)),
        (
            "evaluator incl. JSON parse (what the API does)",
            *rate(lambda: evaluate(Facts.model_validate_json(PAYLOAD), profile), args.seconds),
        ),
    ]
    print(f"{'case':<50} {'class-days/s':>14} {'µs each':>10}")
    for label, per_s, _n in rows:
        print(f"{label:<50} {per_s:>14,.0f} {1e6 / per_s:>10.1f}")
    print(
        f"\nevaluator / bare loop: {rows[2][1] / rows[0][1]:.3f}×; one class-day yields {len(findings)} finding(s)"
    )


if __name__ == "__main__":
    main()
