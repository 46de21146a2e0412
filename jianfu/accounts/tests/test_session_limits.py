"""Idle and absolute session limits, and changing one's own password (security.md L6)."""

import time

import pytest
from django.test import Client

from conftest import PASSWORD, PERSONAS
from jianfu.accounts.middleware import SEEN, SINCE
from jianfu.accounts.models import User

pytestmark = pytest.mark.django_db


def aged(client, *, idle=0, since=0):
    """Move the session's last request `idle` seconds and its start `since` seconds into the past."""
    assert client.get("/api/v1/accounts/me").status_code == 200  # the session's first request
    session = client.session
    session[SEEN] = time.time() - idle
    session[SINCE] = time.time() - max(since, idle)
    session.save()


@pytest.mark.parametrize(
    ("persona", "idle", "since", "signed_in"),
    [
        ("principal", 29 * 60, 0, True),
        ("principal", 31 * 60, 0, False),  # staff: 30 minutes idle (ASVS 3.3.2)
        ("teacher", 60, 12 * 3600 + 60, False),  # staff: 12 hours in all, however busy
        ("parent", 31 * 60, 0, True),  # a family is not signed out after half an hour
        ("parent", 6 * 86400, 13 * 86400, True),
        ("parent", 7 * 86400 + 60, 0, False),  # families: 7 days idle
    ],
)
def test_sessions_end_after_idle_and_absolute_limits(client, world, persona, idle, since, signed_in):
    client.force_login(world.users[persona])
    aged(client, idle=idle, since=since)
    assert (client.get("/api/v1/accounts/me").status_code == 200) is signed_in
    page = Client()
    page.force_login(world.users[persona])
    aged(page, idle=idle, since=since)
    home = page.get("/")
    assert (home.status_code == 200) is signed_in
    if not signed_in:
        assert home["Location"].startswith("/accounts/login/")


@pytest.mark.parametrize("persona", PERSONAS)
def test_everyone_can_open_the_password_page(client, world, persona):
    client.force_login(world.users[persona])
    assert client.get("/accounts/password/").status_code == 200


def test_signed_out_visitors_are_sent_to_sign_in():
    r = Client().get("/accounts/password/")
    assert r.status_code == 302 and r["Location"].startswith("/accounts/login/")


def test_changing_the_password_needs_the_old_one_keeps_this_session_and_ends_the_others(client, world):
    parent = world.users["parent"]
    other = Client()
    other.force_login(parent)
    client.force_login(parent)
    wrong = client.post(
        "/accounts/password/", {"old": "not-it", "new": "Shuang-jian-2027", "again": "Shuang-jian-2027"}
    )
    assert wrong.status_code == 400 and "原密码不正确" in wrong.content.decode()
    typo = client.post(
        "/accounts/password/", {"old": PASSWORD, "new": "Shuang-jian-2027", "again": "Shuang-jian-2028"}
    )
    assert typo.status_code == 400 and "两次输入的新密码不一致" in typo.content.decode()
    weak = client.post("/accounts/password/", {"old": PASSWORD, "new": parent.phone, "again": parent.phone})
    assert weak.status_code == 400 and "新密码不符合要求" in weak.content.decode()
    done = client.post(
        "/accounts/password/", {"old": PASSWORD, "new": "Shuang-jian-2027", "again": "Shuang-jian-2027"}
    )
    assert done.status_code == 302
    assert User.objects.get(pk=parent.pk).check_password("Shuang-jian-2027")
    assert client.get("/api/v1/accounts/me").status_code == 200
    assert other.get("/api/v1/accounts/me").status_code == 401
