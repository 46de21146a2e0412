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
    page.click("main button[type=submit]")
    assert "手机号或密码错误" in page.content()


@pytest.mark.django_db(transaction=True)
def test_a_principal_turns_on_two_step_sign_in_and_signs_in_with_it(live_server, open_page):
    import time

    from jianfu.accounts.rules import totp

    build_world()
    page = open_page(DESKTOP)
    sign_in(page, live_server.url, "13900000003", PASSWORD)
    page.click("nav >> text=账号安全")
    page.click("text=开始设置")
    # The key as the page shows it, grouped in fours for typing into an app by hand.
    secret = page.locator("code.secret").inner_text().replace(" ", "")
    assert page.locator(".qr svg").count() == 1
    shot(page, "two-step-1-setup-desktop")
    # The previous step's code (a phone clock a little behind) is accepted; it must still be the
    # previous step when the server checks it, so not in the last seconds of the current one.
    while totp.STEP_SECONDS - time.time() % totp.STEP_SECONDS < 5:
        time.sleep(0.5)
    page.fill("input[name=code]", totp.code_at(secret, totp.step_of(time.time()) - 1))
    page.click("text=开启两步验证")
    assert page.locator("ol.recovery-codes li").count() == 10
    shot(page, "two-step-2-recovery-codes-desktop")
    page.click("button:has-text('退出')")
    phone = open_page(PHONE)
    phone.goto(f"{live_server.url}/accounts/login/")
    phone.fill("input[name=phone]", "13900000003")
    phone.fill("input[name=password]", PASSWORD)
    phone.click("main button[type=submit]")
    phone.wait_for_url(f"{live_server.url}/accounts/login/step/")
    assert phone.locator("h1").inner_text() == "两步验证"
    shot(phone, "two-step-3-second-step-phone")
    phone.fill("input[name=code]", totp.code_at(secret, totp.step_of(time.time())))
    phone.click("main button[type=submit]")
    phone.wait_for_url(f"{live_server.url}/core/")
    assert "你好，张校长" in phone.locator("h1").inner_text()


@pytest.mark.django_db(transaction=True)
def test_the_bureau_resets_a_teachers_lost_two_step_sign_in(live_server, open_page):
    """A teacher lost the phone and the recovery codes: the district's bureau member (signed in with
    two-step sign-in) finds them, resets with a reason; the teacher signs in with the password alone."""
    import time

    from django.utils import timezone

    from jianfu.accounts.models import TotpDevice
    from jianfu.accounts.rules import totp

    world = build_world()
    secret = totp.secret_new()
    TotpDevice.objects.create(user=world.users["bureau"], secret=secret, confirmed_at=timezone.now())
    TotpDevice.objects.create(
        user=world.users["teacher"], secret=totp.secret_new(), confirmed_at=timezone.now()
    )
    last = -1

    def next_code() -> str:
        """A code newer than the last one used (a code is good once) and inside the server's window
        (one step either side of now) when it arrives: the previous step's code only early in a step."""
        nonlocal last
        while True:
            now = time.time()
            current, left = totp.step_of(now), totp.STEP_SECONDS - now % totp.STEP_SECONDS
            step = max(last + 1, current - 1 if left > 8 else current)
            if step <= current + 1:
                last = step
                return totp.code_at(secret, step)
            time.sleep(left + 0.2)

    for size, name in ((PHONE, "phone"), (DESKTOP, "desktop")):
        page = open_page(size)
        page.goto(f"{live_server.url}/accounts/login/")
        page.fill("input[name=phone]", "13900000001")
        page.fill("input[name=password]", PASSWORD)
        page.click("main button[type=submit]")
        page.wait_for_url(f"{live_server.url}/accounts/login/step/")
        page.fill("input[name=code]", next_code())
        page.click("main button[type=submit]")
        page.wait_for_url(f"{live_server.url}/core/")
        if name == "phone":
            page.click("header summary")  # the menu is folded on a phone (decision 0054)
        page.click("nav >> text=两步验证重置")
        row = page.locator("li.card", has_text="数学赵老师")
        assert "139****0006" in row.inner_text() and "13900000006" not in page.content()
        shot(page, f"two-step-4-bureau-reset-{name}")
        if name == "desktop":
            row.locator("input[name=reason]").fill("本人手机丢失，已回拨学校登记电话核实")
            row.locator("input[name=code]").fill(next_code())  # a fresh code at the moment of resetting
            row.locator("button:has-text('关闭数学赵老师的两步验证')").click()
            assert "已关闭数学赵老师的两步验证" in page.locator(".messages").inner_text()
            assert page.locator("li.card", has_text="数学赵老师").count() == 0
    teacher = open_page(PHONE)
    sign_in(teacher, live_server.url, "13900000006", PASSWORD)  # no second step any more
    assert "数学赵老师" in teacher.locator("h1").inner_text()
