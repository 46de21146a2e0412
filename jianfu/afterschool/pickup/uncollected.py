"""Children not collected at the time their family booked (issue 15, a safety message).

Every pickup time of the day, plus the programme's grace, a check runs for the children due to
leave by then who have no departure recorded, and tells each one's family at once (quiet hours do
not hold a safety message; decision 0050). The checks of a day are queued in the morning as
deferred tasks, one per distinct pickup time of each running programme (`uncollected_checks_queue`,
a daily job in settings.JIANFU_PERIODIC_JOBS). Each check reads the bookings as they stand when it
runs, so a booking changed during the day is judged by its latest time; a family is told once per
child and day (the message's key), so a later check does not repeat it.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from django.urls import reverse
from django.utils import timezone

from jianfu.afterschool.attendance.selectors import is_service_day
from jianfu.afterschool.models import Departure, Programme
from jianfu.afterschool.pickup.selectors import expected_ids, pickup_slots, pickup_times, running_programmes
from jianfu.notifications.services import notify
from jianfu.schools.models import Guardian


def _due_at(on: date, at: time, grace_minutes: int) -> datetime:
    local = datetime.combine(on, at, tzinfo=timezone.get_current_timezone())
    return local + timedelta(minutes=grace_minutes)


def uncollected_check(*, programme_id: int, on: date, now: datetime | None = None) -> int:
    """Tell the family of each child expected today whose pickup time plus the programme's grace
    has passed and who has not been recorded as collected. Returns how many such children there
    are; a family already told about the child today is not told again."""
    now = now or timezone.now()
    programme = running_programmes(on).filter(pk=programme_id).first()
    if programme is None or not is_service_day(programme, on):
        return 0
    expected = expected_ids(programme, on)
    left = set(
        Departure.objects.filter(programme=programme, date=on, student_id__in=expected).values_list(
            "student_id", flat=True
        )
    )
    times = pickup_times(programme, on, expected - left)
    due = [
        (sid, slot.time)
        for sid, (slot, _booked) in times.items()
        if slot is not None and _due_at(on, slot.time, programme.pickup_grace_minutes) <= now
    ]
    if not due:
        return 0
    guardians: dict[int, list[Guardian]] = {}
    for g in Guardian.objects.filter(student_id__in=[sid for sid, _ in due]).select_related(
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
    return sorted({_due_at(on, s.time, programme.pickup_grace_minutes) for s in pickup_slots(programme)})


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
