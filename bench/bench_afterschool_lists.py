"""The after-school lists at the demo school's size (issue 15): the gate list (离校登记) and the
office's applications list, searched, filtered and exported, beside a bare view in the same run.

    uv run python bench/bench_afterschool_lists.py [--children 460] [--classes 10] [--requests 50]

Server time in-process: each request goes through Django's whole stack (middleware, session, the
signed-in principal, the view, the template) by django.test.Client, with no network and no server
in between, so the numbers are the server's own time per request. Cases, each measured in the same
run against the same database:

- bare: a constant page of about a page's size (bench/urls.py), signed in — Django's own floor;
- gate: the default page (first 25 of all children), a name search, a class filter, the .xlsx export;
- applications: the default page (first 15), a name search, a course filter, the .xlsx export.

The database is a fresh SQLite file in a temporary directory (DATABASE_URL to use another).
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from datetime import time as clock
from datetime import timedelta
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
TMP = Path(tempfile.mkdtemp(prefix="jianfu-bench-aslists-"))
os.environ.setdefault("DATABASE_URL", f"sqlite:///{TMP}/bench.sqlite3")
os.environ["JIANFU_VAR_DIR"] = str(TMP)
os.environ["DJANGO_SETTINGS_MODULE"] = "bench.settings"
os.environ.setdefault("SECRET_KEY", "bench-secret-key-not-for-production")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.test import Client  # noqa: E402
from django.utils import timezone  # noqa: E402

from jianfu.accounts.models import Membership, Role, User  # noqa: E402
from jianfu.afterschool.models import (  # noqa: E402
    Application,
    ApplicationChoice,
    Course,
    PickupBooking,
    PickupSlot,
    Programme,
    ProgrammeStatus,
    ServicePart,
    ServiceSlot,
)
from jianfu.core.actors import SystemActor  # noqa: E402
from jianfu.schools.calendar.services import term_create, term_days_rebuild  # noqa: E402
from jianfu.schools.models import CalendarEntry, Grade, Region, School, SchoolClass, SchoolDay, Student  # noqa: E402


def setup(n_children: int, n_classes: int) -> dict[str, object]:
    """A school with n_children in the basic part today, over n_classes classes; every child has
    two course choices, a third of them a pickup booking today."""
    call_command("migrate", verbosity=0)
    today = timezone.localdate()
    region = Region.objects.create(code="440106", name="天河区", level="district")
    school = School.objects.create(
        code="BENCH00001", name="基准小学", region=region, school_type="primary", first_grade=1, last_grade=6
    )
    grades = [Grade.objects.create(school=school, number=g, stage="primary") for g in range(1, 7)]
    term_create(
        actor=SystemActor("test-setup"),
        school=school,
        school_year="bench",
        kind="autumn",
        start_date=today - timedelta(days=60),
        end_date=today + timedelta(days=60),
    )
    if not SchoolDay.objects.filter(school=school, date=today, day_type="school_day").exists():
        CalendarEntry.objects.create(school=school, date=today, kind="extra_school_day", name="bench")
        term_days_rebuild(term=school.terms.get())
    principal = User.objects.create_user("13500000001", "bench-pw-123", name="校长")
    Membership.objects.create(user=principal, role=Role.PRINCIPAL, school=school)
    programme = Programme.objects.create(
        school=school,
        term=school.terms.get(),
        name="课后服务",
        status=ProgrammeStatus.PUBLISHED,
        created_by=principal,
    )
    for wd in range(1, 8):  # every weekday, so that today is a service day whatever day it is
        ServiceSlot.objects.create(
            programme=programme, weekday=wd, part=ServicePart.BASIC, start=clock(15, 40), end=clock(16, 40)
        )
    slots = [
        PickupSlot.objects.create(programme=programme, time=clock(h, m), label=f"{h}:{m:02d}")
        for h, m in ((16, 40), (17, 30), (18, 0))
    ]
    courses = [
        Course.objects.create(
            programme=programme, name=f"课程{i}", category="science", capacity=40, weekdays=[1, 3]
        )
        for i in range(12)
    ]
    classes = SchoolClass.objects.bulk_create(
        SchoolClass(school=school, grade=grades[i % 6], number=1 + i // 6) for i in range(n_classes)
    )
    students = Student.objects.bulk_create(
        Student(
            school=school,
            school_class=classes[i % n_classes],
            registry_id=f"L2016{i:012d}",
            name=f"学生{i:04d}",
            gender="M",
            birth_date=today.replace(year=today.year - 9),
        )
        for i in range(n_children)
    )
    apps = Application.objects.bulk_create(
        Application(programme=programme, student=s, submitted_by=principal, basic_part=True) for s in students
    )
    ApplicationChoice.objects.bulk_create(
        ApplicationChoice(application=a, course=courses[(i + r) % len(courses)], rank=r + 1)
        for i, a in enumerate(apps)
        for r in range(2)
    )
    PickupBooking.objects.bulk_create(
        PickupBooking(programme=programme, student=s, date=today, slot=slots[i % 2], booked_by=principal)
        for i, s in enumerate(students[::3])
    )
    return {"principal": principal, "programme": programme, "class": classes[0], "course": courses[0]}


def timed(client: Client, url: str, query: dict[str, object], n: int) -> tuple[float, float, int]:
    """Median and 95th-percentile milliseconds of n GETs (after one warm-up), and the body size."""
    first = client.get(url, query)
    assert first.status_code == 200, (url, first.status_code)
    times = []
    for _ in range(n):
        t = time.perf_counter()
        client.get(url, query)
        times.append((time.perf_counter() - t) * 1000)
    times.sort()
    return statistics.median(times), times[min(len(times) - 1, int(len(times) * 0.95))], len(first.content)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--children", type=int, default=460)
    parser.add_argument("--classes", type=int, default=10)
    parser.add_argument("--requests", type=int, default=50)
    args = parser.parse_args()
    scene = setup(args.children, args.classes)
    client = Client()
    client.force_login(scene["principal"])
    p = scene["programme"]
    assert isinstance(p, Programme)
    apps = f"/afterschool/{p.pk}/applications/"
    gate = "/afterschool/days/gate/"
    cases: list[tuple[str, str, dict[str, object]]] = [
        ("baseline: bare view (signed in)", "/bench/bare/", {}),
        ("gate: default page", gate, {}),
        ("gate: search by name", gate, {"q": "学生01"}),
        ("gate: one class", gate, {"cls": getattr(scene["class"], "pk", 0)}),
        ("gate: export .xlsx (all)", gate + "export.xlsx", {}),
        ("applications: default page", apps, {}),
        ("applications: search by name", apps, {"q": "学生01"}),
        ("applications: one course", apps, {"course": getattr(scene["course"], "pk", 0)}),
        ("applications: export .xlsx (all)", apps + "export.xlsx", {}),
    ]
    print(
        f"{args.children} children in {args.classes} classes; {args.requests} requests per case, in-process"
    )
    print(f"{'case':<36} {'median ms':>10} {'p95 ms':>8} {'x bare':>7} {'bytes':>9}")
    bare = 0.0
    for label, url, query in cases:
        median, p95, size = timed(client, url, query, args.requests)
        bare = bare or median
        print(f"{label:<36} {median:>10.2f} {p95:>8.2f} {median / bare:>7.1f} {size:>9}")


if __name__ == "__main__":
    main()
