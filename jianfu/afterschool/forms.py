"""Small helpers the after-school pages share (the sub-domains' views.py): a 404 page, htmx detection, a lenient int,
a lenient date and a day's label."""

from __future__ import annotations

from datetime import date
from typing import Any, overload

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


@overload
def int_or(value: Any, default: int) -> int: ...
@overload
def int_or(value: Any, default: None = None) -> int | None: ...
def int_or(value: Any, default: int | None = None) -> int | None:
    """A form or query value as an int, else `default` (missing or not a number)."""
    try:
        return int(value)
    except (TypeError, ValueError):
        return default


def parse_date(value: str | None, default: date) -> date:
    """A form or query date (YYYY-MM-DD), else `default`."""
    try:
        return date.fromisoformat(value) if value else default
    except ValueError:
        return default


def day_label(on: date) -> str:
    """11月23日 周一 (Nov 23 Mon), in the active language."""
    return f"{date_format(on, _('n月j日'))} {WEEKDAYS[on.isoweekday()]}"
