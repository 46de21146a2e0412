"""Opening the attendance page creates today's sessions, once, for the same number of queries
whatever the number of classes."""

from __future__ import annotations

from typing import Any

import pytest

from jianfu.afterschool.attendance.services import sessions_ensure
from jianfu.afterschool.models import (
    ServiceSession,
)
from jianfu.afterschool.tests.factories_days import (
    MON,
    course_in,
    programme_for,
    teacher_of,
)
from jianfu.afterschool.tests.query_counts import (
    DAYS,
    count,
    day_with_classes,
)
from jianfu.core.models import AuditEvent

pytestmark = pytest.mark.django_db


# --- 2. today's sessions, created when the attendance page opens --------------------------------


@pytest.mark.parametrize("via", ["page", "api"])
def test_todays_sessions_cost_the_same_for_two_classes_as_for_five(client, world, autumn_term, monday, via):
    client.force_login(world.users["principal"])

    def get() -> Any:
        if via == "page":
            return client.get("/afterschool/days/attendance/")
        return client.get(f"{DAYS}/sessions")

    p = programme_for(world, autumn_term)
    course_in(p, "趣味编程", teacher=teacher_of(world, "teacher"), weekdays=(1, 3))
    counts = []
    for n in (2, 3):  # 2 classes, then 5
        day_with_classes(world, p, n)
        ServiceSession.objects.all().delete()
        first, r = count(get)  # creates the day's sessions
        assert r.status_code == 200
        again, r = count(get)  # finds them
        assert r.status_code == 200
        counts.append((first, again))
    assert counts[1] == counts[0]

    # 5 classes with children in the basic part, plus the course: 6 sessions, each once.
    sessions = ServiceSession.objects.filter(date=MON)
    assert sessions.count() == 6
    basic = sessions.filter(course__isnull=True).select_related("teacher")
    assert sorted(s.teacher.name for s in basic) == ["赵老师"] * 3 + ["陈老师"] * 2
    if via == "api":
        assert len(r.json()) == 6


def test_sessions_ensure_creates_only_what_is_missing(world, autumn_term, monday):
    p = programme_for(world, autumn_term)
    course_in(p, "趣味编程", teacher=teacher_of(world, "teacher"), weekdays=(1, 3))
    day_with_classes(world, p, 3)
    made = sessions_ensure(actor=None, programme=p, on=MON)
    assert [s.course.name if s.course else str(s.school_class) for s in made] == [
        "趣味编程",
        "四年级(1)班",
        "四年级(2)班",
        "四年级(3)班",
    ]
    ServiceSession.objects.filter(school_class__number=2).delete()
    again = sessions_ensure(actor=None, programme=p, on=MON)
    assert [s.pk for s in again if s.pk in {m.pk for m in made}] == [made[0].pk, made[1].pk, made[3].pk]
    assert ServiceSession.objects.filter(programme=p, date=MON).count() == 4
    created = AuditEvent.objects.filter(action="afterschool_sessions_created").order_by("pk")
    assert [e.data["created"] for e in created] == [4, 1]
    sessions_ensure(actor=None, programme=p, on=MON)
    assert created.count() == 2  # nothing made, nothing audited


@pytest.mark.django_db(transaction=True)
def test_the_first_opens_of_the_day_at_once_make_each_session_once(world, autumn_term, monday):
    """At the bell the principal and both teachers open the attendance page together: one course
    session and three class sessions are made once, and one audit row counts the four."""
    from conftest import run_at_once
    from jianfu.afterschool.attendance.services import sessions_ensure_for_actor

    p = programme_for(world, autumn_term)
    course_in(p, "趣味编程", teacher=teacher_of(world, "teacher"), weekdays=(1, 3))
    day_with_classes(world, p, 3)
    actors = [world.users[k] for k in ("principal", "teacher", "head_teacher", "principal")]
    calls = [lambda a=a: sessions_ensure_for_actor(actor=a, on=MON) for a in actors]
    assert run_at_once(*calls) == []
    assert ServiceSession.objects.filter(programme=p, date=MON).count() == 4
    created = AuditEvent.objects.filter(action="afterschool_sessions_created")
    assert [e.data["created"] for e in created] == [4]
