"""The demo's after-school programme loads through the services, is deterministic, and shows the
pages something real: a published allocation with oversubscribed courses and waiting lists."""

import pytest
from django.contrib.auth.hashers import make_password
from django.db import transaction

from jianfu.accounts.models import User
from jianfu.afterschool.models import Enrolment, FamilyNotice, Programme
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
    def snapshot():
        with transaction.atomic():
            counts = load(settings)
            rows = sorted(
                Enrolment.objects.filter(programme_id=counts["programme"]).values_list(
                    "course__name", "student__registry_id", "status", "rank", "waitlist_position"
                )
            )
            transaction.set_rollback(True)
        return counts["applications"], rows

    assert snapshot() == snapshot()
