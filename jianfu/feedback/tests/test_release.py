"""The "≥ 5 families" rule cannot be defeated by reading the figures before and after a report
(security.md L2, decision 0035): a class-day's figures are computed once, when its report window has
closed (noon the next day), and never change after; until then every page and endpoint gives the
count of reports only, and no alert is raised.

Each test is one way round the rule, tried as the head teacher (or another member of staff) would:
reading before and after one report, a correction, several reports at once, reading through another
page or endpoint, an alert or its text, the teachers' calibration, and a report still in flight when
the figures are first shown."""

from contextlib import contextmanager
from datetime import date, datetime, time, timedelta
from unittest import mock
from zoneinfo import ZoneInfo

import pytest

from conftest import run_at_once
from jianfu.core.periodic import periodic_run_due
from jianfu.feedback.models import FamilyReport, FamilyReportVersion, FeedbackAlert
from jianfu.feedback.selectors import class_day_summary
from jianfu.feedback.services import FeedbackError, class_days_seal, report_submit
from jianfu.feedback.tests.test_reports import family

SH = ZoneInfo("Asia/Shanghai")
DAY = date(2026, 11, 19)  # a Thursday, a school day of the autumn term
EVENING = datetime(2026, 11, 19, 20, 30, tzinfo=SH)
NOON_AFTER = datetime(2026, 11, 20, 12, 0, 30, tzinfo=SH)  # the window closed 30 s ago
# Grade 5: written homework ≤ 60 minutes (dr_opinion_2021 §5); sleep ≥ 10 h (sleep_notice_2021).


@contextmanager
def clock(moment):
    """The server's clock at `moment` (pages, endpoints, selectors and periodic jobs read it)."""
    with mock.patch("django.utils.timezone.now", return_value=moment):
        yield


def report(parent, kid, minutes, key, *, now=EVENING, **kw):
    return report_submit(
        actor=parent,
        student_id=kid.pk,
        report_date=DAY,
        minutes_total=minutes,
        idempotency_key=key,
        now=now,
        **kw,
    )


def figures(client, world, moment=EVENING):
    """What the head teacher's API answers for the class-day at `moment`."""
    with clock(moment):
        r = client.get(f"/api/v1/homework/classes/{world.class_5_1.pk}/feedback?date={DAY}")
    assert r.status_code == 200
    return r.json()


def noon_jobs():
    """The worker at noon the next day: every periodic job then due (decision 0016)."""
    with clock(NOON_AFTER):
        return {r.job: r for r in periodic_run_due()}


@pytest.fixture
def head(client, world):
    client.force_login(world.users["head_teacher"])
    return client


@pytest.mark.django_db
def test_before_and_after_one_report_the_answer_is_the_same(world, head, autumn_term):
    families = family(world, 6)
    for i, (parent, kid) in enumerate(families[:5]):
        report(parent, kid, 40 + i, f"k{i}", bedtime=time(21, 0), wake_time=time(7, 0))
    before = figures(head, world)
    parent, kid = families[5]
    report(
        parent,
        kid,
        95,
        "k5",
        finished=False,
        stopped_at_bedtime=True,
        bedtime=time(22, 30),
        wake_time=time(6, 30),
    )
    after = figures(head, world)
    # Only the count moves (who reported is no secret; what they reported is): no figure is given
    # while the day is open, so there is nothing to subtract.
    assert {k: v for k, v in before.items() if k != "reports"} == {
        k: v for k, v in after.items() if k != "reports"
    }
    assert (before["reports"], after["reports"]) == (5, 6)
    assert after["released"] is False and after["enough"] is False
    assert after["median_minutes"] is None and after["over_cap_share"] is None
    assert after["stopped_at_bedtime_share"] is None and after["median_sleep_minutes"] is None


@pytest.mark.django_db
def test_before_and_after_a_correction_with_a_new_key_the_answer_is_the_same(world, head, autumn_term):
    families = family(world, 5)
    for i, (parent, kid) in enumerate(families):
        report(parent, kid, 40 + i, f"k{i}")
    before = figures(head, world)
    parent, kid = families[0]
    _, changed = report(parent, kid, 120, "k0-fix", stopped_at_bedtime=True)  # same count, new answer
    assert changed
    assert figures(head, world) == before
    assert before["median_minutes"] is None


@pytest.mark.django_db
def test_several_reports_at_once_show_nothing_until_the_day_is_sealed_and_then_all_of_them(
    world, head, autumn_term
):
    families = family(world, 8)
    for i, (parent, kid) in enumerate(families[:5]):
        report(parent, kid, 30 + 5 * i, f"k{i}")  # 30, 35, 40, 45, 50
    before = figures(head, world)
    for i, (parent, kid) in enumerate(families[5:], start=5):
        report(parent, kid, 90, f"k{i}")  # three families at once, all over the cap
    assert figures(head, world, EVENING + timedelta(minutes=1))["median_minutes"] is None
    assert before["median_minutes"] is None
    # Nothing either after the window closed but before the noon job sealed the day.
    assert figures(head, world, NOON_AFTER)["median_minutes"] is None
    noon_jobs()
    sealed = figures(head, world, NOON_AFTER)
    # All eight: 30, 35, 40, 45, 50, 90, 90, 90 → median (45 + 50) / 2 = 47.5; 3 of 8 over the cap.
    assert (sealed["released"], sealed["enough"], sealed["reports"]) == (True, True, 8)
    assert (sealed["median_minutes"], sealed["over_cap_share"]) == (47.5, 3 / 8)


@pytest.mark.django_db
def test_the_class_week_page_gives_an_open_day_only_its_count(world, head, autumn_term):
    families = family(world, 6)
    for i, (parent, kid) in enumerate(families):
        report(parent, kid, 41 + i, f"k{i}")  # 41…46: median 43.5
    with clock(EVENING):
        page = head.get(f"/homework/class/{world.class_5_1.pk}/?week={DAY}")
    assert page.status_code == 200
    row = next(
        line for line in page.content.decode().split("<tr>") if "11/19" in line and "<td>6</td>" in line
    )
    assert "收集中" in row and "分</td>" not in row and "%" not in row
    noon_jobs()
    with clock(NOON_AFTER):
        page = head.get(f"/homework/class/{world.class_5_1.pk}/?week={DAY}")
    row = next(
        line for line in page.content.decode().split("<tr>") if "11/19" in line and "<td>6</td>" in line
    )
    assert "44分" in row  # 43.5 shown to the minute (floatformat:0 rounds half away from zero)


@pytest.mark.django_db
def test_the_complaint_evidence_gives_an_open_day_no_figures(world, autumn_term):
    """Staff handling a complaint see the class's figures for the days it names: the same rule."""
    from jianfu.cases.selectors import evidence_for
    from jianfu.cases.services import complaint_file
    from jianfu.homework.models import ClassDayLoad

    ClassDayLoad.objects.create(
        school_class=world.class_5_1,
        school=world.school,
        date=DAY,
        counted_minutes=60,
        total_minutes=60,
        items=2,
    )
    families = family(world, 5)
    for i, (parent, kid) in enumerate(families):
        report(parent, kid, 70 + i, f"k{i}")
    with clock(EVENING + timedelta(minutes=30)):
        complaint = complaint_file(
            actor=world.users["parent"],
            student_id=world.student.pk,
            category="homework",
            text="五年级(1)班今天的作业写到十点半",
        )
        [shown] = evidence_for(complaint)["feedback"]
    assert shown["date"] == DAY and shown["released"] is False and "median_minutes" not in shown
    noon_jobs()
    with clock(NOON_AFTER):
        [shown] = evidence_for(complaint)["feedback"]
    assert (shown["released"], shown["median_minutes"]) == (True, 72)


@pytest.mark.django_db
def test_no_alert_and_no_text_while_the_day_is_open(
    world, autumn_term, settings, django_capture_on_commit_callbacks
):
    """An alert (and its text to the head teacher) at the moment one report tipped the class's median
    would tell which family's report it was."""
    from jianfu.accounts.tasks import MemorySmsBackend

    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    MemorySmsBackend.outbox.clear()
    families = family(world, 5)
    short = FeedbackAlert.objects.filter(school_class=world.class_5_1, kind="short_sleep", date=DAY)
    for i, (parent, kid) in enumerate(families):
        # 22:00 → 07:00 is 9 h, under the 10 h minimum for primary pupils.
        report(parent, kid, 30, f"k{i}", bedtime=time(22, 0), wake_time=time(7, 0))
    assert not short.exists()
    assert not [t for _, t in MemorySmsBackend.outbox if "家长反馈" in t]
    with django_capture_on_commit_callbacks(execute=True), clock(NOON_AFTER):
        class_days_seal()  # the noon job alone (the immediate task backend here suits no other job)
    [message] = short.values_list("message", flat=True)
    assert "9.0小时" in message
    assert [t for _, t in MemorySmsBackend.outbox if "家长反馈" in t]


@pytest.mark.django_db
def test_the_calibration_learns_nothing_from_an_open_day(world, autumn_term):
    """A teacher's live panel shows homework minutes calibrated by families' per-subject times: it
    would move with each report of a day still open."""
    from jianfu.homework.days.selectors import calibration_factor
    from jianfu.homework.services import Draft, homework_create

    families = family(world, 5)
    days = [date(2026, 11, 17), date(2026, 11, 18), DAY]
    for d in days:
        homework_create(
            actor=world.users["teacher"],
            class_ids=[world.class_5_1.pk],
            date_set=d,
            date_due=d,
            draft=Draft(subject="math", minutes=20),
            description="练习",
            now=datetime.combine(d, time(8, 0), tzinfo=SH),
        )
        for i, (parent, kid) in enumerate(families):
            report_submit(
                actor=parent,
                student_id=kid.pk,
                report_date=d,
                minutes_total=40,
                minutes_by_subject={"math": 40},
                idempotency_key=f"{d}-{i}",
                now=datetime.combine(d, time(20, 0), tzinfo=SH),
            )

    def factor():
        return calibration_factor(
            teacher=world.users["teacher"], subject="math", grade=5, school_id=world.school.pk
        )

    with clock(EVENING):
        assert factor() is None  # three days of five reports, none sealed
    noon_jobs()
    with clock(NOON_AFTER):
        assert factor() == 2.0  # 40 / 20 on each of the three sealed days


@pytest.mark.django_db
def test_a_report_still_in_flight_at_noon_is_refused_and_the_figures_stay(world, head, autumn_term):
    """A request that passed the window check at 11:59:59 but reaches the database after the noon
    job sealed the day would otherwise change figures already shown."""
    families = family(world, 6)
    for i, (parent, kid) in enumerate(families[:5]):
        report(parent, kid, 40 + i, f"k{i}")  # 40…44: median 42
    noon_jobs()
    shown = figures(head, world, NOON_AFTER)
    assert (shown["reports"], shown["median_minutes"]) == (5, 42)
    rows = (FamilyReport.objects.count(), FamilyReportVersion.objects.count())
    late = datetime(2026, 11, 20, 11, 59, 59, tzinfo=SH)
    parent, kid = families[5]
    with pytest.raises(FeedbackError) as new_report:
        report(parent, kid, 200, "late", now=late)
    parent, kid = families[0]
    with pytest.raises(FeedbackError) as correction:
        report(parent, kid, 200, "late-fix", now=late)
    assert new_report.value.code == correction.value.code == "report_window_closed"
    assert (FamilyReport.objects.count(), FamilyReportVersion.objects.count()) == rows
    assert figures(head, world, NOON_AFTER + timedelta(minutes=5)) == shown


@pytest.mark.django_db(transaction=True)
def test_reports_at_the_moment_of_the_seal_are_either_counted_or_refused(world, autumn_term):
    """Reports racing the noon job: each one is in the sealed figures or was refused, never stored
    beside them uncounted (on PostgreSQL the seal waits for a report that counted itself first)."""
    families = family(world, 10)
    for i, (parent, kid) in enumerate(families[:5]):
        report(parent, kid, 40, f"k{i}")
    late = datetime(2026, 11, 20, 11, 59, 59, tzinfo=SH)
    outcomes = []

    def late_report(parent, kid, i):
        try:
            report(parent, kid, 50, f"late{i}", now=late)
            outcomes.append("stored")
        except FeedbackError as exc:
            outcomes.append(exc.code)

    calls = [lambda p=p, k=k, i=i: late_report(p, k, i) for i, (p, k) in enumerate(families[5:])]
    assert run_at_once(lambda: class_days_seal(now=NOON_AFTER), *calls) == []
    with clock(NOON_AFTER):
        summary = class_day_summary(world.class_5_1, DAY)
    assert summary["released"] is True
    assert set(outcomes) <= {"stored", "report_window_closed"}
    assert summary["reports"] == FamilyReport.objects.filter(date=DAY).count() == 5 + outcomes.count("stored")
