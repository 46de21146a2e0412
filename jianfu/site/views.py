from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from jianfu.site.navigation import account_for_user, dashboard_for_user


def home(request: HttpRequest) -> HttpResponse:
    """Each role's work list for today (decision 0051); anonymous visitors are sent to sign in by the
    login-required middleware (decision 0039)."""
    return render(request, "core/home.html", dashboard_for_user(request.user))


def account(request: HttpRequest) -> HttpResponse:
    """我的账号, for everyone signed in: who the account is (the phone masked), its roles, a parent's
    children, and the way to each setting — password, two-step (staff), messages, language."""
    return render(request, "core/account.html", account_for_user(request.user))
