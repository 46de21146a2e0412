"""Pure rules of programmes and their allocation (no ORM): service minutes per day, priority tiers,
run statistics. The policy engine judges the programme (jianfu.policies.rules.after_school.
check_after_school_programme); these functions only turn the school's data into its facts and
summarise a run. docs/decisions/0013-afterschool-programme.md explains each choice."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import datetime, time
from typing import Any

from django.utils.translation import gettext_lazy as _

from jianfu.afterschool.allocation.rules import Allocation, Applicant, lottery_key

# A break of up to this many minutes between two parts (e.g. basic part ends 16:40, courses start
# 16:50) is still service time: the children stay in the school's care, as in a 课间. A longer gap
# is not counted — nobody is looking after them.
BREAK_MINUTES = 15

# The priority flags a school may weight (issue 5: both parents working, hardship, lost out last
# round). Labels are shown to the school office only: hardship is sensitive.
PRIORITY_FLAGS: dict[str, Any] = {
    "both_parents_working": _("父母双职工"),
    "hardship": _("家庭经济困难（学校已核实）"),
    "lost_out_last_round": _("上一期未录取任何志愿"),
}
DEFAULT_PRIORITY_RULES: dict[str, int] = {"hardship": 2, "both_parents_working": 1, "lost_out_last_round": 1}
MAX_WEIGHT = 10
SEED_MAX = 2**63 - 1  # the seed is stored in a signed 64-bit column


def _minutes(t: time) -> int:
    return t.hour * 60 + t.minute


def day_service(parts: Iterable[tuple[time, time]]) -> tuple[time, int]:
    """(end of the last part, minutes of service) for one weekday's parts.

    Overlapping parts count once; gaps of up to BREAK_MINUTES between parts count as service.
    15:40–16:40, 16:50–17:50, 17:50–18:30 → (18:30, 60 + 10 + 60 + 40 = 170).
    """
    spans = sorted((_minutes(a), _minutes(b)) for a, b in parts)
    if not spans:
        raise ValueError("no parts")
    total = 0
    start, end = spans[0]
    for a, b in spans[1:]:
        if a <= end + BREAK_MINUTES:
            end = max(end, b)
            continue
        total += end - start
        start, end = a, b
    total += end - start
    last = max(b for _, b in spans)
    return time(last // 60, last % 60), total


def tier(flags: Iterable[str], weights: Mapping[str, int]) -> int:
    """A child's priority tier: the sum of the weights of the flags that apply to them (Programme
    docstring; decision 0013). Unknown flags weigh nothing."""
    return sum(int(weights.get(f, 0)) for f in set(flags))


def priority_rules_problems(rules: Mapping[str, Any]) -> list[tuple[Any, dict[str, Any]]]:
    """Problems with a school's priority rules, as (catalogue message, its parameters); empty when
    they are valid."""
    problems: list[tuple[Any, dict[str, Any]]] = []
    for key, weight in rules.items():
        if key not in PRIORITY_FLAGS:
            problems.append((_("未知的优先条件：%(key)s"), {"key": key}))
        elif not isinstance(weight, int) or isinstance(weight, bool) or not 0 <= weight <= MAX_WEIGHT:
            problems.append(
                (_("“%(flag)s”的权重应为0到%(max)s的整数"), {"flag": PRIORITY_FLAGS[key], "max": MAX_WEIGHT})
            )
    return problems


def lottery_order(seed: int, tiers: Mapping[int, int]) -> list[int]:
    """Children (id → tier) in the order the allocation would let them choose: higher tier first,
    then the seeded lottery number — the same order `allocation.allocate` uses."""
    return sorted(tiers, key=lambda i: (-tiers[i], lottery_key(seed, i)))


def run_stats(allocation: Allocation, applicants: Sequence[Applicant]) -> dict[str, Any]:
    """What the office and the district see of a run: how many asked, how many got a place, and how
    many got their first choice / one of their top three (shares of those who ranked a course)."""
    ranked = [a for a in applicants if a.choices]
    got = [allocation.rank_got[a.id] for a in ranked if allocation.rank_got.get(a.id) is not None]
    first = sum(1 for r in got if r == 1)
    top3 = sum(1 for r in got if r is not None and r <= 3)
    n = len(ranked)
    return {
        "applicants": len(applicants),
        "ranked": n,
        "placed": len(got),
        "unplaced": n - len(got),
        "first_choice": first,
        "top3": top3,
        "first_choice_share": round(first / n, 4) if n else None,
        "top3_share": round(top3 / n, 4) if n else None,
    }


def window_open(opens_at: datetime | None, closes_at: datetime | None, now: datetime) -> bool:
    return opens_at is not None and closes_at is not None and opens_at <= now < closes_at
