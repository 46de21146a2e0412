"""The menu's after-school entries cost the same number of queries whatever the number of a
parent's children or a teacher's classes."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest

from jianfu.accounts.models import User
from jianfu.afterschool.days.selectors import days_navigation
from jianfu.afterschool.models import (
    BasicSupervisor,
    Departure,
    ServiceSession,
)
from jianfu.afterschool.tests.factories_days import (
    MON,
    apply_for,
    at,
    course_in,
    place,
    programme_for,
    teacher_of,
)
from jianfu.afterschool.tests.query_counts import (
    classes_in_basic_part,
    count,
    fresh,
    new_class,
    new_kid,
)
from jianfu.schools.models import (
    Guardian,
)
from jianfu.schools.selectors import roles_of

pytestmark = pytest.mark.django_db


# --- 1. the menu ------------------------------------------------------------------------------


def parent_with_children(world: Any, n: int) -> list[Any]:
    """n more children of the world's parent, in two classes, none taking part yet."""
    children = []
    for i in range(n):
        child = new_kid(world, world.class_5_2 if i % 2 else world.class_5_1, "孩子")
        Guardian.objects.create(
            student=child, name="周女士", phone="13900000007", relation="母亲", user=world.users["parent"]
        )
        children.append(child)
    return children


def menu_labels(user: User) -> tuple[int, list[str]]:
    u = fresh(user)
    roles = roles_of(u)
    n, items = count(lambda: days_navigation(u, roles))
    return n, [i["label"] for i in items]


def test_parents_menu_costs_the_same_for_two_children_as_for_five(world, autumn_term, monday):
    p = programme_for(world, autumn_term)
    course_in(p, "周六营", teacher=teacher_of(world, "teacher"), weekdays=(6,))  # no service on Saturdays
    place(p.courses.get(), world.student)  # placed, but in a course that never meets: not taking part
    parent = world.users["parent"]
    parent_with_children(world, 1)
    small, labels = menu_labels(parent)
    assert "接送预约" not in labels
    children = parent_with_children(world, 3)
    large, labels = menu_labels(parent)
    assert large == small
    assert "接送预约" not in labels
    # One of the five in the basic part: the entry appears, for no more queries.
    apply_for(p, children[-1], basic=True)
    taking_part, labels = menu_labels(parent)
    assert "接送预约" in labels
    assert taking_part <= small


def late_classes(world: Any, programme: Any, n: int) -> None:
    """n more classes of 陈老师 (the head teacher), each with a child picked up late on three of the
    last service days and one child late only twice (not flagged)."""
    head = teacher_of(world, "head_teacher")
    late_days = [MON - timedelta(days=7), MON - timedelta(days=6), MON - timedelta(days=5)]
    for _ in range(n):
        c = new_class(world)
        c.head_teacher = head
        c.save()
        flagged, twice = new_kid(world, c), new_kid(world, c)
        for i, d in enumerate(late_days):
            for child in [flagged] if i == 2 else [flagged, twice]:
                Departure.objects.create(
                    programme=programme,
                    student=child,
                    date=d,
                    left_at=at(d, 18, 40),
                    late_minutes=10,
                    recorded_by=world.users["principal"],
                )


def test_head_teachers_late_flag_count_costs_the_same_for_two_classes_as_for_five(world, autumn_term, monday):
    p = programme_for(world, autumn_term)
    late_classes(world, p, 2)
    small, labels = menu_labels(world.users["head_teacher"])
    assert "接送提醒（2）" in labels
    late_classes(world, p, 3)
    large, labels = menu_labels(world.users["head_teacher"])
    assert large == small
    assert "接送提醒（5）" in labels


def supervised_classes(world: Any, programme: Any, n: int) -> None:
    teacher = teacher_of(world, "teacher")
    for c in classes_in_basic_part(world, programme, n):
        BasicSupervisor.objects.create(
            programme=programme, school_class=c, teacher=teacher, assigned_by=world.users["principal"]
        )


def test_staff_menu_costs_the_same_for_two_supervised_classes_as_for_five(world, autumn_term, monday):
    """Before the page has created today's sessions, the menu works out from the programme whether the
    teacher supervises a class's basic part today."""
    p = programme_for(world, autumn_term)
    supervised_classes(world, p, 2)
    small, labels = menu_labels(world.users["teacher"])
    assert "课后点名" in labels
    supervised_classes(world, p, 3)
    large, labels = menu_labels(world.users["teacher"])
    assert large == small
    assert "课后点名" in labels
    assert ServiceSession.objects.count() == 0  # the menu only reads
    # A teacher who supervises nothing and teaches no course today has no entry.
    _, labels = menu_labels(world.users["head_teacher"])
    assert "课后点名" not in labels
