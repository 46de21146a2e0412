"""Data and signed-in sessions for the API fuzzing (fuzz_api.py; decision 0034)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import pytest
from django.test import Client, override_settings

FAST_HASHER = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup: Any, django_db_blocker: Any) -> None:
    """The persona cast of the root conftest plus a term around today, committed once per worker:
    every operation × role then runs in its own transaction on top and is rolled back."""
    with django_db_blocker.unblock(), override_settings(PASSWORD_HASHERS=FAST_HASHER):
        from django.utils import timezone

        from conftest import build_world, make_custodian
        from jianfu.schools.services.calendar import term_create

        world = build_world()
        today = timezone.localdate()
        term_create(
            actor=None,
            school=world.school,
            school_year="fuzz",
            kind="autumn",
            start_date=today - timedelta(days=60),
            end_date=today + timedelta(days=90),
        )
        from jianfu.accounts import totp
        from jianfu.accounts.models import TotpDevice

        TotpDevice.objects.create(
            user=world.users["bureau"], secret=totp.secret_new(), confirmed_at=timezone.now()
        )



def in_test_transaction(handler: Any) -> Any:
    """The WSGI app as the fuzzer calls it: Django's handler closes the database connection at the
    start and end of every request (and with it the test's transaction). Django's own test client
    holds those signals off around each request in the same way (django.test.client.ClientHandler)."""
    from django.core.signals import request_finished, request_started
    from django.db import close_old_connections

    def app(environ: Any, start_response: Any) -> Any:
        request_started.disconnect(close_old_connections)
        try:
            response = handler(environ, start_response)
        finally:
            request_started.connect(close_old_connections)
        close = response.close

        def close_keeping_the_connection() -> None:
            request_finished.disconnect(close_old_connections)
            try:
                close()
            finally:
                request_finished.connect(close_old_connections)

        response.close = close_keeping_the_connection
        return response

    return app
