"""PostgreSQL, with Django's per-request connection health check run only after the connection idled.

Django's CONN_HEALTH_CHECKS sends `SELECT 1` before the first query of every request. On the evening
peak that is one extra round trip per page and per report — as much as the page's own query
(docs/performance.md). A connection that served a request a moment ago is as healthy as the check
could tell; the ones that go stale are those that sat unused (a database restart or failover while
the worker was quiet, a firewall dropping idle connections). So the check runs when the connection
has been idle for IDLE_CHECK_SECONDS or more, and is skipped while it is busy
(docs/decisions/0015-fewer-round-trips.md). Everything else is Django's PostgreSQL backend.
"""

from __future__ import annotations

import time

from django.db.backends.postgresql import base

IDLE_CHECK_SECONDS = 5.0


class DatabaseWrapper(base.DatabaseWrapper):
    _last_request_boundary: float = 0.0

    def close_if_unusable_or_obsolete(self) -> None:
        # Django calls this at the start and the end of every request; the time since the last call
        # at a request's start is how long the connection sat idle.
        super().close_if_unusable_or_obsolete()
        now = time.monotonic()
        if (
            self.connection is not None
            and self.health_check_enabled  # type: ignore[attr-defined]  # Django sets it in connect()
            and now - self._last_request_boundary < IDLE_CHECK_SECONDS
        ):
            self.health_check_done = True
        self._last_request_boundary = now
