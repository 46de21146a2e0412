"""Families' reports never lose what a family entered (issue 12; product review B1–B3, security L5):
a correction keeps what it does not change, every version is kept and only the latest counts, a
one-tap report never replaces an existing report, and bad values are refused with the field named."""

from datetime import date, datetime, time
from zoneinfo import ZoneInfo

import pytest

from jianfu.feedback.models import FamilyReport, FamilyReportVersion
from jianfu.feedback.selectors import class_day_summary
from jianfu.feedback.services import FeedbackError, report_submit
from jianfu.feedback.tests.test_reports import family, seal

SH = ZoneInfo("Asia/Shanghai")
DAY = date(2026, 11, 23)
EVENING = datetime(2026, 11, 23, 20, 30, tzinfo=SH)
# B1's detailed report: 95 minutes split 50 + 10 + 30, not finished, bed 22:10, up 06:40.
DETAILED = {
    "minutes_total": 95,
    "minutes_by_subject": {"chinese": 50, "math": 10, "english": 30},
    "finished": False,
    "bedtime": time(22, 10),
    "wake_time": time(6, 40),
}


def submit(parent, kid, key, **kw):
    return report_submit(
        actor=parent, student_id=kid.pk, report_date=DAY, idempotency_key=key, now=EVENING, **kw
    )


def stored(kid):
    r = FamilyReport.objects.get(student=kid, date=DAY)
    return {
        "minutes_total": r.minutes_total,
        "minutes_by_subject": r.minutes_by_subject,
        "finished": r.finished,
        "bedtime": r.bedtime,
        "wake_time": r.wake_time,
    }


@pytest.mark.django_db
def test_a_correction_keeps_what_it_does_not_change_and_every_version_is_kept(world):
    [(parent, kid)] = family(world, 1)
    submit(parent, kid, "detailed", **DETAILED)
    # Given a detailed report, when the family corrects only the total (90),
    report, changed = submit(parent, kid, "fix", minutes_total=90)
    # then the split, "not finished", bedtime and wake time are what they were.
    assert changed and report.revision == 2
    assert stored(kid) == {**DETAILED, "minutes_total": 90}
    # Both versions are kept, each complete, in order.
    versions = list(
        FamilyReportVersion.objects.filter(report=report)
        .order_by("revision")
        .values_list("revision", "minutes_total", "bedtime", "minutes_by_subject", "idempotency_key")
    )
    split = DETAILED["minutes_by_subject"]
    assert versions == [
        (1, 95, time(22, 10), split, "detailed"),
        (2, 90, time(22, 10), split, "fix"),
    ]


@pytest.mark.django_db
def test_none_clears_an_optional_field_and_an_empty_split_clears_the_split(world):
    [(parent, kid)] = family(world, 1)
    submit(parent, kid, "detailed", **DETAILED)
    submit(parent, kid, "clear", bedtime=None, minutes_by_subject={})
    assert stored(kid) == {**DETAILED, "bedtime": None, "minutes_by_subject": {}}


@pytest.mark.django_db
def test_a_one_tap_report_after_a_detailed_report_is_refused_and_changes_nothing(world):
    [(parent, kid)] = family(world, 1)
    # A page opened before the detailed report still shows the one-tap button (key "page-quick").
    submit(parent, kid, "detailed", **DETAILED)
    with pytest.raises(FeedbackError) as refused:
        submit(parent, kid, "page-quick", minutes_total=55, only_if_new=True)
    assert (refused.value.code, refused.value.status) == ("report_exists", 409)
    assert stored(kid) == DETAILED
    assert FamilyReportVersion.objects.count() == 1


@pytest.mark.django_db
def test_a_one_tap_report_on_a_new_day_files_and_a_double_tap_is_one_report(world):
    [(parent, kid)] = family(world, 1)
    first, changed = submit(parent, kid, "quick", minutes_total=55, only_if_new=True)
    again, changed_again = submit(parent, kid, "quick", minutes_total=55, only_if_new=True)
    assert (changed, changed_again, again.pk) == (True, False, first.pk)
    assert stored(kid) == {
        "minutes_total": 55,
        "minutes_by_subject": {},
        "finished": True,
        "bedtime": None,
        "wake_time": None,
    }


@pytest.mark.django_db
def test_the_summary_counts_only_the_latest_version(world):
    families = family(world, 5)
    for i, (parent, kid) in enumerate(families):
        submit(parent, kid, f"k{i}", minutes_total=30 + 10 * i)  # 30, 40, 50, 60, 70
    parent, kid = families[0]
    submit(parent, kid, "fix", minutes_total=90)  # 30 → 90
    # Latest only: 40, 50, 60, 70, 90 → five reports, median 60, two (70, 90) over the 60-minute cap
    # of grade 5 (hw_written_daily_avg_max_g3_6). Counting the old version too would make six reports.
    seal()
    summary = class_day_summary(world.class_5_1, DAY)
    assert (summary["reports"], summary["median_minutes"], summary["over_cap_share"]) == (5, 60, 0.4)
    assert FamilyReportVersion.objects.count() == 6


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("split", "field"),
    [
        ({"chinese": 50, "math": 10, "english": 40}, "minutes_by_subject"),  # 100 > 95
        ({"math": 10**20}, "minutes_by_subject.math"),
        ({"math": -5}, "minutes_by_subject.math"),
        ({"math": True}, "minutes_by_subject.math"),
        ({"math": "lots"}, "minutes_by_subject.math"),
        ({"cooking": 10}, "minutes_by_subject.cooking"),
        ({f"k{i}": 0 for i in range(60_000)}, "minutes_by_subject"),  # security L5's 1.3 MB map
        (["math", 10], "minutes_by_subject"),
    ],
)
def test_a_split_out_of_bounds_is_refused_with_the_field(world, split, field):
    [(parent, kid)] = family(world, 1)
    with pytest.raises(FeedbackError) as refused:
        submit(parent, kid, "k", **{**DETAILED, "minutes_by_subject": split})
    assert (refused.value.code, refused.value.status, refused.value.field) == ("report_invalid", 422, field)
    assert not FamilyReport.objects.exists()


@pytest.mark.django_db
def test_lowering_the_total_below_the_kept_split_is_refused(world):
    [(parent, kid)] = family(world, 1)
    submit(parent, kid, "detailed", **DETAILED)
    with pytest.raises(FeedbackError) as refused:
        submit(parent, kid, "fix", minutes_total=60)  # 50 + 10 + 30 = 90 > 60
    assert refused.value.field == "minutes_by_subject" and "90" in refused.value.message_zh
    assert stored(kid) == DETAILED


@pytest.mark.django_db
@pytest.mark.parametrize("value", ["22:10+08:00", "25:00", "bedtime", "22:10:00.123456", 2210, "T22:10Z"])
def test_a_time_with_an_offset_or_nonsense_is_refused(world, value):
    [(parent, kid)] = family(world, 1)
    with pytest.raises(FeedbackError) as refused:
        submit(parent, kid, "k", minutes_total=40, bedtime=value)
    assert (refused.value.status, refused.value.field) == (422, "bedtime")
    assert "时:分" in refused.value.message_zh


@pytest.mark.django_db
def test_a_first_report_needs_its_total(world):
    [(parent, kid)] = family(world, 1)
    with pytest.raises(FeedbackError) as refused:
        submit(parent, kid, "k", bedtime="21:00")
    assert (refused.value.status, refused.value.field) == (422, "minutes_total")


@pytest.mark.django_db(transaction=True)
def test_ten_concurrent_submissions_with_different_keys_are_all_kept(world):
    """One child's report filed and corrected ten times at the same moment (different keys): each
    becomes its own version, none refused, so each correction builds on the one before. On PostgreSQL
    the first read, joined to the child's lock, can miss a submission committed while it waited;
    the attempt is then retried with the report read after the lock (decision 0049)."""
    from conftest import run_at_once

    [(parent, kid)] = family(world, 1)
    calls = [lambda i=i: submit(parent, kid, f"key{i}", minutes_total=30 + i) for i in range(10)]
    assert run_at_once(*calls) == []
    assert FamilyReport.objects.get(student=kid).revision == 10
    assert sorted(FamilyReportVersion.objects.values_list("revision", flat=True)) == list(range(1, 11))
