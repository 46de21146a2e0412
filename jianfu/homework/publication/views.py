"""The class's public homework page (公示): no login, no student data, cacheable.

Reached by an unguessable, revocable token. Each (class, day) page is rendered once and kept in the
app cache under a key that includes the class-day version, so any change to the homework makes a
new key; responses carry an ETag and Cache-Control so a proxy or CDN can absorb the evening peak.
"""

from __future__ import annotations

import hashlib
from datetime import date, datetime, timedelta
from html import escape
from typing import Any
from zoneinfo import ZoneInfo

import qrcode
import qrcode.image.svg
from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse, HttpResponseNotModified
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET

from jianfu.homework.days.selectors import week_start
from jianfu.homework.publication.selectors import (
    PublicDay,
    PublicWeek,
    public_class_by_token,
    public_week,
    published_days,
)
from jianfu.homework.selectors import week_days
from jianfu.policies.selectors import homework_cap_minutes

CACHE_SECONDS = 60
# How long a worker trusts its cached (token → class, day versions) before asking the database again.
# Bounds how stale the page can be after a change or a revocation when the cache is per process
# (the embedded profile); with Redis the cache is shared. See docs/decisions/0008-homework-load.md.
META_SECONDS = 5
_ZONE = ZoneInfo(settings.TIME_ZONE)
WEEKDAYS = ["周一", "周二", "周三", "周四", "周五", "周六", "周日"]


def _respond(request: HttpRequest, body: str, etag: str) -> HttpResponse:
    quoted = f'"{etag}"'
    # META rather than request.headers: building the headers mapping cost more than the cached page.
    if request.META.get("HTTP_IF_NONE_MATCH") == quoted:
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
    # Hot path: one cache read of (etag, body) kept for META_SECONDS. Behind it, one statement for the
    # week's rows (selectors.public_week) at most once per META_SECONDS per worker, and the page
    # rendered once per (class, day, versions) and kept for a day.
    today = timezone.now().astimezone(_ZONE).date()  # the school's day (Beijing time), cheaply
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
    # The last seven days through today: after midnight families still need last evening's list.
    days = [today - timedelta(days=i) for i in range(6, -1, -1)]
    week = public_week(token, days, today)
    if week is None:
        return None, ""
    key = f"pub:{token}:{today.isoformat()}:{week.versions}"
    etag = hashlib.sha256(key.encode()).hexdigest()[:32]
    body = cache.get(key) if use_cache else None
    if body is None:
        body = render_public_page(week, today, days)
        if use_cache:
            cache.set(key, body, 24 * 3600)
    return etag, body


# The page is built in Python rather than with the template engine: it is the evening peak's one
# hot page, and the engine's per-node cost was a third of the uncached request (docs/performance.md,
# docs/decisions/0012-hot-paths.md). Every value from the database goes through
# escape(); the markup is static.
_HEAD = (
    '<!doctype html>\n<html lang="zh-CN"><head><meta charset="utf-8">'
    '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
    '<meta name="robots" content="noindex"><title>{title} 作业公示</title>\n<style>\n'
    'body{{margin:0;font:16px/1.6 -apple-system,"PingFang SC","Noto Sans CJK SC","Microsoft YaHei",sans-serif;'
    "color:#1f2328}}\nheader{{background:#0b6e4f;color:#fff;padding:.7rem 1rem}}header h1{{font-size:1.15rem;"
    "margin:0}}header p{{margin:.1rem 0 0;opacity:.85;font-size:.85rem}}\nmain{{max-width:720px;margin:0 auto;"
    "padding:.8rem 1rem}}.card{{border:1px solid #d1d9e0;border-radius:8px;padding:.8rem;margin:0 0 .8rem}}\n"
    "h2{{font-size:1.05rem;margin:.2rem 0 .5rem}}h3{{font-size:1rem;margin:.6rem 0 .2rem}}ul{{padding-left:1.1rem;"
    "margin:.3rem 0}}li{{margin:.35rem 0}}.muted{{color:#59636e}}.small{{font-size:.85rem}}\n"
    ".tot{{font-weight:700}}a{{color:#0b6e4f}}.upd{{background:#fff8c5;border-radius:6px;padding:.3rem .5rem}}\n"
    "</style></head>\n"
    "<body><header><h1>{title} · 作业公示</h1>{cap}</header>\n<main>\n"
)
_FOOT = (
    '<p class="small muted">孩子到就寝时间仍未完成作业的，应按时就寝。本页不含任何学生个人信息。 '
    '<a href="print/">打印本周作业单</a></p>\n</main></body></html>\n'
)


def _items_html(items: list[dict[str, Any]], *, with_kind: bool) -> str:
    parts = []
    for i in items:
        kind = f" {escape(i['kind'])}·" if with_kind else " "
        parts.append(
            f"<li><strong>{escape(i['subject'])}</strong>{kind}约{int(i['minutes'])}分钟：{escape(i['description'])}</li>"
        )
    return "<ul>" + "".join(parts) + "</ul>"


def _totals_html(day: PublicDay) -> str:
    """The full total with the written part counted against the cap; an approved exception said in
    one plain line (who approved, by role, and why) rather than a cap and a larger total side by side."""
    line = f"全部作业合计约 {int(day.all_kinds_minutes)} 分钟，其中书面作业合计约 {int(day.counted_minutes)} 分钟"
    if day.exceptions:
        said = "；".join(
            f"含经{escape(str(e.get('role') or '班主任'))}批准的超出 {int(e.get('minutes') or e.get('all_kinds_minutes') or 0)} 分钟"
            f"（理由：{escape(str(e.get('reason', '')))}）"
            for e in day.exceptions
        )
        line += f"。{said}"
    elif day.cap is not None:
        line += f"（计入每天 {int(day.cap)} 分钟的上限）"
    return f'<p class="tot">{line}</p>\n'


def _changes_html(day: PublicDay) -> str:
    """ "更新于 HH:MM" and what changed after the day was published (decision 0024)."""
    if not day.changes:
        return ""
    last = datetime.fromisoformat(str(day.changes[-1]["at"])).astimezone(_ZONE)
    state = "班主任尚未重新确认" if day.unconfirmed else "班主任已确认"
    what = "；".join(escape(str(c.get("what", ""))) for c in day.changes[-5:])
    return f'<p class="upd small">更新于 {last:%H:%M}（{state}）：{what}</p>\n'


def render_public_page(week: PublicWeek, today: date, days: list[date]) -> str:
    """The public class page: today's published list, then the rest of the last seven days."""
    title = escape(f"{week.school_name} {week.class_label}")
    cap = f"<p>书面作业每天上限 {int(week.cap)} 分钟（平均完成时间）</p>" if week.cap is not None else ""
    out = [
        _HEAD.format(title=title, cap=cap),
        f'<section class="card" id="today"><h2>今天 {today.month}月{today.day}日</h2>\n',
    ]
    entry = week.days.get(today)
    if entry is not None and not entry.items:
        out.append('<p class="muted">今天没有布置作业。</p>\n')
    elif entry is not None:
        out.append(_items_html(entry.items, with_kind=True))
        out.append("\n" + _totals_html(entry))
    if entry is not None:
        out.append(_changes_html(entry))
    else:
        out.append('<p class="muted">今天的作业尚未公示。</p>\n')
    out.append('</section>\n<section class="card" id="recent"><h2>最近一周</h2>\n')
    recent = [d for d in reversed(days) if d != today and d in week.days]
    for d in recent:
        e = week.days[d]
        out.append(
            f"<h3>{d.month}月{d.day}日 {WEEKDAYS[d.weekday()]}（全部约 {int(e.all_kinds_minutes)} 分钟，"
            f"书面 {int(e.counted_minutes)} 分钟）</h3>\n"
        )
        out.append(_items_html(e.items, with_kind=True))
        out.append(_changes_html(e))
    if not recent:
        out.append('<p class="muted">最近一周没有其他已公示的作业。</p>')
    out.append("\n</section>\n")
    out.append(_FOOT)
    return "".join(out)


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
            "week": [
                (d, WEEKDAYS[d.weekday()], week.get(d)) for d in days[:5] + [d for d in days[5:] if d in week]
            ],
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
