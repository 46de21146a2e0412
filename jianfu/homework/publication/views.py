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
from django.utils import timezone, translation
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext
from django.views.decorators.http import require_GET

from jianfu.homework.days.selectors import week_start
from jianfu.homework.publication.selectors import (
    PublicDay,
    PublicWeek,
    hot_cache_key,
    public_class_by_token,
    public_week,
    published_days,
    token_revoked,
)
from jianfu.homework.rules import WEEKDAYS
from jianfu.homework.selectors import week_days
from jianfu.policies.selectors import homework_cap_minutes

CACHE_SECONDS = 60
# How long a worker trusts its cached (token → class, day versions) before asking the database again.
# Bounds how stale the page can be after a change or a revocation when the cache is per process
# (the embedded profile); with Redis the cache is shared. See docs/decisions/0008-homework-load.md.
META_SECONDS = 5
_ZONE = ZoneInfo(settings.TIME_ZONE)


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
    # The page is in the visitor's chosen language (the language cookie, or the account's choice).
    patch_vary_headers(response, ["Cookie"])
    return response


@login_not_required
@require_GET
def public_page(request: HttpRequest, token: str) -> HttpResponse:
    # Hot path: one cache read of (etag, body) kept for META_SECONDS. Behind it, one statement for the
    # week's rows (selectors.public_week) at most once per META_SECONDS per worker, and the page
    # rendered once per (class, day, versions) and kept for a day.
    today = timezone.now().astimezone(_ZONE).date()  # the school's day (Beijing time), cheaply
    use_cache = settings.JIANFU_PUBLIC_PAGE_CACHE
    language = translation.get_language() or settings.LANGUAGE_CODE
    hot_key = hot_cache_key(token, today.isoformat(), language)
    hot = cache.get(hot_key) if use_cache else None
    if hot is None:
        hot = _page(token, today, use_cache, language)
        if use_cache:
            cache.set(hot_key, hot, META_SECONDS)
    if hot[0] is None:
        return _not_found(request, replaced=hot[1] == _REPLACED)
    return _respond(request, hot[1], hot[0])


# The body kept in the hot cache for a token the school has replaced (etag None), so the old QR
# code's answer costs no more queries than an unknown token's.
_REPLACED = "replaced"


def _not_found(request: HttpRequest, *, replaced: bool) -> HttpResponse:
    """404 either way; a replaced (revoked) address says where the new one comes from."""
    return render(request, "errors/link_replaced.html" if replaced else "errors/404.html", status=404)


def _page(token: str, today: date, use_cache: bool, language: str) -> tuple[str | None, str]:
    """(etag, body) for the class's page today, or (None, "") for an unknown token and
    (None, _REPLACED) for a revoked one."""
    # The last seven days through today: after midnight families still need last evening's list.
    days = [today - timedelta(days=i) for i in range(6, -1, -1)]
    week = public_week(token, days, today)
    if week is None:
        return None, _REPLACED if token_revoked(token) else ""
    key = f"pub:{token}:{today.isoformat()}:{language}:{week.versions}"
    etag = hashlib.sha256(key.encode()).hexdigest()[:32]
    body = cache.get(key) if use_cache else None
    if body is None:
        body = render_public_page(week, today, days, language)
        if use_cache:
            cache.set(key, body, 24 * 3600)
    return etag, body


# The page is built in Python rather than with the template engine: it is the evening peak's one
# hot page, and the engine's per-node cost was a third of the uncached request (docs/performance.md,
# docs/decisions/0012-hot-paths.md). Every value from the database goes through
# escape(); the markup is static.
_HEAD = (
    '<!doctype html>\n<html lang="{lang}"><head><meta charset="utf-8">'
    '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
    '<meta name="robots" content="noindex"><title>{title} {notice}</title>\n<style>\n'
    'body{{margin:0;font:16px/1.6 -apple-system,"PingFang SC","Noto Sans CJK SC","Microsoft YaHei",sans-serif;'
    "color:#1f2328}}\nheader{{background:#0b6e4f;color:#fff;padding:.7rem 1rem}}header h1{{font-size:1.15rem;"
    "margin:0}}header p{{margin:.1rem 0 0;opacity:.85;font-size:.85rem}}\nmain{{max-width:720px;margin:0 auto;"
    "padding:.8rem 1rem}}.card{{border:1px solid #d1d9e0;border-radius:8px;padding:.8rem;margin:0 0 .8rem}}\n"
    "h2{{font-size:1.05rem;margin:.2rem 0 .5rem}}h3{{font-size:1rem;margin:.6rem 0 .2rem}}ul{{padding-left:1.1rem;"
    "margin:.3rem 0}}li{{margin:.35rem 0}}.muted{{color:#59636e}}.small{{font-size:.85rem}}\n"
    ".tot{{font-weight:700}}a{{color:#0b6e4f}}.upd{{background:#fff8c5;border-radius:6px;padding:.3rem .5rem}}\n"
    "</style></head>\n"
    "<body><header><h1>{title} · {notice}</h1>{cap}</header>\n<main>\n"
)
_FOOT = '<p class="small muted">{bedtime} <a href="print/">{print}</a></p>\n</main></body></html>\n'


def _items_html(items: list[dict[str, Any]], *, with_kind: bool) -> str:
    parts = []
    for i in items:
        # The snapshot's labels are stored in the site's language: each is its own catalogue msgid.
        kind = f" {escape(gettext(i['kind']))}·" if with_kind else " "
        minutes = gettext("约%(minutes)s分钟：") % {"minutes": int(i["minutes"])}
        parts.append(
            f"<li><strong>{escape(gettext(i['subject']))}</strong>{kind}{minutes}{escape(i['description'])}</li>"
        )
    return "<ul>" + "".join(parts) + "</ul>"


def _totals_html(day: PublicDay) -> str:
    """The full total with the written part counted against the cap; an approved exception said in
    one plain line (who approved, by role, and why) rather than a cap and a larger total side by side."""
    line = gettext("全部作业合计约 %(all)s 分钟，其中书面作业合计约 %(written)s 分钟") % {
        "all": int(day.all_kinds_minutes),
        "written": int(day.counted_minutes),
    }
    if day.exceptions:
        said = gettext("；").join(
            gettext("含经%(role)s批准的超出 %(minutes)s 分钟（理由：%(reason)s）")
            % {
                "role": escape(gettext(str(e.get("role") or "班主任"))),
                "minutes": int(e.get("minutes") or e.get("all_kinds_minutes") or 0),
                "reason": escape(str(e.get("reason", ""))),
            }
            for e in day.exceptions
        )
        line += gettext("。%(exceptions)s") % {"exceptions": said}
    elif day.cap is not None:
        line += gettext("（计入每天 %(cap)s 分钟的上限）") % {"cap": int(day.cap)}
    return f'<p class="tot">{line}</p>\n'


def _changes_html(day: PublicDay) -> str:
    """ "更新于 HH:MM" and what changed after the day was published (decision 0024). The changes are
    stored text, in the site's language."""
    if not day.changes:
        return ""
    last = datetime.fromisoformat(str(day.changes[-1]["at"])).astimezone(_ZONE)
    state = gettext("班主任尚未重新确认") if day.unconfirmed else gettext("班主任已确认")
    what = gettext("；").join(escape(str(c.get("what", ""))) for c in day.changes[-5:])
    text = gettext("更新于 %(time)s（%(state)s）：%(what)s") % {
        "time": f"{last:%H:%M}",
        "state": state,
        "what": what,
    }
    return f'<p class="upd small">{text}</p>\n'


def render_public_page(week: PublicWeek, today: date, days: list[date], language: str | None = None) -> str:
    """The public class page in `language` (the active one if None): today's published list, then the
    rest of the last seven days."""
    with translation.override(language or translation.get_language()):
        return _public_page_html(week, today, days)


def _public_page_html(week: PublicWeek, today: date, days: list[date]) -> str:
    title = escape(f"{week.school_name} {week.class_label}")
    cap = (
        "<p>" + gettext("书面作业每天上限 %(cap)s 分钟（平均完成时间）") % {"cap": int(week.cap)} + "</p>"
        if week.cap is not None
        else ""
    )
    lang = "en" if (translation.get_language() or "").startswith("en") else "zh-CN"
    today_heading = gettext("今天 %(month)s月%(day)s日") % {"month": today.month, "day": today.day}
    out = [
        _HEAD.format(title=title, cap=cap, lang=lang, notice=gettext("作业公示")),
        f'<section class="card" id="today"><h2>{today_heading}</h2>\n',
    ]
    entry = week.days.get(today)
    if entry is not None and not entry.items:
        out.append(f'<p class="muted">{gettext("今天没有布置作业。")}</p>\n')
    elif entry is not None:
        out.append(_items_html(entry.items, with_kind=True))
        out.append("\n" + _totals_html(entry))
    if entry is not None:
        out.append(_changes_html(entry))
    else:
        out.append(f'<p class="muted">{gettext("今天的作业尚未公示。")}</p>\n')
    out.append(f'</section>\n<section class="card" id="recent"><h2>{gettext("最近一周")}</h2>\n')
    recent = [d for d in reversed(days) if d != today and d in week.days]
    for d in recent:
        e = week.days[d]
        heading = gettext(
            "%(month)s月%(day)s日 %(weekday)s（全部约 %(all)s 分钟，书面 %(written)s 分钟）"
        ) % {
            "month": d.month,
            "day": d.day,
            "weekday": WEEKDAYS[d.weekday()],
            "all": int(e.all_kinds_minutes),
            "written": int(e.counted_minutes),
        }
        out.append(f"<h3>{heading}</h3>\n")
        out.append(_items_html(e.items, with_kind=True))
        out.append(_changes_html(e))
    if not recent:
        out.append(f'<p class="muted">{gettext("最近一周没有其他已公示的作业。")}</p>')
    out.append("\n</section>\n")
    out.append(
        _FOOT.format(
            bedtime=gettext("孩子到就寝时间仍未完成作业的，应按时就寝。本页不含任何学生个人信息。"),
            print=gettext("打印本周作业单"),
        )
    )
    return "".join(out)


@login_not_required
@require_GET
def public_print(request: HttpRequest, token: str) -> HttpResponse:
    """A printable A4 weekly sheet for families without internet."""
    school_class = public_class_by_token(token)
    if school_class is None:
        return _not_found(request, replaced=token_revoked(token))
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
