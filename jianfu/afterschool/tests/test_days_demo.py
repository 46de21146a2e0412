"""The demo's last school week: made through the services, realistic, deterministic, and with one
child flagged to the head teacher for repeated late pickups."""

from datetime import date
from unittest import mock

import pytest
from django.db import transaction

from jianfu.afterschool.models import AttendanceRecord, Departure, PickupBooking, ServiceSession, StaffDuty
from jianfu.afterschool.pickup.selectors import late_flags_for_actor, staffing_for
from jianfu.afterschool.tests.factories_days import (
    apply_for,
    at,
    course_in,
    kid,
    place,
    programme_for,
    teacher_of,
)
from jianfu.demo.afterschool_days import load_afterschool_days

pytestmark = pytest.mark.django_db
MONDAY_EVENING = at(date(2026, 11, 30), 20)  # "today": the week before is Mon 23 – Fri 27 November
WEEK = [date(2026, 11, d) for d in (23, 24, 25, 26, 27)]


@pytest.fixture
def programme(world, autumn_term):
    p = programme_for(world, autumn_term)
    coding = course_in(p, "趣味编程", teacher=teacher_of(world, "teacher"), weekdays=(1, 3))
    choir = course_in(p, "合唱团", teacher=teacher_of(world, "head_teacher"), weekdays=(2, 4))
    kids = [world.student, world.other_student] + [
        kid(world, world.class_5_1 if i % 2 else world.class_5_2, f"同学{i:02d}", i) for i in range(30)
    ]
    for i, k in enumerate(kids):
        apply_for(p, k, basic=i % 5 != 4)
        if i % 3 == 0:
            place(coding, k)
        elif i % 3 == 1:
            place(choir, k)
    return p


def load(programme, world):
    with mock.patch("django.utils.timezone.now", return_value=MONDAY_EVENING):
        return load_afterschool_days(programme, days=5, late_class=world.class_5_1)


def test_the_last_school_week(programme, world):
    counts = load(programme, world)
    assert counts["days"] == 5
    assert sorted(set(ServiceSession.objects.values_list("date", flat=True))) == WEEK
    assert not ServiceSession.objects.filter(taken_at__isnull=True).exists()  # every session was taken
    statuses = list(AttendanceRecord.objects.values_list("status", flat=True))
    assert statuses.count("present") / len(statuses) > 0.85
    assert {"present", "late", "leave", "absent"} >= set(statuses)
    # Most families take the service's end; some book later; the parent with an account books weekly.
    booked_days = PickupBooking.objects.filter(date__in=WEEK).count()
    departures = Departure.objects.count()
    assert 0 < booked_days < departures / 2
    assert PickupBooking.objects.filter(student=world.student, date__gt=WEEK[-1]).exists()  # standing
    # Gate duty as the bookings need it: no slot short on any day.
    for day in WEEK:
        assert staffing_for(programme, day)["short_slots"] == 0
    assert StaffDuty.objects.count() == counts["duties"] > 0
    # Departures: a few late, one child three times → flagged to the head teacher of 五年级(1)班.
    assert 3 <= Departure.objects.filter(late_minutes__gt=0).count() <= 10
    with mock.patch("django.utils.timezone.now", return_value=MONDAY_EVENING):
        flags = late_flags_for_actor(world.users["head_teacher"], date(2026, 11, 30))
    assert len(flags) == 1 and flags[0]["count"] == 3
    assert flags[0]["student"].school_class == world.class_5_1


def test_deterministic(programme, world):
    def snapshot():
        with transaction.atomic():
            load(programme, world)
            state = (
                sorted(AttendanceRecord.objects.values_list("session__date", "student_id", "status")),
                sorted(PickupBooking.objects.values_list("date", "student_id", "slot_id")),
                sorted(Departure.objects.values_list("date", "student_id", "late_minutes")),
                sorted(StaffDuty.objects.values_list("date", "slot_id", "teacher_id")),
            )
            transaction.set_rollback(True)
        return state

    assert snapshot() == snapshot()
