"""Roster import throughput for a 50,000-row file, beside baselines in the same run.

    uv run python bench/bench_roster_import.py [--rows 50000]

Runs against a fresh SQLite database in a temporary directory (or DATABASE_URL if set).
Baselines: reading the same file with no validation (csv.reader / python-calamine), and a bare
bulk_create of the same number of Student rows.
"""

from __future__ import annotations

import argparse
import csv
import io
import os
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
TMP = tempfile.mkdtemp(prefix="jianfu-bench-")
os.environ.setdefault("DATABASE_URL", f"sqlite:///{TMP}/bench.sqlite3")
os.environ.setdefault("JIANFU_VAR_DIR", TMP)
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import transaction  # noqa: E402
from openpyxl import Workbook  # noqa: E402

from jianfu.core.actors import SystemActor  # noqa: E402
from jianfu.demo.loader import registry_id  # noqa: E402
from jianfu.schools.models import Grade, Region, School, SchoolClass, Student  # noqa: E402
from jianfu.schools.roster import rules as roster  # noqa: E402
from jianfu.schools.roster.services import roster_import  # noqa: E402

HEADER = ["学籍号", "姓名", "性别", "出生日期", "年级", "班级", "监护人姓名", "监护人手机号", "与学生关系"]


def make_rows(n: int) -> list[list[str]]:
    rows = []
    used: set[str] = set()
    for i in range(n):
        grade = 1 + i % 9
        born = date(2020 - grade, 9, 1) + timedelta(days=(i * 7) % 365)
        seq = i % 500
        reg = registry_id("440106", born, seq, i % 2 == 0)
        while reg in used:
            seq = (seq + 1) % 500
            reg = registry_id("440106", born, seq, i % 2 == 0)
        used.add(reg)
        rows.append(
            [
                reg,
                f"学生{i}",
                "男" if i % 2 == 0 else "女",
                born.isoformat(),
                f"{grade}年级",
                f"({1 + (i // 9) % 20})班",
                f"家长{i}",
                f"15{i:09d}",
                "父亲",
            ]
        )
    return rows


def timed(fn):
    start = time.perf_counter()
    result = fn()
    return time.perf_counter() - start, result


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=50_000)
    args = parser.parse_args()
    call_command("migrate", verbosity=0)
    region = Region.objects.create(code="440106", name="天河区", level="district")
    school = School.objects.create(
        code="BENCH00001",
        name="基准学校",
        region=region,
        school_type="nine_year",
        system="six_three",
        first_grade=1,
        last_grade=9,
    )
    for g in range(1, 10):
        grade = Grade.objects.create(school=school, number=g, stage="primary" if g <= 6 else "junior")
        SchoolClass.objects.bulk_create(
            [SchoolClass(school=school, grade=grade, number=n) for n in range(1, 21)]
        )

    rows = make_rows(args.rows)
    buf = io.StringIO()
    w = csv.writer(buf)
    w.writerow(HEADER)
    w.writerows(rows)
    csv_bytes = buf.getvalue().encode("utf-8-sig")
    wb = Workbook(write_only=True)
    ws = wb.create_sheet()
    ws.append(HEADER)
    for r in rows:
        ws.append(r)
    xbuf = io.BytesIO()
    wb.save(xbuf)
    xlsx_bytes = xbuf.getvalue()
    n = len(rows)
    classes = {
        (c.grade.number, c.number): c
        for c in SchoolClass.objects.filter(school=school).select_related("grade")
    }

    results = []
    t, _ = timed(lambda: list(csv.reader(io.StringIO(csv_bytes.decode("utf-8-sig")))))
    results.append(("baseline: csv.reader, no validation", t))
    t, _ = timed(lambda: roster.read_rows("r.xlsx", xlsx_bytes))
    results.append(("baseline: python-calamine read, no validation", t))
    csv_rows = roster.read_rows("r.csv", csv_bytes)
    t, parsed = timed(
        lambda: roster.parse_roster(
            csv_rows, grades=set(range(1, 10)), classes=classes, registered_elsewhere=set()
        )
    )
    assert not parsed.errors, parsed.errors[:3]
    results.append(("parse + validate (pure, rows already read)", t))

    def bare_bulk() -> None:
        with transaction.atomic():
            Student.objects.bulk_create(
                [
                    Student(
                        school=school,
                        school_class=classes[(1, 1)],
                        registry_id=f"L{i:017d}",
                        name="x",
                        gender="M",
                        birth_date=date(2015, 1, 1),
                    )
                    for i in range(n)
                ],
                batch_size=500,
            )
            transaction.set_rollback(True)

    t, _ = timed(bare_bulk)
    results.append(("baseline: bare bulk_create of the same number of students", t))
    t, summary = timed(
        lambda: roster_import(
            actor=SystemActor("test-setup"), school=school, filename="r.csv", content=csv_bytes, dry_run=True
        )
    )
    results.append(("roster_import dry run (.csv)", t))
    t, summary = timed(
        lambda: roster_import(
            actor=SystemActor("test-setup"), school=school, filename="r.xlsx", content=xlsx_bytes
        )
    )
    assert summary.new_students == n
    results.append(("roster_import full write (.xlsx, students + guardians)", t))
    t, summary = timed(
        lambda: roster_import(
            actor=SystemActor("test-setup"), school=school, filename="r.csv", content=csv_bytes
        )
    )
    assert summary.unchanged_students == n
    results.append(("roster_import re-import, nothing changed (.csv)", t))

    engine = django.db.connection.vendor
    print(f"{n:,} rows on {engine}; csv {len(csv_bytes) / 1e6:.1f} MB, xlsx {len(xlsx_bytes) / 1e6:.1f} MB")
    print(f"{'case':<60} {'seconds':>8} {'rows/s':>10}")
    for label, secs in results:
        print(f"{label:<60} {secs:>8.2f} {n / secs:>10,.0f}")


if __name__ == "__main__":
    main()
