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


# --- the home pages' work lists (jianfu.site.home): a fixed number of queries however many classes ---


def teacher_today(user: Any, today: date) -> dict[str, Any]:
    """A teacher's day: the classes and subjects they teach, what they set for today in each, and
    their items still waiting for an exception decision (today and later). Two queries."""
    from jianfu.schools.models import TeachingAssignment

    assignments = list(
        TeachingAssignment.objects.filter(teacher__user=user)
        .select_related("school_class__grade")
        .order_by("school_class__grade__number", "school_class__number", "subject")
    )
    items = list(
        HomeworkItem.objects.filter(teacher=user, date_set__gte=today)
        .exclude(status=Status.WITHDRAWN)
        .select_related("school_class__grade")
        .order_by("date_set", "pk")
    )
    classes: dict[int, dict[str, Any]] = {}
    for a in assignments:
        row = classes.setdefault(
            a.school_class_id, {"class": a.school_class, "subjects": [], "posted": 0, "minutes": 0}
        )
        row["subjects"].append(gettext(SUBJECT_LABELS.get(a.subject, a.subject)))
    for i in items:
        if i.date_set == today and i.school_class_id in classes:
            classes[i.school_class_id]["posted"] += 1
            classes[i.school_class_id]["minutes"] += i.minutes
    return {
        "classes": list(classes.values()),
        "pending": [i for i in items if i.status == Status.PENDING],
    }


def class_days(class_ids: list[int], days: list[date]) -> dict[tuple[int, date], ClassDayLoad]:
    """The class-day rows of several classes and days, by (class id, day). One query."""
    return {
        (x.school_class_id, x.date): x
        for x in ClassDayLoad.objects.filter(school_class_id__in=class_ids, date__in=days)
    }


def pending_for_deciders(class_ids: list[int], user: Any, since: date) -> dict[int, int]:
    """Items waiting for an exception decision in these classes from `since`, by class, leaving out
    the user's own (a head teacher's own request goes to the academic office: decision 0024)."""
    from django.db.models import Count

    rows = (
        HomeworkItem.objects.filter(school_class_id__in=class_ids, status=Status.PENDING, date_set__gte=since)
        .exclude(teacher_id=getattr(user, "pk", None))
        .values_list("school_class_id")
        .annotate(n=Count("pk"))
    )
    return dict(rows)


def classes_over_cap(school_ids: list[int], days: list[date]) -> list[dict[str, Any]]:
    """Classes of these schools whose posted written minutes went over the day's cap (after approved
    exceptions) on any of `days`, the most days over first: class, days over, highest minutes and
    the cap that day. One query, however many classes."""
    from django.db.models import F

    rows = (
        ClassDayLoad.objects.filter(school_id__in=school_ids, date__in=days, cap_minutes__isnull=False)
        .filter(counted_minutes__gt=F("cap_minutes") + F("exception_minutes"))
        .select_related("school_class__grade", "school_class__school")
        .order_by("school_class__school__code", "school_class__grade__number", "school_class__number", "date")
    )
    out: dict[int, dict[str, Any]] = {}
    for load in rows:
        row = out.setdefault(
            load.school_class_id,
            {"class": load.school_class, "school_id": load.school_id, "days": 0, "minutes": 0, "cap": 0},
        )
        row["days"] += 1
        if load.counted_minutes > row["minutes"]:
            row["minutes"], row["cap"] = load.counted_minutes, load.cap_minutes
    return sorted(out.values(), key=lambda r: -r["days"])


def school_grades(school_ids: list[int]) -> list[dict[str, Any]]:
    """Each grade of these schools that has classes, with its first class (the grade page's anchor):
    the school leaders' and the bureau's way into the homework pages. One query."""
    firsts: dict[int, SchoolClass] = {}
    for c in (
        SchoolClass.objects.filter(school_id__in=school_ids)
        .select_related("grade", "school")
        .order_by("school__code", "grade__number", "number")
    ):
        firsts.setdefault(c.grade_id, c)
    return [{"school": c.school, "grade": c.grade, "anchor": c} for c in firsts.values()]


def grade_classes(anchor: SchoolClass) -> list[SchoolClass]:
    """Every class of the anchor's grade (the grade page shows them all, D3: minutes only, no family
    detail), in class order."""
    return list(
        SchoolClass.objects.filter(grade_id=anchor.grade_id).select_related("grade").order_by("number")
    )
