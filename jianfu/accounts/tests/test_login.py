"""Sign-in by phone and password, with throttling (architecture.md: staff logins get throttling)."""

import pytest
from django.test import override_settings

from conftest import PASSWORD

pytestmark = pytest.mark.django_db


def post_login(client, phone, password, ip="10.0.0.1"):
    return client.post("/accounts/login/", {"phone": phone, "password": password}, REMOTE_ADDR=ip)


def test_phone_typed_with_spaces_and_fullwidth_digits_signs_in(client, world):
    response = post_login(client, "１３９ ００００ ０００３", PASSWORD)
    assert response.status_code == 302
    assert response["Location"] == "/core/"


def test_wrong_password_and_unknown_phone_get_the_same_message(client, world):
    wrong = post_login(client, "13900000003", "not-the-password").content.decode()
    unknown = post_login(client, "13911112222", "not-the-password").content.decode()
    assert "手机号或密码错误" in wrong
    assert "手机号或密码错误" in unknown


def test_five_failures_lock_the_phone_even_with_the_right_password(client, world):
    for _ in range(5):
        assert post_login(client, "13900000003", "wrong-password").status_code == 400
    locked = post_login(client, "13900000003", PASSWORD)
    assert locked.status_code == 429
    assert "登录失败次数过多" in locked.content.decode()
    # Another account is not affected by this phone's failures.
    assert post_login(client, "13900000004", PASSWORD).status_code == 302


@override_settings(LOGIN_THROTTLE_MAX_FAILURES_PER_IP=3)
def test_one_address_trying_many_phones_is_throttled(client, world):
    for phone in ["13911110001", "13911110002", "13911110003"]:
        post_login(client, phone, "guess", ip="10.9.9.9")
    assert post_login(client, "13900000003", PASSWORD, ip="10.9.9.9").status_code == 429
    assert post_login(client, "13900000003", PASSWORD, ip="10.9.9.10").status_code == 302


def test_throttle_rows_hold_no_phone_in_clear(client, world):
    from jianfu.accounts.models import LoginFailure

    post_login(client, "13900000003", "wrong")
    keys = list(LoginFailure.objects.values_list("key", flat=True))
    assert keys
    assert all("13900000003" not in key for key in keys)


def test_next_parameter_cannot_redirect_off_site(client, world):
    response = client.post(
        "/accounts/login/", {"phone": "13900000003", "password": PASSWORD, "next": "https://evil.example/"}
    )
    assert response["Location"] == "/core/"


def test_logout_needs_post(client, world):
    client.force_login(world.users["principal"])
    assert client.get("/accounts/logout/").status_code == 405
    assert client.post("/accounts/logout/").status_code == 302
    assert client.get("/core/").status_code == 302


def test_a_failed_sign_in_points_parents_to_activation_alike_for_every_number(client, world):
    """Decision 0048: an unactivated guardian is shown the way to activation, but the page is the same
    for a roster phone without an account, an account's phone and a number nobody has."""
    import re

    pages = []
    for n, phone in enumerate(["13700000001", "13900000007", "13611112222"]):
        r = client.post(
            "/accounts/login/", {"phone": phone, "password": "not-it"}, REMOTE_ADDR=f"10.4.0.{n + 1}"
        )
        page = r.content.decode()
        assert (
            "手机号或密码错误" in page
            and "/accounts/activate/" in page
            and "/accounts/password/forgot/" in page
        )
        # The page without what was typed and the per-request tokens.
        page = page.replace(phone, "")
        pages.append(re.sub(r'value="[^"]*"|[A-Za-z0-9]{32,}', "", page))
    assert pages[0] == pages[1] == pages[2]
