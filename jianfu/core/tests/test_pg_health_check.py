"""The PostgreSQL backend checks a persistent connection's health only after it sat idle
(jianfu/core/pg/base.py, docs/decisions/0015-fewer-round-trips.md)."""

import pytest
from django.db import connection, connections

from jianfu.core.pg import base as pg

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="the PostgreSQL backend"),
]


def request_boundary(monkeypatch, at: float) -> None:
    """What Django does at a request's start and end, at monotonic time `at`."""
    monkeypatch.setattr(pg.time, "monotonic", lambda: at)
    connection.close_if_unusable_or_obsolete()


def test_a_busy_connection_is_not_checked_but_an_idle_one_is(monkeypatch):
    assert connection.health_check_enabled
    connection.ensure_connection()
    request_boundary(monkeypatch, 1000.0)  # a request ends
    request_boundary(monkeypatch, 1000.0 + pg.IDLE_CHECK_SECONDS - 0.1)  # the next starts at once
    assert connection.health_check_done  # no SELECT 1 before this request's first query
    request_boundary(monkeypatch, 1010.0)  # it ends
    request_boundary(monkeypatch, 1010.0 + pg.IDLE_CHECK_SECONDS)  # the next comes after a pause
    assert not connection.health_check_done  # checked before its first query


def test_a_connection_that_died_while_idle_is_replaced_before_the_request_uses_it(monkeypatch):
    connection.ensure_connection()
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        (pid,) = cursor.fetchone()
    request_boundary(monkeypatch, 2000.0)
    # The server ends the connection while the worker is quiet (a restart, an idle timeout).
    other = connections.create_connection("default")
    try:
        with other.cursor() as cursor:
            cursor.execute("SELECT pg_terminate_backend(%s)", [pid])
    finally:
        other.close()
    request_boundary(monkeypatch, 2000.0 + 60)
    with connection.cursor() as cursor:  # the health check finds it dead and reconnects
        cursor.execute("SELECT pg_backend_pid()")
        (new_pid,) = cursor.fetchone()
    assert new_pid != pid
