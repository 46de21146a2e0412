"""Reads for the school office around the allocation: applications (with hardship claims — only the
office ever gets these), per-course places and waiting lists, courses below their minimum size,
the runs with their seeds and statistics."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Q, QuerySet

from jianfu.afterschool.models import (
    AllocationRun,
    Application,
    Course,
    CourseStatus,
    EnrolmentStatus,
    Programme,
    ProgrammeStatus,
)
from jianfu.afterschool.programme.selectors import course_schedule_zh
from jianfu.schools.models import SchoolClass


def applications_for_office(programme: Programme) -> QuerySet[Application]:
    """Every application of the programme, for the school office only (callers check the office
    permission): includes the family's declared circumstances and hardship claim."""
    return (
        programme.applications.select_related("student__school_class__grade")
        .prefetch_related("choices__course")
        .order_by(
            "student__school_class__grade__number", "student__school_class__number", "student__name", "pk"
        )
    )


def hardship_pending(programme: Programme) -> int:
    return programme.applications.filter(
        withdrawn_at__isnull=True, hardship_claimed=True, hardship_verified__isnull=True
    ).count()


def course_rows(programme: Programme) -> list[dict[str, Any]]:
    """Per course: placed / capacity, waiting list length, and the minimum-size flag (once allocated)."""
    allocated = programme.status in (
        ProgrammeStatus.ALLOCATED,
        ProgrammeStatus.PUBLISHED,
        ProgrammeStatus.CLOSED,
    )
    # distinct: two joins (enrolments, choices) would otherwise multiply each other's counts.
    live = Q(choices__application__withdrawn_at__isnull=True)
    courses = programme.courses.annotate(
        placed=Count("enrolments", filter=Q(enrolments__status=EnrolmentStatus.PLACED), distinct=True),
        waiting=Count("enrolments", filter=Q(enrolments__status=EnrolmentStatus.WAITLISTED), distinct=True),
        first_choices=Count("choices", filter=live & Q(choices__rank=1), distinct=True),
        ranked=Count("choices", filter=live, distinct=True),
    ).order_by("pk")
    return [
        {
            "course": c,
            "schedule": course_schedule_zh(c),
            "placed": c.placed,
            "capacity": c.capacity,
            "waiting": c.waiting,
            "first_choices": c.first_choices,
            "ranked": c.ranked,
            "below_min": allocated and c.status == CourseStatus.OPEN and c.placed < c.min_size,
        }
        for c in courses
    ]


def courses_below_min_size(programme: Programme) -> list[Course]:
    return [r["course"] for r in course_rows(programme) if r["below_min"]]


def merge_targets(programme: Programme, course: Course) -> list[Course]:
    """Open courses of the same weekdays a course could be merged into."""
    return [
        c
        for c in programme.courses.filter(status=CourseStatus.OPEN).exclude(pk=course.pk).order_by("pk")
        if sorted(c.weekdays or []) == sorted(course.weekdays or [])
    ]


def run_latest(programme: Programme) -> AllocationRun | None:
    """The run in force: the newest (a re-run before publication replaces the one before)."""
    return programme.runs.order_by("-run_at", "-pk").first()


def runs_for(programme: Programme) -> list[AllocationRun]:
    """Every run, newest first: a school that re-ran until it liked the result would show it here."""
    return list(programme.runs.select_related("run_by").order_by("-run_at", "-pk"))


def allocation_overview(programme: Programme) -> dict[str, Any]:
    rows = course_rows(programme)
    runs = runs_for(programme)
    applications = programme.applications.filter(withdrawn_at__isnull=True)
    return {
        "programme": programme,
        "rows": rows,
        "below_min": [r for r in rows if r["below_min"]],
        "runs": runs,
        "latest": runs[0] if runs else None,
        "applicants": applications.count(),
        "with_choices": applications.filter(choices__isnull=False).distinct().count(),
        "hardship_pending": hardship_pending(programme),
    }


def applications_filtered(
    programme: Programme, *, q: str = "", course: str = "", status: str = ""
) -> QuerySet[Application]:
    """applications_for_office narrowed: name contains q (or the class, as the list shows it, does),
    a course chosen or enrolled in, a status (see allocation.forms.APPLICATION_STATUSES). Office only,
    as applications_for_office."""
    apps = applications_for_office(programme)
    if course:
        # Chosen, or placed or waiting in it (the office also places children by hand).
        apps = apps.filter(
            Q(choices__course_id=int(course)) | Q(student__afterschool_enrolments__course_id=int(course))
        ).distinct()
    if status == "active":
        apps = apps.filter(withdrawn_at__isnull=True)
    elif status == "withdrawn":
        apps = apps.filter(withdrawn_at__isnull=False)
    elif status == "hardship":
        apps = apps.filter(hardship_claimed=True)
    elif status == "hardship_pending":
        apps = apps.filter(withdrawn_at__isnull=True, hardship_claimed=True, hardship_verified__isnull=True)
    elif status == "basic_only":
        apps = apps.exclude(
            Q(choices__isnull=False) | Q(student__afterschool_enrolments__programme_id=programme.pk)
        )
    if q:
        # The class as shown (三(2)班) is a label, not a column: matched on the classes of the school.
        class_ids = [
            c.pk
            for c in SchoolClass.objects.filter(school_id=programme.school_id).select_related("grade")
            if q in str(c)
        ]
        apps = apps.filter(Q(student__name__contains=q) | Q(student__school_class_id__in=class_ids))
    return apps
