"""Sign-in by phone and password: Django's model backend, with the per-request user read made cheap.

Every signed-in request reads its user: `get_user` takes the row the session store read in the same
statement as the session (jianfu.accounts.middleware.sessions), or else runs one plain statement through `raw()`
(the model's converters still apply) instead of building an ORM query (docs/performance.md).
Authentication itself is Django's own.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend


class PhoneModelBackend(ModelBackend):
    def get_user(self, user_id: Any) -> Any:
        from jianfu.accounts.middleware.sessions import _NOT_LOADED, CURRENT

        # The row read together with the session, when this is the session's user (no second read).
        session = CURRENT.get()
        user: Any = session.user_for(user_id) if hasattr(session, "user_for") else _NOT_LOADED
        if user is not _NOT_LOADED:
            return user if self.user_can_authenticate(user) else None
        model = get_user_model()
        sql = f"SELECT * FROM {model._meta.db_table} WHERE {model._meta.pk.column} = %s"  # noqa: S608
        rows = list(model._default_manager.raw(sql, [model._meta.pk.to_python(user_id)]))
        if not rows:
            return None
        user = rows[0]
        return user if self.user_can_authenticate(user) else None
