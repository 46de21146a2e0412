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
