"""Two-step sign-in where the deployment requires it for a role (settings.JIANFU_TWO_STEP_REQUIRED_ROLES).

The session records what it passed: PASSED once this session gave a code from the authenticator app
(the second step of sign-in, or confirming the setup), SETUP_REQUIRED while an account that must use
two-step has not set it up (every page leads to 账号安全, the API answers 403
`two_step_sign_in_required`). Sessions that did not pass are checked on every request, not only at
sign-in, so a role granted later, or a requirement switched on later, holds at once; the answer is
cached for a minute per account (one small query a minute, not one per request). A session that did
not pass although the account now has a confirmed app (opened before the app was turned on) is
signed out: its password alone is not enough any more (security.md H1).
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
PASSED = "passed"
REQUIRED_CACHE_SECONDS = 60
ALLOWED_PREFIXES = ("/accounts/security/", "/accounts/logout/", "/static/", "/i18n/", "/healthz")


class TwoStepRequiredMiddleware(MiddlewareMixin):
    def process_view(
        self, request: HttpRequest, view_func: Any, view_args: Any, view_kwargs: Any
    ) -> HttpResponse | None:
        if not request.user.is_authenticated:
            return None
        state = request.session.get(TWO_STEP)
        if state == PASSED:
            return None
        if state != SETUP_REQUIRED:
            if not _required(request.user):
                return None
            from jianfu.accounts.selectors import totp_enabled

            if totp_enabled(request.user):
                return _signed_out(request)
            request.session[TWO_STEP] = state = SETUP_REQUIRED
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


def _required(user: Any) -> bool:
    from django.conf import settings

    if not settings.JIANFU_TWO_STEP_REQUIRED_ROLES:
        return False
    from django.core.cache import cache

    from jianfu.accounts.services import totp_required

    key = f"jianfu:2s-required:{user.pk}"
    required = cache.get(key)
    if required is None:
        required = totp_required(user)
        cache.set(key, required, REQUIRED_CACHE_SECONDS)
    return bool(required)


def _signed_out(request: HttpRequest) -> HttpResponse:
    from django.contrib.auth import logout

    logout(request)
    if request.path.startswith("/api/"):
        from jianfu.accounts.services import AccountError

        exc = AccountError(
            AccountError.TWO_STEP_REQUIRED,
            "请重新登录：本账号已开启两步验证",
            "Sign in again: this account now uses two-step sign-in",
            status=401,
        )
        return JsonResponse(exc.as_dict(), status=exc.status)
    messages.info(request, "本账号已开启两步验证，请重新登录。")
    return redirect(reverse("accounts:login"))
