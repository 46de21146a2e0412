"""The family's schedule shows every week a booking covers (issue 15, finding G6): a standing
booking confirmed as "以及之后 N 个周五" has each of those Fridays on the pickup page."""

import re

import pytest

from jianfu.afterschool.leave.services import leave_report
from jianfu.afterschool.tests.factories_days import TUE, apply_for, pickup_slots, programme_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def scene(world, autumn_term, monday):
    p = programme_for(world, autumn_term)
    apply_for(p, world.student, basic=True, by=world.users["parent"])
    return p


def test_every_friday_of_a_weekly_booking_is_on_the_page(client, world, scene):
    client.force_login(world.users["parent"])
    slot = pickup_slots(scene)["18:00"]
    r = client.post(
        "/afterschool/days/pickup/",
        {
            "programme": scene.pk,
            "child": world.student.pk,
            "slot": slot.pk,
            "date": "2026-11-27",
            "weekly": "on",
        },
        follow=True,
    )
    page = r.content.decode()
    # Fridays from 27 Nov to the end of term (31 Dec, a Thursday): 27 Nov; 4, 11, 18, 25 Dec — the
    # first and the four after it.
    assert "以及之后 4 个周五" in page
    for day in ("11月27日 周五", "12月4日 周五", "12月11日 周五", "12月18日 周五", "12月25日 周五"):
        row = re.search(rf"<td>{day}</td><td><strong>(\d\d:\d\d)</strong>", page)
        assert row is not None, day
        assert row.group(1) == "18:00"
    # Six school weeks (23 Nov … 28 Dec); the first two are unfolded, the rest one line each.
    assert page.count('<details class="week"') == 6
    assert page.count('<details class="week" open>') == 2


def test_a_day_on_leave_shows_as_leave_in_the_schedule(client, world, scene):
    leave_report(actor=world.users["parent"], programme_id=scene.pk, student_id=world.student.pk, start=TUE)
    client.force_login(world.users["parent"])
    page = client.get("/afterschool/days/pickup/").content.decode()
    assert re.search(r"<td>11月24日 周二</td><td><span class=\"badge\">请假</span>", page)
    assert re.search(r"<td>11月23日 周一</td><td><strong>17:30</strong>", page)
