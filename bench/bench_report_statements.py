"""Where a family report's time goes, in-process: the service alone, statement by statement.

    uv run python bench/bench_report_statements.py [--reports 900]
    DATABASE_URL=postgres://…/jianfu_bench_x uv run python bench/bench_report_statements.py

Builds bench/bench_public_page.py's world (60 classes, 900 children on one parent account), then, in one
thread and one connection, no server:
- `report_submit` for each child (a new report each, then as many corrections), timed as a whole;
- as many corrections again with each SQL statement timed on the cursor (connection.execute_wrapper),
  grouped by its first words. A watched statement goes through Django's cursor wrapper
  (jianfu.core.hotpath), so this pass is slower than the one before by that wrapper's cost;
- the unit the signed-in one-commit POST does: `atomic(): AuditEvent.objects.create()`.
The difference between the service's time and the sum of its statements is Python: building the
statements' parameters, the rules, the audit row, Django's transaction handling.
"""

from __future__ import annotations

import argparse
import sys
import time
import uuid
from collections import defaultdict
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from django.db import connection, transaction

from bench import bench_public_page as bpp
from jianfu.accounts.models import User
from jianfu.core.models import AuditEvent
from jianfu.feedback.services import report_submit


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--reports", type=int, default=900)
    args = parser.parse_args()
    data = bpp.setup(60)
    parent = User.objects.get(phone="13500000003")
    kids: list[int] = data["kids"]  # type: ignore[assignment]
    day = data["day"]
    per_statement: dict[str, list[float]] = defaultdict(list)

    def timed(execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
        start = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            per_statement[" ".join(sql.split()[:3])[:40]].append(time.perf_counter() - start)

    def reports(n: int) -> float:
        """n reports, one for each child in turn with a new key; ms each."""
        start = time.perf_counter()
        for i in range(n):
            report_submit(
                actor=parent,
                student_id=kids[i % len(kids)],
                report_date=day,
                minutes_total=20 + i % 60,
                idempotency_key=uuid.uuid4().hex,
            )
        return (time.perf_counter() - start) / n * 1000

    n = args.reports
    print(f"{connection.vendor}: report_submit, new reports: {reports(n):.3f} ms each")
    print(f"{connection.vendor}: report_submit, corrections: {reports(n):.3f} ms each")
    per_statement.clear()
    with connection.execute_wrapper(timed):
        total = reports(n)
    in_sql = sum(sum(v) for v in per_statement.values()) / n * 1000
    print(f"corrections, each statement timed: {total:.3f} ms each, of which SQL {in_sql:.3f} ms")
    for sql, times in sorted(per_statement.items(), key=lambda kv: -sum(kv[1])):
        print(f"  {len(times) / n:4.1f} × {sum(times) / len(times) * 1000:6.3f} ms  {sql}")
    per_statement.clear()
    with connection.execute_wrapper(timed):
        start = time.perf_counter()
        for _ in range(args.reports):
            with transaction.atomic():
                AuditEvent.objects.create(action="bench")
        total = (time.perf_counter() - start) / args.reports * 1000
    in_sql = sum(sum(v) for v in per_statement.values()) / args.reports * 1000
    print(f"atomic(): AuditEvent.objects.create(): {total:.3f} ms each, of which SQL {in_sql:.3f} ms")


if __name__ == "__main__":
    main()
