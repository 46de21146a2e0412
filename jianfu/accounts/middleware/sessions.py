"""Database sessions whose read also brings the signed-in user, in one plain statement.

Django's database session store, with two changes for the request path (docs/performance.md):
- the session row carries the user's id (jianfu.accounts.models.Session), so loading a session joins
  the user row in the same statement; the auth backend takes that row instead of reading it again
  (only if it is the user the session data names — Django then checks the session's password hash
  and `is_active` exactly as before);
- the statement is written out and run through `raw()` (the models' converters still apply),
  because building the ORM query cost several times more than running it.
Saving, expiry and deletion are Django's own.
"""

from __future__ import annotations

from contextvars import ContextVar
from typing import Any

from django.contrib.auth import SESSION_KEY
from django.contrib.sessions.backends.db import SessionStore as DbSessionStore
from django.utils import timezone

# The session of the request whose user is being loaded (set by AuthenticationMiddleware below).
CURRENT: ContextVar[Any] = ContextVar("jianfu_current_session", default=None)
_NOT_LOADED = object()


class _Row:
    """What DbSessionStore.load() needs from a session row."""

    def __init__(self, session_data: str) -> None:
        self.session_data = session_data


class SessionStore(DbSessionStore):
    prefetched_user: Any = _NOT_LOADED

    @classmethod
    def get_model_class(cls) -> Any:
        from jianfu.accounts.models import Session

        return Session

    def create_model_instance(self, data: dict[str, Any]) -> Any:
        obj: Any = super().create_model_instance(data)
        try:
            obj.user_id = int(data[SESSION_KEY])
        except (KeyError, TypeError, ValueError):
            obj.user_id = None
        return obj

    def _get_session_from_db(self) -> Any:
        from jianfu.accounts.models import User
        from jianfu.core.hotpath import adapt

        session_table = self.model._meta.db_table
        sql = (
            f"SELECT u.*, s.session_data AS jianfu_session_data FROM {session_table} s"  # noqa: S608
            f" LEFT JOIN {User._meta.db_table} u ON u.id = s.user_id"
            f" WHERE s.session_key = %s AND s.expire_date > %s"
        )
        rows = list(User.objects.raw(sql, [self.session_key, adapt(timezone.now())]))
        if not rows:
            self._session_key = None
            return None
        row = rows[0]
        self.prefetched_user = row if row.pk is not None else None
        return _Row(row.jianfu_session_data)  # type: ignore[attr-defined]  # the statement's extra column

    def user_for(self, user_id: Any) -> Any:
        """The user row read with the session, if it is `user_id`; else _NOT_LOADED."""
        user = self.prefetched_user
        if user is _NOT_LOADED or user is None or str(user.pk) != str(user_id):
            return _NOT_LOADED
        return user
