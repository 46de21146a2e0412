"""Families' reports: idempotent submission, the 5-family threshold, alerts, scoping."""

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from conftest import make_user, run_at_once
from jianfu.accounts.models import Membership, Role
from jianfu.core.errors import NotFound
from jianfu.feedback.models import FamilyReport, FeedbackAlert
from jianfu.feedback.selectors import class_day_summary
from jianfu.feedback.services import FeedbackError, class_days_seal, report_submit
from jianfu.schools.models import Guardian, Student

SH = ZoneInfo("Asia/Shanghai")
DAY = date(2026, 11, 23)
EVENING = datetime(2026, 11, 23, 20, 30, tzinfo=SH)


def family(world, n, school_class=None):
    """n more children in class 5(1), each with an activated parent."""
    out = []
    for i in range(n):
        kid = Student.objects.create(
            school=world.school,
            school_class=school_class or world.class_5_1,
            registry_id=f"L20169999000{i:05d}",
            name=f"孩子{i}",
            gender="F",
            birth_date=date(2015, 6, 1),
        )
        parent = make_user(f"1370000{i:04d}", f"家长{i}")
        Guardian.objects.create(student=kid, name=parent.name, phone=parent.phone, user=parent)
        Membership.objects.create(user=parent, role=Role.PARENT, school_class=kid.school_class)
        out.append((parent, kid))
    return out


def seal(day=DAY):
    """The worker's noon job the day after `day` (its report window has just closed): the day's
    figures are computed and shown from now on (decision 0035). Returns the class-days sealed."""
    return class_days_seal(now=datetime.combine(day + timedelta(days=1), time(12, 0), tzinfo=SH))


def submit(parent, kid, minutes, key, **kw):
    return report_submit(
        actor=parent,
        student_id=kid.pk,
        report_date=kw.pop("on", DAY),
        minutes_total=minutes,
        idempotency_key=key,
        now=kw.pop("now", EVENING),
        **kw,
    )


@pytest.mark.django_db
def test_same_key_twice_keeps_one_record_and_a_new_key_corrects(world):
    [(parent, kid)] = family(world, 1)
    r1, changed1 = submit(parent, kid, 40, "k1")
    r2, changed2 = submit(parent, kid, 40, "k1")
    assert (changed1, changed2, r1.pk) == (True, False, r2.pk)
    r3, changed3 = submit(parent, kid, 55, "k2")
    assert changed3 and r3.pk == r1.pk and r3.minutes_total == 55 and r3.revision == 2
    # The corrected report keeps when it was first filed, read back as the ORM reads it.
    assert r3.created_at == FamilyReport.objects.get().created_at == r1.created_at
    assert FamilyReport.objects.count() == 1


@pytest.mark.django_db(transaction=True)
def test_ten_concurrent_submissions_leave_one_record(world):
    [(parent, kid)] = family(world, 1)
    assert run_at_once(*[lambda: submit(parent, kid, 35, "same-key")] * 10) == []
    assert FamilyReport.objects.filter(student=kid, date=DAY).count() == 1


@pytest.mark.django_db
def test_summary_is_hidden_until_five_families_report(world):
    """Read once each day is sealed (decision 0035): four families on one day, five on the next."""
    families = family(world, 5)
    following = DAY + timedelta(days=1)
    for on in (DAY, following):
        for i, (parent, kid) in enumerate(families[:4]):
            submit(
                parent, kid, 30 + i * 10, f"k{i}", on=on, now=datetime.combine(on, time(20, 30), tzinfo=SH)
            )
    parent, kid = families[4]
    submit(
        parent,
        kid,
        90,
        "k4",
        on=following,
        now=datetime(2026, 11, 24, 20, 30, tzinfo=SH),
        stopped_at_bedtime=True,
        bedtime=time(21, 20),
        wake_time=time(7, 0),
    )
    seal(following)
    hidden = class_day_summary(world.class_5_1, DAY)
    assert hidden == {"enough": False, "released": True, "reports": 4, "min_reports": 5}
    shown = class_day_summary(world.class_5_1, following)
    # Minutes 30, 40, 50, 60, 90: median 50, nearest-rank p90 = 90; one (90) over the 60-minute cap.
    assert shown["enough"] and shown["reports"] == 5
    assert (shown["median_minutes"], shown["p90_minutes"], shown["over_cap_share"]) == (50, 90, 0.2)
    assert shown["stopped_at_bedtime_share"] == 0.2


@pytest.mark.django_db
def test_a_parent_reports_only_for_their_own_children(world):
    families = family(world, 1)
    parent, _ = families[0]
    with pytest.raises(NotFound):
        submit(parent, world.other_student, 30, "x")
    with pytest.raises(NotFound):
        submit(world.users["head_teacher"], world.student, 30, "y")


@pytest.mark.django_db
def test_window_and_bounds(world):
    [(parent, kid)] = family(world, 1)
    with pytest.raises(FeedbackError) as exc:
        submit(parent, kid, 30, "late", now=datetime(2026, 11, 24, 12, 1, tzinfo=SH))
    assert exc.value.code == "report_window_closed"
    with pytest.raises(FeedbackError):
        submit(parent, kid, 601, "big")


@pytest.mark.django_db
def test_alerts_for_three_of_five_days_over_the_cap_and_short_sleep(world, autumn_term):
    families = family(world, 5)
    days = [date(2026, 11, 16), date(2026, 11, 17), date(2026, 11, 18)]  # Mon–Wed, school days
    over_cap = FeedbackAlert.objects.filter(school_class=world.class_5_1, kind="over_cap")
    for n, d in enumerate(days):
        for i, (parent, kid) in enumerate(families):
            submit(parent, kid, 70 + i, f"{d}-{i}", on=d, now=datetime.combine(d, time(20, 0), tzinfo=SH))
        if n == 2:
            # A correction that evening keeps the class over the cap (71, 72, 73, 74, 95: median 73).
            parent, kid = families[0]
            submit(parent, kid, 95, "fix", on=d, now=datetime.combine(d, time(21, 0), tzinfo=SH))
        # Alerts come from the sealed figures, never from a day still open (decision 0035).
        assert not over_cap.exists()
        seal(d)
        # Median 70–74 > the 60-minute cap on each day; sealing the third day makes it 3 of the last
        # 5 school days.
        assert over_cap.count() == (1 if n == 2 else 0)
    [(alert_day, message)] = over_cap.values_list("date", "message")
    # Keyed by the third over-cap day; the message gives the count and the window (3 of 5 days).
    assert alert_day == date(2026, 11, 18)
    assert "3天" in message and "5个上课日" in message
    # Sealing again changes nothing: still one alert for the day.
    assert seal(days[2]) == 0 and over_cap.count() == 1
    # Sleep 22:00–07:00 = 9 h < 10 h for primary pupils (sleep_notice_2021).
    d = date(2026, 11, 19)
    short_sleep = FeedbackAlert.objects.filter(school_class=world.class_5_1, kind="short_sleep", date=d)
    for i, (parent, kid) in enumerate(families):
        submit(
            parent,
            kid,
            30,
            f"s{i}",
            on=d,
            now=datetime.combine(d, time(21, 0), tzinfo=SH),
            bedtime=time(22, 0),
            wake_time=time(7, 0),
        )
    assert not short_sleep.exists()
    seal(d)
    assert short_sleep.exists()


@pytest.mark.django_db(transaction=True)
def test_a_new_alert_texts_the_head_teacher_without_naming_anyone(world, autumn_term, settings):
    from jianfu.accounts.tasks import MemorySmsBackend

    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    families = family(world, 5)
    d = date(2026, 11, 19)
    for i, (parent, kid) in enumerate(families):
        submit(
            parent,
            kid,
            30,
            f"s{i}",
            on=d,
            now=datetime.combine(d, time(21, 0), tzinfo=SH),
            bedtime=time(22, 0),
            wake_time=time(7, 0),
        )
    # The text goes when the day is sealed at noon the next day, not at a family's report.
    assert not [t for _, t in MemorySmsBackend.outbox if "家长反馈" in t]
    seal(d)
    [(phone, text)] = [(p, t) for p, t in MemorySmsBackend.outbox if "家长反馈" in t]
    # To the class's head teacher (13900000005); names the class and the kind of alert, and no child,
    # family or figure.
    assert phone == "13900000005"
    assert "五年级(1)班" in text and "睡眠不足" in text
    for kid in (k for _, k in families):
        assert kid.name not in text
    assert not any(ch.isdigit() for ch in text.replace("(1)", ""))


@pytest.mark.django_db
def test_a_child_who_moved_class_can_still_correct_the_days_report(world):
    families = family(world, 5)
    for i, (parent, kid) in enumerate(families):
        submit(parent, kid, 30 + i * 10, f"k{i}")  # 30, 40, 50, 60, 70: median 50
    parent, kid = families[4]
    Student.objects.filter(pk=kid.pk).update(school_class=world.class_5_2)
    report, changed = submit(parent, kid, 20, "moved")
    # One record, corrected where it was filed; 5(1)'s summary now has 20, 30, 40, 50, 60: median 40.
    assert changed and report.revision == 2
    assert FamilyReport.objects.filter(student=kid).count() == 1
    assert FamilyReport.objects.get(student=kid).school_class_id == world.class_5_1.pk
    seal()
    assert class_day_summary(world.class_5_1, DAY)["median_minutes"] == 40
    assert class_day_summary(world.class_5_2, DAY)["reports"] == 0


@pytest.mark.django_db(transaction=True)
def test_concurrent_reports_from_one_class_all_count_in_the_summary(world):
    """Twelve families of one class report at the same moment: the class-day summary counts all
    twelve (each report's summary is computed after the previous one committed, never from a stale
    read), and the median is of all twelve."""
    families = family(world, 12)
    # Minutes 20, 25, …, 75: the median of twelve is (45 + 50) / 2 = 47.5.
    reports = [
        lambda parent=parent, kid=kid, i=i: submit(parent, kid, 20 + 5 * i, f"c{kid.pk}")
        for i, (parent, kid) in enumerate(families)
    ]
    assert run_at_once(*reports) == []
    # Counted one by one while the day is open, none lost...
    assert class_day_summary(world.class_5_1, DAY)["reports"] == 12
    # ...and the sealed figures are of all twelve.
    seal()
    summary = class_day_summary(world.class_5_1, DAY)
    assert summary["reports"] == 12, summary
    assert summary["median_minutes"] == 47.5


@pytest.mark.django_db(transaction=True)
def test_filing_and_correcting_outside_any_transaction(world):
    """The path a real request takes (on PostgreSQL its statements are pipelined): the returned rows,
    the stored rows and the audit trail agree."""
    from jianfu.core.models import AuditEvent

    [(parent, kid)] = family(world, 1)
    filed, changed = submit(parent, kid, 40, "k1", bedtime=time(21, 0), wake_time=time(7, 0))
    assert changed and filed.pk == FamilyReport.objects.get().pk and filed.revision == 1
    again, changed_again = submit(parent, kid, 40, "k1")
    assert not changed_again and again.pk == filed.pk
    fixed, _ = submit(parent, kid, 55, "k2")
    stored = FamilyReport.objects.get()
    assert (fixed.pk, fixed.revision, fixed.created_at) == (stored.pk, 2, stored.created_at)
    assert (stored.minutes_total, stored.revision) == (55, 2)
    trail = list(AuditEvent.objects.order_by("id").values_list("action", "object_type", "object_id", "data"))
    assert trail == [
        ("family_report_filed", "FamilyReport", str(stored.pk), {"date": "2026-11-23", "revision": 1}),
        ("family_report_corrected", "FamilyReport", str(stored.pk), {"date": "2026-11-23", "revision": 2}),
    ]
    with pytest.raises(NotFound):
        submit(parent, world.other_student, 30, "not-mine")
    assert FamilyReport.objects.count() == 1


@pytest.mark.django_db
def test_a_weeks_summaries_are_read_in_one_query(world, django_assert_num_queries):
    from jianfu.feedback.selectors import class_day_summaries

    families = family(world, 5)
    for i, (parent, kid) in enumerate(families):
        submit(parent, kid, 30 + i * 10, f"k{i}")  # 30…70 on DAY: median 50
    seal()
    week = [date(2026, 11, 23 + n) for n in range(5)]
    noon_after = datetime(2026, 11, 24, 12, 0, tzinfo=SH)
    with django_assert_num_queries(1):
        summaries = class_day_summaries(world.class_5_1, week, now=noon_after)
    assert list(summaries) == week
    assert (summaries[DAY]["enough"], summaries[DAY]["median_minutes"]) == (True, 50)
    assert summaries[week[1]] == {"enough": False, "released": False, "reports": 0, "min_reports": 5}
