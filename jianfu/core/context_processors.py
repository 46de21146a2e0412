from __future__ import annotations

from typing import Any

from django.http import HttpRequest


def navigation(request: HttpRequest) -> dict[str, Any]:
    """The menu entries the signed-in user's roles give access to."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_items": []}
    from jianfu.accounts.selectors import navigation_for_user

    return {"nav_items": navigation_for_user(user)}
