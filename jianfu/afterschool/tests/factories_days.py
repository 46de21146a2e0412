"""Small builders for the after-school day tests: a published programme with slots, courses, placed
children and basic-part applications, made directly with the models (the programme, choosing and
allocation services are another module's work)."""

from __future__ import annotations

from datetime import date, datetime, time
from decimal import Decimal
from typing import Any

from django.utils import timezone

from jianfu.afterschool.models import (
    Application,
    Course,
    CourseCategory,
    Enrolment,
    EnrolmentStatus,
    PickupSlot,
    Programme,
    ProgrammeStatus,
    ServicePart,
    ServiceSlot,
    SubsidyRule,
)
from jianfu.schools.models import Student

# The week these tests live in: Monday 23 November 2026 is an ordinary school day of the autumn term.
MON = date(2026, 11, 23)
TUE = date(2026, 11, 24)
WED = date(2026, 11, 25)


def at(day: date, hh: int, mm: int = 0, ss: int = 0) -> datetime:
    """An aware Beijing-time moment on `day`."""
    return timezone.make_aware(datetime(day.year, day.month, day.day, hh, mm, ss))


def t(hhmm: str) -> time:
    hh, mm = hhmm.split(":")
    return time(int(hh), int(mm))


def programme_for(
    world: Any,
    term: Any,
    *,
    status: str = ProgrammeStatus.PUBLISHED,
    weekdays: tuple[int, ...] = (1, 2, 3, 4, 5),
    basic: tuple[str, str] = ("15:40", "16:40"),
    course: tuple[str, str] = ("16:50", "17:30"),
    extended: tuple[str, str] | None = ("17:30", "18:30"),
    pickup: tuple[str, ...] = ("17:30", "18:00", "18:30"),
    per_staff: int = 25,
    grace: int = 10,
    school: Any = None,
) -> Programme:
    """Mon–Fri: basic part 15:40–16:40, courses 16:50–17:30 (the service ends 17:30), extended care
    17:30–18:30 (the last pickup time a family may book), pickup slots 17:30 / 18:00 / 18:30 unless
    told otherwise."""
    programme = Programme.objects.create(
        school=school or world.school,
        term=term,
        name="2026秋季课后服务",
        status=status,
        pickup_children_per_staff=per_staff,
        pickup_grace_minutes=grace,
        created_by=world.users["principal"],
    )
    for wd in weekdays:
        ServiceSlot.objects.create(
            programme=programme, weekday=wd, part=ServicePart.BASIC, start=t(basic[0]), end=t(basic[1])
        )
        ServiceSlot.objects.create(
            programme=programme, weekday=wd, part=ServicePart.COURSE, start=t(course[0]), end=t(course[1])
        )
        if extended is not None:
            ServiceSlot.objects.create(
                programme=programme,
                weekday=wd,
                part=ServicePart.EXTENDED,
                start=t(extended[0]),
                end=t(extended[1]),
            )
    for p in pickup:
        PickupSlot.objects.create(programme=programme, time=t(p), label=p)
    return programme


def pickup_slots(programme: Programme) -> dict[str, PickupSlot]:
    """The programme's pickup slots by time: {"17:30": …, "18:00": …, "18:30": …}."""
    return {s.time.strftime("%H:%M"): s for s in PickupSlot.objects.filter(programme=programme)}


def course_in(
    programme: Programme,
    name: str,
    *,
    teacher: Any = None,
    provider_staff: Any = None,
    weekdays: tuple[int, ...] = (1, 3),
    fee: str = "0",
    capacity: int = 30,
    times: tuple[str, str] | None = None,
    category: str = CourseCategory.SCIENCE,
) -> Course:
    return Course.objects.create(
        programme=programme,
        name=name,
        category=category,
        teacher=teacher,
        provider=provider_staff.provider if provider_staff else None,
        provider_staff=provider_staff,
        capacity=capacity,
        weekdays=list(weekdays),
        fee_per_term=Decimal(fee),
        start=t(times[0]) if times else None,
        end=t(times[1]) if times else None,
    )


def apply_for(
    programme: Programme,
    student: Student,
    *,
    basic: bool = True,
    hardship: str = "",
    verified: bool | None = None,
    by: Any = None,
) -> Application:
    app, _ = Application.objects.update_or_create(
        programme=programme,
        student=student,
        defaults={
            "submitted_by": by or programme.created_by,
            "basic_part": basic,
            "hardship_claimed": bool(hardship),
            "hardship_category": hardship,
            "hardship_verified": verified,
        },
    )
    return app


def place(course: Course, *students: Student, basic: bool | None = None) -> list[Enrolment]:
    """Place children in a course (an application is made if they have none: without the basic part
    unless told)."""
    out = []
    for s in students:
        if (
            basic is not None
            or not Application.objects.filter(programme=course.programme, student=s).exists()
        ):
            apply_for(course.programme, s, basic=bool(basic))
        out.append(
            Enrolment.objects.create(
                programme=course.programme, course=course, student=s, status=EnrolmentStatus.PLACED, rank=1
            )
        )
    return out


def subsidy(programme: Programme, percent: int, category: str = "hardship") -> SubsidyRule:
    return SubsidyRule.objects.create(programme=programme, category=category, percent=percent)


def kid(world: Any, school_class: Any, name: str, n: int) -> Student:
    return Student.objects.create(
        school=school_class.school,
        school_class=school_class,
        registry_id=f"L2015777700{n:06d}",
        name=name,
        gender="F",
        birth_date=date(2015, 6, 1),
    )


def teacher_of(world: Any, persona: str) -> Any:
    return world.users[persona].teacher_profiles.get()
