from __future__ import annotations

import time
from typing import Any, cast

import qrcode
import qrcode.image.svg
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login, logout
from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from jianfu.accounts import selectors, services
from jianfu.accounts.forms import (
    ActivationForm,
    ActivationRequestForm,
    CodeForm,
    LanguageForm,
    LoginForm,
    PasswordChangeForm,
    PasswordResetForm,
    PasswordResetRequestForm,
    TwoStepActionForm,
)
from jianfu.accounts.middleware import PASSED, SETUP_REQUIRED, TWO_STEP
from jianfu.accounts.models import User
from jianfu.accounts.rules import challenge
from jianfu.core.errors import DomainError
from jianfu.core.i18n import supported
from jianfu.core.web import client_ip


def _challenge_answered(
    request: HttpRequest, form: LoginForm | ActivationRequestForm | PasswordResetRequestForm
) -> bool:
    return challenge.passed(request.session, form.cleaned_data.get("challenge") or "")


@login_not_required
def login_view(request: HttpRequest) -> HttpResponse:
    form = LoginForm(request.POST or None, initial={"next": request.GET.get("next", "")})
    next_url = str(form["next"].value() or "")
    status = 200
    question = None
    failed = False
    if request.method == "POST" and form.is_valid():
        next_url = form.cleaned_data["next"]
        try:
            user = services.login_authenticate(
                phone=form.cleaned_data["phone"],
                password=form.cleaned_data["password"],
                ip=client_ip(request),
                request=request,
                challenge_ok=_challenge_answered(request, form),
            )
        except DomainError as exc:
            form.add_error(None, exc.message)
            status = exc.status
            if exc.code == services.AccountError.CHALLENGE_REQUIRED:
                question = challenge.question_new(request.session)
            # The same hint for every number, known or not (decision 0048): it tells nobody which
            # phones are a guardian's, and shows a family that never activated where to go.
            failed = exc.code == services.AccountError.LOGIN_FAILED
        else:
            if not url_has_allowed_host_and_scheme(next_url, allowed_hosts={request.get_host()}):
                next_url = ""
            if selectors.totp_enabled(user):
                # Password right; not signed in until the second step (login_step_view).
                request.session[PENDING] = {
                    "user": user.pk,
                    "until": time.time() + PENDING_SECONDS,
                    "next": next_url,
                }
                return redirect("accounts:login-step")
            login(request, user)
            if services.totp_required(user):
                request.session[TWO_STEP] = SETUP_REQUIRED  # every page leads to 账号安全 until set up
            return redirect(next_url or "core:home")
    return render(
        request,
        "registration/login.html",
        {"form": form, "next": next_url, "question": question, "failed": failed},
        status=status,
    )


PENDING = "jianfu_login_pending"
PENDING_SECONDS = 5 * 60


@login_not_required
def login_step_view(request: HttpRequest) -> HttpResponse:
    """The second step of a staff sign-in: the code from the authenticator app (or a recovery code)."""
    pending = request.session.get(PENDING)
    if not pending or pending.get("until", 0) < time.time():
        request.session.pop(PENDING, None)
        messages.info(request, _("请重新输入手机号和密码。"))
        return redirect("accounts:login")
    form = CodeForm(request.POST or None)
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            user = services.login_second_step(user_id=int(pending["user"]), code=form.cleaned_data["code"])
        except DomainError as exc:
            form.add_error("code" if exc.field == "code" else None, exc.message)
            status = exc.status
        else:
            request.session.pop(PENDING, None)
            login(request, user, backend=settings.AUTHENTICATION_BACKENDS[0])
            request.session[TWO_STEP] = PASSED
            return redirect(pending.get("next") or "core:home")
    return render(request, "registration/login_step.html", {"form": form}, status=status)


def _setup_context(secret: str, uri: str) -> dict[str, object]:
    image = qrcode.make(uri, image_factory=qrcode.image.svg.SvgPathImage, box_size=8)
    return {
        "setup": True,
        "secret": " ".join(secret[i : i + 4] for i in range(0, len(secret), 4)),
        "qr_svg": image.to_string(encoding="unicode"),
    }


def security_view(request: HttpRequest) -> HttpResponse:
    """账号安全: a staff member turns two-step sign-in on (scan, confirm, keep the recovery codes) or off."""
    user = cast(User, request.user)  # signed in: the middleware sends anyone else to the login page
    if not services.totp_offered(user):
        return render(request, "errors/404.html", status=404)
    context: dict[str, object] = {"enabled": selectors.totp_enabled(user), "form": CodeForm()}
    status = 200
    if request.method == "POST":
        chosen = TwoStepActionForm(request.POST)
        action = chosen.cleaned_data["action"] if chosen.is_valid() else None
        form = CodeForm(request.POST if action in ("confirm", "disable") else None)
        context["form"] = form
        try:
            if action == "start":
                context |= _setup_context(*services.totp_setup_start(actor=user))
            elif action == "confirm" and form.is_valid():
                context["codes"] = services.totp_setup_confirm(
                    actor=user, code=form.cleaned_data["code"], keep_session_key=request.session.session_key
                )
                context["enabled"] = True
                request.session[TWO_STEP] = PASSED  # this session gave the app's code
            elif action == "disable" and form.is_valid():
                services.totp_disable(actor=user, code=form.cleaned_data["code"])
                messages.success(request, _("两步验证已关闭。"))
                return redirect("accounts:security")
        except DomainError as exc:
            if not form.is_bound:  # "start" has no form to show the error on
                messages.error(request, exc.message)
                return redirect("accounts:security")
            form.add_error("code" if exc.field == "code" else None, exc.message)
            pending = selectors.totp_pending_setup(user) if action == "confirm" else None
            if pending is not None:
                context |= _setup_context(*pending)  # the same QR code again, to try the next code
            status = exc.status
    return render(request, "registration/security.html", context, status=status)


@require_POST
def logout_view(request: HttpRequest) -> HttpResponse:
    logout(request)
    return redirect("accounts:login")


def _code_request(
    request: HttpRequest, form: Any, send: Any, sent: str, then: str, template: str
) -> HttpResponse:
    """The page that asks for an SMS code (activation, 忘记密码): one answer whatever the number, the
    human check once the address asked too often (security.md M3)."""
    question = None
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            send(
                phone=form.cleaned_data["phone"],
                ip=client_ip(request),
                challenge_ok=_challenge_answered(request, form),
            )
        except DomainError as exc:
            form.add_error("phone" if exc.field == "phone" else None, exc.message)
            status = exc.status
            if exc.code == services.AccountError.CHALLENGE_REQUIRED:
                question = challenge.question_new(request.session)
        else:
            messages.info(request, sent)
            return redirect(then)
    return render(request, template, {"form": form, "question": question}, status=status)


@login_not_required
def activate_request_view(request: HttpRequest) -> HttpResponse:
    # Same answer whether the phone is in a roster or not.
    return _code_request(
        request,
        ActivationRequestForm(request.POST or None),
        services.activation_code_send,
        _("如果该号码是学校登记的家长手机号，验证码已发送。"),
        "accounts:activate-confirm",
        "registration/activate_request.html",
    )


@login_not_required
def activate_confirm_view(request: HttpRequest) -> HttpResponse:
    form = ActivationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            user = services.parent_activate(
                phone=form.cleaned_data["phone"],
                code=form.cleaned_data["code"],
                password=form.cleaned_data["password"],
            )
        except DomainError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, exc.message)
        else:
            if not services.activation_signs_in(user):
                messages.success(
                    request,
                    _("已关联孩子。该手机号已有教职工账号，密码未改变，请用原密码登录。"),
                )
                return redirect(settings.LOGIN_URL)
            login(request, user, backend=settings.AUTHENTICATION_BACKENDS[0])
            messages.success(request, _("账号已激活。"))
            return redirect("core:home")
    return render(request, "registration/activate_confirm.html", {"form": form})


@login_not_required
def password_reset_request_view(request: HttpRequest) -> HttpResponse:
    """忘记密码 (parents): a code by SMS, with activation's answers and limits for every number."""
    # Same answer for a parent's account, a staff account's and an unknown number.
    return _code_request(
        request,
        PasswordResetRequestForm(request.POST or None),
        services.password_reset_code_send,
        _("如果该号码是已激活的家长账号，验证码已发送。"),
        "accounts:password-reset-confirm",
        "registration/password_reset_request.html",
    )


@login_not_required
def password_reset_confirm_view(request: HttpRequest) -> HttpResponse:
    form = PasswordResetForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                services.password_reset(
                    phone=form.cleaned_data["phone"],
                    code=form.cleaned_data["code"],
                    password=form.cleaned_data["password"],
                )
            except DomainError as exc:
                form.add_error(exc.field if exc.field in form.fields else None, exc.message)
                status = exc.status
            else:
                messages.success(request, _("密码已重设，请用新密码登录。"))
                return redirect(settings.LOGIN_URL)
        else:
            status = 400
    return render(request, "registration/password_reset_confirm.html", {"form": form}, status=status)


def password_view(request: HttpRequest) -> HttpResponse:
    """修改密码, for everyone signed in: the current password, the new one twice."""
    form = PasswordChangeForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                services.password_change(
                    actor=cast(User, request.user),
                    old=form.cleaned_data["old"],
                    new=form.cleaned_data["new"],
                    keep_session_key=request.session.session_key,
                )
            except DomainError as exc:
                form.add_error(exc.field if exc.field in form.fields else None, exc.message)
                status = exc.status
            else:
                from django.contrib.auth import update_session_auth_hash

                update_session_auth_hash(request, cast(User, request.user))  # this session stays signed in
                messages.success(request, _("密码已修改，其他设备上的登录已退出。"))
                return redirect("core:home")
        else:
            status = 400
    return render(request, "registration/password_change.html", {"form": form}, status=status)


@login_not_required
@require_POST
def language_view(request: HttpRequest) -> HttpResponse:
    """The language switch in every page's header: remembered on the account (and in a cookie for
    the sign-in pages before one signs in). Unknown codes fall back to Chinese."""
    form = LanguageForm(request.POST)
    form.is_valid()  # an unknown language falls back to Chinese; the way back is kept either way
    language = supported(form.cleaned_data.get("language")) or settings.LANGUAGE_CODE
    if request.user.is_authenticated:
        services.language_set(request.user, language)
    target = form.cleaned_data.get("next") or "/"
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        target = "/"
    response = redirect(target)
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        language,
        max_age=365 * 24 * 3600,
        samesite="Lax",
        secure=settings.SESSION_COOKIE_SECURE,
        httponly=True,
    )
    return response
