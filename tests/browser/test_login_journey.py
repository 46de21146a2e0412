import pytest

from conftest import PASSWORD, build_world
from tests.browser.conftest import DESKTOP, PHONE, shot, sign_in


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


@pytest.mark.django_db(transaction=True)
def test_a_principal_turns_on_two_step_sign_in_and_signs_in_with_it(live_server, open_page):
    import time

    from jianfu.accounts import totp

    build_world()
    page = open_page(DESKTOP)
    sign_in(page, live_server.url, "13900000003", PASSWORD)
    page.click("nav >> text=账号安全")
    page.click("text=开始设置")
    # The key as the page shows it, grouped in fours for typing into an app by hand.
    secret = page.locator("code.secret").inner_text().replace(" ", "")
    assert page.locator(".qr svg").count() == 1
    shot(page, "two-step-1-setup-desktop")
    page.fill("input[name=code]", totp.code_at(secret, totp.step_of(time.time()) - 1))
    page.click("text=开启两步验证")
    assert page.locator("ol.recovery-codes li").count() == 10
    shot(page, "two-step-2-recovery-codes-desktop")
    page.click("button:has-text('退出')")
    phone = open_page(PHONE)
    phone.goto(f"{live_server.url}/accounts/login/")
    phone.fill("input[name=phone]", "13900000003")
    phone.fill("input[name=password]", PASSWORD)
    phone.click("button[type=submit]")
    phone.wait_for_url(f"{live_server.url}/accounts/login/step/")
    assert phone.locator("h1").inner_text() == "两步验证"
    shot(phone, "two-step-3-second-step-phone")
    phone.fill("input[name=code]", totp.code_at(secret, totp.step_of(time.time())))
    phone.click("button[type=submit]")
    phone.wait_for_url(f"{live_server.url}/core/")
    assert "你好，张校长" in phone.locator("h1").inner_text()
