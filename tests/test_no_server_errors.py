"""The causes of HTTP 500 the security probe found (security.md L1), each answered 4xx now. One row per
cause; the expected status is what the endpoint answers for any other malformed input of its kind."""

import json

import pytest

from jianfu.homework.tests.conftest import MON  # a school Monday of the autumn term

pytestmark = pytest.mark.django_db


def test_1_a_time_with_an_offset_in_a_family_report_is_not_an_error(client, world, autumn_term):
    """Refused before or after the report window's check (jianfu/homework/tests/test_family_reports.py
    holds the 422 for a day whose window is open)."""
    client.force_login(world.users["parent"])
    body = {
        "student_id": world.student.pk,
        "date": MON.isoformat(),
        "minutes_total": 30,
        "bedtime": "21:00:00Z",
    }
    r = client.post(
        "/api/v1/homework/reports",
        json.dumps(body | {"idempotency_key": "k1"}),
        content_type="application/json",
    )
    assert r.status_code in (400, 422), r.content


def test_1_a_time_with_an_offset_in_the_what_if_is_422(client, world):
    client.force_login(world.users["bureau"])
    body = {
        "on": "2026-11-23",
        "facts": {"night": {"stage": "primary", "bedtime": "21:00+08:00", "wake_time": "07:00"}},
    }
    r = client.post("/api/v1/policy/evaluate", json.dumps(body), content_type="application/json")
    assert r.status_code == 422 and "bedtime" in (r.json()["field"] or ""), r.content


@pytest.mark.parametrize("student_id", [2**63, -(2**63) - 1, 10**30])
def test_4_a_student_id_past_64_bits_is_not_found_or_invalid(client, world, student_id):
    client.force_login(world.users["parent"])
    body = {"student_id": student_id, "date": "2026-12-03", "minutes_total": 30, "idempotency_key": "k2"}
    r = client.post("/api/v1/homework/reports", json.dumps(body), content_type="application/json")
    assert r.status_code in (404, 422), r.content


@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/homework/classes/{c}/week?monday=9999-12-31",
        "/homework/class/{c}/?week=9999-12-31",
        "/homework/class/{c}/grade/?week=9999-12-31",
        "/homework/class/{c}/?week=0001-01-01",
    ],
)
def test_5_dates_at_the_end_of_the_calendar_are_not_an_error(client, world, url):
    client.force_login(world.users["head_teacher"])
    r = client.get(url.format(c=world.class_5_1.pk))
    assert r.status_code < 500, r.status_code


def test_6_a_preview_with_absurd_minutes_is_not_an_error(client, world, autumn_term):
    client.force_login(world.users["teacher"])
    r = client.get(
        "/homework/post/preview/",
        {"minutes": "1" + "0" * 30, "assignment": f"{world.class_5_1.pk}:math", "date_set": MON.isoformat()},
    )
    assert r.status_code < 500, r.status_code
