"""The demo district is deterministic, realistic in size, and every printed login works."""

import pytest

from jianfu.demo.loader import DEMO_PASSWORD, LOGINS, load_demo
from jianfu.schools.models import Guardian, SchoolClass, Student
from jianfu.schools.roster.rules import check_registry_id

pytestmark = pytest.mark.django_db


def check_digit(body17: str) -> str:
    # ISO 7064 MOD 11-2, written out independently of the code under test.
    weights = [2 ** (17 - i) % 11 for i in range(17)]
    return "10X98765432"[sum(int(d) * w for d, w in zip(body17, weights, strict=True)) % 11]


@pytest.fixture
def demo(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    return load_demo(with_activity=False)


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


def test_the_loader_tells_each_stage_as_it_starts(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    seen: list[tuple[str, dict]] = []
    counts = load_demo(with_activity=False, progress=lambda stage, facts: seen.append((stage, dict(facts))))
    assert [stage for stage, _ in seen] == ["school", "school", "school", "families", "calendar"]
    assert seen[0][1]["index"] == 1 and seen[0][1]["total"] == 3 and seen[0][1]["name"] == "天河区示范小学"
    assert sum(facts["classes"] for stage, facts in seen if stage == "school") == counts["classes"]
    assert seen[3][1]["students"] == counts["students"] and seen[3][1]["guardians"] >= counts["students"]


def test_deterministic():
    from django.db import transaction

    def snapshot():
        with transaction.atomic():
            counts = load_demo(with_activity=False)
            first = Student.objects.order_by("pk").values_list("registry_id", "name").first()
            transaction.set_rollback(True)
        return counts, first

    assert snapshot() == snapshot()


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


def test_demo_activity_respects_the_caps_and_shows_aggregates(settings):
    """The demo's homework went through the same services: no class-day is over its cap, and the demo
    class has published days with at least five families' reports."""
    from jianfu.feedback.selectors import class_day_summary
    from jianfu.homework.models import ClassDayLoad

    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    load_demo()
    assert ClassDayLoad.objects.filter(items__gt=0).exists()
    assert not [x for x in ClassDayLoad.objects.all() if x.over_cap]
    published = ClassDayLoad.objects.filter(published_at__isnull=False).select_related("school_class")
    assert published.exists()
    day = published.first()
    assert class_day_summary(day.school_class, day.date)["enough"] is True
