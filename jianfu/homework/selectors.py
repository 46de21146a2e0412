"""Reads for homework pages: a class's week, a grade's week, the public page, a teacher's classes."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from jianfu.homework.models import ClassDayLoad, ClassPublication, HomeworkItem, Status
from jianfu.schools.models import SchoolClass, Subject, TeachingAssignment

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


def public_class_id(token: str) -> int | None:
    return (
        ClassPublication.objects.filter(token=token, revoked_at__isnull=True)
        .values_list("school_class_id", flat=True)
        .first()
    )


def published_days(school_class: SchoolClass, days: list[date]) -> dict[date, dict[str, Any]]:
    """What families see: only days the head teacher has published, and nothing about any student."""
    loads = {
        x.date: x
        for x in ClassDayLoad.objects.filter(
            school_class=school_class, date__in=days, published_at__isnull=False
        )
    }
    items = HomeworkItem.objects.filter(
        school_class=school_class, date_set__in=list(loads), status=Status.ACTIVE
    )
    out: dict[date, dict[str, Any]] = {d: {"load": loads[d], "items": []} for d in loads}
    for i in items.order_by("subject", "pk"):
        out[i.date_set]["items"].append(
            {
                "subject": SUBJECT_LABELS.get(i.subject, i.subject),
                "code": i.subject,
                "kind": i.get_kind_display(),
                "where": i.get_where_display(),
                "tier": i.get_tier_display(),
                "minutes": i.minutes,
                "description": i.description,
                "due": i.date_due,
            }
        )
    return out
