"""Two-step sign-in where the deployment requires it for a role (settings.JIANFU_TWO_STEP_REQUIRED_ROLES).

At sign-in the view notes in the session whether this account still has to set it up; while it has,
every page leads to 账号安全 and the API answers 403 `two_step_sign_in_required`. Reading one session
key costs nothing more per request (the session is loaded for the user anyway).
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.deprecation import MiddlewareMixin

TWO_STEP = "jianfu_two_step"
SETUP_REQUIRED = "setup_required"
ALLOWED_PREFIXES = ("/accounts/security/", "/accounts/logout/", "/static/", "/i18n/", "/healthz")


class TwoStepRequiredMiddleware(MiddlewareMixin):
    def process_view(
        self, request: HttpRequest, view_func: Any, view_args: Any, view_kwargs: Any
    ) -> HttpResponse | None:
        if not request.user.is_authenticated or request.session.get(TWO_STEP) != SETUP_REQUIRED:
            return None
        if request.path.startswith(ALLOWED_PREFIXES):
            return None
        if request.path.startswith("/api/"):
            from jianfu.accounts.services import AccountError

            exc = AccountError(
                AccountError.TWO_STEP_REQUIRED,
                "您的岗位要求使用两步验证：请先在“账号安全”中开启",
                "Your role requires two-step sign-in: turn it on first (账号安全)",
                status=403,
            )
            return JsonResponse(exc.as_dict(), status=exc.status)
        messages.info(request, "您的岗位要求使用两步验证：请先完成设置，再继续使用。")
        return redirect(reverse("accounts:security"))
