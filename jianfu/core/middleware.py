from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse


class LoginRequiredByDefaultMiddleware:
    """Every URL requires login unless it is deliberately public.

    Public means: under one of settings.PUBLIC_URL_PREFIXES (the JSON API answers 401 itself), or a
    view marked with django.contrib.auth.decorators.login_not_required. tests/test_invariants.py walks
    every URL pattern to keep it so.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(
        self, request: HttpRequest, view_func: Any, view_args: Any, view_kwargs: Any
    ) -> HttpResponse | None:
        if request.user.is_authenticated:
            return None
        if request.path.startswith(settings.PUBLIC_URL_PREFIXES):
            return None
        if getattr(view_func, "login_required", True) is False:
            return None
        return redirect_to_login(request.get_full_path(), settings.LOGIN_URL)
