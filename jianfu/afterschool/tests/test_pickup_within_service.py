"""A pickup time cannot be booked after the day's service ends (issue 15, finding G4): the service
refuses it, naming the field, for the family and the office alike; the page offers only the times
within the day's service; the API answers 422 with the code."""

from datetime import time

import pytest

from conftest import api
from jianfu.afterschool.days.errors import DaysError
from jianfu.afterschool.days.rules import pickup_within_service
from jianfu.afterschool.models import PickupBooking
from jianfu.afterschool.pickup.services import pickup_book
from jianfu.afterschool.tests.factories_days import MON, apply_for, at, pickup_slots, programme_for

pytestmark = pytest.mark.django_db


def test_the_rule_allows_the_last_parts_end_and_nothing_later():
    assert pickup_within_service(time(18, 30), time(18, 30))
    assert pickup_within_service(time(17, 30), time(18, 30))
    assert not pickup_within_service(time(18, 31), time(18, 30))
    assert not pickup_within_service(time(17, 30), None)  # no service that day


@pytest.fixture
def early(world, autumn_term):
    """Extended care ends at 18:00, but the office also offers an 18:30 pickup slot."""
    p = programme_for(world, autumn_term, extended=("17:30", "18:00"))
    apply_for(p, world.student, basic=True, by=world.users["parent"])
    return p, pickup_slots(p)


def _book(world, p, slot, persona="parent", weekly=False):
    return pickup_book(
        actor=world.users[persona],
        programme_id=p.pk,
        student_id=world.student.pk,
        slot_id=slot.pk,
        on=MON,
        weekly=weekly,
        now=at(MON, 9),
    )


def test_booking_at_the_end_of_extended_care_is_accepted(world, early):
    p, slots = early
    [booking] = _book(world, p, slots["18:00"])
    assert booking.slot.time == time(18, 0)


@pytest.mark.parametrize("persona", ["parent", "academic"])
@pytest.mark.parametrize("weekly", [False, True])
def test_booking_after_the_service_ends_is_refused_naming_the_field(world, early, persona, weekly):
    p, slots = early
    with pytest.raises(DaysError) as e:
        _book(world, p, slots["18:30"], persona=persona, weekly=weekly)
    assert e.value.code == DaysError.PICKUP_AFTER_SERVICE
    assert e.value.field == "slot_id"
    msg = e.value.message
    assert msg.startswith("接送时间") and "18:00" in msg and "18:30" in msg and "周一" in msg
    english = e.value.message_en
    assert english.startswith("Pickup time") and "18:00" in english and "Mon" in english
    assert not PickupBooking.objects.filter(student=world.student).exists()


def test_the_page_offers_only_times_within_the_day_and_refuses_a_later_one(client, world, early, monday):
    p, slots = early
    client.force_login(world.users["parent"])
    page = client.get("/afterschool/days/pickup/").content.decode()
    assert f'value="{slots["18:00"].pk}"' in page
    assert f'value="{slots["18:30"].pk}"' not in page
    assert "最晚 18:00" in page
    r = client.post(
        "/afterschool/days/pickup/",
        {"programme": p.pk, "child": world.student.pk, "slot": slots["18:30"].pk, "date": MON.isoformat()},
    )
    assert r.status_code == 422
    assert "接送时间" in r.content.decode() and "18:00" in r.content.decode()
    assert not PickupBooking.objects.filter(student=world.student).exists()


def test_the_api_refuses_with_the_code_and_says_the_latest_time(client, world, early, monday):
    p, slots = early
    client.force_login(world.users["parent"])
    url = f"/api/v1/afterschool/days/children/{world.student.pk}/pickup"
    days = api(client, "get", url).json()["days"]
    assert days and all(d["latest_time"] == "18:00:00" for d in days)
    r = api(
        client, "post", url, {"programme_id": p.pk, "slot_id": slots["18:30"].pk, "date": MON.isoformat()}
    )
    assert r.status_code == 422
    body = r.json()
    assert body["code"] == DaysError.PICKUP_AFTER_SERVICE
