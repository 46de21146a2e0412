"""Per-persona permission tests for the after-school day actions that change or undo arrangements:
removing a gate duty and undoing a departure over the API, and the office's arrangements page.

Who may, from the code: a gate duty is the school office's (services/pickup.py duty_remove →
permissions.can_manage_programme: principal and academic affairs of the programme's school); a
departure is undone by the office or staff on duty that day (pickup/services.py departure_undo →
pickup/selectors.can_work_gate), staff on duty only the same day; the arrangements page is the
office's (views_pickup.arrangements → programmes_for_office). Everyone else is answered as if the
thing did not exist (NotFound → 404) and nothing changes.
"""

import re
from datetime import date
from unittest import mock

import pytest

from conftest import PERSONAS, api
from jianfu.afterschool.models import BasicSupervisor, Departure, PickupSlot, StaffDuty
from jianfu.afterschool.pickup.services import departure_record, duty_assign
from jianfu.afterschool.tests.conftest import assert_says
from jianfu.afterschool.tests.factories_days import (
    MON,
    TUE,
    at,
    course_in,
    pickup_slots,
    place,
    programme_for,
    teacher_of,
)
from jianfu.core.actors import SystemActor

pytestmark = pytest.mark.django_db
OFFICE = {"principal", "academic"}  # the home school's office (permissions.can_manage_programme)
BASE = "/api/v1/afterschool/days"
ARRANGEMENTS = "/afterschool/days/arrangements/"


@pytest.fixture
def day(world, autumn_term, monday):
    """A published programme of the home school; 周小明 takes part on Monday (basic part and a
    course); the head teacher is on gate duty at 18:00 on Monday; 周小明 has left (a departure)."""
    p = programme_for(world, autumn_term)
    coding = course_in(p, "趣味编程", teacher=teacher_of(world, "teacher"), weekdays=(1, 3))
    place(coding, world.student, basic=True)
    slots = pickup_slots(p)
    duty = duty_assign(
        actor=world.users["principal"],
        programme_id=p.pk,
        slot_id=slots["18:00"].pk,
        on=MON,
        teacher_id=teacher_of(world, "head_teacher").pk,
    )
    departure = departure_record(
        actor=world.users["principal"], programme_id=p.pk, student_id=world.student.pk
    )
    return {"p": p, "slots": slots, "duty": duty, "departure": departure}


@pytest.mark.parametrize("persona", PERSONAS)
def test_removing_a_gate_duty_per_persona(client, world, day, persona):
    client.force_login(world.users[persona])
    r = api(client, "delete", f"{BASE}/duties/{day['duty'].pk}")
    if persona in OFFICE:
        assert (r.status_code, r.json()) == (200, {"ok": True}), persona
        assert not StaffDuty.objects.filter(pk=day["duty"].pk).exists()
    else:
        # The head teacher on that very duty may not remove it either: the roster is the office's.
        assert (r.status_code, r.json()["code"]) == (404, "not_found"), persona
        assert StaffDuty.objects.filter(pk=day["duty"].pk).exists()


@pytest.mark.parametrize("persona", PERSONAS)
def test_undoing_a_departure_the_same_day_per_persona(client, world, day, persona):
    client.force_login(world.users[persona])
    r = api(client, "delete", f"{BASE}/gate/departures/{day['departure'].pk}")
    if persona in OFFICE | {"head_teacher"}:  # the head teacher is on gate duty today
        assert (r.status_code, r.json()) == (200, {"ok": True}), persona
        assert not Departure.objects.filter(pk=day["departure"].pk).exists()
    else:
        assert (r.status_code, r.json()["code"]) == (404, "not_found"), persona
        assert Departure.objects.filter(pk=day["departure"].pk).exists()


@pytest.mark.parametrize("persona", PERSONAS)
def test_undoing_yesterdays_departure_per_persona(client, world, day, persona):
    """The next day only the office may undo it; staff who were on duty are told why (422)."""
    client.force_login(world.users[persona])
    with mock.patch("django.utils.timezone.now", return_value=at(TUE, 13, 30)):
        r = api(client, "delete", f"{BASE}/gate/departures/{day['departure'].pk}")
    kept = Departure.objects.filter(pk=day["departure"].pk).exists()
    if persona in OFFICE:
        assert (r.status_code, kept) == (200, False), persona
    elif persona == "head_teacher":
        assert (r.status_code, r.json()["code"], r.json()["field"]) == (
            422,
            "afterschool_departure_invalid",
            "date",
        )
        assert kept
    else:
        assert (r.status_code, kept) == (404, True), persona


def _arrangement_posts(client, world, day):
    """Each write action of the arrangements page, for Monday; the responses by action."""
    p, slots = day["p"], day["slots"]
    teacher = teacher_of(world, "teacher").pk
    posts = {
        "duty": {"slot": slots["18:30"].pk, "teacher": teacher},
        "duty_remove": {"duty": day["duty"].pk},
        "slot": {"time": "19:00"},
        "supervisor": {"class": world.class_5_1.pk, "teacher": teacher},
    }
    return {
        action: client.post(ARRANGEMENTS, {"programme": p.pk, "date": str(MON), "action": action, **fields})
        for action, fields in posts.items()
    }


def _arrangements_now(world, day):
    p = day["p"]
    return {
        "duty": StaffDuty.objects.filter(
            programme=p, slot=day["slots"]["18:30"], date=MON, teacher__user=world.users["teacher"]
        ).exists(),
        "duty_remove": not StaffDuty.objects.filter(pk=day["duty"].pk).exists(),
        "slot": PickupSlot.objects.filter(programme=p, time="19:00").exists(),
        "supervisor": BasicSupervisor.objects.filter(
            programme=p, school_class=world.class_5_1, teacher__user=world.users["teacher"]
        ).exists(),
    }


@pytest.mark.parametrize("persona", PERSONAS)
def test_arrangement_actions_per_persona(client, world, day, persona):
    client.force_login(world.users[persona])
    responses = _arrangement_posts(client, world, day)
    done = _arrangements_now(world, day)
    if persona in OFFICE:
        back = f"{ARRANGEMENTS}?programme={day['p'].pk}&date={MON.isoformat()}"
        for action, r in responses.items():
            assert (r.status_code, r["Location"]) == (302, back), f"{persona} {action}"
        assert done == {"duty": True, "duty_remove": True, "slot": True, "supervisor": True}
    else:
        # Nobody else runs a programme, so the page is not there for them at all.
        for action, r in responses.items():
            assert r.status_code == 404, f"{persona} {action}"
        assert done == {"duty": False, "duty_remove": False, "slot": False, "supervisor": False}


def test_another_schools_principal_changes_nothing_here_through_the_page(client, world, day):
    """The outsider runs a programme of their own school, so the page opens for them; every action
    lands on their own programme or is refused by the service, and the home school's stays as it was."""
    from jianfu.schools.calendar.services import term_create

    term = term_create(
        actor=SystemActor("test-setup"),
        school=world.other_school,
        school_year="2026-2027",
        kind="autumn",
        start_date=date(2026, 9, 1),
        end_date=date(2026, 12, 31),
    )
    theirs = programme_for(world, term, school=world.other_school)
    client.force_login(world.users["outsider"])
    responses = _arrangement_posts(client, world, day)
    for action, r in responses.items():
        assert (r.status_code, r["Location"]) == (
            302,
            f"{ARRANGEMENTS}?programme={theirs.pk}&date={MON.isoformat()}",
        ), action
    assert _arrangements_now(world, day) == {
        "duty": False,
        "duty_remove": False,
        "slot": False,
        "supervisor": False,
    }
    page = client.get(ARRANGEMENTS).content.decode()  # the refusals, as messages
    errors = re.findall(r'<li class="msg-error">(.*?)</li>', page, re.S)
    # Three refusals in the order posted, each naming what it refused: the home school's slot given
    # for a duty, the home school's duty to remove (not found), the home school's class. Adding the
    # 19:00 slot to their own programme is no refusal.
    assert len(errors) == 3, errors
    for message, refused in zip(errors, ("接送时段", "值守安排", "班级"), strict=True):
        assert_says(message, refused)
    assert PickupSlot.objects.filter(programme=theirs, time="19:00").exists()  # their own, theirs to add
