"""Issue 12 (findings A1) in a real browser, on a 375 px phone: the oral item "背诵乘法口诀并录视频发群里"
with no box ticked is refused in plain Chinese; an arguable text is posted once the teacher confirms."""

from datetime import timedelta

import pytest
from django.utils import timezone

from conftest import PASSWORD, build_world
from jianfu.core.actors import SystemActor
from jianfu.homework.models import HomeworkItem
from jianfu.schools.calendar.services import term_create, term_days_rebuild
from jianfu.schools.models import CalendarEntry, SchoolDay
from tests.browser.conftest import PHONE, shot, sign_in


def school_day_today(world):
    day = timezone.localdate()
    term = term_create(
        actor=SystemActor("test-setup"),
        school=world.school,
        school_year="screening",
        kind="autumn",
        start_date=day - timedelta(days=30),
        end_date=day + timedelta(days=30),
    )
    if not SchoolDay.objects.filter(term=term, date=day, day_type="school_day").exists():
        CalendarEntry.objects.create(school=world.school, date=day, kind="extra_school_day", name="补课")
        term_days_rebuild(term=term)
    return day


def fill(page, base, class_id, day, text):
    page.goto(f"{base}/homework/post/?assignment={class_id}:math")
    page.fill("#date_set", day.isoformat())
    page.fill("#date_due", day.isoformat())
    page.select_option("#kind", "oral")
    page.fill("#minutes", "60")
    page.fill("#description", text)
    page.locator("#minutes").focus()  # leave the text box: the live panel reads the text
    page.wait_for_timeout(700)


@pytest.mark.django_db(transaction=True)
def test_phone_teacher_sees_the_oral_video_item_refused_then_confirms_a_warning(live_server, open_page):
    world = build_world()
    day = school_day_today(world)
    base = live_server.url
    c = world.class_5_1.pk
    page = open_page(PHONE)
    sign_in(page, base, world.users["teacher"].phone, PASSWORD)

    fill(page, base, c, day, "背诵乘法口诀并录视频发群里")
    assert "将被拒绝" in page.locator("#load-panel").inner_text()  # told before posting
    page.click("#submit-homework")
    error = page.locator("#post-error")
    error.wait_for()
    text = error.inner_text()
    assert "政策禁止的做法" in text and "录视频发群" in text
    assert "不得用手机布置作业或要求学生用手机完成作业" in text
    assert page.locator("#confirm-box").count() == 0  # a refusal cannot be confirmed away
    assert page.input_value("#description") == "背诵乘法口诀并录视频发群里"  # what was typed is kept
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    shot(page, "homework-screening-1-refused-phone")
    assert not HomeworkItem.objects.exists()

    fill(page, base, c, day, "背诵乘法口诀，拍照记录背诵时的样子")
    page.click("#submit-homework")
    page.locator("#confirm-box").wait_for()
    assert "请确认" in page.locator("#post-error").inner_text()
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    shot(page, "homework-screening-2-confirm-phone")
    page.check("#confirm_warnings")
    page.click("#submit-homework")
    page.wait_for_url(f"**/homework/class/{c}/**")
    assert HomeworkItem.objects.get().description == "背诵乘法口诀，拍照记录背诵时的样子"
