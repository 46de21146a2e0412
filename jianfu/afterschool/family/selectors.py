"""What a family sees: for each of their own children, the programmes of the child's school that
are open to families, the child's application, the published result (course, weekday, time, room,
or waiting-list positions) and the family's notices. Nothing about any other child."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from django.utils import timezone

from jianfu.afterschool.models import (
    Application,
    CourseStatus,
    Enrolment,
    EnrolmentStatus,
    FamilyNotice,
    Programme,
    ProgrammeStatus,
)
from jianfu.afterschool.programme.rules import window_open
from jianfu.afterschool.programme.selectors import course_schedule_zh
from jianfu.afterschool.selectors import children_of_parent, programmes_for_child
from jianfu.schools.models import Student

PUBLISHED = (ProgrammeStatus.PUBLISHED, ProgrammeStatus.CLOSED)


def courses_for_child(programme: Programme, student: Student) -> list[dict[str, Any]]:
    """Open courses whose grades admit the child, each with its schedule line."""
    grade = student.school_class.grade.number
    courses = (
        programme.courses.filter(status=CourseStatus.OPEN, min_grade__lte=grade, max_grade__gte=grade)
        .select_related("teacher", "provider")
        .order_by("category", "pk")
    )
    return [{"course": c, "schedule": course_schedule_zh(c)} for c in courses]


def _enrolment(e: Enrolment) -> dict[str, Any]:
    c = e.course
    return {
        "course": c.name,
        "course_id": c.pk,
        "schedule": course_schedule_zh(c),
        "weekdays": list(c.weekdays or []),
        "start": c.start,
        "end": c.end,
        "room": c.room,
        "rank": e.rank,
        "waitlist_position": e.waitlist_position,
        "status": e.status,
    }


def child_programme(
    actor: Any, programme: Programme, student: Student, now: datetime | None = None
) -> dict[str, Any]:
    """One child × one programme, as the family page and the API show it."""
    now = now or timezone.now()
    app = (
        Application.objects.filter(programme=programme, student=student)
        .prefetch_related("choices__course")
        .first()
    )
    result: dict[str, Any] = {
        "published": programme.status in PUBLISHED,
        "placed": None,
        "waiting": [],
        "cancelled": [],
    }
    if result["published"]:
        for e in programme.enrolments.filter(student=student).select_related("course").order_by("rank", "pk"):
            if e.status == EnrolmentStatus.PLACED:
                result["placed"] = _enrolment(e)
            elif e.status == EnrolmentStatus.WAITLISTED:
                result["waiting"].append(_enrolment(e))
            elif e.status == EnrolmentStatus.CANCELLED:
                result["cancelled"].append(_enrolment(e))
    opted_in = app is not None and app.withdrawn_at is None
    return {
        "programme": programme,
        "student": student,
        "application": app,
        "opted_in": opted_in,
        "choices": [c.course for c in app.choices.all()] if opted_in and app else [],
        "window_open": programme.status == ProgrammeStatus.CHOOSING
        and window_open(programme.choice_opens_at, programme.choice_closes_at, now),
        "result": result,
        "notices": list(FamilyNotice.objects.filter(user=actor, student=student, programme=programme)[:10]),
    }


def family_cards(actor: Any, now: datetime | None = None) -> list[dict[str, Any]]:
    cards = []
    for student in children_of_parent(actor).order_by("pk"):
        cards.append(
            {
                "student": student,
                "programmes": [
                    child_programme(actor, p, student, now)
                    for p in programmes_for_child(student)
                    .select_related("term")
                    .order_by("-term__start_date", "-pk")
                ],
            }
        )
    return cards


def children_after_school_today(children: list[Student], on: date) -> dict[int, dict[str, Any]]:
    """For a family's home page: for each child taking part in after-school service today, the
    day's attendance as marked so far and the pickup time booked, by child id. Children taking no
    part are left out. A fixed number of queries, whatever the number of children."""
    from jianfu.afterschool.models import AttendanceRecord, PickupBooking
    from jianfu.afterschool.pickup.selectors import programmes_taken_part_in

    taking_part = programmes_taken_part_in(children, on)
    if not taking_part:
        return {}
    ids = list(taking_part)
    out: dict[int, dict[str, Any]] = {sid: {"marks": [], "pickup": None} for sid in ids}
    for r in AttendanceRecord.objects.filter(student_id__in=ids, session__date=on).order_by("session__start"):
        out[r.student_id]["marks"].append(r.get_status_display())
    for b in PickupBooking.objects.filter(student_id__in=ids, date=on).select_related("slot"):
        out[b.student_id]["pickup"] = b.slot.time
    return out
