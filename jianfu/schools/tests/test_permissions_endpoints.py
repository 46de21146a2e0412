"""Per-persona wiring checks for the roster and calendar endpoints not covered elsewhere."""

import json

import pytest

from conftest import PERSONAS
from jianfu.schools.roster.services import roster_upload_create
from jianfu.schools.tests.test_roster import csv_bytes, good_rows

pytestmark = pytest.mark.django_db

SCHOOL_EDITORS = {"bureau", "principal", "academic"}


@pytest.mark.parametrize("persona", PERSONAS)
def test_roster_preview_and_confirm_only_for_the_uploader(client, world, persona):
    upload, _, _ = roster_upload_create(
        actor=world.users["academic"], school=world.school, filename="r.csv", content=csv_bytes(good_rows())
    )
    client.force_login(world.users[persona])
    preview = client.get(f"/schools/roster/import/{upload.pk}/")
    confirm = client.post(f"/schools/roster/import/{upload.pk}/confirm/")
    if persona == "academic":
        assert preview.status_code == 200
        assert confirm.status_code == 302
    else:
        assert preview.status_code == 404
        assert confirm.status_code == 404


@pytest.mark.parametrize("persona", PERSONAS)
def test_calendar_write_endpoints_per_persona(client, world, persona):
    client.force_login(world.users[persona])
    entry = client.post(
        "/api/v1/schools/calendar/entries",
        json.dumps(
            {"school_id": world.school.pk, "date": "2026-11-20", "kind": "no_school", "name": "运动会"}
        ),
        content_type="application/json",
    )
    year = client.post(
        "/api/v1/schools/calendar/holiday-years",
        json.dumps({"region_code": world.district.code, "year": 2027, "entries": []}),
        content_type="application/json",
    )
    sees_school = persona in ("bureau", "inspector", "principal", "academic")
    assert entry.status_code == (200 if persona in SCHOOL_EDITORS else 403 if sees_school else 404)
    assert year.status_code == (200 if persona == "bureau" else 403 if persona == "inspector" else 404)


@pytest.mark.parametrize("persona", PERSONAS)
def test_is_school_day_endpoint_per_persona(client, world, persona):
    client.force_login(world.users[persona])
    r = client.get(f"/api/v1/schools/calendar/is-school-day?school_id={world.school.pk}&date=2026-10-01")
    sees_school = persona in ("bureau", "inspector", "principal", "academic")
    assert r.status_code == (200 if sees_school else 404)
    if sees_school:
        assert r.json()["school_day"] is False  # outside any term here
