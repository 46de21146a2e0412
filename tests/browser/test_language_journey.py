"""Issue 14's evidence: five pages at 375 px in Chinese and, after the header's switch, in English.

A parent switches to English with the button in the page header (remembered on the account), reads
the complaint form and the exam levels page, and switches back; the principal reads the exam plans.
Screenshots: docs/screenshots/language-*-{zh,en}-phone.png.
"""

from datetime import timedelta

import pytest
from django.utils import timezone

from conftest import PASSWORD, build_world
from jianfu.core.actors import SystemActor
from jianfu.schools.calendar.services import term_create
from tests.browser.conftest import PHONE, shot, sign_in

PAGES = [
    ("parent", "13900000007", "/cases/new/", "complaint-form", "反映问题", "Report a problem"),
    ("parent", "13900000007", "/exams/family/", "exam-levels", "考试", "exam"),
    ("principal", "13900000003", "/exams/", "exam-plans", "考试", "exam"),
    # After the whole interface went through the catalogue (stop 13): a teacher's and the office's page.
    ("head_teacher", "13900000005", "/homework/post/", "homework-post", "布置作业", "homework"),
    ("academic", "13900000004", "/afterschool/", "afterschool-programmes", "课后服务", "after-school"),
]


def _switch(page, to_label: str) -> None:
    page.click(f"header form.lang-switch button:has-text('{to_label}')")
    page.wait_for_load_state("load")


@pytest.mark.django_db(transaction=True)
def test_three_pages_in_chinese_and_english_at_375(live_server, open_page):
    world = build_world()
    today = timezone.localdate()
    term_create(
        actor=SystemActor("test-setup"),
        school=world.school,
        school_year="journey",
        kind="autumn",
        start_date=today - timedelta(days=40),
        end_date=today + timedelta(days=40),
    )
    base = live_server.url
    pages = {}
    for who, phone, _path, _name, _zh, _en in PAGES:
        if who not in pages:
            pages[who] = open_page(PHONE)
            sign_in(pages[who], base, phone, PASSWORD)
    for who, _phone, path, name, zh, _en in PAGES:
        page = pages[who]
        page.goto(f"{base}{path}")
        assert page.locator("html").get_attribute("lang") == "zh-CN"
        assert zh in page.content()
        shot(page, f"language-{name}-zh-phone")
    for who, page in pages.items():
        _switch(page, "English")
        assert page.locator("html").get_attribute("lang") == "en", who
    for who, _phone, path, name, _zh, en in PAGES:
        page = pages[who]
        page.goto(f"{base}{path}")
        assert page.locator("html").get_attribute("lang") == "en"
        assert en.lower() in page.content().lower()
        assert "Sign out" in page.content()
        shot(page, f"language-{name}-en-phone")
    # The choice is the account's: a new phone signed in as the parent opens in English.
    other = open_page(PHONE)
    sign_in(other, base, "13900000007", PASSWORD)
    assert other.locator("html").get_attribute("lang") == "en"
    _switch(pages["parent"], "中文")
    assert pages["parent"].locator("html").get_attribute("lang") == "zh-CN"
