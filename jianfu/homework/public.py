"""The class's public homework page (公示): no login, no student data, cacheable.

Reached by an unguessable, revocable token. Each (class, day) page is rendered once and kept in the
app cache under a key that includes the class-day version, so any change to the homework makes a
new key; responses carry an ETag and Cache-Control so a proxy or CDN can absorb the evening peak.
"""

from __future__ import annotations

import hashlib
from datetime import date, timedelta

import qrcode
import qrcode.image.svg
from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse, HttpResponseNotModified
from django.shortcuts import render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET

from jianfu.homework.models import ClassDayLoad
from jianfu.homework.selectors import public_class_by_token, public_class_id, published_days, week_days
from jianfu.homework.services import week_start
from jianfu.policies.selectors import homework_cap_minutes

CACHE_SECONDS = 60
# How long a worker trusts its cached (token → class, day versions) before asking the database again.
# Bounds how stale the page can be after a change or a revocation when the cache is per process
# (the embedded profile); with Redis the cache is shared. See docs/decisions/0008-homework-load.md.
META_SECONDS = 5


def _versions(class_id: int, days: list[date]) -> str:
    rows = ClassDayLoad.objects.filter(school_class_id=class_id, date__in=days).values_list("date", "version")
    return ",".join(f"{d:%m%d}:{v}" for d, v in sorted(rows))


def _respond(request: HttpRequest, body: str, etag: str) -> HttpResponse:
    quoted = f'"{etag}"'
    if request.headers.get("If-None-Match") == quoted:
        response: HttpResponse = HttpResponseNotModified()
    else:
        response = HttpResponse(body)
    response["ETag"] = quoted
    response["Cache-Control"] = f"public, max-age={CACHE_SECONDS}"
    response["X-Robots-Tag"] = "noindex"
    return response


@login_not_required
@require_GET
def public_page(request: HttpRequest, token: str) -> HttpResponse:
    # Hot path: one cache read of (etag, body) kept for META_SECONDS. Behind it, the page rendered
    # once per (class, day, versions) and kept for a day; the database is asked only for the token's
    # class and the days' versions, at most once per META_SECONDS per worker.
    today = timezone.localdate()
    use_cache = settings.JIANFU_PUBLIC_PAGE_CACHE
    hot_key = f"pubmeta:{token}:{today.isoformat()}"
    hot = cache.get(hot_key) if use_cache else None
    if hot is None:
        hot = _page(token, today, use_cache)
        if use_cache:
            cache.set(hot_key, hot, META_SECONDS)
    if hot[0] is None:
        return render(request, "errors/404.html", status=404)
    return _respond(request, hot[1], hot[0])


def _page(token: str, today: date, use_cache: bool) -> tuple[str | None, str]:
    """(etag, body) for the class's page today, or (None, "") for an unknown or revoked token."""
    class_id = public_class_id(token)
    if class_id is None:
        return None, ""
    # The last seven days through today: after midnight families still need last evening's list.
    days = [today - timedelta(days=i) for i in range(6, -1, -1)]
    key = f"pub:{token}:{today.isoformat()}:{_versions(class_id, days)}"
    etag = hashlib.sha256(key.encode()).hexdigest()[:32]
    body = cache.get(key) if use_cache else None
    if body is None:
        school_class = public_class_by_token(token)
        assert school_class is not None
        week = published_days(school_class, days)
        body = render_to_string(
            "homework/public_page.html",
            {
                "school_class": school_class,
                "today": today,
                "today_entry": week.get(today),
                "week": [(d, week.get(d)) for d in reversed(days)],
                "cap": homework_cap_minutes(school_class, today),
                "token": token,
            },
        )
        if use_cache:
            cache.set(key, body, 24 * 3600)
    return etag, body


@login_not_required
@require_GET
def public_print(request: HttpRequest, token: str) -> HttpResponse:
    """A printable A4 weekly sheet for families without internet."""
    school_class = public_class_by_token(token)
    if school_class is None:
        return render(request, "errors/404.html", status=404)
    monday = week_start(timezone.localdate())
    days = week_days(monday)
    week = published_days(school_class, days)
    return render(
        request,
        "homework/public_print.html",
        {
            "school_class": school_class,
            "week": [(d, week.get(d)) for d in days[:5] + [d for d in days[5:] if d in week]],
            "monday": monday,
            "sunday": monday + timedelta(days=6),
            "cap": homework_cap_minutes(school_class, monday),
        },
    )


@login_not_required
@require_GET
def public_qr(request: HttpRequest, token: str) -> HttpResponse:
    if public_class_by_token(token) is None:
        return render(request, "errors/404.html", status=404)
    url = request.build_absolute_uri(reverse("homework:public", args=[token]))
    image = qrcode.make(url, image_factory=qrcode.image.svg.SvgPathImage, box_size=10)
    response = HttpResponse(image.to_string(), content_type="image/svg+xml")
    response["Cache-Control"] = "public, max-age=86400"
    return response
