from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from jianfu.site.navigation import dashboard_for_user


def home(request: HttpRequest) -> HttpResponse:
    return render(request, "core/home.html", dashboard_for_user(request.user))
