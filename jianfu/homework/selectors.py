"""Reads for homework's staff pages: a class's week, a grade's week, a class-day's totals, the menu.

The sub-domains keep their own reads: posting (what a teacher teaches and posted), exceptions (the
week's exceptions), publication (what families see) and days (the class-day's judgement)."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django.utils.translation import gettext, ngettext, pgettext_lazy

from jianfu.homework.models import ClassDayLoad, HomeworkItem, Status
from jianfu.schools.models import SchoolClass, Subject

SUBJECT_LABELS = dict(Subject.choices)

# One- or two-character names for a phone's narrow grid (issue 15, I3), as timetables write them; the
# full name stays in the cell's title and aria-label.
SUBJECT_SHORT: dict[str, Any] = {
    Subject.CHINESE: pgettext_lazy("学科简称", "语"),
    Subject.MATH: pgettext_lazy("学科简称", "数"),
    Subject.ENGLISH: pgettext_lazy("学科简称", "英"),
    Subject.MORALITY: pgettext_lazy("学科简称", "道法"),
    Subject.SCIENCE: pgettext_lazy("学科简称", "科"),
    Subject.PHYSICS: pgettext_lazy("学科简称", "物"),
    Subject.CHEMISTRY: pgettext_lazy("学科简称", "化"),
    Subject.BIOLOGY: pgettext_lazy("学科简称", "生"),
    Subject.GEOGRAPHY: pgettext_lazy("学科简称", "地"),
    Subject.HISTORY: pgettext_lazy("学科简称", "史"),
    Subject.PE: pgettext_lazy("学科简称", "体"),
    Subject.MUSIC: pgettext_lazy("学科简称", "音"),
    Subject.ART: pgettext_lazy("学科简称", "美"),
    Subject.IT: pgettext_lazy("学科简称", "信"),
    Subject.LABOR: pgettext_lazy("学科简称", "劳"),
    Subject.PRACTICE: pgettext_lazy("学科简称", "综"),
}


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
        label = gettext(SUBJECT_LABELS.get(s, s))
        grid.append({"subject": s, "label": label, "short": str(SUBJECT_SHORT.get(s, label)), "cells": cells})
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


def homework_navigation(user: Any, roles: set[str], *, teaches: bool) -> list[dict[str, str]]:
    """Menu entries of the homework app beyond 布置作业 and 本班作业: the teacher's own items (for
    whoever teaches a class: the menu read that once), and the week's exceptions for the school's
    academic office and principal (with unread notices)."""
    from django.urls import reverse

    from jianfu.accounts.models import Role
    from jianfu.homework.exceptions.selectors import unread_exception_notices
    from jianfu.homework.permissions import exception_overseer_schools

    items: list[dict[str, str]] = []
    if teaches:
        items.append({"label": gettext("我布置的作业"), "url": reverse("homework:mine")})
    # The caller has the roles already: only an academic office or a principal oversees any school.
    schools = exception_overseer_schools(user) if roles & {Role.ACADEMIC_AFFAIRS, Role.PRINCIPAL} else []
    if schools:
        unread = unread_exception_notices(schools)
        label = (
            ngettext("作业特批（%(count)s条新）", "作业特批（%(count)s条新）", unread) % {"count": unread}
            if unread
            else gettext("作业特批")
        )
        items.append({"label": label, "url": reverse("homework:exceptions")})
    return items
