"""Reads for homework pages: a class's week, a grade's week, the public page, a teacher's classes."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from jianfu.core import hotpath
from jianfu.homework.models import ClassDayLoad, ClassPublication, HomeworkItem, Status
from jianfu.schools.models import Grade, School, SchoolClass, Subject, TeachingAssignment, grade_label

SUBJECT_LABELS = dict(Subject.choices)


def teaching_for(actor: Any) -> list[dict[str, Any]]:
    """The (class, subject) pairs the actor teaches: what the post form offers."""
    rows = (
        TeachingAssignment.objects.filter(teacher__user=actor)
        .select_related("school_class__grade", "school_class__school")
        .order_by("school_class__grade__number", "school_class__number")
    )
    return [
        {
            "class": a.school_class,
            "subject": a.subject,
            "subject_label": SUBJECT_LABELS.get(a.subject, a.subject),
        }
        for a in rows
    ]


def week_days(monday: date) -> list[date]:
    return [monday + timedelta(days=i) for i in range(7)]


def class_week(school_class: SchoolClass, monday: date) -> dict[str, Any]:
    days = week_days(monday)
    loads = {
        load.date: load for load in ClassDayLoad.objects.filter(school_class=school_class, date__in=days)
    }
    items = list(
        HomeworkItem.objects.filter(school_class=school_class, date_set__in=days)
        .exclude(status=Status.WITHDRAWN)
        .select_related("teacher")
        .order_by("date_set", "subject", "pk")
    )
    subjects = sorted({i.subject for i in items if i.status == Status.ACTIVE})
    grid = []
    for s in subjects:
        cells = []
        for d in days:
            load = loads.get(d)
            minutes = (load.by_subject or {}).get(s, 0) if load else 0
            cells.append({"date": d, "minutes": minutes})
        grid.append({"subject": s, "label": SUBJECT_LABELS.get(s, s), "cells": cells})
    totals = []
    for d in days:
        load = loads.get(d)
        cap = load.cap_minutes if load else None
        counted = load.counted_minutes if load else 0
        share = (counted / cap) if cap else (1.0 if counted else 0.0)
        totals.append(
            {
                "date": d,
                "load": load,
                "counted": counted,
                "cap": cap,
                "heat": min(4, int(share * 4)) if counted else 0,
                "published": bool(load and load.published_at),
            }
        )
    return {
        "days": days,
        "grid": grid,
        "totals": totals,
        "items": items,
        "pending": [i for i in items if i.status == Status.PENDING],
    }


def grade_week(classes: list[SchoolClass], monday: date) -> list[dict[str, Any]]:
    days = week_days(monday)[:5] + [
        d
        for d in week_days(monday)[5:]
        if ClassDayLoad.objects.filter(school_class__in=classes, date=d, items__gt=0).exists()
    ]
    loads = {
        (x.school_class_id, x.date): x
        for x in ClassDayLoad.objects.filter(school_class__in=classes, date__in=days)
    }
    return [{"class": c, "cells": [{"date": d, "load": loads.get((c.pk, d))} for d in days]} for c in classes]


def publication_for(school_class: SchoolClass) -> ClassPublication | None:
    return ClassPublication.objects.filter(school_class=school_class, revoked_at__isnull=True).first()


def public_class_by_token(token: str) -> SchoolClass | None:
    pub = (
        ClassPublication.objects.filter(token=token, revoked_at__isnull=True)
        .select_related("school_class__grade", "school_class__school")
        .first()
    )
    return pub.school_class if pub else None


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


@dataclass(frozen=True)
class PublicWeek:
    """Everything the public class page shows, read in one query (the evening peak's hot path)."""

    school_name: str
    class_label: str
    cap: int | None
    days: dict[date, PublicDay]  # published days only
    versions: str  # changes whenever any of the days' rows change: the page's cache key and ETag


def _public_week_sql() -> str:
    load, pub = ClassDayLoad._meta.db_table, ClassPublication._meta.db_table
    cls, grade, school = SchoolClass._meta.db_table, Grade._meta.db_table, School._meta.db_table
    # Table names come from the models' _meta; every value is a parameter.
    return (
        f"SELECT l.id, l.date, l.version, l.published_at IS NOT NULL, l.counted_minutes, l.cap_minutes, l.public_items,"  # noqa: S608
        f" c.number AS class_number, g.number AS grade_number, s.name AS school_name"
        f" FROM {pub} p JOIN {load} l ON l.school_class_id = p.school_class_id"
        f" JOIN {cls} c ON c.id = p.school_class_id JOIN {grade} g ON g.id = c.grade_id"
        f" JOIN {school} s ON s.id = c.school_id"
        f" WHERE p.token = %s AND p.revoked_at IS NULL AND l.date >= %s AND l.date <= %s ORDER BY l.date"
    )


_PUBLIC_WEEK_SQL = _public_week_sql()


def public_week(token: str, days: list[date], today: date) -> PublicWeek | None:
    """The class behind a live token and its published days among `days` (consecutive), or None
    (unknown or revoked token: the caller answers 404 either way).

    One statement on the driver's cursor, written out rather than built with filter(): on the evening
    peak's hot path, compiling the equivalent ORM query and building model instances took longer
    than running it (docs/performance.md). Plain joins and comparisons, so the same text runs on
    SQLite and PostgreSQL; both drivers hand back dates as dates and JSON as text here."""
    rows = hotpath.fetchall_driver(_PUBLIC_WEEK_SQL, [token, days[0], days[-1]])
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
    cap = next((r[5] for r in rows if r[1] == today), rows[-1][5])
    _id, _date, _version, _published, _counted, _cap, _items, class_number, grade_number, school_name = rows[
        0
    ]
    return PublicWeek(
        school_name=school_name,
        class_label=f"{grade_label(grade_number)}({class_number})班",
        cap=cap,
        days={r[1]: PublicDay(r[4], _json(r[6])) for r in rows if r[3]},
        versions=",".join(f"{r[1].toordinal()}:{r[2]}" for r in rows),
    )


def _json(value: Any) -> list[dict[str, Any]]:
    if value == "[]":
        return []
    return json.loads(value) if isinstance(value, str | bytes) else value
