"""Rules of the after-school day: pickup (弹性离校), gate staffing, late pickups, attendance, money.

Pure: no ORM. The decisions behind the numbers are in docs/decisions/0014-afterschool-days.md; each
function cites the policy text it serves.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, tzinfo
from decimal import ROUND_HALF_UP, Decimal

# Families may change a day's pickup time until 14:00 that day; after that the gate list and the
# duty roster are fixed (the office can still change a booking, audited). Decision 0014.
BOOKING_CUTOFF = time(14, 0)
# A child is flagged to the head teacher after this many late pickups within the last
# LATE_WINDOW_SERVICE_DAYS service days of the programme. Decision 0014.
LATE_THRESHOLD = 3
LATE_WINDOW_SERVICE_DAYS = 20

CENT = Decimal("0.01")


def minutes_of(t: time) -> int:
    return t.hour * 60 + t.minute


def minutes_between(start: time, end: time) -> int:
    return minutes_of(end) - minutes_of(start)


def default_pickup_time(slot_times: Sequence[time], service_end: time | None) -> time | None:
    """The pickup time of a child whose family booked nothing: the service's end.

    after_school_end_not_before_off_work (dr_opinion_2021): the service ends no earlier than the
    local off-work time, so its end is the time most families can come; later slots are the
    extended care (after_school_extended_care) a family asks for. The default is the first slot at
    or after the end; if every slot is earlier, the last one; with no slots, the end itself.
    """
    ordered = sorted(slot_times)
    if not ordered:
        return service_end
    if service_end is None:
        return ordered[-1]
    return next((t for t in ordered if t >= service_end), ordered[-1])


def booking_open(on: date, now_local: datetime, *, cutoff: time = BOOKING_CUTOFF) -> bool:
    """A family may set or change the pickup time for `on` until the cutoff on that day
    (after_school_extended_care: 弹性离校 on request; decision 0014 for the cutoff)."""
    today = now_local.date()
    if on > today:
        return True
    return on == today and now_local.time() < cutoff


def pickup_within_service(slot_time: time, last_end: time | None) -> bool:
    """A pickup time must fall within the day's service: no later than the end of its last part,
    extended care (延时托管) included, because after that nobody looks after the child
    (after_school_extended_care; issue 15, finding G4). A day with no service has no valid time."""
    return last_end is not None and slot_time <= last_end


def staff_needed(children: int, children_per_staff: int) -> int:
    """ceil(children / children per member of staff); no children, no staff."""
    if children <= 0:
        return 0
    return math.ceil(children / max(1, children_per_staff))


@dataclass(frozen=True)
class SlotNeed:
    time: time
    children: int  # still at school after the previous slot: booked for this slot or a later one
    leaving: int  # booked for exactly this slot
    needed: int


def staffing(
    slot_times: Sequence[time], child_times: Iterable[time], children_per_staff: int
) -> list[SlotNeed]:
    """Staff for each pickup slot from the bookings (issue 5: staffing for late slots follows the
    bookings). A child booked for 18:00 is still at school at 17:30, so is counted for both slots.
    after_school_extended_care; teacher_flexible_hours (dr_opinion_2021) for the duty itself."""
    times = list(child_times)
    out = []
    for t in sorted(slot_times):
        remaining = sum(1 for c in times if c >= t)
        out.append(
            SlotNeed(
                time=t,
                children=remaining,
                leaving=sum(1 for c in times if c == t),
                needed=staff_needed(remaining, children_per_staff),
            )
        )
    return out


def duty_start(slot_time: time, previous_slot: time | None, service_end: time | None) -> time:
    """A gate duty covers the wait before its slot that lies after the service's end: from the later
    of the previous slot and the end, up to the slot (never after it). A duty at or before the end
    is a hand-over at the gate and adds no time (the teacher is in a session until then)."""
    candidates = [t for t in (previous_slot, service_end) if t is not None]
    start = max(candidates) if candidates else slot_time
    return min(start, slot_time)


def duty_minutes(start: time, slot_time: time) -> int:
    return max(0, minutes_between(start, slot_time))


def pickup_deadline(on: date, booked: time, grace_minutes: int, tz: tzinfo | None) -> datetime:
    """When a child booked for `booked` on `on` counts as not collected in time: the booked time plus
    the programme's grace (the gate's late minutes and the family's not-collected message both count
    from it)."""
    return datetime.combine(on, booked, tzinfo=tz) + timedelta(minutes=grace_minutes)


def late_minutes(booked: time, left_at_local: datetime, grace_minutes: int) -> int:
    """Whole minutes after the booked time plus the programme's grace; 0 when within it.

    E.g. booked 17:30, grace 10 minutes, left 17:45:30 → 5 (17:40 + 5 whole minutes)."""
    deadline = pickup_deadline(left_at_local.date(), booked, grace_minutes, left_at_local.tzinfo)
    if left_at_local <= deadline:
        return 0
    return int((left_at_local - deadline).total_seconds() // 60)


def late_window(service_days: Sequence[date], on: date, size: int = LATE_WINDOW_SERVICE_DAYS) -> list[date]:
    """The last `size` service days up to and including `on`."""
    return [d for d in sorted(service_days) if d <= on][-size:]


def repeatedly_late(
    late_dates: Iterable[date], window: Sequence[date], threshold: int = LATE_THRESHOLD
) -> bool:
    """Repeated late pickups are flagged to the head teacher (issue 5): `threshold` or more late days
    within the window of service days (decision 0014: 3 in the last 20)."""
    days = set(window)
    return sum(1 for d in set(late_dates) if d in days) >= threshold


def attendance_rate(present: int, late: int, absent: int, leave: int) -> float | None:
    """Share of marked places where the child came (到 or 迟到) over every mark, leave included:
    a child on leave was expected. None when nothing was marked."""
    total = present + late + absent + leave
    if total == 0:
        return None
    return (present + late) / total


def share(part: int, whole: int) -> float | None:
    return part / whole if whole else None


def subsidy_amount(fee: Decimal, percent: int) -> Decimal:
    """The part of a fee waived for a family in verified hardship (after_school_fee_rules,
    after_school_notice_2021_06: provinces set the fee policy; the school enters the percent)."""
    return (fee * Decimal(percent) / Decimal(100)).quantize(CENT, rounding=ROUND_HALF_UP)


def attendance_edit(session_date: date, today: date, *, office: bool) -> str | None:
    """Who may write attendance when: the staff who run the session on the day itself (correcting
    is allowed that day); afterwards only the school office, audited. Nobody ahead of the day.
    Returns None when allowed, else "not_yet" or "office_only"."""
    if session_date > today:
        return "not_yet"
    if session_date < today and not office:
        return "office_only"
    return None
