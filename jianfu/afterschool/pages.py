"""Small helpers the after-school pages share (views*.py): a 404 page, htmx detection, a lenient int."""

from __future__ import annotations

from typing import Any, overload

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


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
