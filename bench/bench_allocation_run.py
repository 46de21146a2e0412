"""The school office's "run the allocation" for a 3,000-student school with 40 courses and 5 ranked
choices each, through the service and the database, beside writing the same enrolment rows bare.

    uv run python bench/bench_allocation_run.py [--students 3000 --courses 40 --choices 5 --runs 5]
    DATABASE_URL=postgres://… uv run python bench/bench_allocation_run.py

The pure allocation alone (no database) is bench/bench_allocation.py. Here each run reads the
applications and choices, allocates, replaces the previous unpublished result (enrolments placed
and waitlisted), stores each application's priority flags and writes the audit row, in one
transaction — what the office waits for after clicking 运行分配. The baseline writes the same number
of Enrolment rows with one bulk_create in one transaction.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import tempfile
import time
from datetime import date, datetime, timedelta
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
TMP = Path(tempfile.mkdtemp(prefix="jianfu-bench-alloc-"))
os.environ.setdefault("DATABASE_URL", f"sqlite:///{TMP}/bench.sqlite3")
os.environ["JIANFU_VAR_DIR"] = str(TMP)
os.environ["DJANGO_SETTINGS_MODULE"] = "bench.settings"

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.utils import timezone  # noqa: E402

from jianfu.accounts.models import Membership, Role, User  # noqa: E402
from jianfu.afterschool.allocation.rules import random_programme  # noqa: E402
from jianfu.afterschool.allocation.services import allocation_run  # noqa: E402
from jianfu.afterschool.models import (  # noqa: E402
    Application,
    ApplicationChoice,
    Course,
    Enrolment,
    EnrolmentStatus,
    Programme,
    ProgrammeStatus,
)
from jianfu.schools.models import Grade, Region, School, SchoolClass, Student, Term  # noqa: E402


def setup(n_students: int, n_courses: int, n_choices: int) -> tuple[Programme, User]:
    call_command("migrate", verbosity=0)
    region = Region.objects.create(code="440106", name="天河区", level="district")
    school = School.objects.create(
        code="BENCH00002",
        name="基准九年一贯制学校",
        region=region,
        school_type="nine_year",
        first_grade=1,
        last_grade=9,
    )
    grades = {
        g: Grade.objects.create(school=school, number=g, stage="primary" if g <= 6 else "junior")
        for g in range(1, 10)
    }
    today = timezone.localdate()
    term = Term.objects.create(
        school=school,
        school_year="bench",
        kind="autumn",
        start_date=today - timedelta(days=30),
        end_date=today + timedelta(days=90),
    )
    office = User.objects.create_user("13500000011", "bench-pw-123", name="教导处")
    Membership.objects.create(user=office, role=Role.ACADEMIC_AFFAIRS, school=school)
    rng = random.Random(1)
    courses, applicants = random_programme(rng, n_courses, n_students, n_choices)
    classes = {}
    for g in range(1, 10):
        for n in range(1, 8):
            classes[(g, n)] = SchoolClass.objects.create(school=school, grade=grades[g], number=n)
    Student.objects.bulk_create(
        [
            Student(
                school=school,
                school_class=classes[(a.grade, 1 + a.id % 7)],
                registry_id=f"L2016{a.id:012d}",
                name=f"学生{a.id}",
                gender="F",
                birth_date=date(2015, 1, 1),
            )
            for a in applicants
        ],
        batch_size=1000,
    )
    ids = dict(Student.objects.filter(school=school).values_list("registry_id", "pk"))
    closes = timezone.now() - timedelta(hours=1)
    programme = Programme.objects.create(
        school=school,
        term=term,
        name="基准方案",
        status=ProgrammeStatus.CHOOSING,
        choice_opens_at=closes - timedelta(days=3),
        choice_closes_at=closes,
        max_choices=n_choices,
        priority_rules={"both_parents_working": 1, "hardship": 2},
        created_by=office,
    )
    course_ids = {}
    for c in courses:
        row = Course.objects.create(
            programme=programme,
            name=f"课程{c.id}",
            category="other",
            capacity=c.capacity,
            min_size=0,
            min_grade=min(c.grades),
            max_grade=max(c.grades),
            weekdays=[1 + c.id % 5],
        )
        course_ids[c.id] = row.pk
    apps = Application.objects.bulk_create(
        [
            Application(
                programme=programme,
                student_id=ids[f"L2016{a.id:012d}"],
                submitted_by=office,
                both_parents_working=a.priority >= 1,
                hardship_claimed=a.priority == 2,
                hardship_verified=True if a.priority == 2 else None,
            )
            for a in applicants
        ],
        batch_size=1000,
    )
    app_ids = dict(Application.objects.filter(programme=programme).values_list("student_id", "pk"))
    ApplicationChoice.objects.bulk_create(
        [
            ApplicationChoice(
                application_id=app_ids[ids[f"L2016{a.id:012d}"]], course_id=course_ids[c], rank=r
            )
            for a in applicants
            for r, c in enumerate(a.choices, start=1)
        ],
        batch_size=2000,
    )
    assert len(apps) == n_students
    return programme, office


def bare_write(programme: Programme, n_rows: int) -> float:
    # A course of its own, so the rows never clash with the allocation's (rolled back each time).
    course, _ = Course.objects.get_or_create(
        programme=programme,
        name="基准：裸写入",
        defaults={"category": "other", "capacity": 0, "status": "cancelled"},
    )
    students = list(Student.objects.filter(school=programme.school).values_list("pk", flat=True)[:n_rows])
    start = time.perf_counter()
    with transaction.atomic():
        Enrolment.objects.bulk_create(
            [
                Enrolment(programme=programme, course=course, student_id=s, status=EnrolmentStatus.PLACED)
                for s in students
            ],
            batch_size=1000,
        )
        took = time.perf_counter() - start
        transaction.set_rollback(True)
    return took


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--students", type=int, default=3000)
    parser.add_argument("--courses", type=int, default=40)
    parser.add_argument("--choices", type=int, default=5)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    programme, office = setup(args.students, args.courses, args.choices)
    runs, rows = [], 0
    for seed in range(1, args.runs + 1):
        start = time.perf_counter()
        run = allocation_run(
            actor=office, programme_id=programme.pk, seed=seed, now=datetime.now().astimezone()
        )
        runs.append(time.perf_counter() - start)
        rows = Enrolment.objects.filter(programme=programme).count()
    seats = sum(programme.courses.values_list("capacity", flat=True))
    bare = [bare_write(programme, rows) for _ in range(args.runs)]
    print(
        f"{connection.vendor}: {args.students} applications, {args.courses} courses, {seats} places, "
        f"{args.choices} choices each; {args.runs} runs"
    )
    print(f"{'case':<58} {'median s':>9} {'max s':>7}")
    print(
        f"{'baseline: bulk_create of the same ' + f'{rows:,}' + ' enrolment rows':<58} {statistics.median(bare):>9.2f} {max(bare):>7.2f}"
    )
    print(
        f"{'allocation_run (read, allocate, replace, flags, audit)':<58} {statistics.median(runs):>9.2f} {max(runs):>7.2f}"
    )
    print(f"last run: placed {run.placed} of {run.applicants}; enrolment rows (placed + waitlisted) {rows:,}")


if __name__ == "__main__":
    main()
