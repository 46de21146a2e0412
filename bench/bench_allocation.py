"""After-school allocation for a 3,000-student school with 40 courses and 5 ranked choices each,
beside the greedy first-come booking race in the same run.

    uv run python bench/bench_allocation.py [--students 3000 --courses 40 --choices 5 --runs 20]
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from jianfu.afterschool.allocation.rules import allocate, first_come, random_programme


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--students", type=int, default=3000)
    parser.add_argument("--courses", type=int, default=40)
    parser.add_argument("--choices", type=int, default=5)
    parser.add_argument("--runs", type=int, default=20)
    args = parser.parse_args()
    courses, applicants = random_programme(random.Random(1), args.courses, args.students, args.choices)
    seats = sum(c.capacity for c in courses)
    fair, greedy = [], []
    for run in range(args.runs):
        t = time.perf_counter()
        result = allocate(courses, applicants, seed=run)
        fair.append(time.perf_counter() - t)
        t = time.perf_counter()
        race = first_come(courses, applicants)
        greedy.append(time.perf_counter() - t)
    got = [r for r in result.rank_got.values() if r is not None]
    race_got = sum(1 for v in race.values() if v is not None)
    print(
        f"{args.students} students, {args.courses} courses, {seats} places, {args.choices} choices each; "
        f"{args.runs} runs"
    )
    print(f"{'case':<40} {'median ms':>10} {'max ms':>8}")
    print(
        f"{'baseline: greedy first-come':<40} {statistics.median(greedy) * 1000:>10.2f} {max(greedy) * 1000:>8.2f}"
    )
    print(
        f"{'fair allocation (tiers + seeded lottery)':<40} {statistics.median(fair) * 1000:>10.2f} "
        f"{max(fair) * 1000:>8.2f}"
    )
    print(
        f"placed: fair {len(got)}, first-come {race_got}; of the placed (fair), first choice "
        f"{sum(1 for r in got if r == 1) / len(got):.0%}, top three {sum(1 for r in got if r <= 3) / len(got):.0%}"
    )


if __name__ == "__main__":
    main()
