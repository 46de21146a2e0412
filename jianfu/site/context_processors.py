from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject


def navigation(request: HttpRequest) -> dict[str, Any]:
    """The menu entries the signed-in user's roles give access to."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_items": []}
    from jianfu.site import navigation as site_navigation

    # Context processors run for every template rendered with the request, htmx fragments included
    # (an attendance tap, a table row): build the menu only when a template shows it, once per render.
    return {"nav_items": SimpleLazyObject(lambda: site_navigation.navigation_for_user(user))}
