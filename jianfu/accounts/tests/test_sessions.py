"""The session store and the auth backend read with plain statements: they must still refuse what
Django refuses — expired sessions, signed-out sessions, deactivated users, changed passwords."""

from datetime import timedelta

import pytest
from django.contrib.sessions.models import Session
from django.utils import timezone

from conftest import PASSWORD

pytestmark = pytest.mark.django_db


def signed_in(client, phone="13900000007"):
    assert client.post("/accounts/login/", {"phone": phone, "password": PASSWORD}).status_code == 302
    assert client.get("/homework/family/").status_code == 200
    return client


def test_a_signed_in_session_is_read_back_and_an_expired_one_is_not(client, world):
    signed_in(client)
    Session.objects.update(expire_date=timezone.now() - timedelta(seconds=1))
    assert client.get("/homework/family/").status_code == 302  # to the login page


def test_signing_out_ends_the_session(client, world):
    signed_in(client)
    client.post("/accounts/logout/")
    assert client.get("/homework/family/").status_code == 302
    assert Session.objects.count() == 0


def test_a_deactivated_user_or_a_changed_password_ends_the_session(client, world):
    signed_in(client)
    parent = world.users["parent"]
    parent.is_active = False
    parent.save()
    assert client.get("/homework/family/").status_code == 302
    parent.is_active = True
    parent.save()
    signed_in(client)
    parent.set_password("another-pass-2026")
    parent.save()
    assert client.get("/homework/family/").status_code == 302


def test_the_api_answers_401_without_a_live_session(client, world):
    signed_in(client)
    assert client.get("/api/v1/accounts/me").status_code == 200
    Session.objects.all().delete()
    assert client.get("/api/v1/accounts/me").status_code == 401
