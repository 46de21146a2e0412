"""Reads for what families see: the class behind a public token and its published days."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import date
from typing import Any, NamedTuple

from django.conf import settings
from django.utils.translation import gettext

from jianfu.core import hotpath
from jianfu.homework.models import (
    ClassDayLoad,
    ClassPublication,
)
from jianfu.schools.models import Grade, School, SchoolClass, grade_label


def publication_for(school_class: SchoolClass) -> ClassPublication | None:
    return ClassPublication.objects.filter(school_class=school_class, revoked_at__isnull=True).first()


def public_class_by_token(token: str) -> SchoolClass | None:
    pub = (
        ClassPublication.objects.filter(token=token, revoked_at__isnull=True)
        .select_related("school_class__grade", "school_class__school")
        .first()
    )
    return pub.school_class if pub else None


def token_revoked(token: str) -> bool:
    """Whether `token` was a class's public address before the school replaced it: families holding
    the old QR code are told to ask for the new one rather than shown a bare "not found"."""
    return ClassPublication.objects.filter(token=token, revoked_at__isnull=False).exists()


def _with_dates(items: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [{**i, "due": date.fromisoformat(i["due"])} for i in items]


def published_days(school_class: SchoolClass, days: list[date]) -> dict[date, dict[str, Any]]:
    """What families see: only days the head teacher has published, and nothing about any student.

    The items come from the class-day row's snapshot (ClassDayLoad.public_items), kept on write."""
    loads = ClassDayLoad.objects.filter(school_class=school_class, date__in=days, published_at__isnull=False)
    return {x.date: {"load": x, "items": _with_dates(x.public_items)} for x in loads}


@dataclass(frozen=True)
class PublicDay:
    counted_minutes: int
    items: list[dict[str, Any]]
    all_kinds_minutes: int = 0
    cap: int | None = None
    # After publication: [{"at": ISO time, "what": "新增：数学（口头）约20分钟"}], oldest first; the
    # texts are stored in the site's language.
    changes: list[dict[str, Any]] = field(default_factory=list)
    unconfirmed: bool = False  # changed since the head teacher last published the day
    exceptions: list[dict[str, Any]] = field(default_factory=list)


@dataclass(frozen=True)
class PublicWeek:
    """Everything the public class page shows, read in one query (the evening peak's hot path)."""

    school_name: str
    class_label: str
    cap: int | None
    days: dict[date, PublicDay]  # published days only
    versions: str  # changes whenever any of the days' rows change: the page's cache key and ETag


class PublicWeekRow(NamedTuple):
    """One row of the public week's statement, in its column order (_PUBLIC_WEEK_SQL)."""

    id: int
    date: date
    version: int
    published: bool
    counted_minutes: int
    cap_minutes: int | None
    public_items: Any  # JSON as text (both drivers here), or already decoded
    class_number: int
    grade_number: int
    school_name: str
    all_kinds_minutes: int
    changes: Any
    public_exceptions: Any
    unconfirmed: bool


def _public_week_sql() -> str:
    load, pub = ClassDayLoad._meta.db_table, ClassPublication._meta.db_table
    cls, grade, school = SchoolClass._meta.db_table, Grade._meta.db_table, School._meta.db_table
    # Table names come from the models' _meta; every value is a parameter. The columns are
    # PublicWeekRow's fields, in order.
    return (
        f"SELECT l.id, l.date, l.version, l.published_at IS NOT NULL, l.counted_minutes, l.cap_minutes, l.public_items,"  # noqa: S608
        f" c.number AS class_number, g.number AS grade_number, s.name AS school_name,"
        f" l.all_kinds_minutes, l.changes, l.public_exceptions,"
        f" (l.changed_at IS NOT NULL AND l.changed_at > l.published_at) AS unconfirmed"
        f" FROM {pub} p JOIN {load} l ON l.school_class_id = p.school_class_id"
        f" JOIN {cls} c ON c.id = p.school_class_id JOIN {grade} g ON g.id = c.grade_id"
        f" JOIN {school} s ON s.id = c.school_id"
        f" WHERE p.token = %s AND p.revoked_at IS NULL AND l.date >= %s AND l.date <= %s ORDER BY l.date"
    )


_PUBLIC_WEEK_SQL = _public_week_sql()


def _public_week_rows(token: str, first: date, last: date) -> list[PublicWeekRow]:
    rows = hotpath.fetchall_driver(_PUBLIC_WEEK_SQL, [token, first, last])
    if rows and len(rows[0]) != len(PublicWeekRow._fields):
        raise RuntimeError(
            f"the public week statement returned {len(rows[0])} columns, PublicWeekRow has "
            f"{len(PublicWeekRow._fields)}"
        )
    return [PublicWeekRow._make(r) for r in rows]


def public_week(token: str, days: list[date], today: date) -> PublicWeek | None:
    """The class behind a live token and its published days among `days` (consecutive), or None
    (unknown or revoked token: the caller answers 404 either way).

    One statement on the driver's cursor, written out rather than built with filter(): on the evening
    peak's hot path, compiling the equivalent ORM query and building model instances took longer
    than running it (docs/performance.md). Django's cursor wrapper stays off this one statement: it
    added 20–40 µs to a 120–200 µs uncached page build (decision 0040), so query-count tests do not
    see it. Plain joins and comparisons, so the same text runs on SQLite and PostgreSQL; both drivers
    hand back dates as dates and JSON as text here."""
    rows = _public_week_rows(token, days[0], days[-1])
    if not rows:
        # No homework rows this week: still a page (saying nothing is published) if the token is live.
        school_class = public_class_by_token(token)
        if school_class is None:
            return None
        from jianfu.policies.selectors import homework_cap_minutes

        return PublicWeek(
            school_class.school.name, str(school_class), homework_cap_minutes(school_class, today), {}, ""
        )
    # The cap is stored on each row when it is written; today's, else the latest day's.
    cap = next((r.cap_minutes for r in rows if r.date == today), rows[-1].cap_minutes)
    first = rows[0]
    return PublicWeek(
        school_name=first.school_name,
        class_label=gettext("%(grade)s(%(number)s)班")
        % {"grade": grade_label(first.grade_number), "number": first.class_number},
        cap=cap,
        days={
            r.date: PublicDay(
                counted_minutes=r.counted_minutes,
                items=_json(r.public_items),
                all_kinds_minutes=r.all_kinds_minutes,
                cap=r.cap_minutes,
                changes=_json(r.changes),
                unconfirmed=bool(r.unconfirmed),
                exceptions=_json(r.public_exceptions),
            )
            for r in rows
            if r.published
        },
        versions=",".join(f"{r.date.toordinal()}:{r.version}" for r in rows),
    )


def _json(value: Any) -> list[dict[str, Any]]:
    if value == "[]":
        return []
    return json.loads(value) if isinstance(value, str | bytes) else value


def hot_cache_key(token: str, today: str, language: str) -> str:
    """The hot key of a class's page for a day in one language (the site's language keeps the plain
    key); publication changes drop every language's (days.services)."""
    key = f"pubmeta:{token}:{today}"
    return key if language == settings.LANGUAGE_CODE else f"{key}:{language}"
