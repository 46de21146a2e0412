"""The session sheet, the pickup card and the arrangements page (the basic-part supervisors) cost
the same number of queries whatever the number of children or classes."""

from __future__ import annotations

from typing import Any

import pytest

from jianfu.afterschool.attendance.services import sessions_ensure
from jianfu.afterschool.models import (
    AttendanceRecord,
    AttendanceStatus,
)
from jianfu.afterschool.tests.factories_days import (
    MON,
    apply_for,
    course_in,
    place,
    programme_for,
    teacher_of,
)
from jianfu.afterschool.tests.query_counts import (
    DAYS,
    count,
    day_with_classes,
    new_kid,
)
from jianfu.schools.models import (
    Guardian,
    SchoolClass,
)

pytestmark = pytest.mark.django_db


# --- 3. one selector each: the session sheet, the pickup card, the basic supervisors ------------


def session_with_children(world: Any, programme: Any, school_class: SchoolClass, n: int) -> None:
    for _ in range(n):
        apply_for(programme, new_kid(world, school_class), basic=True)


@pytest.mark.parametrize("via", ["page", "api"])
def test_the_session_sheet_costs_the_same_for_two_children_as_for_five(
    client, world, autumn_term, monday, via
):
    p = programme_for(world, autumn_term)
    session_with_children(world, p, world.class_5_1, 2)
    session = sessions_ensure(actor=None, programme=p, on=MON)[0]
    client.force_login(world.users["head_teacher"])
    url = (
        f"/afterschool/days/attendance/session/{session.pk}/"
        if via == "page"
        else f"{DAYS}/sessions/{session.pk}"
    )
    small, r = count(lambda: client.get(url))
    assert r.status_code == 200
    session_with_children(world, p, world.class_5_1, 3)
    first = AttendanceRecord.objects.create(
        session=session,
        student=p.applications.order_by("pk").first().student,
        status=AttendanceStatus.ABSENT,
        marked_by=world.users["head_teacher"],
    )
    large, r = count(lambda: client.get(url))
    assert r.status_code == 200
    assert large == small
    if via == "api":
        body = r.json()
        assert (body["size"], body["marked"], body["editable"]) == (5, 1, True)
        assert {c["student_id"]: c["status"] for c in body["children"]}[first.student_id] == "absent"
    else:
        page = r.content.decode()
        for a in p.applications.select_related("student"):
            assert a.student.name in page


def children_taking_part(world: Any, programme: Any, n: int) -> list[Any]:
    out = []
    for i in range(n):
        child = new_kid(world, world.class_5_1, "孩子")
        Guardian.objects.create(student=child, name="周女士", phone="13900000007", user=world.users["parent"])
        apply_for(programme, child, basic=i % 2 == 0)
        if i % 2:
            place(programme.courses.get(), child)
        out.append(child)
    return out


@pytest.mark.parametrize("via", ["page", "api"])
def test_the_pickup_card_costs_the_same_for_two_children_as_for_five(client, world, autumn_term, monday, via):
    p = programme_for(world, autumn_term)
    course_in(p, "趣味编程", teacher=teacher_of(world, "teacher"), weekdays=(1, 3))
    first = children_taking_part(world, p, 2)[0]
    client.force_login(world.users["parent"])
    url = "/afterschool/days/pickup/" if via == "page" else f"{DAYS}/children/{first.pk}/pickup"
    small, r = count(lambda: client.get(url))
    assert r.status_code == 200
    children = first, *children_taking_part(world, p, 3)
    large, r = count(lambda: client.get(url))
    assert r.status_code == 200
    assert large == small
    if via == "api":
        body = r.json()
        assert body["programme_id"] == p.pk
        assert [s["time"] for s in body["slots"]] == ["17:30:00", "18:00:00", "18:30:00"]
        # In the basic part (Mon–Fri): every service day left in the term, from today, at the
        # default 17:30 (issue 15, G6): 23 Nov–31 Dec is five full weeks and Mon 28–Thu 31 Dec,
        # 5 × 5 + 4 = 29 days.
        assert body["days"][0]["date"] == str(MON)
        assert len(body["days"]) == 29
        assert {d["time"] for d in body["days"]} == {"17:30:00"}
    else:
        page = r.content.decode()
        for child in children:
            assert child.name in page
        assert world.student.name in page  # the world's child takes no part: a card saying so


def test_the_arrangements_page_costs_the_same_for_two_classes_as_for_five(client, world, autumn_term, monday):
    p = programme_for(world, autumn_term)
    client.force_login(world.users["principal"])
    url = f"/afterschool/days/arrangements/?programme={p.pk}&date={MON}"
    day_with_classes(world, p, 2)
    small, r = count(lambda: client.get(url))
    assert r.status_code == 200
    day_with_classes(world, p, 3)
    large, r = count(lambda: client.get(url))
    assert r.status_code == 200
    assert large == small
    page = r.content.decode()
    for number in range(1, 6):
        assert f"四年级({number})班" in page
