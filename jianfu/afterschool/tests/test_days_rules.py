"""The pure rules of the after-school day, against hand calculations."""

from datetime import date, datetime, time, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from jianfu.afterschool.days.rules import (
    attendance_edit,
    attendance_rate,
    booking_open,
    default_pickup_time,
    duty_minutes,
    duty_start,
    late_minutes,
    late_window,
    repeatedly_late,
    staff_needed,
    staffing,
    subsidy_amount,
)

BJ = ZoneInfo("Asia/Shanghai")
DAY = date(2026, 11, 23)


def at(hh, mm, ss=0):
    return datetime(2026, 11, 23, hh, mm, ss, tzinfo=BJ)


def test_default_pickup_time_is_the_first_slot_at_or_after_the_end():
    slots = [time(18, 30), time(17, 30), time(18, 0)]
    assert default_pickup_time(slots, time(17, 30)) == time(17, 30)
    assert default_pickup_time(slots, time(17, 40)) == time(18, 0)  # no 17:40 slot: the next one
    assert default_pickup_time(slots, time(19, 0)) == time(18, 30)  # every slot earlier: the last
    assert default_pickup_time([], time(17, 30)) == time(17, 30)


def test_booking_is_open_until_14_00_on_the_day():
    assert booking_open(DAY, at(13, 59, 59))
    assert not booking_open(DAY, at(14, 0))
    assert booking_open(DAY + timedelta(days=1), at(23, 0))
    assert not booking_open(DAY - timedelta(days=1), at(8, 0))


def test_staff_needed_rounds_up():
    assert [staff_needed(n, 25) for n in (0, 1, 25, 26, 50, 51)] == [0, 1, 1, 2, 2, 3]


def test_staffing_counts_children_still_there():
    # Pickup at 17:30 ×3, 18:00 ×2, 18:30 ×1; 2 per member of staff:
    # 17:30: 6 → 3; 18:00: 3 → 2; 18:30: 1 → 1.
    times = [time(17, 30)] * 3 + [time(18, 0)] * 2 + [time(18, 30)]
    needs = staffing([time(17, 30), time(18, 0), time(18, 30)], times, 2)
    assert [(n.children, n.leaving, n.needed) for n in needs] == [(6, 3, 3), (3, 2, 2), (1, 1, 1)]


def test_duty_covers_the_wait_after_the_service_end():
    end = time(17, 30)
    assert duty_start(time(17, 30), None, end) == time(17, 30)  # a hand-over at the end: 0 minutes
    assert duty_start(time(18, 0), time(17, 30), end) == time(17, 30)
    assert duty_start(time(18, 30), time(18, 0), end) == time(18, 0)
    assert duty_start(time(17, 0), None, end) == time(17, 0)  # before the end: never after the slot
    assert duty_minutes(time(18, 0), time(18, 30)) == 30


def test_late_minutes_are_whole_minutes_after_the_grace():
    # Booked 17:30, 10 minutes' grace → 17:40.
    assert late_minutes(time(17, 30), at(17, 40), 10) == 0
    assert late_minutes(time(17, 30), at(17, 40, 59), 10) == 0  # 59 seconds: not a whole minute
    assert late_minutes(time(17, 30), at(17, 41), 10) == 1
    assert late_minutes(time(17, 30), at(18, 5, 30), 10) == 25


def test_repeated_late_needs_three_days_in_the_window():
    days = [DAY + timedelta(days=i) for i in range(30)]
    window = late_window(days, days[24])  # the 20 days ending on day 24: days 5 … 24
    assert (window[0], window[-1], len(window)) == (days[5], days[24], 20)
    assert repeatedly_late([days[5], days[10], days[24]], window)
    assert not repeatedly_late([days[4], days[10], days[24]], window)  # day 4 is outside
    assert not repeatedly_late([days[10], days[10], days[24]], window)  # twice on one day counts once


def test_attendance_rate_counts_leave_as_expected():
    # 到 7 + 迟到 1 = 8 came, of 7 + 1 + 1 absent + 1 leave = 10 marks.
    assert attendance_rate(7, 1, 1, 1) == 0.8
    assert attendance_rate(0, 0, 0, 0) is None


def test_subsidy_is_rounded_to_the_fen():
    assert subsidy_amount(Decimal("300"), 50) == Decimal("150.00")
    assert subsidy_amount(Decimal("333.33"), 33) == Decimal("110.00")  # 109.9989 → 110.00
    assert subsidy_amount(Decimal("200"), 100) == Decimal("200.00")


def test_who_writes_attendance_when():
    assert attendance_edit(DAY, DAY, office=False) is None
    assert attendance_edit(DAY, DAY + timedelta(days=1), office=False) == "office_only"
    assert attendance_edit(DAY, DAY + timedelta(days=1), office=True) is None
    assert attendance_edit(DAY + timedelta(days=1), DAY, office=True) == "not_yet"
