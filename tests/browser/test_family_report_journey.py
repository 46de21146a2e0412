"""Issue 12's family journey on a phone (375 px): a detailed report, after which the one-tap button is
gone and a stale tab's tap cannot wipe it, the 修改 form holding everything, and a hard evening shown
against the cap and the recommended bedtime with the way to 反映问题."""

from datetime import date, timedelta

import pytest
from django.utils import timezone

from conftest import PASSWORD, build_world
from jianfu.core.actors import SystemActor
from jianfu.feedback.models import FamilyReport
from jianfu.homework.services import Draft, day_publish, homework_create, publication_ensure
from jianfu.schools.calendar.services import term_create, term_days_rebuild
from jianfu.schools.models import CalendarEntry, SchoolDay, Subject, TeachingAssignment
from tests.browser.conftest import PHONE, school_afternoon, shot, sign_in

# Grade 5 is primary: written homework ≤ 60 min a day (dr_opinion_2021 §5), bedtime by 21:20
# (sleep_notice_2021 item 5).
CAP, LATEST = 60, "21:20"


def report_day() -> date:
    """The day families report about now: today from noon, else yesterday (decision 0003)."""
    now = timezone.localtime()
    return now.date() if now.hour >= 12 else now.date() - timedelta(days=1)


def setup_world():
    """5(1) with a published day: 25 min written Chinese, 30 written maths, 20 oral maths at home
    (every kind 25 + 30 + 20 = 75 minutes; written 55, under the cap)."""
    world = build_world()
    day = report_day()
    term = term_create(
        actor=SystemActor("test-setup"),
        school=world.school,
        school_year="journey",
        kind="autumn",
        start_date=day - timedelta(days=30),
        end_date=day + timedelta(days=30),
    )
    if not SchoolDay.objects.filter(term=term, date=day, day_type="school_day").exists():
        CalendarEntry.objects.create(school=world.school, date=day, kind="extra_school_day", name="补课")
        term_days_rebuild(term=term)
    teacher = world.users["teacher"]
    TeachingAssignment.objects.create(
        teacher=teacher.teacher_profiles.get(), school_class=world.class_5_1, subject=Subject.CHINESE
    )
    for subject, kind, minutes, text in (
        ("chinese", "written", 25, "课文第12课生字抄写两遍"),
        ("math", "written", 30, "练习册第35页"),
        ("math", "oral", 20, "背诵乘法口诀"),
    ):
        homework_create(
            actor=teacher,
            class_ids=[world.class_5_1.pk],
            date_set=day,
            date_due=day,
            draft=Draft(subject=subject, kind=kind, minutes=minutes),
            description=text,
        )
    head = world.users["head_teacher"]
    publication_ensure(actor=head, school_class=world.class_5_1)
    day_publish(actor=head, school_class=world.class_5_1, on=day)
    return world, day


@pytest.mark.django_db(transaction=True)
def test_family_report_journey(live_server, open_page):
    # Homework is set for today or later; in the morning the families' report day is yesterday, for
    # which nothing could be set now: the journey runs in the school's afternoon whenever CI runs it.
    with school_afternoon():
        _family_report_journey(live_server, open_page)


def _family_report_journey(live_server, open_page):
    world, day = setup_world()
    base = live_server.url
    kid = world.student.pk

    parent = open_page(PHONE)
    sign_in(parent, base, "13900000007", PASSWORD)
    parent.goto(f"{base}/homework/family/")
    quick = parent.locator(".quick-report")
    assert quick.inner_text().strip() == "✓ 已完成，用时约 75 分钟"  # every kind, not the written 55
    assert "其中书面作业 55 分钟" in parent.locator(f"#estimate-{kid}").inner_text()
    assert parent.evaluate("document.documentElement.scrollWidth") <= 375
    shot(parent, "family-1-before-report-phone")

    # A second tab, opened now, still shows the one-tap button later (as an old open tab would).
    stale = parent.context.new_page()
    stale.goto(f"{base}/homework/family/")

    parent.locator("main summary").first.click()
    parent.fill(f"#m-{kid}", "95")
    parent.fill(f"#s-{kid}-chinese", "50")
    parent.fill(f"#s-{kid}-math", "40")
    parent.uncheck(f"#f-{kid}")
    parent.fill(f"#b-{kid}", "22:10")
    parent.fill(f"#w-{kid}", "06:40")
    # B5: the time inputs are as tall as a date input and a thumb-sized target (≥ 44 px).
    heights = parent.evaluate(
        """() => {
          const d = document.createElement('input'); d.type = 'date';
          document.querySelector('form.stack').appendChild(d);
          const h = [d.getBoundingClientRect().height,
                     document.querySelector('input[name=bedtime]').getBoundingClientRect().height];
          d.remove(); return h; }"""
    )
    assert heights[1] >= 44 and abs(heights[0] - heights[1]) < 1, heights
    shot(parent, "family-2-detailed-report-phone")
    parent.locator("form.stack button[type=submit]").first.click()
    parent.wait_for_url("**/homework/family/")
    assert "已收到" in parent.content()

    # After the report: what was reported, no one-tap button, and the hard evening told plainly.
    assert parent.locator(".quick-report").count() == 0
    reported = parent.locator(f"#reported-{kid}").inner_text()
    assert "用时 95 分钟" in reported and "就寝 22:10" in reported and "起床 06:40" in reported
    hard = parent.locator(f"#hard-evening-{kid}").inner_text()
    assert f"今晚用时 95 分钟，超过了书面作业每日 {CAP} 分钟的上限" in hard
    assert f"就寝时间 22:10，晚于建议的 {LATEST}" in hard
    shot(parent, "family-3-hard-evening-phone")

    # The stale tab's one tap is refused; the detailed report is intact in the 修改 form.
    stale.locator(".quick-report").click()
    stale.wait_for_url("**/homework/family/")
    assert "已经反馈过了" in stale.content()
    stale.close()
    parent.goto(f"{base}/homework/family/")
    parent.locator("summary", has_text="修改").click()
    assert parent.input_value(f"#m-{kid}") == "95"
    assert (parent.input_value(f"#s-{kid}-chinese"), parent.input_value(f"#s-{kid}-math")) == ("50", "40")
    assert not parent.is_checked(f"#f-{kid}")
    assert (parent.input_value(f"#b-{kid}"), parent.input_value(f"#w-{kid}")) == ("22:10", "06:40")
    shot(parent, "family-4-edit-prefilled-phone")
    report = FamilyReport.objects.get(student=world.student, date=day)
    assert (report.minutes_total, report.finished, report.minutes_by_subject) == (
        95,
        False,
        {"chinese": 50, "math": 40},
    )
    assert report.bedtime.strftime("%H:%M") == "22:10" and report.wake_time.strftime("%H:%M") == "06:40"

    # 反映问题 leads to the complaint form; the 公示 page and the previous day are a tap away.
    parent.locator(f"#complain-{kid}").click()
    parent.wait_for_url("**/cases/new/")
    parent.goto(f"{base}/homework/family/")
    parent.locator(f"#public-link-{kid}").click()
    assert "练习册第35页" in parent.content()
    parent.goto(f"{base}/homework/family/")
    parent.locator("#prev-day").click()
    before = day - timedelta(days=1)
    parent.wait_for_url(f"**/homework/family/?day={before.isoformat()}")
    assert f"{before.month}月{before.day}日" in parent.locator("h1").inner_text()
