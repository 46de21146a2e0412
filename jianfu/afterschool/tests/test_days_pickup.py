"""Flexible pickup: bookings (cutoff, standing bookings, bad input), staffing from the bookings,
gate duty, departures with late minutes, and the repeated-late flag for the head teacher."""

from datetime import date

import pytest

from jianfu.afterschool.attendance.services import attendance_mark, sessions_ensure
from jianfu.afterschool.days.errors import DaysError
from jianfu.afterschool.models import Departure, PickupBooking, PickupSlot, StaffDuty
from jianfu.afterschool.pickup.selectors import (
    default_slot,
    gate_list,
    late_flag_count,
    late_flags_for_actor,
    staffing_for,
)
from jianfu.afterschool.pickup.services import (
    departure_record,
    departure_undo,
    duty_assign,
    duty_remove,
    pickup_book,
    pickup_slot_add,
)
from jianfu.afterschool.tests.factories_days import (
    MON,
    TUE,
    apply_for,
    at,
    course_in,
    kid,
    pickup_slots,
    place,
    programme_for,
    t,
    teacher_of,
)
from jianfu.core.errors import NotFound
from jianfu.core.models import AuditEvent

pytestmark = pytest.mark.django_db


@pytest.fixture
def pick(world, autumn_term):
    """周小明 (the parent's child, 5-1) in the basic part every day; 吴小红 (5-2) only in 趣味编程 on
    Mondays and Wednesdays. Pickup slots 17:30 / 18:00 / 18:30; the service ends 17:30."""
    p = programme_for(world, autumn_term)
    coding = course_in(p, "趣味编程", teacher=teacher_of(world, "teacher"), weekdays=(1, 3))
    apply_for(p, world.student, basic=True, by=world.users["parent"])
    place(coding, world.other_student)
    slots = pickup_slots(p)
    return {"p": p, "slots": slots, "w": world}


def book(pick, persona="parent", *, slot="18:00", on=MON, now=None, weekly=False, student=None):
    w = pick["w"]
    return pickup_book(
        actor=w.users[persona],
        programme_id=pick["p"].pk,
        student_id=(student or w.student).pk,
        slot_id=pick["slots"][slot].pk,
        on=on,
        weekly=weekly,
        now=now or at(on, 9),
    )


def duty(world, p, slot, *, by, on=MON, teacher=None):
    """`by` puts `teacher` (赵老师, the course's teacher, unless told) on gate duty at `slot` on `on`."""
    return duty_assign(
        actor=world.users[by],
        programme_id=p.pk,
        slot_id=slot.pk,
        on=on,
        teacher_id=(teacher or teacher_of(world, "teacher")).pk,
    )


def test_the_default_slot_is_the_service_end(pick):
    assert default_slot(pick["p"], MON).time == t("17:30")


def test_a_parent_books_and_changes_until_the_cutoff(pick):
    book(pick, slot="18:00", now=at(MON, 8))
    book(pick, slot="18:30", now=at(MON, 13, 59, 59))  # the last second before 14:00
    assert PickupBooking.objects.get(date=MON).slot.time == t("18:30")
    with pytest.raises(DaysError) as err:
        book(pick, slot="17:30", now=at(MON, 14, 0))
    assert err.value.code == DaysError.BOOKING_CLOSED and err.value.field == "date"
    assert "14:00" in err.value.message_zh
    assert PickupBooking.objects.get(date=MON).slot.time == t("18:30")  # nothing half-written
    with pytest.raises(DaysError):
        book(pick, slot="17:30", on=MON, now=at(TUE, 8))  # a past day
    # A family's emergency phone call: the office may still change it, and that is audited.
    book(pick, "academic", slot="17:30", now=at(MON, 15))
    assert PickupBooking.objects.get(date=MON).slot.time == t("17:30")
    assert (
        AuditEvent.objects.filter(action="afterschool_pickup_booked").first().data["by_office_after_cutoff"]
    )


def test_a_standing_booking_covers_that_weekday_for_the_rest_of_the_term(pick):
    made = book(pick, slot="18:30", on=MON, weekly=True)
    # Mondays from 23 Nov to the end of term (31 Dec 2026): 23, 30 Nov; 7, 14, 21, 28 Dec.
    assert [b.date for b in made] == [
        date(2026, 11, 23),
        date(2026, 11, 30),
        date(2026, 12, 7),
        date(2026, 12, 14),
        date(2026, 12, 21),
        date(2026, 12, 28),
    ]
    book(pick, slot="18:00", on=date(2026, 12, 7), now=at(MON, 9))  # one Monday differs
    assert dict(PickupBooking.objects.values_list("date", "slot__time")) == {
        date(2026, 11, 23): t("18:30"),
        date(2026, 11, 30): t("18:30"),
        date(2026, 12, 7): t("18:00"),
        date(2026, 12, 14): t("18:30"),
        date(2026, 12, 21): t("18:30"),
        date(2026, 12, 28): t("18:30"),
    }
    assert book(pick, slot="18:30", on=MON, weekly=True)[0].pk == made[0].pk  # a repeat writes the same rows
    assert PickupBooking.objects.count() == 6


def test_a_slot_of_another_programme_is_refused_naming_the_field(pick, world, autumn_term):
    other = programme_for(world, autumn_term, pickup=("19:00",), status="draft")
    foreign = PickupSlot.objects.get(programme=other)
    with pytest.raises(DaysError) as err:
        pickup_book(
            actor=world.users["parent"],
            programme_id=pick["p"].pk,
            student_id=world.student.pk,
            slot_id=foreign.pk,
            on=MON,
            now=at(MON, 9),
        )
    assert err.value.code == DaysError.SLOT_INVALID and err.value.field == "slot_id"
    assert "接送时段" in err.value.message_zh
    assert not PickupBooking.objects.exists()


def test_a_date_that_is_not_a_service_day_is_refused(pick):
    with pytest.raises(DaysError) as err:
        book(pick, on=date(2026, 11, 28), now=at(MON, 9))  # a Saturday
    assert err.value.code == DaysError.NOT_SERVICE_DAY and err.value.field == "date"
    assert "不是课后服务日" in err.value.message_zh


def test_a_day_without_the_childs_session_is_refused(pick, world):
    with pytest.raises(DaysError) as err:
        book(pick, "principal", on=TUE, student=world.other_student)  # her course is Mon/Wed
    assert err.value.field == "date" and "周二" in err.value.message_zh
    newcomer = kid(world, world.class_5_1, "新同学", 9)
    with pytest.raises(DaysError) as err:
        book(pick, "principal", student=newcomer)
    assert err.value.field == "student_id" and err.value.code == DaysError.NOT_TAKING_PART


@pytest.mark.parametrize("persona", ["parent", "teacher", "head_teacher", "bureau", "outsider", "nobody"])
def test_nobody_books_for_someone_elses_child(pick, world, persona):
    with pytest.raises(NotFound):
        book(pick, persona, student=world.other_student)


def test_the_office_adds_slots_once(pick, world):
    a = pickup_slot_add(actor=world.users["academic"], programme_id=pick["p"].pk, at=t("19:00"))
    b = pickup_slot_add(actor=world.users["academic"], programme_id=pick["p"].pk, at=t("19:00"))
    assert a.pk == b.pk
    with pytest.raises(NotFound):
        pickup_slot_add(actor=world.users["teacher"], programme_id=pick["p"].pk, at=t("19:30"))


def test_staffing_follows_the_bookings(world, autumn_term):
    # Two children per member of staff so the arithmetic stays small.
    p = programme_for(world, autumn_term, per_staff=2)
    slots = pickup_slots(p)
    kids = [world.student, world.other_student] + [
        kid(world, world.class_5_1, f"同学{i}", i) for i in range(3)
    ]
    for k in kids:
        apply_for(p, k, basic=True)
    wanted = {kids[0]: "18:30", kids[1]: "18:00", kids[3]: "18:30", kids[4]: "18:00"}  # kids[2]: default
    for k, slot in wanted.items():
        pickup_book(
            actor=world.users["principal"],
            programme_id=p.pk,
            student_id=k.pk,
            slot_id=slots[slot].pk,
            on=MON,
            now=at(MON, 9),
        )
    rows = {r["slot"].time.strftime("%H:%M"): r for r in staffing_for(p, MON)["rows"]}
    # Pickup times: 17:30 (default), 18:00, 18:00, 18:30, 18:30.
    # 17:30: 5 still there → ceil(5/2) = 3; 18:00: 4 → 2; 18:30: 2 → 1.
    assert [(r["children"], r["needed"]) for r in rows.values()] == [(5, 3), (4, 2), (2, 1)]
    assert rows["17:30"]["is_default"] and rows["17:30"]["booked"] == 0 and rows["17:30"]["leaving"] == 1
    # kids[3] is marked absent from the basic part: not at the gate. 18:30: 1 → 1; 18:00: 3 → 2; 17:30: 4 → 2.
    [basic] = [
        s for s in sessions_ensure(actor=None, programme=p, on=MON) if s.school_class == world.class_5_1
    ]
    attendance_mark(
        actor=world.users["principal"],
        session_id=basic.pk,
        student_id=kids[3].pk,
        status="absent",
        now=at(MON, 16),
    )
    duty(world, p, slots["18:00"], by="principal")
    duty(world, p, slots["18:30"], by="principal")
    staffing = staffing_for(p, MON)
    rows = {r["slot"].time.strftime("%H:%M"): r for r in staffing["rows"]}
    assert [(r["children"], r["needed"], len(r["duties"]), r["short"]) for r in rows.values()] == [
        (4, 2, 0, 2),
        (3, 2, 1, 1),
        (1, 1, 1, 0),
    ]
    assert staffing["expected"] == 4 and staffing["short_slots"] == 2


def test_duty_assignment_start_times_and_bad_input(pick, world):
    p, slots = pick["p"], pick["slots"]
    teacher = teacher_of(world, "teacher")
    d1 = duty(world, p, slots["18:00"], by="academic", teacher=teacher)
    d2 = duty(world, p, slots["18:30"], by="academic", teacher=teacher)
    again = duty(world, p, slots["18:30"], by="academic", teacher=teacher)
    # The service ends 17:30: the 18:00 duty covers 17:30–18:00, the 18:30 duty 18:00–18:30.
    assert (d1.start, d2.start, again.pk) == (t("17:30"), t("18:00"), d2.pk)
    with pytest.raises(DaysError) as err:
        duty(world, p, slots["18:00"], by="academic", on=date(2026, 11, 29), teacher=teacher)
    assert err.value.field == "date"
    with pytest.raises(NotFound):
        duty(world, p, slots["18:00"], by="teacher", teacher=teacher)
    duty_remove(actor=world.users["academic"], duty_id=d1.pk)
    assert StaffDuty.objects.count() == 1


def test_departures_count_late_minutes_against_the_booking_plus_grace(pick, world):
    p, slots = pick["p"], pick["slots"]
    book(pick, slot="18:00", now=at(MON, 9))
    teacher = world.users["teacher"]
    with pytest.raises(NotFound):  # not on duty
        departure_record(
            actor=teacher, programme_id=p.pk, student_id=world.student.pk, now=at(MON, 18, 15, 40)
        )
    duty(world, p, slots["18:00"], by="academic")
    d = departure_record(
        actor=teacher, programme_id=p.pk, student_id=world.student.pk, now=at(MON, 18, 15, 40)
    )
    # Booked 18:00 + 10 minutes' grace = 18:10; left 18:15:40 → 5 whole minutes late.
    assert d.late_minutes == 5 and d.booking is not None
    again = departure_record(
        actor=teacher, programme_id=p.pk, student_id=world.student.pk, now=at(MON, 18, 30)
    )
    assert (again.pk, again.late_minutes, again.left_at) == (d.pk, 5, at(MON, 18, 15, 40))
    # No booking: the default 17:30 + 10 = 17:40; left 17:39 → on time.
    on_time = departure_record(
        actor=teacher, programme_id=p.pk, student_id=world.other_student.pk, now=at(MON, 17, 39)
    )
    assert on_time.late_minutes == 0 and on_time.booking is None
    groups = {g["slot"].time.strftime("%H:%M"): g for g in gate_list(p, MON)}
    assert [c["student"].name for c in groups["18:00"]["children"]] == ["周小明"]
    assert groups["17:30"]["is_default"] and groups["17:30"]["left"] == 1


def test_a_child_not_in_todays_service_cannot_leave_through_the_gate(pick, world):
    with pytest.raises(DaysError) as err:
        departure_record(
            actor=world.users["principal"],
            programme_id=pick["p"].pk,
            student_id=world.other_student.pk,
            now=at(TUE, 17, 40),
        )
    assert err.value.field == "student_id"


def test_a_mis_tap_is_undone_the_same_day(pick, world):
    d = departure_record(
        actor=world.users["principal"],
        programme_id=pick["p"].pk,
        student_id=world.student.pk,
        now=at(MON, 17, 35),
    )
    with pytest.raises(NotFound):
        departure_undo(actor=world.users["teacher"], departure_id=d.pk, now=at(MON, 17, 36))
    departure_undo(actor=world.users["principal"], departure_id=d.pk, now=at(MON, 17, 36))
    assert not Departure.objects.exists()
    assert AuditEvent.objects.filter(action="afterschool_departure_undone").count() == 1


def late_on(pick, day, hh=18, mm=0):
    """周小明 has no booking: default 17:30 + 10 min grace; leaving at 18:00 is 20 minutes late."""
    w = pick["w"]
    return departure_record(
        actor=w.users["principal"], programme_id=pick["p"].pk, student_id=w.student.pk, now=at(day, hh, mm)
    )


def test_three_late_pickups_in_twenty_service_days_flag_the_child_to_the_head_teacher(pick, world):
    for day in (date(2026, 11, 20), date(2026, 11, 24), date(2026, 12, 1)):
        assert late_on(pick, day).late_minutes == 20
    late_on(pick, date(2026, 12, 2), 17, 40)  # exactly at the end of the grace: not late
    # Service days Mon–Fri. The 20 ending Thu 17 Dec start Fri 20 Nov (20 Nov, 23–27 Nov, 30 Nov–4 Dec,
    # 7–11 Dec, 14–17 Dec = 1 + 5 + 5 + 5 + 4): all three late days are inside → flagged.
    flags = late_flags_for_actor(world.users["head_teacher"], date(2026, 12, 17))
    assert [(f["student"].name, f["count"], f["late_minutes"]) for f in flags] == [("周小明", 3, 60)]
    assert late_flag_count(world.users["head_teacher"], date(2026, 12, 17)) == 1
    # The 20 ending Fri 18 Dec start Mon 23 Nov: 20 Nov falls out, two late days remain → no flag.
    assert late_flags_for_actor(world.users["head_teacher"], date(2026, 12, 18)) == []
    # The office sees the school's flags; other families and subject teachers see nothing.
    assert len(late_flags_for_actor(world.users["principal"], date(2026, 12, 17))) == 1
    for persona in ("parent", "teacher", "bureau", "outsider", "nobody"):
        assert late_flags_for_actor(world.users[persona], date(2026, 12, 17)) is None
        assert late_flag_count(world.users[persona], date(2026, 12, 17)) == 0


def test_two_late_pickups_are_not_a_pattern(pick, world):
    late_on(pick, date(2026, 11, 24))
    late_on(pick, date(2026, 11, 25))
    assert late_flags_for_actor(world.users["head_teacher"], date(2026, 11, 26)) == []
