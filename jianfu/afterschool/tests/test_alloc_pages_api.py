"""Every after-school programme and allocation page and endpoint, per persona; hardship never
reaches teachers, head teachers or the district; wiring of the forms to the same services."""

import pytest

from conftest import PERSONAS, api
from jianfu.afterschool.models import Application, Enrolment
from jianfu.afterschool.tests.alloc_fixtures import BUREAU, OFFICE, STAFF
from jianfu.afterschool.tests.conftest import assert_says

pytestmark = pytest.mark.django_db
VERIFIED_BADGE = '<span class="badge ok">已核实</span>'
VERIFY_BUTTONS = 'name="verified"'


def page_text(response):
    import re

    # CSRF tokens are random and could spell anything: strip them before searching the page.
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", response.content.decode())


@pytest.mark.parametrize("persona", PERSONAS)
def test_pages_per_persona(client, world, published, persona):
    p, football, _ = published
    client.force_login(world.users[persona])
    expected = {
        "/afterschool/": 200 if persona in STAFF | {"outsider"} else 404,
        f"/afterschool/{p.pk}/": 200 if persona in STAFF else 404,
        f"/afterschool/{p.pk}/courses/new/": 200 if persona in OFFICE else 404,
        f"/afterschool/{p.pk}/courses/{football.pk}/": 200 if persona in OFFICE else 404,
        f"/afterschool/{p.pk}/applications/": 200 if persona in OFFICE else 404,
        f"/afterschool/{p.pk}/allocation/": 200 if persona in OFFICE else 404,
        "/afterschool/providers/": 200 if persona in OFFICE | BUREAU | {"outsider"} else 404,
        "/afterschool/family/": 200 if persona == "parent" else 404,
        f"/afterschool/family/{p.pk}/{world.student.pk}/": 200 if persona == "parent" else 404,
    }
    for url, status in expected.items():
        response = client.get(url)
        assert response.status_code == status, (url, response.status_code)
        if status == 200:
            text = page_text(response)
            assert world.student.registry_id not in text and "13900000007" not in text
            # What shows 周小明's hardship claim (the published fixture claims and verifies it): the
            # "verified" badge on the claim and the buttons that verify or reject it.
            hardship_shown = [VERIFIED_BADGE in text, VERIFY_BUTTONS in text]
            if persona in OFFICE and url.endswith("/applications/"):
                assert hardship_shown == [True, True]  # the office's own list: the markers are real
            if persona not in OFFICE | {"parent"}:
                # Hardship is the school office's (and the family's own) alone.
                assert hardship_shown == [False, False], (url, persona)
                assert world.student.name not in text  # no child at all on staff and district pages


@pytest.mark.parametrize("persona", PERSONAS)
def test_writes_from_pages_per_persona(client, world, published, persona):
    p, *_ = published
    client.force_login(world.users[persona])
    response = client.post(f"/afterschool/{p.pk}/", {"action": "settings", "name": "改名"})
    assert response.status_code == (302 if persona in OFFICE else 403 if persona in STAFF else 404)
    p.refresh_from_db()
    assert (p.name == "改名") == (persona in OFFICE)
    response = client.post(f"/afterschool/{p.pk}/allocation/", {"action": "run", "seed": "1"})
    assert response.status_code == (302 if persona in OFFICE else 404)
    assert p.runs.count() == 1  # published: a re-run is refused (shown as an error) for everyone


@pytest.mark.parametrize("persona", PERSONAS)
def test_api_reads_per_persona(client, world, published, persona):
    p, *_ = published
    client.force_login(world.users[persona])
    listing = client.get("/api/v1/afterschool/programmes")
    assert listing.status_code == 200
    assert [x["id"] for x in listing.json()] == ([p.pk] if persona in STAFF else [])
    detail = client.get(f"/api/v1/afterschool/programmes/{p.pk}")
    assert detail.status_code == (200 if persona in STAFF else 404)
    apps = client.get(f"/api/v1/afterschool/programmes/{p.pk}/applications")
    assert apps.status_code == (200 if persona in OFFICE else 403 if persona in STAFF else 404)
    results = client.get(f"/api/v1/afterschool/programmes/{p.pk}/results")
    assert results.status_code == (200 if persona in OFFICE else 404)
    family = client.get("/api/v1/afterschool/family")
    assert family.status_code == (200 if persona == "parent" else 404)
    district = client.get("/api/v1/afterschool/district")
    assert district.status_code == (200 if persona in BUREAU else 404)
    providers = client.get("/api/v1/afterschool/providers")
    assert providers.status_code == (200 if persona in OFFICE | BUREAU | {"outsider"} else 404)
    for r in (listing, detail, results, district):
        if r.status_code == 200:
            body = r.content.decode()
            assert "hardship_claimed" not in body and world.student.name not in body
            assert world.student.registry_id not in body


@pytest.mark.parametrize("persona", PERSONAS)
def test_api_writes_per_persona(client, world, published, persona):
    p, football, _ = published
    client.force_login(world.users[persona])
    patch = api(client, "patch", f"/api/v1/afterschool/programmes/{p.pk}", {"name": "秋季托管"})
    assert patch.status_code == (200 if persona in OFFICE else 403 if persona in STAFF else 404)
    rerun = api(client, "post", f"/api/v1/afterschool/programmes/{p.pk}/allocation", {"seed": 9})
    assert rerun.status_code == (409 if persona in OFFICE else 403 if persona in STAFF else 404)
    if persona in OFFICE:
        assert rerun.json()["code"] == "afterschool_allocation_locked"
    choose = api(
        client,
        "put",
        f"/api/v1/afterschool/programmes/{p.pk}/children/{world.student.pk}/application",
        {"course_ids": [football.pk]},
    )
    # The window has closed: the family gets the Chinese window error; nobody else finds the child.
    assert choose.status_code == (422 if persona == "parent" else 404)
    if persona == "parent":
        assert choose.json()["code"] == "afterschool_window_closed"
        # The message tells the family the window (alloc_fixtures: 24 Aug 08:00 to 28 Aug 18:00).
        assert_says(choose.json()["message"], "8月24日", "08:00", "8月28日", "18:00")
    create = api(
        client,
        "post",
        "/api/v1/afterschool/programmes",
        {"school_id": world.school.pk, "term_id": p.term_id, "name": "春季"},
    )
    assert create.status_code == (200 if persona in OFFICE else 404)


def test_the_family_sees_the_result_and_its_notices(client, world, published):
    _, football, _ = published
    client.force_login(world.users["parent"])
    [child] = client.get("/api/v1/afterschool/family").json()
    [x] = child["programmes"]
    # The only applicant: 足球 (1 place) is theirs, first choice.
    assert x["placed"] == {
        "course_id": football.pk,
        "course": "足球",
        "weekdays": [1, 3],
        "start": "16:50:00",
        "end": "17:50:00",
        "room": "操场",
        "rank": 1,
        "waitlist_position": None,
    }
    # One notice: 周小明 has 足球, as the fixture made it (Mon/Wed, the course part 16:50–17:50, 操场).
    [notice] = x["notices"]
    assert_says(notice, "周小明", "足球", "录取", "周一、周三", "16:50", "17:50", "操场", never=("候补",))
    text = page_text(client.get("/afterschool/family/"))
    assert "足球" in text and "周一、周三 16:50–17:50" in text and "地点：操场" in text


def test_office_applications_show_hardship_and_htmx_verifies_a_row(client, world, published):
    p, *_ = published
    app = Application.objects.get(programme=p, student=world.student)
    client.force_login(world.users["academic"])
    body = client.get(f"/api/v1/afterschool/programmes/{p.pk}/applications").json()
    assert [
        (a["student"], a["hardship_claimed"], a["hardship_verified"], a["priority_flags"]) for a in body
    ] == [("周小明", True, True, ["hardship"])]
    response = client.post(
        f"/afterschool/{p.pk}/applications/", {"application": app.pk, "verified": "0"}, HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 200 and '<tr id="application-' in response.content.decode()
    app.refresh_from_db()
    assert app.hardship_verified is False


def test_parent_withdraws_through_the_page_and_the_api(client, world, published):
    p, football, _ = published
    client.force_login(world.users["parent"])
    r = client.post(
        "/afterschool/family/", {"action": "leave_course", "programme": p.pk, "student": world.student.pk}
    )
    assert r.status_code == 302
    assert Enrolment.objects.get(student=world.student, course=football).status == "withdrawn"
    r = api(
        client,
        "post",
        f"/api/v1/afterschool/programmes/{p.pk}/withdrawals",
        {"student_id": world.student.pk, "scope": "all"},
    )
    assert r.status_code == 200 and r.json() == {"left": None, "scope": "all"}
    assert Application.objects.get(student=world.student).withdrawn_at is not None
    other = api(
        client,
        "post",
        f"/api/v1/afterschool/programmes/{p.pk}/withdrawals",
        {"student_id": world.other_student.pk},
    )
    assert other.status_code == 404


def test_the_family_page_in_english(client, world, published):
    """A parent who chose English reads the results page in English (the catalogue, decision 0038);
    the data (course, room) stays as the school wrote it."""
    parent = world.users["parent"]
    parent.preferred_language = "en"
    parent.save(update_fields=["preferred_language"])
    client.force_login(parent)
    text = page_text(client.get("/afterschool/family/"))
    assert "After-school courses" in text and "Place offered" in text and "Room: 操场" in text
    # The notice is stored as it was sent (Chinese); the page around it is English.
    assert "地点：" not in text and "课后服务由家长自愿选择参加" not in text
