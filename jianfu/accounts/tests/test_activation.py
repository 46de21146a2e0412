"""Parents activate with a one-time code sent to the guardian phone in the roster; no self-registration."""

import re

import pytest

from jianfu.accounts.models import Membership, Role, User
from jianfu.accounts.sms import MemorySmsBackend

pytestmark = pytest.mark.django_db

ROSTER_PHONE = "13700000001"  # guardian of world.other_student, not yet activated


def sent_code():
    assert MemorySmsBackend.outbox, "no SMS was sent"
    phone, text = MemorySmsBackend.outbox[-1]
    return phone, re.search(r"\d{6}", text).group(0)


def test_roster_guardian_activates_and_is_linked_to_the_child(client, world):
    response = client.post("/accounts/activate/", {"phone": ROSTER_PHONE})
    assert response.status_code == 302
    phone, code = sent_code()
    assert phone == ROSTER_PHONE
    response = client.post(
        "/accounts/activate/confirm/", {"phone": ROSTER_PHONE, "code": code, "password": "Shuang-jian-2026"}
    )
    assert response.status_code == 302
    user = User.objects.get(phone=ROSTER_PHONE)
    assert user.guardianships.get().student == world.other_student
    assert Membership.objects.filter(user=user, role=Role.PARENT, school_class=world.class_5_2).exists()


def test_unknown_phone_gets_the_same_answer_and_no_sms(client, world):
    known = client.post("/accounts/activate/", {"phone": ROSTER_PHONE}, follow=True).content.decode()
    MemorySmsBackend.outbox.clear()
    unknown = client.post("/accounts/activate/", {"phone": "13611112222"}, follow=True).content.decode()
    assert MemorySmsBackend.outbox == []
    message = "如果该号码是学校登记的家长手机号，验证码已发送。"
    assert message in known and message in unknown
    assert not User.objects.filter(phone="13611112222").exists()


def test_wrong_code_is_refused_and_attempts_are_limited(client, world):
    client.post("/accounts/activate/", {"phone": ROSTER_PHONE})
    _, code = sent_code()
    wrong = "000000" if code != "000000" else "111111"
    for _ in range(5):
        r = client.post(
            "/accounts/activate/confirm/",
            {"phone": ROSTER_PHONE, "code": wrong, "password": "Shuang-jian-2026"},
        )
        assert "验证码错误或已过期" in r.content.decode()
    # After five wrong tries even the right code no longer works.
    r = client.post(
        "/accounts/activate/confirm/", {"phone": ROSTER_PHONE, "code": code, "password": "Shuang-jian-2026"}
    )
    assert "验证码错误或已过期" in r.content.decode()
    assert not User.objects.filter(phone=ROSTER_PHONE).exists()


def test_a_code_works_once(client, world):
    client.post("/accounts/activate/", {"phone": ROSTER_PHONE})
    _, code = sent_code()
    data = {"phone": ROSTER_PHONE, "code": code, "password": "Shuang-jian-2026"}
    assert client.post("/accounts/activate/confirm/", data).status_code == 302
    client.logout()
    again = client.post("/accounts/activate/confirm/", data)
    assert "验证码错误或已过期" in again.content.decode()


def test_weak_password_is_refused_in_chinese(client, world):
    client.post("/accounts/activate/", {"phone": ROSTER_PHONE})
    _, code = sent_code()
    r = client.post(
        "/accounts/activate/confirm/", {"phone": ROSTER_PHONE, "code": code, "password": "12345678"}
    )
    assert "密码不符合要求" in r.content.decode()


def test_malformed_phone_is_named(client, world):
    r = client.post("/accounts/activate/", {"phone": "1234"})
    assert "手机号格式错误" in r.content.decode()


def test_sms_requests_are_rate_limited(client, world):
    for _ in range(5):
        client.post("/accounts/activate/", {"phone": ROSTER_PHONE})
    r = client.post("/accounts/activate/", {"phone": ROSTER_PHONE})
    assert "验证码发送过于频繁" in r.content.decode()


def confirm(client, code, password="Shuang-jian-2026", phone=ROSTER_PHONE):
    return client.post("/accounts/activate/confirm/", {"phone": phone, "code": code, "password": password})


def test_an_activated_parent_lands_signed_in(client, world):
    """security.md M4 (c): activation signed in through a backend that is not configured, so the
    next request saw nobody and the parent landed on an empty sign-in form."""
    client.post("/accounts/activate/", {"phone": ROSTER_PHONE})
    _, code = sent_code()
    assert confirm(client, code).status_code == 302
    me = client.get("/api/v1/accounts/me")
    assert me.status_code == 200 and me.json()["phone_masked"].endswith(ROSTER_PHONE[-4:])


def test_each_attempt_is_counted_before_the_code_is_checked(client, world, monkeypatch):
    """security.md M4 (a): attempts were read, the slow check made, then counted — so concurrent
    guesses were all checked (12 of 12 in the probe). Counted first, in one conditional UPDATE, a
    sixth concurrent guess finds no try left whatever the timing; here the check itself looks at the
    counter as another request would at that moment."""
    from jianfu.accounts import services
    from jianfu.accounts.models import OneTimeCode

    client.post("/accounts/activate/", {"phone": ROSTER_PHONE})
    _, code = sent_code()
    seen = []
    real = services.check_password

    def checking(raw, hashed):
        seen.append(OneTimeCode.objects.get().attempts)
        return real(raw, hashed)

    monkeypatch.setattr(services, "check_password", checking)
    wrong = "000000" if code != "000000" else "111111"
    for _ in range(5):
        confirm(client, wrong)
    assert seen == [1, 2, 3, 4, 5]  # each guess held its try before it was checked
    confirm(client, code)  # the sixth, right or wrong, is never checked
    assert seen == [1, 2, 3, 4, 5] and OneTimeCode.objects.get().attempts == 5
    assert not User.objects.filter(phone=ROSTER_PHONE).exists()


@pytest.mark.parametrize("staff", ["principal", "bureau", "teacher"])
def test_a_staff_phone_in_a_roster_is_linked_but_its_password_never_reset(client, world, staff):
    """security.md M4 (b): re-activation set the password of any account whose phone was a guardian
    phone, staff included — an SMS code became a staff password reset."""
    from conftest import PASSWORD
    from jianfu.schools.models import Guardian

    user = world.users[staff]
    Guardian.objects.create(student=world.other_student, name="家长", phone=user.phone, relation="母亲")
    client.post("/accounts/activate/", {"phone": user.phone})
    _, code = sent_code()
    r = confirm(client, code, password="A-new-Password-2026", phone=user.phone)
    assert r.status_code == 302 and r.url.startswith("/accounts/login")
    user.refresh_from_db()
    assert user.check_password(PASSWORD) and not user.check_password("A-new-Password-2026")
    assert client.get("/api/v1/accounts/me").status_code == 401  # not signed in by the SMS code
    assert Membership.objects.filter(user=user, role=Role.PARENT, school_class=world.class_5_2).exists()


def test_an_account_with_two_step_is_never_signed_in_by_activation(client, world):
    """security.md M4 (c): whatever the account, a confirmed second factor means the sign-in page."""
    from django.utils import timezone

    from jianfu.accounts.models import TotpDevice
    from jianfu.schools.models import Guardian

    parent = world.users["parent"]
    TotpDevice.objects.create(user=parent, secret="JBSWY3DPEHPK3PXP", confirmed_at=timezone.now())
    Guardian.objects.create(student=world.other_student, name="周女士", phone=parent.phone, relation="母亲")
    client.post("/accounts/activate/", {"phone": parent.phone})
    _, code = sent_code()
    assert confirm(client, code, phone=parent.phone).status_code == 302
    assert client.get("/api/v1/accounts/me").status_code == 401
