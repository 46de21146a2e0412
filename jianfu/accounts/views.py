from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import login, logout
from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from jianfu.accounts import services
from jianfu.accounts.forms import ActivationForm, ActivationRequestForm, LoginForm
from jianfu.core.errors import DomainError


def client_ip(request: HttpRequest) -> str:
    return str(request.META.get("REMOTE_ADDR", ""))


@login_not_required
def login_view(request: HttpRequest) -> HttpResponse:
    form = LoginForm(request.POST or None)
    next_url = request.POST.get("next") or request.GET.get("next") or ""
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            user = services.login_authenticate(
                phone=form.cleaned_data["phone"],
                password=form.cleaned_data["password"],
                ip=client_ip(request),
                request=request,
            )
        except DomainError as exc:
            form.add_error(None, exc.message)
            status = exc.status
        else:
            login(request, user)
            if not url_has_allowed_host_and_scheme(next_url, allowed_hosts={request.get_host()}):
                next_url = ""
            return redirect(next_url or "core:home")
    return render(request, "registration/login.html", {"form": form, "next": next_url}, status=status)


@require_POST
def logout_view(request: HttpRequest) -> HttpResponse:
    logout(request)
    return redirect("accounts:login")


@login_not_required
def activate_request_view(request: HttpRequest) -> HttpResponse:
    form = ActivationRequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.activation_code_send(phone=form.cleaned_data["phone"])
        except DomainError as exc:
            form.add_error("phone" if exc.field == "phone" else None, exc.message)
        else:
            # Same answer whether the phone is in a roster or not.
            messages.info(request, "如果该号码是学校登记的家长手机号，验证码已发送。")
            return redirect("accounts:activate-confirm")
    return render(request, "registration/activate_request.html", {"form": form})


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
            login(request, user, backend="django.contrib.auth.backends.ModelBackend")
            messages.success(request, "账号已激活。")
            return redirect("core:home")
    return render(request, "registration/activate_confirm.html", {"form": form})
