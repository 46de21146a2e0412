"""Journeys through the foundation pages in a real browser, with screenshots for docs/screenshots."""

from datetime import date

import pytest

from conftest import PASSWORD, build_world
from jianfu.core.actors import SystemActor
from jianfu.policies.services import profile_override_set
from jianfu.schools.calendar.services import term_create
from jianfu.schools.tests.test_roster import csv_bytes, faulty_rows
from tests.browser.conftest import DESKTOP, PHONE, shot, sign_in


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize(("size", "label"), [(PHONE, "phone"), (DESKTOP, "desktop")])
def test_principal_sees_the_profile_in_force_with_local_values(live_server, open_page, size, label):
    world = build_world()
    profile_override_set(
        actor=world.users["bureau"],
        region=world.district,
        key="settings.homework_bands",
        value=[{"grades": [3, 4], "max_minutes": 40}],
        effective_from=date(2026, 9, 1),
        reason="天河区减负实施方案",
    )
    page = open_page(size)
    sign_in(page, live_server.url, "13900000003", PASSWORD)
    page.goto(f"{live_server.url}/policies/")
    assert "现行政策配置" in page.locator("h1").inner_text()
    body = page.content()
    assert "天河区减负实施方案" in body and "hw_written_daily_avg_max_g3_6" in body
    shot(page, f"policy-profile-{label}")
    # The local-values form refuses relaxing a cap, with the reason on the page.
    page.click("main summary")
    page.select_option("select[name=key]", "hw_written_daily_avg_max_g7_9.max_minutes")
    page.fill("input[name=value]", "120")
    page.fill("input[name=reason]", "试图放宽")
    page.click("main form.stack button[type=submit]")
    assert "地方规定只能比上级更严格" in page.content()
    shot(page, f"policy-profile-refused-{label}", full_page=False)


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize(("size", "label"), [(PHONE, "phone"), (DESKTOP, "desktop")])
def test_academic_affairs_uploads_a_faulty_roster_and_sees_every_error(live_server, open_page, size, label):
    world = build_world()
    page = open_page(size)
    sign_in(page, live_server.url, "13900000004", PASSWORD)
    page.goto(f"{live_server.url}/schools/roster/import/")
    page.set_input_files(
        "input[type=file]",
        files=[{"name": "名册.csv", "mimeType": "text/csv", "buffer": csv_bytes(faulty_rows(world))}],
    )
    page.click("main button[type=submit]")
    page.wait_for_url("**/schools/roster/import/*/")
    html = page.content()
    assert "未导入任何数据" in html and "第6行" in html and "学籍号校验位错误" in html and "第12行" in html
    assert "13811110001" not in html  # phones masked in the preview
    shot(page, f"roster-preview-errors-{label}")


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize(("size", "label"), [(PHONE, "phone"), (DESKTOP, "desktop")])
def test_calendar_warns_about_the_unknown_year(live_server, open_page, size, label):
    world = build_world()
    term_create(
        actor=SystemActor("test-setup"),
        school=world.school,
        school_year="2026-2027",
        kind="autumn",
        start_date=date(2026, 9, 1),
        end_date=date(2027, 1, 22),
    )
    page = open_page(size)
    sign_in(page, live_server.url, "13900000003", PASSWORD)
    page.goto(f"{live_server.url}/schools/calendar/")
    assert "2027年法定节假日尚未录入" in page.content()
    shot(page, f"calendar-{label}")
