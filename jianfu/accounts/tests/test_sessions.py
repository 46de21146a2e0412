"""The session store and the auth backend read with plain statements: they must still refuse what
Django refuses — expired sessions, signed-out sessions, deactivated users, changed passwords."""

from datetime import timedelta

import pytest
from django.utils import timezone

from conftest import PASSWORD
from jianfu.accounts.models import Session

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


def test_the_session_and_its_user_are_read_in_one_statement(client, world):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    signed_in(client)
    assert Session.objects.get().user_id == world.users["parent"].pk
    with CaptureQueriesContext(connection) as queries:
        assert client.get("/api/v1/accounts/me").status_code == 200
    reads = [q["sql"] for q in queries.captured_queries if "accounts_user" in q["sql"]]
    assert len(reads) == 1 and "accounts_session" in reads[0]


def test_every_session_of_an_account_can_be_ended_at_once(client, world):
    from django.test import Client

    signed_in(client)
    other = signed_in(Client())
    Session.objects.filter(user=world.users["parent"]).delete()
    assert client.get("/homework/family/").status_code == 302
    assert other.get("/homework/family/").status_code == 302


def test_the_upgrade_carries_live_sessions_over(client, world):
    """Sessions written by Django's own store before this table existed still sign in afterwards."""
    import importlib

    from django.apps import apps
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore as DjangoStore

    parent = world.users["parent"]
    old = DjangoStore()
    old[SESSION_KEY] = str(parent.pk)
    old[BACKEND_SESSION_KEY] = "jianfu.accounts.middleware.backends.PhoneModelBackend"
    old[HASH_SESSION_KEY] = parent.get_session_auth_hash()
    old.create()
    stale = DjangoStore()
    stale["x"] = 1
    stale.create()
    DjangoStore.get_model_class().objects.filter(session_key=stale.session_key).update(
        expire_date=timezone.now() - timedelta(days=1)
    )
    migration = importlib.import_module("jianfu.accounts.migrations.0004_session_with_user")
    migration.carry_over_sessions(apps, None)
    assert list(Session.objects.values_list("session_key", "user_id")) == [(old.session_key, parent.pk)]
    client.cookies["sessionid"] = old.session_key
    assert client.get("/homework/family/").status_code == 200
