"""Flexible pickup (弹性离校): slots, families' bookings, gate duty, departures.

A family books a pickup slot for one day, or for that weekday for the rest of the term, until the
cutoff on the day (14:00, days.rules.BOOKING_CUTOFF); after that only the school office may change
it (audited). The office assigns gate duty from the staffing the bookings call for. Staff on duty
tap "已接走"; the first tap is the departure time, a repeat changes nothing.
"""

from __future__ import annotations

from datetime import date, datetime, time
from typing import Any

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from jianfu.afterschool.attendance.selectors import (
    day_last_end,
    is_service_day,
    service_day_check,
    service_days,
    service_end,
)
from jianfu.afterschool.attendance.services import school_teacher
from jianfu.afterschool.collectors.selectors import persons_on
from jianfu.afterschool.days.errors import DaysError
from jianfu.afterschool.days.rules import (
    BOOKING_CUTOFF,
    booking_open,
    duty_start,
    late_minutes,
    pickup_deadline,
    pickup_within_service,
)
from jianfu.afterschool.models import (
    Departure,
    PickupBooking,
    PickupPerson,
    PickupSlot,
    Programme,
    StaffDuty,
)
from jianfu.afterschool.permissions import can_manage_programme, can_work_gate
from jianfu.afterschool.pickup.selectors import (
    default_slot,
    expected_ids,
    participating_weekdays,
    pickup_slots,
    pickup_times,
    running_programmes,
)
from jianfu.afterschool.rules import WEEKDAYS
from jianfu.afterschool.selectors import children_of_parent, programme_get_for_office
from jianfu.core.audit import audit
from jianfu.core.errors import NotFound
from jianfu.notifications.services import notify
from jianfu.schools.models import Guardian, Student


def _slot_of(programme: Programme, slot_id: int) -> PickupSlot:
    slot = next((s for s in pickup_slots(programme) if s.pk == slot_id), None)
    if slot is None:
        raise DaysError(
            DaysError.SLOT_INVALID,
            _("接送时段：该时段不属于本校这期课后服务方案"),
            field="slot_id",
        )
    return slot


def _refuse_after_service(programme: Programme, slot: PickupSlot, on: date) -> None:
    """Nobody books a time after the day's service ends, the office included: nobody would be there
    to look after the child (a weekly booking repeats the same weekday, so one check covers it)."""
    last_end = day_last_end(programme, on.isoweekday())
    if not pickup_within_service(slot.time, last_end):
        raise DaysError(
            DaysError.PICKUP_AFTER_SERVICE,
            _("接送时间：%(day)s的课后服务%(end)s结束，不能预约%(time)s接孩子，请选择%(end)s或更早的时间"),
            params={
                "day": WEEKDAYS[on.isoweekday()],
                "end": f"{last_end:%H:%M}" if last_end else "—",
                "time": f"{slot.time:%H:%M}",
            },
            field="slot_id",
        )


@transaction.atomic
def pickup_slot_add(*, actor: Any, programme_id: int, at: time, label: str = "") -> PickupSlot:
    """The office offers a pickup time (e.g. 17:30, 18:00, 18:30). Adding it twice is harmless."""
    programme = programme_get_for_office(actor, programme_id)
    slot, created = PickupSlot.objects.get_or_create(
        programme=programme, time=at, defaults={"label": label[:30]}
    )
    if created:
        audit(
            actor=actor,
            action="afterschool_pickup_slot_added",
            obj=slot,
            school_id=programme.school_id,
            data={"time": at.strftime("%H:%M")},
        )
    return slot


def _programme_and_child(actor: Any, programme_id: int, student_id: int) -> tuple[Programme, Student, bool]:
    """The programme and child a booking is about, and whether the actor acts as the school office.
    A guardian may book for their own child; the office for any child of its school."""
    programme = Programme.objects.select_related("school", "term").filter(pk=programme_id).first()
    student = Student.objects.filter(pk=student_id, is_active=True).first()
    if programme is None or student is None:
        raise NotFound(_("学生或课后服务方案"))
    office = can_manage_programme(actor, programme) and student.school_id == programme.school_id
    guardian = children_of_parent(actor).filter(pk=student.pk).exists()
    if not (office or guardian) or student.school_id != programme.school_id:
        raise NotFound(_("学生或课后服务方案"))
    return programme, student, office


@transaction.atomic
def pickup_book(
    *,
    actor: Any,
    programme_id: int,
    student_id: int,
    slot_id: int,
    on: date,
    weekly: bool = False,
    now: datetime | None = None,
) -> list[PickupBooking]:
    """Book `slot_id` for the child on `on`, and with `weekly` on every later service day of the same
    weekday this term (a standing booking; the latest instruction wins for each date)."""
    now_local = timezone.localtime(now or timezone.now())
    programme, student, office = _programme_and_child(actor, programme_id, student_id)
    slot = _slot_of(programme, slot_id)
    service_day_check(programme, on)
    weekdays = participating_weekdays(programme, student.pk)
    if not weekdays:
        raise DaysError(
            DaysError.NOT_TAKING_PART,
            _("学生：该学生没有参加本期课后服务，无需预约接送"),
            field="student_id",
        )
    if on.isoweekday() not in weekdays:
        raise DaysError(
            DaysError.NOT_TAKING_PART,
            _("日期：孩子%(day)s没有课后服务，请选择有服务的日子"),
            params={"day": WEEKDAYS[on.isoweekday()]},
            field="date",
        )
    _refuse_after_service(programme, slot, on)
    if not office and not booking_open(on, now_local):
        raise DaysError(
            DaysError.BOOKING_CLOSED,
            _("日期：%(date)s的接送时间已不能修改（当天%(cutoff)s截止），如有急事请联系学校"),
            params={"date": on.isoformat(), "cutoff": f"{BOOKING_CUTOFF:%H:%M}"},
            field="date",
        )
    dates = [on]
    if weekly:
        dates += [
            d for d in service_days(programme, start=on) if d > on and d.isoweekday() == on.isoweekday()
        ]
    bookings = []
    for d in dates:
        booking, _created = PickupBooking.objects.update_or_create(
            student=student, date=d, defaults={"programme": programme, "slot": slot, "booked_by": actor}
        )
        bookings.append(booking)
    audit(
        actor=actor,
        action="afterschool_pickup_booked",
        obj=bookings[0],
        school_id=programme.school_id,
        data={
            "student_id": student.pk,
            "slot": slot.time.strftime("%H:%M"),
            "from": on.isoformat(),
            "dates": len(dates),
            "weekly": weekly,
            "by_office_after_cutoff": office and not booking_open(on, now_local),
        },
    )
    return bookings


@transaction.atomic
def duty_assign(*, actor: Any, programme_id: int, slot_id: int, on: date, teacher_id: int) -> StaffDuty:
    """The office puts a teacher on gate duty for a slot on a date. Assigning twice is harmless.
    The duty starts at the later of the previous slot and the service's end (days.rules.duty_start)."""
    programme = programme_get_for_office(actor, programme_id)
    slot = _slot_of(programme, slot_id)
    service_day_check(programme, on)
    teacher = school_teacher(programme, teacher_id)
    earlier = [s.time for s in pickup_slots(programme) if s.time < slot.time]
    start = duty_start(slot.time, max(earlier) if earlier else None, service_end(programme, on.isoweekday()))
    duty, created = StaffDuty.objects.get_or_create(
        slot=slot,
        date=on,
        teacher=teacher,
        defaults={"programme": programme, "start": start, "assigned_by": actor},
    )
    if created:
        audit(
            actor=actor,
            action="afterschool_duty_assigned",
            obj=duty,
            school_id=programme.school_id,
            data={"date": on.isoformat(), "slot": slot.time.strftime("%H:%M"), "teacher_id": teacher.pk},
        )
    return duty


@transaction.atomic
def duty_assign_many(
    *, actor: Any, programme_id: int, slot_id: int, on: date, teacher_ids: list[int]
) -> list[StaffDuty]:
    """Several teachers on gate duty for one slot in one go (issue 15, finding G3: 19 round trips
    to staff one slot). All or none: a teacher of another school refuses the whole list. Each
    assignment is duty_assign's, so repeating the list changes nothing."""
    if not teacher_ids:
        raise DaysError(DaysError.TEACHER_INVALID, _("值守教师：请至少选择一位"), field="teacher_id")
    return [
        duty_assign(actor=actor, programme_id=programme_id, slot_id=slot_id, on=on, teacher_id=t)
        for t in dict.fromkeys(teacher_ids)
    ]


@transaction.atomic
def duty_remove(*, actor: Any, duty_id: int) -> None:
    duty = StaffDuty.objects.select_related("programme").filter(pk=duty_id).first()
    if duty is None or not can_manage_programme(actor, duty.programme):
        raise NotFound(_("值守安排"))
    audit(
        actor=actor,
        action="afterschool_duty_removed",
        obj=duty,
        school_id=duty.programme.school_id,
        data={"date": duty.date.isoformat(), "teacher_id": duty.teacher_id},
    )
    duty.delete()


@transaction.atomic
def departure_record(
    *,
    actor: Any,
    programme_id: int,
    student_id: int,
    pickup_person_id: int | None = None,
    now: datetime | None = None,
) -> Departure:
    """ "已接走": the child left now — with the family, or with `pickup_person_id`, a person the family
    named for today (checked by the gate: name, relationship, masked phone). Late minutes are counted
    against the booked slot (or the default, the service's end) plus the programme's grace. The
    first tap counts; a repeat returns it."""
    now = now or timezone.now()
    on = timezone.localtime(now).date()
    programme = Programme.objects.select_related("school", "term").filter(pk=programme_id).first()
    if programme is None or not can_work_gate(actor, programme, on):
        raise NotFound(_("离校登记"))
    service_day_check(programme, on)
    if on.isoweekday() not in participating_weekdays(programme, student_id):
        raise DaysError(
            DaysError.DEPARTURE_INVALID,
            _("学生：该学生今天不在课后服务名单中"),
            field="student_id",
        )
    existing = Departure.objects.filter(student_id=student_id, date=on).first()
    if existing is not None:
        return existing
    person = _named_person(programme, student_id, on, pickup_person_id)
    booking = (
        PickupBooking.objects.filter(programme=programme, student_id=student_id, date=on)
        .select_related("slot")
        .first()
    )
    slot = booking.slot if booking else default_slot(programme, on)
    booked_time = slot.time if slot else service_end(programme, on.isoweekday())
    late = (
        late_minutes(booked_time, timezone.localtime(now), programme.pickup_grace_minutes)
        if booked_time
        else 0
    )
    departure, created = Departure.objects.get_or_create(
        student_id=student_id,
        date=on,
        defaults={
            "programme": programme,
            "left_at": now,
            "booking": booking,
            "late_minutes": late,
            "recorded_by": actor,
            "pickup_person": person,
        },
    )
    if created:
        audit(
            actor=actor,
            action="afterschool_departure_recorded",
            obj=departure,
            school_id=programme.school_id,
            data={"student_id": student_id, "late_minutes": late, "by_pickup_person": person is not None},
        )
    return departure


def _named_person(
    programme: Programme, student_id: int, on: date, person_id: int | None
) -> PickupPerson | None:
    """The person the family named for the child today, or a refusal naming the field."""
    if person_id is None:
        return None
    person = next(
        (p for p in persons_on(programme.pk, on, [student_id]).get(student_id, []) if p.pk == person_id), None
    )
    if person is None:
        raise DaysError(
            DaysError.PICKUP_PERSON_INVALID,
            _("代接人：家长今天没有指定此人接该学生"),
            field="pickup_person_id",
        )
    return person


@transaction.atomic
def departure_undo(*, actor: Any, departure_id: int, now: datetime | None = None) -> None:
    """A mis-tap at the gate is undone the same day by staff on duty or the office (audited)."""
    on = timezone.localtime(now or timezone.now()).date()
    departure = Departure.objects.select_related("programme").filter(pk=departure_id).first()
    if departure is None or not can_work_gate(actor, departure.programme, departure.date):
        raise NotFound(_("离校记录"))
    if departure.date != on and not can_manage_programme(actor, departure.programme):
        raise DaysError(
            DaysError.DEPARTURE_INVALID,
            _("日期：只能撤销当天的离校登记"),
            field="date",
        )
    audit(
        actor=actor,
        action="afterschool_departure_undone",
        obj=departure,
        school_id=departure.programme.school_id,
        data={"student_id": departure.student_id, "date": departure.date.isoformat()},
    )
    departure.delete()


# Children not collected at the time their family booked (issue 15, a safety message).
#
# Every pickup time of the day, plus the programme's grace, a check runs for the children due to
# leave by then who have no departure recorded, and tells each one's family at once (quiet hours do
# not hold a safety message; decision 0050). The checks of a day are queued in the morning as
# deferred tasks, one per distinct pickup time of each running programme (`uncollected_checks_queue`,
# a daily job in settings.JIANFU_PERIODIC_JOBS). Each check reads the bookings as they stand when it
# runs, so a booking changed during the day is judged by its latest time; a family is told once per
# child and day (the message's key), so a later check does not repeat it.
def uncollected_check(*, programme_id: int, on: date, now: datetime | None = None) -> int:
    """Tell the family of each child expected today whose pickup time plus the programme's grace
    has passed and who has not been recorded as collected. Returns how many such children there
    are; a family already told about the child today is not told again."""
    now = now or timezone.now()
    programme = running_programmes(on).filter(pk=programme_id).first()
    if programme is None or not is_service_day(programme, on):
        return 0
    expected = expected_ids(programme, on)
    left = set(Departure.objects.filter(programme=programme, date=on).values_list("student_id", flat=True))
    times = pickup_times(programme, on, expected - left)
    due = [
        (sid, slot.time)
        for sid, (slot, _booked) in times.items()
        if slot is not None
        and pickup_deadline(on, slot.time, programme.pickup_grace_minutes, timezone.get_current_timezone())
        <= now
    ]
    if not due:
        return 0
    guardians: dict[int, list[Guardian]] = {}
    for g in Guardian.objects.filter(student_id__in=[sid for sid, _at in due]).select_related(
        "user", "student"
    ):
        guardians.setdefault(g.student_id, []).append(g)
    told = 0
    for sid, at in due:
        family = guardians.get(sid)
        if not family:
            continue
        notify(
            family,
            "afterschool_uncollected",
            {"child": family[0].student.name, "time": f"{at:%H:%M}"},
            key=f"afterschool_uncollected:{programme.pk}:{on.isoformat()}:{sid}",
            link_url=reverse("afterschool_days:family-attendance"),
            now=now,
        )
        told += 1
    return told


def check_times(programme: Programme, on: date) -> list[datetime]:
    """When the day's checks run: each pickup time plus the grace (Beijing time)."""
    return sorted(
        {
            pickup_deadline(on, s.time, programme.pickup_grace_minutes, timezone.get_current_timezone())
            for s in pickup_slots(programme)
        }
    )


def uncollected_checks_queue(*, on: date | None = None) -> int:
    """The morning job: queue today's checks for every running programme with service today, each
    to run at its time. Returns checks queued."""
    from jianfu.afterschool.pickup.tasks import uncollected_check_task

    on = on or timezone.localdate()
    queued = 0
    for programme in running_programmes(on):
        if not is_service_day(programme, on):
            continue
        for at in check_times(programme, on):
            uncollected_check_task.using(run_after=at).enqueue(programme.pk, on.isoformat())
            queued += 1
    return queued
