import pytest

from conftest import PASSWORD, build_world
from tests.browser.conftest import PHONE, shot, sign_in


@pytest.mark.django_db(transaction=True)
def test_principal_signs_in_on_a_phone(live_server, open_page):
    build_world()
    page = open_page(PHONE)
    page.goto(f"{live_server.url}/accounts/login/")
    assert page.locator("h1").inner_text() == "登录"
    shot(page, "login-phone")
    sign_in(page, live_server.url, "13900000003", PASSWORD)
    assert "你好，张校长" in page.locator("h1").inner_text()
    assert "校长" in page.content()


@pytest.mark.django_db(transaction=True)
def test_wrong_password_shows_the_reason(live_server, open_page):
    build_world()
    page = open_page(PHONE)
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("input[name=phone]", "13900000003")
    page.fill("input[name=password]", "wrong-password")
    page.click("button[type=submit]")
    assert "手机号或密码错误" in page.content()
