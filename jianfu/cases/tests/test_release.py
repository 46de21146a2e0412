"""Daily release of complaints to schools (security.md M2, docs/decisions/0032): a school cannot
learn when a complaint arrived, nor its place in the district's filing order."""

import json
import re
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest

from conftest import PERSONAS
from jianfu.cases.models import Complaint
from jianfu.cases.selectors import complaints_for_actor
from jianfu.cases.services import complaint_file, complaint_record
from jianfu.cases.tests.helpers import release

pytestmark = pytest.mark.django_db
BEIJING = ZoneInfo("Asia/Shanghai")
SCHOOL = ("principal", "academic")
DISTRICT = ("bureau", "inspector")


def file(world, **kw):
    return complaint_file(
        actor=world.users["parent"],
        student_id=world.student.pk,
        category="homework",
        text=kw.pop("text", "五年级(1)班最近每天作业都要写到十点以后"),
        **kw,
    )


@pytest.mark.parametrize(
    ("filed_on", "released_on"),
    [
        (date(2026, 9, 29), date(2026, 9, 30)),  # Tue → Wed
        (date(2026, 10, 16), date(2026, 10, 19)),  # Fri → Mon
        (date(2026, 10, 17), date(2026, 10, 19)),  # Sat → Mon
        (date(2026, 9, 30), date(2026, 10, 8)),  # eve of National Day (10-01..07 holiday) → 10-08
        (date(2026, 10, 9), date(2026, 10, 10)),  # Fri → Sat 10-10, a make-up working day
    ],
)
def test_a_complaint_reaches_the_school_at_8_on_the_next_working_day(world, filed_on, released_on):
    c = file(world, today=filed_on)
    assert c.released_at == datetime.combine(released_on, datetime.min.time().replace(hour=8), tzinfo=BEIJING)
    before = datetime(released_on.year, released_on.month, released_on.day, 7, 59, tzinfo=BEIJING)
    at = datetime(released_on.year, released_on.month, released_on.day, 8, 0, tzinfo=BEIJING)
    for persona in SCHOOL:
        assert not complaints_for_actor(world.users[persona], now=before).filter(pk=c.pk).exists()
        assert complaints_for_actor(world.users[persona], now=at).filter(pk=c.pk).exists()
    # The district handles and oversees: it sees the complaint from the moment it is filed.
    assert complaints_for_actor(world.users["bureau"], now=before).filter(pk=c.pk).exists()


def test_deadlines_count_from_the_release(world):
    # Filed Sat 2026-10-17, released Mon 10-19 08:00. Two working days after the release day:
    # Tue 10-20, Wed 10-21 → acknowledge by 10-21. Fifteen: 10-20..23 (4), 10-26..30 (9),
    # 11-02..06 (14), 11-09 (15) → answer by 11-09. (Counted from the filing day, the school would
    # have had Monday less: acknowledge by 10-20.)
    c = file(world, today=date(2026, 10, 17))
    assert (c.acknowledge_due, c.answer_due) == (date(2026, 10, 21), date(2026, 11, 9))
    # A hotline complaint recorded by the bureau is released the same way.
    recorded = complaint_record(
        actor=world.users["bureau"],
        school_id=world.school.pk,
        class_id=None,
        category="fees",
        text="来电反映学校强制订购教辅资料",
        channel="phone",
        today=date(2026, 10, 17),
    )
    assert recorded.released_at == datetime(2026, 10, 19, 8, 0, tzinfo=BEIJING)
    assert recorded.acknowledge_due == date(2026, 10, 21)


@pytest.mark.parametrize("persona", PERSONAS)
def test_a_complaint_filed_now_is_hidden_from_the_school_until_its_release(client, world, persona):
    c = file(world)  # filed today: released tomorrow morning at the earliest
    client.force_login(world.users[persona])
    listing = client.get("/api/v1/cases/complaints")
    page = client.get("/cases/")
    detail = client.get(f"/cases/{c.ref}/")
    ack = client.post(f"/api/v1/cases/complaints/{c.ref}/acknowledge")
    sees = persona in DISTRICT
    assert listing.status_code == 200
    assert (c.ref in listing.content.decode()) == sees
    assert (c.ref in page.content.decode()) == sees
    assert detail.status_code == (200 if sees else 404)
    assert ack.status_code == (200 if persona == "bureau" else 403 if persona == "inspector" else 404)
    release(c)
    detail = client.get(f"/cases/{c.ref}/")
    assert detail.status_code == (200 if persona in DISTRICT + SCHOOL else 404)


def test_the_school_sees_no_id_and_no_order_of_arrival(client, world):
    for n in range(6):
        release(
            complaint_record(
                actor=world.users["bureau"],
                school_id=world.school.pk,
                class_id=None,
                category="fees",
                text=f"来电反映第{n}件收费问题，请学校核实",
                channel="phone",
            )
        )
    client.force_login(world.users["academic"])
    items = client.get("/api/v1/cases/complaints").json()
    assert len(items) == 6
    pks = {str(c.pk) for c in Complaint.objects.all()}
    for item in items:
        # The id is the random ref, and nothing in an item counts or times the filing.
        assert item["id"].startswith("c") and not item["id"][1:].isdigit() and item["id"] not in pks
        assert set(item) == {
            "id",
            "school",
            "class_name",
            "category",
            "text",
            "filed_on",
            "level",
            "status",
            "acknowledge_due",
            "answer_due",
            "answer",
            # The case desk (issue 15): who handles it and where the answer stands, nothing timed.
            "assignee",
            "assigned_to_me",
            "awaiting_signoff",
            "answer_draft",
            "closing_note",
        }
    # One day: ordered by the random ref, which says nothing of which came first.
    assert [i["id"] for i in items] == sorted(i["id"] for i in items)
    page = client.get("/cases/").content.decode()
    assert not re.search(r'href="/cases/\d+/"', page)
    assert re.findall(r'href="/cases/(c[0-9a-f]+)/"', page) == [i["id"] for i in items]


@pytest.mark.parametrize("persona", PERSONAS)
def test_an_id_in_a_url_opens_a_complaint_for_district_roles_only(client, world, persona):
    c = release(file(world))
    client.force_login(world.users[persona])
    by_id = client.get(f"/cases/{c.pk}/")
    assert by_id.status_code == (200 if persona in DISTRICT else 404)
    answer = client.post(
        f"/api/v1/cases/complaints/{c.pk}/answer",
        json.dumps({"answer": "已核实并整改。"}),
        content_type="application/json",
    )
    assert answer.status_code == (200 if persona == "bureau" else 403 if persona == "inspector" else 404)
    assert client.get("/cases/99999999999999999999999/").status_code == 404  # past 64 bits: no 500


@pytest.mark.parametrize("persona", PERSONAS)
def test_photos_are_addressed_by_ref_and_place_and_follow_the_release(
    client, world, settings, tmp_path, persona
):
    import io

    from PIL import Image

    settings.MEDIA_ROOT = tmp_path
    buf = io.BytesIO()
    Image.new("RGB", (40, 30), (1, 2, 3)).save(buf, format="JPEG")
    c = file(world, photos=[buf.getvalue()])
    client.force_login(world.users[persona])
    assert client.get(f"/cases/photo/{c.ref}/1/").status_code == (200 if persona in DISTRICT else 404)
    release(c)
    assert client.get(f"/cases/photo/{c.ref}/1/").status_code == (
        200 if persona in DISTRICT + SCHOOL else 404
    )
    assert client.get(f"/cases/photo/{c.ref}/2/").status_code == 404
    assert client.get(f"/cases/photo/{c.ref}/0/").status_code == 404
