"""Database sessions, read with one plain statement.

Django's database session store, except that loading a session skips the ORM's query construction:
every signed-in request loads its session, and building that one-row query cost several times more
than running it (docs/performance.md). Saving, expiry and deletion are Django's own.
"""

from __future__ import annotations

from typing import Any

from django.contrib.sessions.backends.db import SessionStore as DbSessionStore
from django.utils import timezone

_SQL = (
    "SELECT session_key, session_data, expire_date FROM {table} WHERE session_key = %s AND expire_date > %s"
)


class SessionStore(DbSessionStore):
    def _get_session_from_db(self) -> Any:
        from jianfu.core.hotpath import adapt

        model = self.model
        rows = list(
            model.objects.raw(
                _SQL.format(table=model._meta.db_table), [self.session_key, adapt(timezone.now())]
            )
        )
        if not rows:
            self._session_key = None
            return None
        return rows[0]
