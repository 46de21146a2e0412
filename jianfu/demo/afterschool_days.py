"""Demo after-school days: the last school week of a published programme, made through the services.

Sessions with realistic attendance (most present, a few late, on leave or absent), pickup bookings
(most families take the service's end, some a later slot, families with an account a standing
weekly booking), gate duty sized from the bookings, and departures with a few late ones — one
child late three times, so their head teacher sees a flag. Deterministic: a fixed seed, children
and teachers in id order; the dates are the last service days before today.
"""

from __future__ import annotations

import random
from datetime import date, datetime, time, timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone

from jianfu.accounts.models import Role
from jianfu.afterschool.attendance.selectors import (
    basic_applications,
    day_last_end,
    participant_ids,
    service_days,
    service_end,
    session_roster,
)
from jianfu.afterschool.attendance.services import (
    attendance_mark,
    attendance_mark_all_present,
    sessions_ensure,
)
from jianfu.afterschool.days.rules import minutes_of
from jianfu.afterschool.models import AttendanceStatus, PickupBooking, PickupSlot, Programme, ServiceSession
from jianfu.afterschool.pickup.selectors import default_slot, expected_ids, pickup_slots, staffing_for
from jianfu.afterschool.pickup.services import departure_record, duty_assign, pickup_book, pickup_slot_add
from jianfu.schools.access import holders
from jianfu.schools.models import Guardian, SchoolClass, Teacher

SEED = 20261130


def _at(day: date, t: time, minutes: int = 0) -> datetime:
    naive = datetime.combine(day, t) + timedelta(minutes=minutes)
    return timezone.make_aware(naive)


def _plus(t: time, minutes: int) -> time:
    m = minutes_of(t) + minutes
    return time(m // 60 % 24, m % 60)


@transaction.atomic
def load_afterschool_days(
    programme: Programme, days: int = 5, *, late_class: SchoolClass | None = None
) -> dict[str, int]:
    """Fill the last `days` service days before today. `late_class` is where the child who is picked
    up late three times comes from (default: the first class in the basic part with a head teacher)."""
    rng = random.Random(SEED)  # noqa: S311 - demo data must be reproducible, not secret
    office_m = (
        holders((Role.ACADEMIC_AFFAIRS, Role.PRINCIPAL), over=programme.school).order_by("role", "pk").first()
    )
    if office_m is None:
        return {"days": 0}
    office = office_m.user
    today = timezone.localdate()
    dates = service_days(programme, until=today - timedelta(days=1))[-days:]
    if not dates:
        return {"days": 0}
    if not pickup_slots(programme):
        end = service_end(programme, dates[0].isoweekday()) or time(17, 30)
        # The service's end, then later times up to the end of extended care (no pickup time may be
        # later: nobody is there after it).
        last = day_last_end(programme, dates[0].isoweekday()) or end
        for extra in (0, 20, 40):
            if _plus(end, extra) <= last:
                pickup_slot_add(actor=office, programme_id=programme.pk, at=_plus(end, extra))
        programme._days_pickup_slots = None  # type: ignore[attr-defined]
    slots = pickup_slots(programme)
    later = [s for s in slots if s.time > (service_end(programme, dates[0].isoweekday()) or time(0))]
    teachers = list(Teacher.objects.filter(school=programme.school).select_related("user").order_by("pk"))
    accounts = {
        g.student_id: g.user
        for g in Guardian.objects.filter(student__school=programme.school, user__isnull=False).select_related(
            "user"
        )
    }
    late_child = _late_child(programme, late_class)
    counts = {
        "days": len(dates),
        "sessions": 0,
        "marks": 0,
        "bookings": 0,
        "duties": 0,
        "departures": 0,
        "late": 0,
    }
    late_once: set[int] = set()

    # Families with an account keep a standing booking: a later slot every week on the first day's weekday.
    first_day = participant_ids(programme, dates[0])
    for student_id, parent in sorted(accounts.items()):
        if later and student_id in first_day:
            made = pickup_book(
                actor=parent,
                programme_id=programme.pk,
                student_id=student_id,
                slot_id=later[0].pk,
                on=dates[0],
                weekly=True,
                now=_at(dates[0], time(7, 30)),
            )
            counts["bookings"] += len(made)

    for n, day in enumerate(dates):
        sessions = sessions_ensure(actor=office, programme=programme, on=day)
        counts["sessions"] += len(sessions)
        for session in sorted(sessions, key=lambda s: s.pk):
            counts["marks"] += _take_attendance(session, office, rng, late_child=late_child)
        expected = sorted(expected_ids(programme, day))
        for student_id in expected:
            r = rng.random()
            if later and student_id not in accounts and r < 0.25:
                slot = later[0] if r < 0.17 or len(later) == 1 else later[1]
                pickup_book(
                    actor=office,
                    programme_id=programme.pk,
                    student_id=student_id,
                    slot_id=slot.pk,
                    on=day,
                    now=_at(day, time(8, 0)),
                )
                counts["bookings"] += 1
        on_duty = _assign_duties(programme, day, office, teachers, n)
        counts["duties"] += sum(len(v) for v in on_duty.values())
        # The late child's family is late on three days spread over the week.
        late_today = late_child if n in {0, len(dates) // 2, len(dates) - 1} else None
        _departures(programme, day, office, on_duty, rng, late_today, late_child, late_once, counts, n)
    return counts


def _late_child(programme: Programme, late_class: SchoolClass | None) -> int | None:
    basic = basic_applications(programme).filter(student__school_class__head_teacher__isnull=False)
    if late_class is not None and basic.filter(student__school_class=late_class).exists():
        basic = basic.filter(student__school_class=late_class)
    first = basic.order_by(
        "student__school_class__grade__number", "student__school_class__number", "student_id"
    )
    return first.values_list("student_id", flat=True).first()


def _take_attendance(
    session: ServiceSession, office: Any, rng: random.Random, *, late_child: int | None
) -> int:
    taker = (
        session.teacher.user
        if session.teacher is not None
        else session.provider_staff.user
        if session.provider_staff is not None and session.provider_staff.user is not None
        else office
    )
    when = _at(session.date, session.start, 8)
    marked = 0
    for child in session_roster(session):
        if child.pk == late_child:
            continue  # the child who is picked up late comes to every session
        r = rng.random()
        status = (
            AttendanceStatus.LATE
            if r < 0.03
            else AttendanceStatus.LEAVE
            if r < 0.05
            else AttendanceStatus.ABSENT
            if r < 0.065
            else None
        )
        if status is not None:
            attendance_mark(actor=taker, session_id=session.pk, student_id=child.pk, status=status, now=when)
            marked += 1
    return marked + attendance_mark_all_present(actor=taker, session_id=session.pk, now=when)


def _assign_duties(
    programme: Programme, day: date, office: Any, teachers: list[Teacher], n: int
) -> dict[int, list[Teacher]]:
    """As many teachers on each slot as the bookings need, taken in turn from the school's staff."""
    on_duty: dict[int, list[Teacher]] = {}
    if not teachers:
        return on_duty
    turn = n * 7
    for row in staffing_for(programme, day)["rows"]:
        for _ in range(row["needed"]):
            teacher = teachers[turn % len(teachers)]
            turn += 1
            duty_assign(
                actor=office, programme_id=programme.pk, slot_id=row["slot"].pk, on=day, teacher_id=teacher.pk
            )
            on_duty.setdefault(row["slot"].pk, []).append(teacher)
    return on_duty


def _departures(
    programme: Programme,
    day: date,
    office: Any,
    on_duty: dict[int, list[Teacher]],
    rng: random.Random,
    late_today: int | None,
    late_child: int | None,
    late_once: set[int],
    counts: dict[str, int],
    n: int,
) -> None:
    """Each expected child leaves around their slot; a few families (each once) come late."""
    booked = {
        b.student_id: b.slot
        for b in PickupBooking.objects.filter(programme=programme, date=day).select_related("slot")
    }
    fallback = default_slot(programme, day)
    for student_id in sorted(expected_ids(programme, day)):
        slot: PickupSlot | None = booked.get(student_id, fallback)
        if slot is None:
            continue
        offset = rng.randint(-6, 8)  # most families arrive around the time they booked
        if student_id == late_today:
            offset = 15 + 5 * n  # 15, 25, 35 minutes after the slot on days 0, 2 and 4 of five
        elif student_id != late_child and student_id not in late_once and rng.random() < 0.01:
            offset = rng.randint(14, 30)
            late_once.add(student_id)
        staff = on_duty.get(slot.pk)
        actor = staff[0].user if staff else office
        d = departure_record(
            actor=actor, programme_id=programme.pk, student_id=student_id, now=_at(day, slot.time, offset)
        )
        counts["departures"] += 1
        counts["late"] += d.late_minutes > 0
