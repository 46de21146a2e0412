"""Reads for homework pages: a class's week, a grade's week, the public page, a teacher's classes."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
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
            split = (load.by_subject_kinds or {}).get(s, {}) if load else {}
            cells.append(
                {
                    "date": d,
                    "minutes": (load.by_subject or {}).get(s, 0) if load else 0,
                    # Written at home (counted against the cap) apart from other kinds at home and
                    # work done at school, so the grid never adds oral minutes into a written figure.
                    "written": split.get("written", 0),
                    "other": split.get("other", 0),
                    "school": split.get("school", 0),
                }
            )
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
                "all_kinds": load.all_kinds_minutes if load else 0,
                "all_kinds_cap": load.all_kinds_cap if load else None,
                "non_written": load.non_written_minutes if load else 0,
                "heat": min(4, int(share * 4)) if counted else 0,
                "published": bool(load and load.published_at),
                "needs_republish": bool(load and load.needs_republish),
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
    all_kinds_minutes: int = 0
    cap: int | None = None
    # After publication: [{"at": ISO time, "what": "新增：数学（口头）约20分钟"}], oldest first.
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


def _public_week_sql() -> str:
    load, pub = ClassDayLoad._meta.db_table, ClassPublication._meta.db_table
    cls, grade, school = SchoolClass._meta.db_table, Grade._meta.db_table, School._meta.db_table
    # Table names come from the models' _meta; every value is a parameter.
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
    class_number, grade_number, school_name = rows[0][7:10]
    return PublicWeek(
        school_name=school_name,
        class_label=f"{grade_label(grade_number)}({class_number})班",
        cap=cap,
        days={
            r[1]: PublicDay(
                counted_minutes=r[4],
                items=_json(r[6]),
                all_kinds_minutes=r[10],
                cap=r[5],
                changes=_json(r[11]),
                unconfirmed=bool(r[13]),
                exceptions=_json(r[12]),
            )
            for r in rows
            if r[3]
        },
        versions=",".join(f"{r[1].toordinal()}:{r[2]}" for r in rows),
    )


def _json(value: Any) -> list[dict[str, Any]]:
    if value == "[]":
        return []
    return json.loads(value) if isinstance(value, str | bytes) else value


def day_totals_for_class(class_id: int, day: date) -> dict[str, Any]:
    """A class-day's minutes for families' pages and reports: the written part (counted against the
    cap) and the total of all kinds at home, from the class-day row kept on write (never the items).

    Keys: written, all_kinds, non_written, cap, all_kinds_cap, exception_minutes, published."""
    load = ClassDayLoad.objects.filter(school_class_id=class_id, date=day).first()
    if load is None:
        return {
            "written": 0,
            "all_kinds": 0,
            "non_written": 0,
            "cap": None,
            "all_kinds_cap": None,
            "exception_minutes": 0,
            "published": False,
        }
    return {
        "written": load.counted_minutes,
        "all_kinds": load.all_kinds_minutes,
        "non_written": load.non_written_minutes,
        "cap": load.cap_minutes,
        "all_kinds_cap": load.all_kinds_cap,
        "exception_minutes": load.exception_minutes,
        "published": load.published_at is not None,
    }


def homework_list_for_teacher(actor: Any, today: date, *, recent_days: int = 14) -> dict[str, Any]:
    """What the teacher posted: upcoming (today and later, still correctable) and recent (read only)."""
    rows = list(
        HomeworkItem.objects.filter(teacher=actor, date_set__gte=today - timedelta(days=recent_days))
        .select_related("school_class__grade")
        .order_by("-date_set", "school_class__grade__number", "school_class__number", "pk")
    )
    return {
        "upcoming": [i for i in rows if i.date_set >= today],
        "recent": [i for i in rows if i.date_set < today],
    }


def exceptions_for_school_week(school_ids: list[int], monday: date) -> dict[str, Any]:
    """Every exception of the week in the schools: waiting, approved (by whom, in which role, why),
    turned down; and the in-app notices to the academic office."""
    from jianfu.homework.models import CapException, HomeworkNotice

    sunday = monday + timedelta(days=6)
    requested = list(
        HomeworkItem.objects.filter(school_id__in=school_ids, date_set__range=(monday, sunday))
        .exclude(request_reason="")
        .select_related("school_class__grade", "teacher", "exception__approved_by")
        .order_by("date_set", "school_class__grade__number", "school_class__number", "pk")
    )
    approved = list(
        CapException.objects.filter(school_class__school_id__in=school_ids, date__range=(monday, sunday))
        .select_related("school_class__grade", "approved_by")
        .order_by("date", "pk")
    )
    notices = list(
        HomeworkNotice.objects.filter(
            school_id__in=school_ids, created_at__date__gte=monday - timedelta(days=7)
        )
        .select_related("item")
        .order_by("-created_at", "-pk")[:100]
    )
    return {
        "pending": [i for i in requested if i.status == Status.PENDING],
        "requested": requested,
        "approved": approved,
        "notices": notices,
        "unread": sum(1 for n in notices if n.read_at is None),
    }


def unread_exception_notices(school_ids: list[int]) -> int:
    from jianfu.homework.models import HomeworkNotice

    return HomeworkNotice.objects.filter(school_id__in=school_ids, read_at__isnull=True).count()


def homework_navigation(user: Any, roles: set[str], *, teaches: bool) -> list[dict[str, str]]:
    """Menu entries of the homework app beyond 布置作业 and 本班作业: the teacher's own items (for
    whoever teaches a class: the menu read that once), and the week's exceptions for the school's
    academic office and principal (with unread notices)."""
    from django.urls import reverse

    from jianfu.accounts.models import Role
    from jianfu.homework.permissions import exception_overseer_schools

    items: list[dict[str, str]] = []
    if teaches:
        items.append({"label": "我布置的作业", "url": reverse("homework:mine")})
    # The caller has the roles already: only an academic office or a principal oversees any school.
    schools = exception_overseer_schools(user) if roles & {Role.ACADEMIC_AFFAIRS, Role.PRINCIPAL} else []
    if schools:
        unread = unread_exception_notices(schools)
        label = f"作业特批（{unread}条新）" if unread else "作业特批"
        items.append({"label": label, "url": reverse("homework:exceptions")})
    return items


def own_item_for_edit(actor: Any, item_id: int) -> HomeworkItem | None:
    """The actor's own item, not withdrawn (anyone else's: None, answered as not found)."""
    return (
        HomeworkItem.objects.select_related("school_class__grade", "school_class__school")
        .filter(pk=item_id, teacher=actor)
        .exclude(status=Status.WITHDRAWN)
        .first()
    )
