"""SQLite, with writers taking turns on locks of their own before BEGIN IMMEDIATE.

SQLite lets one writer in at a time; a connection that finds the write lock taken waits in SQLite's
busy handler, which *sleeps* — 1, 2, 5, 10 … up to 100 ms between tries — instead of being woken
when the lock comes free. With several server threads or processes posting families' reports at
once, much of a report's time went on those sleeps: on the bench, `jianfu serve`'s 2 processes × 4
threads committed 480 reports a second with a p99 of 279 ms, one thread alone 712 with a p99 of
10 ms (docs/performance.md, docs/decisions/0020-sqlite-writers-take-turns.md).

So a write transaction first takes, in order:
- a lock shared by the threads of this process (woken the moment the previous writer finishes);
- an exclusive `flock` on a file beside the database, for the other processes (the other server
  worker, `jianfu worker`), tried every half millisecond rather than SQLite's growing sleeps;
and lets both go at COMMIT or ROLLBACK. SQLite's own lock is free by the time BEGIN IMMEDIATE runs.
Readers take neither (WAL: reads run beside the writer). Writes outside a transaction (autocommit)
still meet SQLite's busy handler, as before. Without `fcntl` (Windows) only the first lock is used.
"""

from __future__ import annotations

import os
import threading
import time
from typing import Any

from django.db.backends.sqlite3 import base
from django.db.utils import OperationalError

try:
    import fcntl
except ImportError:  # pragma: no cover (Windows)
    fcntl = None  # type: ignore[assignment]

POLL_SECONDS = 0.0005
_locks: dict[str, threading.Lock] = {}
_locks_guard = threading.Lock()


def thread_lock(name: str) -> threading.Lock:
    """This process's lock for one database file."""
    with _locks_guard:
        return _locks.setdefault(name, threading.Lock())


def _locked_out() -> OperationalError:
    return OperationalError("database is locked (another writer held it for too long)")


class DatabaseWrapper(base.DatabaseWrapper):
    _holds_writer_lock = False
    _lock_fd: int | None = None

    def _name(self) -> str:
        return str(self.settings_dict["NAME"])

    def _file_lock_fd(self) -> int | None:
        if fcntl is None or self.is_in_memory_db():
            return None
        if self._lock_fd is None:
            self._lock_fd = os.open(self._name() + "-writer.lock", os.O_RDWR | os.O_CREAT, 0o600)
        return self._lock_fd

    def _wait_seconds(self) -> float:
        """SQLite's own busy timeout (OPTIONS["timeout"], config/settings.py): a writer waits no longer
        for its turn than it would have waited for SQLite's lock."""
        return float(self.settings_dict["OPTIONS"].get("timeout", 5))

    def _take_writer_locks(self) -> None:
        wait = self._wait_seconds()
        deadline = time.monotonic() + wait
        lock = thread_lock(self._name())
        if not lock.acquire(timeout=wait):
            raise _locked_out()
        try:
            fd = self._file_lock_fd()
            while fd is not None:
                try:
                    fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                    break
                except BlockingIOError:
                    if time.monotonic() > deadline:
                        raise _locked_out() from None
                    time.sleep(POLL_SECONDS)
        except BaseException:
            lock.release()
            raise
        self._holds_writer_lock = True

    def _release_writer_locks(self) -> None:
        if not self._holds_writer_lock:
            return
        self._holds_writer_lock = False
        try:
            if self._lock_fd is not None:
                fcntl.flock(self._lock_fd, fcntl.LOCK_UN)
        finally:
            thread_lock(self._name()).release()

    def _start_transaction_under_autocommit(self) -> None:
        if not self._holds_writer_lock:
            self._take_writer_locks()
        try:
            super()._start_transaction_under_autocommit()  # type: ignore[misc]  # private in django-stubs
        except BaseException:
            self._release_writer_locks()
            raise

    def _commit(self) -> Any:
        try:
            return super()._commit()  # type: ignore[misc]  # private in django-stubs
        finally:
            self._release_writer_locks()

    def _rollback(self) -> Any:
        try:
            return super()._rollback()  # type: ignore[misc]  # private in django-stubs
        finally:
            self._release_writer_locks()

    def _close(self) -> Any:
        try:
            return super()._close()  # type: ignore[misc]  # private in django-stubs
        finally:
            self._release_writer_locks()
            if self._lock_fd is not None:
                os.close(self._lock_fd)
                self._lock_fd = None
