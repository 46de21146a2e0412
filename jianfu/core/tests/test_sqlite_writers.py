"""SQLite writers take turns on a process lock and a file lock before BEGIN IMMEDIATE
(jianfu/core/sqlite/base.py): held for exactly the transaction, released on every way out of it,
exclusive across processes, and a writer kept waiting too long gets "database is locked"."""

import fcntl
import os

import pytest
from django.db import connection, transaction
from django.db.utils import OperationalError

from conftest import run_at_once
from jianfu.core.models import AuditEvent
from jianfu.core.sqlite import base

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "sqlite", reason="the SQLite backend's own locks"),
]


def other_process_could_write() -> bool:
    """What another process sees: can it take the file lock right now?"""
    fd = os.open(connection.settings_dict["NAME"] + "-writer.lock", os.O_RDWR | os.O_CREAT, 0o600)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return False
    else:
        fcntl.flock(fd, fcntl.LOCK_UN)
        return True
    finally:
        os.close(fd)


def threads_wait() -> bool:
    return base.thread_lock(connection.settings_dict["NAME"]).locked()


def test_held_for_the_transaction_and_released_at_commit_and_rollback():
    assert other_process_could_write() and not threads_wait()
    with transaction.atomic():
        AuditEvent.objects.create(action="one")
        with transaction.atomic():  # a savepoint: no second turn to take
            AuditEvent.objects.create(action="two")
        assert not other_process_could_write() and threads_wait()
    assert other_process_could_write() and not threads_wait()
    with pytest.raises(ZeroDivisionError), transaction.atomic():
        AuditEvent.objects.create(action="rolled back")
        1 / 0  # noqa: B018
    assert other_process_could_write() and not threads_wait()
    assert sorted(AuditEvent.objects.values_list("action", flat=True)) == ["one", "two"]


def test_released_when_the_connection_closes_mid_transaction():
    connection.set_autocommit(False, force_begin_transaction_with_broken_autocommit=True)
    assert not other_process_could_write()
    connection.close()
    assert other_process_could_write() and not threads_wait()


def test_a_writer_kept_waiting_too_long_is_told_the_database_is_locked(monkeypatch):
    monkeypatch.setitem(connection.settings_dict["OPTIONS"], "timeout", 0.05)
    fd = os.open(connection.settings_dict["NAME"] + "-writer.lock", os.O_RDWR | os.O_CREAT, 0o600)
    fcntl.flock(fd, fcntl.LOCK_EX)  # another process is writing and does not finish
    try:
        with pytest.raises(OperationalError, match="locked"), transaction.atomic():
            AuditEvent.objects.create(action="never")
        assert not threads_wait()  # its turn in this process was given back
    finally:
        fcntl.flock(fd, fcntl.LOCK_UN)
        os.close(fd)
    with transaction.atomic():
        AuditEvent.objects.create(action="later")
    assert list(AuditEvent.objects.values_list("action", flat=True)) == ["later"]


def test_sixteen_writers_at_once_all_commit():
    def write(i):
        with transaction.atomic():
            AuditEvent.objects.create(action=f"w{i}")
            AuditEvent.objects.filter(action=f"w{i}").update(object_id=str(i))

    assert run_at_once(*[lambda i=i: write(i) for i in range(16)]) == []
    assert sorted(AuditEvent.objects.values_list("object_id", flat=True)) == sorted(str(i) for i in range(16))
    assert other_process_could_write() and not threads_wait()
