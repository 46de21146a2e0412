"""NUL and bidirectional controls removed, lone surrogates refused, before any view (security.md L1
#3 and its NUL note, I4)."""

import json
from urllib.parse import urlencode

import pytest

from jianfu.cases.models import Complaint
from jianfu.core.textguard import RefusedText, clean

pytestmark = pytest.mark.django_db


def test_clean_removes_nul_and_bidi_controls_and_names_the_field_it_refuses():
    assert clean({"a": ["x\u202ey\x00", "z"]}) == {"a": ["xy", "z"]}
    with pytest.raises(RefusedText) as lone:
        clean({"facts": {"items": [{"subject": "ma\ud800th"}]}})
    assert lone.value.field == "facts.items.0.subject"


def test_a_json_body_with_a_lone_surrogate_is_a_400_naming_the_field(client, world):
    """L1 #3: a lone surrogate in any JSON string raised UnicodeEncodeError (HTTP 500)."""
    client.force_login(world.users["parent"])
    body = json.dumps(
        {"student_id": world.student.pk, "category": "homework", "text": "作业太多\ud800，孩子睡不够"}
    )
    r = client.post("/api/v1/cases/complaints", body, content_type="application/json")
    assert r.status_code == 400 and r.json()["field"] == "text" and r.json()["code"] == "invalid_characters"
    assert not Complaint.objects.exists()


def test_nul_and_bidi_controls_never_reach_the_store_and_the_rest_is_kept(client, world):
    """NUL would be a PostgreSQL error (HTTP 500); U+202E would make the stored text display reversed.
    Pages' ordinary (urlencoded) forms and JSON alike; multipart forms are read by their views."""
    client.force_login(world.users["parent"])
    form = {
        "student": world.student.pk,
        "category": "homework",
        "text": "每天作业写到\x00很晚\u202e，孩子睡不够",
    }
    r = client.post("/cases/new/", urlencode(form), content_type="application/x-www-form-urlencoded")
    assert r.status_code == 200
    body = json.dumps(
        {
            "student_id": world.student.pk,
            "category": "exams",
            "text": "期中考试\x00公布了排名\u202e，压力很大",
        }
    )
    assert client.post("/api/v1/cases/complaints", body, content_type="application/json").status_code == 200
    assert sorted(Complaint.objects.values_list("text", flat=True)) == sorted(
        ["每天作业写到很晚，孩子睡不够", "期中考试公布了排名，压力很大"]
    )
