"""Another pickup person (代接人, issue 15, finding G5; decision 0052): named by the family for a day
or a period, idempotent, only the masked number kept (never in a URL, a log or an answer in full);
the gate list shows who may collect the child and the gate confirms the child left with them."""

import pytest

from conftest import api
from jianfu.afterschool.collectors.services import pickup_person_name, pickup_person_withdraw
from jianfu.afterschool.days.errors import DaysError
from jianfu.afterschool.models import Departure, PickupPerson
from jianfu.afterschool.pickup.selectors import gate_list
from jianfu.afterschool.pickup.services import departure_record, duty_assign
from jianfu.afterschool.tests.factories_days import (
    MON,
    TUE,
    WED,
    apply_for,
    at,
    pickup_slots,
    programme_for,
    teacher_of,
)
from jianfu.core.errors import NotFound
from jianfu.core.models import AuditEvent

pytestmark = pytest.mark.django_db
PHONE = "139 1234 5678"  # as a parent types it
MASKED = "139****5678"


@pytest.fixture
def scene(world, autumn_term, monday):
    """周小明 (the parent's child) in the basic part Mon–Fri; the clock: Monday 13:30."""
    p = programme_for(world, autumn_term)
    apply_for(p, world.student, basic=True, by=world.users["parent"])
    return p


def name(world, p, *, start=MON, end=None, persona="parent", who="王奶奶", phone=PHONE, rel="grandparent"):
    return pickup_person_name(
        actor=world.users[persona],
        programme_id=p.pk,
        student_id=world.student.pk,
        name=who,
        relationship=rel,
        phone=phone,
        start=start,
        end=end,
    )


def test_named_once_with_only_the_masked_number_kept(world, scene):
    first = name(world, scene, start=TUE, end=WED)
    assert name(world, scene, start=TUE, end=WED).pk == first.pk
    assert PickupPerson.objects.count() == 1
    assert first.phone_masked == MASKED
    stored = str(list(PickupPerson.objects.values()))
    assert "12345678" not in stored.replace("*", "")  # the full number is nowhere in the row
    [event] = AuditEvent.objects.filter(action="afterschool_pickup_person_named")
    assert "5678" not in str(event.data) and "王奶奶" not in str(event.data)


@pytest.mark.parametrize(
    ("kw", "field"),
    [
        ({"who": ""}, "name"),
        ({"who": "王" * 21}, "name"),
        ({"rel": "boss"}, "relationship"),
        ({"phone": "12345"}, "phone"),
        ({"start": TUE, "end": MON}, "end_date"),
        ({"start": MON.replace(day=20)}, "start_date"),
    ],
)
def test_bad_entries_are_refused_naming_the_field_without_echoing_the_number(world, scene, kw, field):
    with pytest.raises(DaysError) as e:
        name(world, scene, **kw)
    assert e.value.code == DaysError.PICKUP_PERSON_INVALID and e.value.field == field
    assert "12345" not in e.value.message and e.value.message_en
    assert not PickupPerson.objects.exists()


@pytest.mark.parametrize("persona", ["teacher", "head_teacher", "outsider", "bureau"])
def test_only_the_family_or_the_office(world, scene, persona):
    with pytest.raises(NotFound):
        name(world, scene, persona=persona)
    person = name(world, scene)
    with pytest.raises(NotFound):
        pickup_person_withdraw(actor=world.users[persona], person_id=person.pk)
    assert name(world, scene, persona="academic", who="李阿姨", rel="carer").pk != person.pk


def test_the_gate_sees_who_may_collect_and_confirms_it(world, scene):
    person = name(world, scene)
    [row] = [c for g in gate_list(scene, MON) for c in g["children"] if c["student"].pk == world.student.pk]
    assert [(p.name, p.get_relationship_display(), p.phone_masked) for p in row["persons"]] == [
        ("王奶奶", "祖父母或外祖父母", MASKED)
    ]
    departure = departure_record(
        actor=world.users["academic"],
        programme_id=scene.pk,
        student_id=world.student.pk,
        pickup_person_id=person.pk,
        now=at(MON, 17, 35),
    )
    assert departure.pickup_person == person
    assert AuditEvent.objects.get(action="afterschool_departure_recorded").data["by_pickup_person"] is True


def test_the_gate_refuses_a_person_not_named_for_today_or_withdrawn(world, scene):
    tomorrow = name(world, scene, start=TUE)
    today = name(world, scene, who="王爷爷")
    pickup_person_withdraw(actor=world.users["parent"], person_id=today.pk)
    for person in (tomorrow, today):
        with pytest.raises(DaysError) as e:
            departure_record(
                actor=world.users["academic"],
                programme_id=scene.pk,
                student_id=world.student.pk,
                pickup_person_id=person.pk,
                now=at(MON, 17, 35),
            )
        assert e.value.field == "pickup_person_id"
    assert not Departure.objects.exists()


def test_the_gate_page_shows_the_person_and_records_the_tap(client, world, scene, autumn_term):
    person = name(world, scene)
    duty_assign(
        actor=world.users["academic"],
        programme_id=scene.pk,
        slot_id=pickup_slots(scene)["17:30"].pk,
        on=MON,
        teacher_id=teacher_of(world, "head_teacher").pk,
    )
    client.force_login(world.users["head_teacher"])
    page = client.get("/afterschool/days/gate/").content.decode()
    assert "王奶奶" in page and MASKED in page and "13912345678" not in page
    r = client.post(
        "/afterschool/days/gate/depart/",
        {"programme": scene.pk, "child": world.student.pk, "person": person.pk},
    )
    assert r.status_code == 302
    assert Departure.objects.get().pickup_person == person


def test_the_family_page_names_once_keeps_what_was_typed_and_withdraws(client, world, scene):
    client.force_login(world.users["parent"])
    assert "指定代接人" in client.get("/afterschool/days/pickup-persons/").content.decode()
    form = {
        "programme": scene.pk,
        "child": world.student.pk,
        "name": "王奶奶",
        "relationship": "grandparent",
        "phone": "13912345678",
        "start_date": "2026-11-24",
    }
    assert client.post("/afterschool/days/pickup-persons/", form).status_code == 302
    assert client.post("/afterschool/days/pickup-persons/", form).status_code == 302  # a double tap
    assert PickupPerson.objects.count() == 1
    r = client.post("/afterschool/days/pickup-persons/", {**form, "name": "李阿姨", "phone": "139"})
    page = r.content.decode()
    assert r.status_code == 422 and "手机号" in page and 'value="李阿姨"' in page
    listing = client.get("/afterschool/days/pickup-persons/").content.decode()
    assert MASKED in listing and "13912345678" not in listing
    person = PickupPerson.objects.get()
    assert client.post("/afterschool/days/pickup-persons/", {"person": person.pk}).status_code == 302
    person.refresh_from_db()
    assert person.withdrawn_at is not None


def test_the_api_names_idempotently_and_never_answers_the_full_number(client, world, scene):
    client.force_login(world.users["parent"])
    url = f"/api/v1/afterschool/days/children/{world.student.pk}/pickup-persons"
    body = {
        "programme_id": scene.pk,
        "name": "王奶奶",
        "relationship": "grandparent",
        "phone": "13912345678",
        "start_date": "2026-11-24",
    }
    first, again = api(client, "post", url, body), api(client, "post", url, body)
    assert first.status_code == again.status_code == 200 and first.json()["id"] == again.json()["id"]
    listed = api(client, "get", url)
    assert [p["phone_masked"] for p in listed.json()] == [MASKED]
    assert "13912345678" not in (first.content + listed.content).decode()
    gone = api(client, "delete", f"/api/v1/afterschool/days/pickup-persons/{first.json()['id']}")
    assert gone.status_code == 200 and gone.json()["withdrawn"] is True
