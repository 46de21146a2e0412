from datetime import date, datetime, time
from zoneinfo import ZoneInfo

import pytest

from jianfu.feedback.rules import (
    ReportFacts,
    median,
    percentile,
    report_window_open,
    sleep_minutes,
    summarise,
)

SH = ZoneInfo("Asia/Shanghai")


@pytest.mark.parametrize(
    ("bed", "wake", "expected"),
    [
        (time(21, 20), time(7, 20), 600),  # primary bedtime 21:20 (sleep_notice_2021) and 10 h
        (time(22, 0), time(6, 30), 510),  # 8 h 30
        (time(0, 30), time(7, 0), 390),  # after midnight
    ],
)
def test_sleep_minutes_cross_midnight(bed, wake, expected):
    assert sleep_minutes(bed, wake) == expected


def test_median_and_nearest_rank_p90():
    assert median([30, 10, 20]) == 20
    assert median([10, 20, 30, 40]) == 25
    # Ten values 10..100: nearest rank ceil(0.9 * 10) = 9th value = 90.
    assert percentile(list(range(10, 101, 10)), 90) == 90
    # Five values: ceil(4.5) = 5th = the largest.
    assert percentile([40, 50, 60, 70, 80], 90) == 80
    assert median([]) is None and percentile([], 90) is None


def test_summary_counts_over_cap_strictly_above_and_never_blames_bedtime_stops():
    reports = [
        ReportFacts(60, True, False, time(21, 0), time(7, 0)),  # at the cap: not over (≤ 60)
        ReportFacts(61, True, False, time(21, 30), time(7, 0)),  # over
        ReportFacts(90, False, True, time(21, 20), time(7, 0)),  # stopped at bedtime: not "unfinished"
        ReportFacts(45, False, False, None, None),  # unfinished, no sleep data
        ReportFacts(30, True, False, time(22, 0), time(7, 0)),
    ]
    s = summarise(reports, cap_minutes=60, min_sleep_minutes=600)
    assert s.reports == 5
    assert s.median_minutes == 60
    assert s.p90_minutes == 90
    assert s.over_cap == 2
    assert s.stopped_at_bedtime == 1
    assert s.unfinished == 1
    # Sleep: 600, 570, 580, 540 minutes → median (570 + 580) / 2 = 575; three under 600.
    assert s.sleep_reports == 4
    assert s.median_sleep_minutes == 575
    assert s.short_sleep == 3


@pytest.mark.parametrize(
    ("now", "open_"),
    [
        (datetime(2026, 11, 23, 11, 59, tzinfo=SH), False),
        (datetime(2026, 11, 23, 12, 0, tzinfo=SH), True),
        (datetime(2026, 11, 23, 21, 30, tzinfo=SH), True),
        (datetime(2026, 11, 24, 11, 59, tzinfo=SH), True),
        (datetime(2026, 11, 24, 12, 0, tzinfo=SH), False),
    ],
)
def test_report_window_is_noon_to_noon(now, open_):
    assert report_window_open(date(2026, 11, 23), now) is open_
