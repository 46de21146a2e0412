"""Who may use the notification pages: every signed-in person, on their own messages only (the
selectors and services start from the signed-in account; another's message is 404)."""

from __future__ import annotations

from typing import Any


def can_use_inbox(user: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False))
