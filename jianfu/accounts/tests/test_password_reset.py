"""忘记密码: a parent sets a new password with a code texted to the account's phone (decision 0048).
Same answers, timing and limits as activation for any number; never for an account with a staff role."""

import re

import pytest
from django.test import TestCase

from conftest import PASSWORD
from jianfu.accounts.models import OneTimeCode, Session
from jianfu.accounts.tasks import MemorySmsBackend

pytestmark = pytest.mark.django_db

PARENT_PHONE = "13900000007"  # world.users["parent"], parent-only
NEW = "Shuang-jian-2026"
_ADDRESSES = iter(f"10.2.{i // 250}.{i % 250 + 1}" for i in range(100_000))


@pytest.fixture(autouse=True)
def _texts_sent_at_once(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


def ask(client, phone, addr=None, **extra):
    with TestCase.captureOnCommitCallbacks(execute=True):
        return client.post(
            "/accounts/password/forgot/", {"phone": phone, **extra}, REMOTE_ADDR=addr or next(_ADDRESSES)
        )


def sent_code():
    assert MemorySmsBackend.outbox, "no SMS was sent"
    phone, text = MemorySmsBackend.outbox[-1]
    return phone, re.search(r"\d{6}", text).group(0)


def reset(client, code, password=NEW, again=None, phone=PARENT_PHONE):
    return client.post(
        "/accounts/password/forgot/confirm/",
        {
            "phone": phone,
            "code": code,
            "password": password,
            "password2": password if again is None else again,
        },
    )


def test_a_parent_resets_the_password_and_signs_in_with_it(client, world):
    parent = world.users["parent"]
    signed_in_elsewhere = type(client)()
    signed_in_elsewhere.force_login(parent)
    r = ask(client, PARENT_PHONE)
    assert r.status_code == 302 and r["Location"] == "/accounts/password/forgot/confirm/"
    phone, code = sent_code()
    assert phone == PARENT_PHONE and "重设密码" in MemorySmsBackend.outbox[-1][1]
    r = reset(client, code)
    assert r.status_code == 302 and r.url.startswith("/accounts/login")
    parent.refresh_from_db()
    assert parent.check_password(NEW) and not parent.check_password(PASSWORD)
    assert not Session.objects.filter(user=parent).exists()  # every old session ended
    assert client.post("/accounts/login/", {"phone": PARENT_PHONE, "password": NEW}).status_code == 302


def test_a_code_works_once_and_wrong_codes_are_limited(client, world):
    ask(client, PARENT_PHONE)
    _, code = sent_code()
    wrong = "000000" if code != "000000" else "111111"
    for _ in range(5):
        assert "验证码错误或已过期" in reset(client, wrong).content.decode()
    assert "验证码错误或已过期" in reset(client, code).content.decode()  # the sixth is never checked
    ask(client, PARENT_PHONE)
    _, code = sent_code()
    assert reset(client, code).status_code == 302
    assert "验证码错误或已过期" in reset(client, code).content.decode()


def test_an_activation_code_does_not_reset_and_a_reset_code_does_not_activate(client, world):
    ask(client, PARENT_PHONE)
    _, code = sent_code()
    r = client.post(
        "/accounts/activate/confirm/",
        {"phone": PARENT_PHONE, "code": code, "password": NEW, "password2": NEW},
    )
    assert "验证码错误或已过期" in r.content.decode()


@pytest.mark.parametrize("staff", ["principal", "bureau", "teacher"])
def test_a_staff_account_gets_the_unknown_numbers_answer_and_no_text(client, world, staff):
    """An SMS must never set a staff password (security.md M4 b), and the answer must not tell that
    the number is a staff account's."""
    user = world.users[staff]
    known = client.get(ask(client, user.phone)["Location"]).content.decode()
    unknown = client.get(ask(client, "13611112222")["Location"]).content.decode()
    assert MemorySmsBackend.outbox == []
    message = "如果该号码是已激活的家长账号，验证码已发送。"
    assert message in known and message in unknown
    assert set(OneTimeCode.objects.values_list("purpose", flat=True)) == {"reset_unsent"}
    for guess in ("000000", "123456"):
        reset(client, guess, phone=user.phone)
    user.refresh_from_db()
    assert user.check_password(PASSWORD)


def test_a_parent_who_also_teaches_gets_nothing(client, world):
    """A staff role anywhere makes the account staff, though it is also a guardian's."""
    from jianfu.accounts.models import Membership, Role

    parent = world.users["parent"]
    Membership.objects.create(user=parent, role=Role.SUBJECT_TEACHER, school=world.school)
    ask(client, PARENT_PHONE)
    assert MemorySmsBackend.outbox == []


def test_a_guardian_without_an_account_gets_nothing(client, world):
    ask(client, "13700000001")  # on the roster, never activated
    assert MemorySmsBackend.outbox == []


def test_a_parent_and_any_other_number_get_the_same_answers_and_the_same_limit(client, world):
    def seven(phone):
        answers = []
        for _ in range(7):
            r = ask(client, phone)
            page = client.get(r["Location"]).content.decode() if r.status_code == 302 else r.content.decode()
            answers.append((r.status_code, "验证码已发送" in page, "验证码发送过于频繁" in page))
        return answers

    expected = [(302, True, False)] * 5 + [(429, False, True)] * 2
    assert seven(PARENT_PHONE) == expected
    assert seven("13611112222") == expected
    assert [p for p, _ in MemorySmsBackend.outbox] == [PARENT_PHONE] * 5


def test_activation_and_reset_share_one_numbers_limit(client, world):
    """Asking through both pages must not double what one phone can be sent."""
    with TestCase.captureOnCommitCallbacks(execute=True):
        for n in range(3):
            client.post("/accounts/activate/", {"phone": PARENT_PHONE}, REMOTE_ADDR=f"10.3.0.{n + 1}")
    ask(client, PARENT_PHONE)
    ask(client, PARENT_PHONE)
    assert ask(client, PARENT_PHONE).status_code == 429


def test_a_burst_from_one_address_meets_the_human_check(client, world):
    addr = "10.9.9.8"
    for n in range(3):
        assert ask(client, f"1361111000{n}", addr=addr).status_code == 302
    r = ask(client, PARENT_PHONE, addr=addr)
    assert r.status_code == 429 and "加" in r.content.decode() and MemorySmsBackend.outbox == []


def test_the_new_password_is_typed_twice_and_what_was_typed_is_kept(client, world):
    ask(client, PARENT_PHONE)
    _, code = sent_code()
    r = reset(client, code, again="Shuang-jian-2027")
    page = r.content.decode()
    assert r.status_code == 400 and "两次输入的密码不一致" in page and code in page
    assert world.users["parent"].check_password(PASSWORD)
    assert reset(client, code).status_code == 302  # the mismatch spent no try


def test_a_weak_password_is_refused_in_one_language(client, world):
    ask(client, PARENT_PHONE)
    _, code = sent_code()
    page = reset(client, code, password="1234567").content.decode()
    assert "密码不符合要求" in page and "太短，至少需要8个字符" in page and "不能全为数字" in page
    assert "This password" not in page
    client.cookies["django_language"] = "en"
    english = reset(client, code, password="1234567").content.decode()
    assert "does not meet the requirements" in english
    assert "too short" in english and "太短" not in english and "密码" not in english


def test_the_login_page_links_to_it(client, world):
    page = client.get("/accounts/login/").content.decode()
    assert "/accounts/password/forgot/" in page
