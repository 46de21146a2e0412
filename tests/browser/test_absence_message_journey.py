"""A child marked absent from after-school reaches the family (issue 15, "What must be shown"): the
teacher goes from the home page to 课后点名 on a phone and taps 缺席 for 周小明; the parent, signing
in on a phone, finds 消息（1） in the menu and the safety message in the inbox; and the SMS
transport's log has the text for the family's phone, the child's name masked."""

import logging

import pytest
from playwright.sync_api import expect

from conftest import PASSWORD
from tests.browser.conftest import PHONE, shot, sign_in
from tests.browser.test_afterschool_days_journey import setup_world


def _menu(page, label):
    """Follow a menu entry as a person does on a phone: open the menu (菜单) first."""
    toggle = page.locator("header details.menu-toggle > summary")
    if toggle.is_visible() and page.locator("header details.menu-toggle[open]").count() == 0:
        toggle.click()
    page.locator("header nav.nav a", has_text=label).first.click()
    page.wait_for_load_state()


@pytest.mark.django_db(transaction=True)
def test_a_child_marked_absent_reaches_the_family_inbox_and_sms(live_server, open_page, settings, caplog):
    # The delivery task runs as soon as the mark commits (in production `jianfu worker` runs it).
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    settings.SMS_BACKEND = "jianfu.accounts.tasks.LogSmsBackend"
    setup_world()
    base = live_server.url

    teacher = open_page(PHONE)
    sign_in(teacher, base, "13900000006", PASSWORD)
    _menu(teacher, "课后点名")
    teacher.click("text=趣味编程")
    teacher.wait_for_selector("#roster-block")
    row = teacher.locator(".roster-row", has_text="周小明")
    with caplog.at_level(logging.INFO, logger="jianfu.sms"):
        row.locator("button[value=absent]").click()
        expect(teacher.locator("#marked-count")).to_contain_text("已点 1 /")
        expect(row.locator("button[value=absent]")).to_have_attribute("aria-pressed", "true")

    parent = open_page(PHONE)
    sign_in(parent, base, "13900000007", PASSWORD)
    toggle = parent.locator("header details.menu-toggle > summary")
    toggle.click()
    expect(parent.locator("header nav.nav a", has_text="消息（1）")).to_be_visible()
    parent.locator("header nav.nav a", has_text="消息").first.click()
    message = parent.locator("section.message").first
    expect(message).to_contain_text("课后服务缺席：周小明")
    expect(message).to_contain_text("安全提醒")
    expect(message).to_contain_text("趣味编程")
    assert parent.evaluate("document.documentElement.scrollWidth") <= 375
    shot(parent, "inbox-absence-phone")

    # 周女士's phone (the parent's account) and 吴先生's roster phone are texted only about their own
    # child; 周小明's guardian is 周女士 alone: one text, the child's name masked, the phone masked.
    lines = [r.getMessage() for r in caplog.records if r.name == "jianfu.sms"]
    assert len(lines) == 1, lines
    assert lines[0].startswith("SMS to 139****0007: 【减负】周*明在")
    assert "点名缺席" in lines[0] and "13900000007" not in lines[0]
