"""Small helpers the after-school pages share (the sub-domains' views.py): a 404 page, htmx detection and a day's
label. What the pages read from a post or a query is read by Django forms (each sub-domain's forms.py)."""

from __future__ import annotations

from datetime import date

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from jianfu.afterschool.rules import WEEKDAYS


def not_found(request: HttpRequest, status: int = 404) -> HttpResponse:
    return render(request, "errors/404.html", status=status)


def is_htmx(request: HttpRequest) -> bool:
    """django-htmx's middleware sets request.htmx (truthy for requests made by htmx)."""
    return bool(getattr(request, "htmx", False))


def day_label(on: date) -> str:
    """11月23日 周一 (Nov 23 Mon), in the active language."""
    return f"{date_format(on, _('n月j日'))} {WEEKDAYS[on.isoweekday()]}"
