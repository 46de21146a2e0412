"""Helpers for the query-count tests (test_query_counts_*.py): count a call's queries, and build
scenarios a few rows at a time."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.db import connection
from django.test.utils import CaptureQueriesContext

from jianfu.accounts.models import User
from jianfu.afterschool.models import BasicSupervisor
from jianfu.afterschool.tests.factories_days import apply_for, kid, teacher_of
from jianfu.schools.models import SchoolClass

DAYS = "/api/v1/afterschool/days"


def count(call: Callable[[], Any]) -> tuple[int, Any]:
    """How many queries `call` runs, and what it returned."""
    with CaptureQueriesContext(connection) as ctx:
        out = call()
    return len(ctx.captured_queries), out


def fresh(user: User) -> User:
    """The user as a new request sees it (nothing cached on the instance)."""
    return User.objects.get(pk=user.pk)


SERIAL = iter(range(100, 10_000))  # unique 学籍号 and names across a test


def new_class(world: Any, grade: int = 4) -> SchoolClass:
    number = SchoolClass.objects.filter(school=world.school, grade__number=grade).count() + 1
    return SchoolClass.objects.create(
        school=world.school, grade=world.school.grades.get(number=grade), number=number
    )


def new_kid(world: Any, school_class: SchoolClass, name: str = "学生") -> Any:
    n = next(SERIAL)
    return kid(world, school_class, f"{name}{n}", n)


def classes_in_basic_part(world: Any, programme: Any, n: int) -> list[SchoolClass]:
    """n new classes, each with one child in the basic part."""
    out = []
    for _ in range(n):
        c = new_class(world)
        apply_for(programme, new_kid(world, c), basic=True)
        out.append(c)
    return out


def day_with_classes(world: Any, programme: Any, n: int) -> list[SchoolClass]:
    """n more classes in the basic part; every other one supervised by 赵老师 instead of its head
    teacher (陈老师 heads them all)."""
    head, math = teacher_of(world, "head_teacher"), teacher_of(world, "teacher")
    classes = classes_in_basic_part(world, programme, n)
    for i, c in enumerate(classes):
        c.head_teacher = head
        c.save()
        if i % 2 == 0:
            BasicSupervisor.objects.create(
                programme=programme, school_class=c, teacher=math, assigned_by=world.users["principal"]
            )
    return classes
