"""NUL and lone surrogates refused, bidirectional controls removed, before any view (security.md
L1 #3 and its NUL note, I4)."""

import json

import pytest

from jianfu.cases.models import Complaint
from jianfu.core.textguard import RefusedText, clean

pytestmark = pytest.mark.django_db


def test_clean_removes_bidi_controls_and_names_the_field_it_refuses():
    assert clean({"a": ["x\u202ey", "z"]}) == {"a": ["xy", "z"]}
    with pytest.raises(RefusedText) as nul:
        clean({"facts": {"items": [{"subject": "ma\x00th"}]}})
    assert nul.value.field == "facts.items.0.subject"
    with pytest.raises(RefusedText):
        clean(["\ud800"])


@pytest.mark.parametrize("bad", ["作业\u0000太多，孩子睡不够", "作业太多\ud800，孩子睡不够"])
def test_a_json_body_with_nul_or_a_lone_surrogate_is_a_400_naming_the_field(client, world, bad):
    """L1 #3: a lone surrogate in any JSON string raised UnicodeEncodeError (HTTP 500); NUL reached
    PostgreSQL, which cannot store it."""
    client.force_login(world.users["parent"])
    body = json.dumps({"student_id": world.student.pk, "category": "homework", "text": bad})
    r = client.post("/api/v1/cases/complaints", body, content_type="application/json")
    assert r.status_code == 400 and r.json()["field"] == "text" and r.json()["code"] == "invalid_characters"
    assert not Complaint.objects.exists()


def form(data):
    from urllib.parse import urlencode

    return {"data": urlencode(data), "content_type": "application/x-www-form-urlencoded"}


def test_a_form_with_nul_is_refused_and_bidi_controls_never_reach_the_store(client, world):
    """Pages' ordinary (urlencoded) forms; multipart forms are read by their views (complaint photos)."""
    client.force_login(world.users["parent"])
    text = {"student": world.student.pk, "category": "homework", "text": "每天作业写到\x00很晚，孩子睡不够"}
    assert client.post("/cases/new/", **form(text)).status_code == 400
    spoof = {
        "student": world.student.pk,
        "category": "homework",
        "text": "每天作业写到很晚\u202e，孩子睡不够",
    }
    assert client.post("/cases/new/", **form(spoof)).status_code == 200
    assert Complaint.objects.get().text == "每天作业写到很晚，孩子睡不够"
