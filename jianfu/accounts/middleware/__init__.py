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
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

TWO_STEP = "jianfu_two_step"
SETUP_REQUIRED = "setup_required"
PASSED = "passed"
REQUIRED_CACHE_SECONDS = 60
ALLOWED_PREFIXES = (
    "/accounts/security/",
    "/accounts/logout/",
    "/accounts/language/",
    "/static/",
    "/healthz",
)


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
                _("您的岗位要求使用两步验证：请先在“账号安全”中开启"),
                status=403,
            )
            return JsonResponse(exc.as_dict(), status=exc.status)
        messages.info(request, _("您的岗位要求使用两步验证：请先完成设置，再继续使用。"))
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
    from jianfu.accounts.services import AccountError

    return _sign_out(
        request,
        AccountError.TWO_STEP_REQUIRED,
        _("本账号已开启两步验证，请重新登录"),
        come_back=False,
    )


def _sign_out(request: HttpRequest, code: str, message: Promise, *, come_back: bool) -> HttpResponse:
    """End the session and say why: 401 with the error body for the API, the sign-in page with a
    message for a page (back to this page afterwards if `come_back`)."""
    from django.contrib.auth import logout

    from jianfu.accounts.services import AccountError

    logout(request)
    if request.path.startswith("/api/"):
        exc = AccountError(code, message, status=401)
        return JsonResponse(exc.as_dict(), status=exc.status)
    messages.info(request, str(message))
    login_url = reverse("accounts:login")
    return redirect(f"{login_url}?next={request.path}" if come_back else login_url)


KIND = "jianfu_kind"  # "staff" or "family", decided once per session
SINCE = "jianfu_since"  # when this session first passed here (about when it signed in)
SEEN = "jianfu_seen"  # the last request, kept to the minute (one session write a minute at most)


def session_started(session: Any) -> None:
    """Stamp a session as signed in now (called at every sign-in, see AccountsConfig.ready)."""
    import time

    session[SINCE] = session[SEEN] = time.time()


class SessionTimeoutMiddleware(MiddlewareMixin):
    """Idle and absolute limits on a signed-in session (security.md L6; ASVS 3.3.2): staff, who reach
    minors' records, are signed out after 30 minutes idle and 12 hours in all; families after 7 days
    idle (within the cookie's 14 days), since a parent on a family phone inside WeChat signs in rarely.

    No query and no write on an ordinary request: the stamps are set at sign-in, the last request is
    rewritten at most once a minute, and whether the account is staff is asked only when a session
    has been idle longer than the staff limit or open longer than the staff lifetime."""

    def process_request(self, request: HttpRequest) -> HttpResponse | None:
        import time

        from django.conf import settings

        if not request.user.is_authenticated:
            return None
        session, now = request.session, time.time()
        seen, since = session.get(SEEN), session.get(SINCE)
        if seen is None or since is None:  # a session from before these stamps existed
            session_started(session)
            return None
        staff_idle = now - seen > settings.SESSION_IDLE_SECONDS_STAFF
        staff_old = now - since > settings.SESSION_MAX_AGE_STAFF
        if staff_idle or staff_old:
            kind = session.get(KIND)
            if kind is None:
                from jianfu.accounts.services import holds_staff_role

                kind = session[KIND] = "staff" if holds_staff_role(request.user) else "family"
            if kind == "staff" or now - seen > settings.SESSION_IDLE_SECONDS_FAMILY:
                return _timed_out(request)
        if now - seen > 60:
            session[SEEN] = now
        return None


def _timed_out(request: HttpRequest) -> HttpResponse:
    from jianfu.accounts.services import AccountError

    return _sign_out(
        request,
        AccountError.SESSION_EXPIRED,
        _("长时间未操作，已自动退出，请重新登录"),
        come_back=True,
    )
