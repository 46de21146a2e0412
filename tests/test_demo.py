"""The demo district is deterministic, realistic in size, and every printed login works."""

from collections.abc import Iterator
from typing import Any

import pytest

from jianfu.demo.loader import DEMO_PASSWORD, LOGINS, load_demo
from jianfu.schools.models import Guardian, SchoolClass, Student
from jianfu.schools.roster.rules import check_registry_id

pytestmark = pytest.mark.django_db
FAST_HASHER = "django.contrib.auth.hashers.MD5PasswordHasher"


def check_digit(body17: str) -> str:
    # ISO 7064 MOD 11-2, written out independently of the code under test.
    weights = [2 ** (17 - i) % 11 for i in range(17)]
    return "10X98765432"[sum(int(d) * w for d, w in zip(body17, weights, strict=True)) % 11]


@pytest.fixture(scope="module")
def demo(django_db_setup: Any, django_db_blocker: Any) -> Iterator[dict[str, int]]:
    """The demo district, loaded once for this module inside a transaction that is rolled back at its
    end (as Django's TestCase.setUpTestData does); each test runs in a savepoint inside it, so what a
    test changes is undone before the next. Loading it for every test took about half this module's
    time. Hashed with the tests' fast hasher, which the root conftest sets per test only."""
    from django.db import transaction
    from django.test import override_settings

    with django_db_blocker.unblock(), override_settings(PASSWORD_HASHERS=[FAST_HASHER]):
        outer = transaction.atomic()
        outer.__enter__()
        try:
            yield load_demo(with_activity=False)
        finally:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)


def test_demo_size_and_shape(demo):
    assert demo["schools"] == 3
    assert demo["classes"] == 60
    assert 2400 <= demo["students"] <= 2600
    assert SchoolClass.objects.filter(
        school__system="five_four", grade__number=6, grade__stage="junior"
    ).exists()
    assert Guardian.objects.count() >= demo["students"]


def test_every_g_registry_id_has_a_valid_check_digit_and_birth_date(demo):
    for reg, born in Student.objects.values_list("registry_id", "birth_date"):
        if reg.startswith("G"):
            assert reg[-1] == check_digit(reg[1:18]), reg
            assert reg[7:15] == born.strftime("%Y%m%d")
        else:
            assert check_registry_id(reg).error_zh == ""


def test_loading_twice_changes_nothing(demo):
    assert load_demo(with_activity=False) == {"loaded": 0}
    assert Student.objects.count() == demo["students"]


@pytest.mark.parametrize("login", LOGINS, ids=lambda x: x.phone)
def test_every_printed_login_signs_in_through_the_form(client, demo, login):
    if "未激活" in login.role_zh:
        from jianfu.accounts.models import User

        assert not User.objects.filter(phone=login.phone).exists()
        assert Guardian.objects.filter(phone=login.phone).exists()  # can activate by SMS
        return
    response = client.post("/accounts/login/", {"phone": login.phone, "password": DEMO_PASSWORD})
    assert response.status_code == 302, login


@pytest.mark.parametrize("login", [x for x in LOGINS if "未激活" not in x.role_zh], ids=lambda x: x.phone)
def test_every_printed_login_reaches_its_home_page_under_the_deployments_two_step_rule(
    client, demo, login, settings, capsys
):
    """Custodians and bureau staff must sign in with two steps (the deployment's default); the demo's
    do so with the code `jianfu demo-code PHONE` prints (security.md H1: the demo stays usable)."""
    from django.core.management import call_command

    settings.JIANFU_TWO_STEP_REQUIRED_ROLES = ["custodian", "bureau_staff"]
    response = client.post("/accounts/login/", {"phone": login.phone, "password": DEMO_PASSWORD})
    if login.phone in ("13800000001", "13800000003"):
        assert response["Location"] == "/accounts/login/step/"
        call_command("demo_code", login.phone)
        code = capsys.readouterr().out.split()[0]
        response = client.post("/accounts/login/step/", {"code": code})
    assert response.status_code == 302 and client.get("/").status_code == 200, login


def test_demo_code_refuses_an_account_whose_secret_is_not_the_published_one(demo):
    from django.core.management import CommandError, call_command

    from jianfu.accounts.models import TotpDevice
    from jianfu.accounts.rules import totp

    TotpDevice.objects.filter(user__phone="13800000001").update(secret=totp.secret_new())
    for phone in ("13800000001", "13800000011", "not-a-phone"):
        with pytest.raises(CommandError):
            call_command("demo_code", phone)
