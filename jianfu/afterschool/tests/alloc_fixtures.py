"""Building blocks for the programme and allocation tests: a programme for the home school's autumn
term with the demo's week (basic 15:40–16:40, courses 16:50–17:50, extended care to 18:30), courses,
and children with a guardian account each. Everything goes through the services."""

from __future__ import annotations

from datetime import datetime, time
from decimal import Decimal
from itertools import count
from typing import Any
from zoneinfo import ZoneInfo

from conftest import make_user
from jianfu.accounts.models import Membership, Role
from jianfu.afterschool.courses.services import CourseSpec, course_save
from jianfu.afterschool.family.services import application_submit
from jianfu.afterschool.models import ServicePart
from jianfu.afterschool.programme.services import (
    SlotSpec,
    programme_close_choosing,
    programme_create,
    programme_open_choosing,
    slots_set,
)
from jianfu.schools.models import Guardian, Student

# Who may do what with a programme (permissions.can_manage_programme; domain.md roles).
OFFICE = {"principal", "academic"}
STAFF = OFFICE | {"head_teacher", "teacher", "bureau", "inspector"}
BUREAU = {"bureau", "inspector"}

SH = ZoneInfo("Asia/Shanghai")
OPENS = datetime(2026, 8, 24, 8, 0, tzinfo=SH)
CLOSES = datetime(2026, 8, 28, 18, 0, tzinfo=SH)
DURING = datetime(2026, 8, 25, 20, 0, tzinfo=SH)  # an evening inside the window
AFTER = datetime(2026, 8, 29, 9, 0, tzinfo=SH)
_seq = count(1)


def week_slots(days=(1, 2, 3, 4, 5), extended_end=time(18, 30)) -> list[SlotSpec]:
    out = []
    for d in days:
        out += [
            SlotSpec(d, ServicePart.BASIC, time(15, 40), time(16, 40)),
            SlotSpec(d, ServicePart.COURSE, time(16, 50), time(17, 50)),
            SlotSpec(d, ServicePart.EXTENDED, time(17, 50), extended_end),
        ]
    return out


def programme(
    world: Any,
    term: Any,
    *,
    max_choices: int = 3,
    priority_rules: dict | None = None,
    name="2026年秋季课后服务",
):
    office = world.users["academic"]
    p = programme_create(
        actor=office,
        school_id=world.school.pk,
        term_id=term.pk,
        name=name,
        max_choices=max_choices,
        priority_rules=priority_rules,
        choice_opens_at=OPENS,
        choice_closes_at=CLOSES,
    )
    slots_set(actor=office, programme_id=p.pk, slots=week_slots())
    return p


def teacher(world: Any) -> Any:
    return world.users["teacher"].teacher_profiles.get()


def course(
    world: Any, p: Any, name: str, capacity: int, *, weekdays=(1, 3), grades=(1, 6), min_size=0, **kw
) -> Any:
    spec = CourseSpec(
        name=name,
        category=kw.pop("category", "sport"),
        capacity=capacity,
        weekdays=list(weekdays),
        teacher_id=kw.pop("teacher_id", teacher(world).pk) if "provider_id" not in kw else None,
        min_grade=grades[0],
        max_grade=grades[1],
        min_size=min_size,
        room=kw.pop("room", "操场"),
        fee_per_term=kw.pop("fee_per_term", Decimal("0")),
        **kw,
    )
    return course_save(actor=world.users["academic"], programme_id=p.pk, spec=spec)


def open_choosing(world: Any, p: Any) -> Any:
    return programme_open_choosing(actor=world.users["academic"], programme_id=p.pk, now=DURING)


def close(world: Any, p: Any) -> Any:
    return programme_close_choosing(actor=world.users["academic"], programme_id=p.pk, now=AFTER)


def child(world: Any, *, school_class: Any = None, name: str | None = None) -> tuple[Any, Any]:
    """A new child in class 5(1) (or `school_class`) with a guardian who has an account."""
    n = next(_seq)
    school_class = school_class or world.class_5_1
    kid = Student.objects.create(
        school=world.school,
        school_class=school_class,
        registry_id=f"L2016{n:012d}",
        name=name or f"学生{n:03d}",
        gender="F",
        birth_date=datetime(2015, 6, 1).date(),
    )
    parent = make_user(f"1371{n:07d}", f"家长{n:03d}")
    Guardian.objects.create(student=kid, name=parent.name, phone=parent.phone, relation="母亲", user=parent)
    Membership.objects.create(user=parent, role=Role.PARENT, school_class=school_class)
    return parent, kid


def apply(parent: Any, kid: Any, p: Any, courses: list[Any], **kw) -> Any:
    return application_submit(
        actor=parent,
        programme_id=p.pk,
        student_id=kid.pk,
        course_ids=[c.pk for c in courses],
        now=kw.pop("now", DURING),
        **kw,
    )
