"""The demo's after-school programme loads through the services, is deterministic, and shows the
pages something real: a published allocation with oversubscribed courses and waiting lists."""

import pytest
from django.contrib.auth.hashers import make_password
from django.db import transaction

from jianfu.accounts.models import User
from jianfu.afterschool.allocation.rules import allocate
from jianfu.afterschool.allocation.services import allocation_inputs
from jianfu.afterschool.models import Application, Enrolment, FamilyNotice, Programme
from jianfu.demo.afterschool import COURSES, DRAW_SEED, load_afterschool
from jianfu.demo.loader import SCHOOLS, load_demo
from jianfu.schools.models import School

pytestmark = pytest.mark.django_db


def load(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    load_demo(with_activity=False)
    school = School.objects.get(code=SCHOOLS[0][0])
    return load_afterschool(
        school=school, bureau=User.objects.get(phone="13800000001"), password_hash=make_password("x")
    )


def test_the_demo_programme_is_published_with_no_findings(settings):
    counts = load(settings)
    p = Programme.objects.get(pk=counts["programme"])
    # Mon–Fri to 18:30 under the demo district's 18:00 off-work time; 170 minutes a day; no course
    # declares new lessons: nothing to report.
    assert (p.status, p.findings) == ("published", [])
    assert counts["courses"] == len(COURSES) == 12
    run = p.runs.get()
    assert run.seed == DRAW_SEED and run.published_at is not None
    # Some course is oversubscribed (a waiting list), and no course holds more than its places.
    assert Enrolment.objects.filter(programme=p, status="waitlisted").exists()
    for c in p.courses.all():
        assert c.enrolments.filter(status="placed").count() <= c.capacity
    # The demo parent (13800000051) applied and was told.
    assert FamilyNotice.objects.filter(user__phone="13800000051", programme=p).exists()
    assert 300 <= counts["applications"] <= 600


def test_the_demo_programme_is_deterministic(settings):
    """The families' choices are the same on every load; the draw follows from them and the fixed
    seed (the lottery is keyed on the child's database id, so two loads into one PostgreSQL database
    — whose sequences do not roll back — compare the inputs, and the draw is replayed on one load)."""

    def choices():
        with transaction.atomic():
            counts = load(settings)
            rows = sorted(
                (
                    a.student.registry_id,
                    a.both_parents_working,
                    tuple(c.course.name for c in a.choices.order_by("rank")),
                )
                for a in Application.objects.filter(programme_id=counts["programme"]).select_related(
                    "student"
                )
            )
            transaction.set_rollback(True)
        return rows

    assert choices() == choices()


def test_anyone_with_the_seed_gets_the_published_result(settings):
    counts = load(settings)
    p = Programme.objects.get(pk=counts["programme"])
    courses, applicants, _ = allocation_inputs(p)
    replay = allocate(courses, applicants, seed=DRAW_SEED)
    stored = dict(
        Enrolment.objects.filter(programme=p, status="placed").values_list("student_id", "course_id")
    )
    assert stored == {s: c for s, c in replay.assigned.items() if c is not None}
