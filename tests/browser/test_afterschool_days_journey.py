"""Issue 5's day in a real browser: a teacher takes attendance on a phone (taps, then 全部到), a parent
books a later pickup slot on a phone, the office sees the late slot's staffing and the figures."""

from datetime import date, timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from conftest import PASSWORD, build_world
from jianfu.afterschool.models import ProgrammeStatus
from jianfu.afterschool.tests.factories_days import course_in, kid, place, programme_for, teacher_of
from jianfu.core.actors import SystemActor
from jianfu.schools.calendar.services import term_create, term_days_rebuild
from jianfu.schools.models import CalendarEntry, SchoolDay
from tests.browser.conftest import DESKTOP, PHONE, shot, sign_in


def setup_world():
    world = build_world()
    today = timezone.localdate()
    term = term_create(
        actor=SystemActor("test-setup"),
        school=world.school,
        school_year="journey",
        kind="autumn",
        start_date=today - timedelta(days=30),
        end_date=today + timedelta(days=30),
    )
    # The journey must run on a service day whatever the date: the school enters make-up days.
    for day in (today, today + timedelta(days=1)):
        if not SchoolDay.objects.filter(term=term, date=day, day_type="school_day").exists():
            CalendarEntry.objects.create(school=world.school, date=day, kind="extra_school_day", name="补课")
    term_days_rebuild(term=term)
    p = programme_for(world, term, weekdays=(1, 2, 3, 4, 5, 6, 7), status=ProgrammeStatus.PUBLISHED)
    coding = course_in(
        p, "趣味编程", teacher=teacher_of(world, "teacher"), weekdays=(1, 2, 3, 4, 5, 6, 7), fee="300"
    )
    coding.room = "科学楼201"
    coding.save()
    names = ["李小华", "王子涵", "张一诺", "刘思远", "陈可欣", "杨浩然"]
    classmates = [kid(world, world.class_5_1, n, i) for i, n in enumerate(names)]
    for i in range(2):  # two children who take no part: participation is not 100%
        kid(world, world.class_3_1, f"三年级同学{i}", 50 + i)
    place(coding, world.student, basic=True)
    place(coding, world.other_student, *classmates)
    return world, p


@pytest.mark.django_db(transaction=True)
def test_afterschool_day_journey(live_server, open_page):
    world, programme = setup_world()
    base = live_server.url

    teacher = open_page(PHONE)
    sign_in(teacher, base, "13900000006", PASSWORD)
    teacher.goto(f"{base}/afterschool/days/attendance/")
    teacher.click("text=趣味编程")
    teacher.wait_for_selector("#roster-block")
    assert "已点 0 / 8 人" in teacher.locator("#marked-count").inner_text()
    rows = teacher.locator(".roster-row")
    # Tap a child absent and one on leave (htmx: each tap saved at once), then 全部到 for the rest.
    first, second = rows.nth(0), rows.nth(1)
    first.locator("button[value=absent]").click()
    expect(teacher.locator("#marked-count")).to_contain_text("已点 1 /")
    second.locator("button[value=leave]").click()
    expect(teacher.locator("#marked-count")).to_contain_text("已点 2 /")
    second.locator("button[value=leave]").click()  # the same tap again changes nothing
    teacher.click("#all-present")
    expect(teacher.locator("#marked-count")).to_contain_text("已全部点完")
    assert rows.nth(0).locator("button[value=absent]").get_attribute("aria-pressed") == "true"
    assert teacher.locator("button[value=present][aria-pressed=true]").count() == 6
    assert teacher.evaluate("document.documentElement.scrollWidth") <= 375
    shot(teacher, "afterschool-4-attendance-phone")

    parent = open_page(PHONE)
    sign_in(parent, base, "13900000007", PASSWORD)
    parent.goto(f"{base}/afterschool/days/pickup/")
    card = parent.locator(f"#child-{world.student.pk}")
    booked_for = date.fromisoformat(card.locator("select[name=date]").input_value())
    card.locator("label:has-text('18:30')").click()
    card.locator("input[name=weekly]").check()
    card.locator("button[type=submit]").click()
    parent.wait_for_selector(".msg-success")
    assert "18:30" in parent.locator(".msg-success").inner_text()
    assert parent.evaluate("document.documentElement.scrollWidth") <= 375
    shot(parent, "afterschool-5-pickup-phone")

    office = open_page(DESKTOP)
    sign_in(office, base, "13900000003", PASSWORD)
    office.goto(
        f"{base}/afterschool/days/arrangements/?programme={programme.pk}&date={booked_for.isoformat()}"
    )
    late = office.locator("#staffing tbody tr", has_text="18:30")
    # One child (周小明) is still there for 18:30 → ceil(1 / 25) = 1 member of staff, none yet.
    assert late.locator("td").nth(1).inner_text().strip() == "1"
    assert "缺 1 人" in late.inner_text()
    # Several teachers can be ticked at once (issue 15), from a list that opens; one is enough here.
    late.locator("details.pick > summary").click()
    late.locator("label", has_text="陈老师").locator("input[name=teacher]").check()
    late.locator("button:has-text('安排')").click()
    office.wait_for_selector(".msg-success")
    assert "陈老师" in office.locator("#staffing tbody tr", has_text="18:30").inner_text()
    # A meeting of that day gets a substitute (代课) for the day: the first one nobody has taken
    # attendance for yet (when the day is today, 趣味编程's was taken above), given to a teacher other
    # than its regular one.
    meeting = office.locator("#covers tbody tr", has=office.locator("select[name=teacher]")).first
    regular = meeting.locator("td").nth(2).inner_text().strip()
    options = meeting.locator("select[name=teacher] option").all_inner_texts()
    substitute = next(name for name in options if name != regular)
    row = f"#{meeting.get_attribute('id')}"
    meeting.locator("select[name=teacher]").select_option(label=substitute)
    meeting.locator("input[name=reason]").fill("外出培训")
    meeting.locator("button:has-text('安排')").click()
    office.wait_for_selector(".msg-success")
    assert office.locator(f"{row} td").nth(3).inner_text().strip().startswith(substitute)
    shot(office, "afterschool-5b-arrangements-cover-desktop")
    office.goto(f"{base}/afterschool/days/figures/")
    text = office.locator("main").inner_text()
    # 8 of 10 active students take part (two third-graders do not).
    assert "80.0%" in text and "8 / 10" in text
    assert "赵老师" in office.locator("#hours").inner_text()
    shot(office, "afterschool-6-figures-desktop")
