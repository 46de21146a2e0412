"""Issue 5's journey in a real browser: a parent ranks three courses on a phone; the academic
office closes the window, runs the allocation with a public seed and publishes; the parent sees the
result; the course's teacher takes attendance on a phone. Other families applied through the
services, so 足球 and 机器人 are oversubscribed."""

from datetime import time, timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from conftest import PASSWORD, build_world
from jianfu.afterschool.courses.services import CourseSpec, course_save
from jianfu.afterschool.family.services import application_submit
from jianfu.afterschool.models import ServicePart
from jianfu.afterschool.programme.services import (
    SlotSpec,
    programme_create,
    programme_open_choosing,
    slots_set,
)
from jianfu.afterschool.tests.alloc_fixtures import child
from jianfu.core.actors import SystemActor
from jianfu.schools.calendar.services import term_create, term_days_rebuild
from jianfu.schools.models import CalendarEntry, SchoolDay
from tests.browser.conftest import DESKTOP, PHONE, shot, sign_in

WEEKDAY_NAMES = "一二三四五六日"


def chorus_days():
    """合唱 meets today and the day after, so the journey can take today's attendance on any date."""
    today = timezone.localdate().isoweekday()
    return sorted({today, today % 7 + 1})


def setup_programme(world):
    today, now = timezone.localdate(), timezone.now()
    term = term_create(
        actor=SystemActor("test-setup"),
        school=world.school,
        school_year="journey",
        kind="autumn",
        start_date=today - timedelta(days=30),
        end_date=today + timedelta(days=28),
    )
    # The journey must run on a service day whatever the date: the school enters a make-up day.
    if not SchoolDay.objects.filter(term=term, date=today, day_type="school_day").exists():
        CalendarEntry.objects.create(school=world.school, date=today, kind="extra_school_day", name="补课")
        term_days_rebuild(term=term)
    office = world.users["academic"]
    p = programme_create(
        actor=office,
        school_id=world.school.pk,
        term_id=term.pk,
        name="本学期课后服务",
        choice_opens_at=now - timedelta(hours=1),
        choice_closes_at=now + timedelta(days=2),
    )
    week = []
    for d in sorted({1, 2, 3, 4, 5, *chorus_days()}):
        week += [
            SlotSpec(d, ServicePart.BASIC, time(15, 40), time(16, 40)),
            SlotSpec(d, ServicePart.COURSE, time(16, 50), time(17, 50)),
            SlotSpec(d, ServicePart.EXTENDED, time(17, 50), time(18, 30)),
        ]
    slots_set(actor=office, programme_id=p.pk, slots=week)
    teacher = world.users["teacher"].teacher_profiles.get()
    courses = {}
    for name, category, capacity, days, room in (
        ("足球", "sport", 2, [1, 3], "足球场"),
        ("机器人", "science", 1, [1, 3], "科创室"),
        ("合唱", "art", 30, chorus_days(), "音乐教室"),
        ("围棋", "other", 20, [2, 4], "棋艺室"),
    ):
        courses[name] = course_save(
            actor=office,
            programme_id=p.pk,
            spec=CourseSpec(
                name=name,
                category=category,
                capacity=capacity,
                weekdays=days,
                teacher_id=teacher.pk,
                room=room,
                min_size=0,
            ),
        )
    programme_open_choosing(actor=office, programme_id=p.pk)
    # Four other families, all with both parents working (tier 1, ahead of our parent's tier 0):
    # three want 足球 (2 places), one wants 机器人 (1 place).
    for wants in ("足球", "足球", "足球", "机器人"):
        parent, kid = child(world)
        application_submit(
            actor=parent,
            programme_id=p.pk,
            student_id=kid.pk,
            course_ids=[courses[wants].pk],
            both_parents_working=True,
        )
    return p


@pytest.mark.django_db(transaction=True)
def test_afterschool_journey(live_server, open_page):
    world = build_world()
    p = setup_programme(world)
    base = live_server.url

    parent = open_page(PHONE)
    sign_in(parent, base, "13900000007", PASSWORD)
    parent.goto(f"{base}/afterschool/family/")
    parent.click(f"#choose-{world.student.pk}")
    parent.wait_for_url(f"**/afterschool/family/{p.pk}/{world.student.pk}/")
    parent.select_option("#rank_1", label="足球")
    parent.select_option("#rank_2", label="机器人")
    parent.select_option("#rank_3", label="合唱")
    assert parent.evaluate("document.documentElement.scrollWidth") <= 375
    shot(parent, "afterschool-1-choose-phone")
    parent.click("#submit-choices")
    parent.wait_for_url("**/afterschool/family/")
    assert "已提交周小明的报名" in parent.content()
    assert "1. 足球；2. 机器人；3. 合唱" in parent.content()

    office = open_page(DESKTOP)
    sign_in(office, base, "13900000004", PASSWORD)
    office.goto(f"{base}/afterschool/{p.pk}/")
    office.click("#close-choosing")
    office.wait_for_url(f"**/afterschool/{p.pk}/")
    office.click("#to-allocation")
    office.fill("#seed_input", "20261201")
    office.click("#run-allocation")
    office.wait_for_url(f"**/afterschool/{p.pk}/allocation/")
    assert office.locator("#seed").inner_text() == "20261201"
    # 5 families ranked courses; 足球 2 + 机器人 1 + our child's 合唱 = 4 placed.
    results = office.locator("#course-results").inner_text()
    assert "2/2" in results and "1/1" in results and "1/30" in results
    shot(office, "afterschool-2-allocation-desktop")
    office.click("#publish")
    office.wait_for_url(f"**/afterschool/{p.pk}/allocation/")
    assert "结果已公布" in office.content()

    parent.goto(f"{base}/afterschool/family/")
    card = parent.locator(".child-card").first.inner_text()
    # Tier 1 families chose first: two took 足球 and one 机器人; our child waits second for 足球
    # (behind the third tier-1 family), first for 机器人, and got 合唱, the third choice.
    when = "、".join(f"周{WEEKDAY_NAMES[d - 1]}" for d in chorus_days())
    assert "合唱" in card and f"{when} 16:50–17:50" in card and "音乐教室" in card
    assert "足球 第2位" in card and "机器人 第1位" in card
    assert "已录取“合唱”" in card  # the notice
    assert parent.evaluate("document.documentElement.scrollWidth") <= 375
    shot(parent, "afterschool-3-result-phone")

    # The course's teacher takes today's attendance on a phone: 合唱 has one child, ours.
    teacher = open_page(PHONE)
    sign_in(teacher, base, "13900000006", PASSWORD)
    teacher.goto(f"{base}/afterschool/days/attendance/")
    teacher.click("text=合唱")
    teacher.wait_for_selector("#roster-block")
    assert "已点 0 / 1 人" in teacher.locator("#marked-count").inner_text()
    row = teacher.locator(".roster-row", has_text="周小明")
    assert world.student.registry_id not in teacher.content()
    row.locator("button[value=present]").click()
    expect(teacher.locator("#marked-count")).to_contain_text("已全部点完")
    assert row.locator("button[value=present]").get_attribute("aria-pressed") == "true"
    assert teacher.evaluate("document.documentElement.scrollWidth") <= 375
    shot(teacher, "afterschool-3b-attendance-after-allocation-phone")
    from jianfu.afterschool.models import AttendanceRecord

    [record] = AttendanceRecord.objects.filter(student=world.student)
    assert (record.status, record.session.course.name, record.session.date) == (
        "present",
        "合唱",
        timezone.localdate(),
    )
