"""Django's AuthenticationMiddleware, with the user taken from the session's own read
(jianfu.accounts.middleware.sessions) while Django's get_user() runs — its checks unchanged."""

from __future__ import annotations

from typing import Any

from django.contrib import auth
from django.contrib.auth.middleware import AuthenticationMiddleware as DjangoAuthenticationMiddleware
from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from jianfu.accounts.middleware.sessions import CURRENT


def _get_user(request: HttpRequest) -> Any:
    if not hasattr(request, "_cached_user"):
        token = CURRENT.set(request.session)
        try:
            request._cached_user = auth.get_user(request)  # type: ignore[attr-defined]
        finally:
            CURRENT.reset(token)
    return request._cached_user  # type: ignore[attr-defined]


class AuthenticationMiddleware(DjangoAuthenticationMiddleware):
    def process_request(self, request: HttpRequest) -> None:
        super().process_request(request)
        request.user = SimpleLazyObject(lambda: _get_user(request))  # type: ignore[assignment]
