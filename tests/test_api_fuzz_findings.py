"""What the API fuzzing found (tests/fuzz, decision 0034), one test per cause, so each stays fixed in
the ordinary suite as well: server errors answered 4xx now, and an OpenAPI document that says what the
API really answers."""

from __future__ import annotations

import typing
from collections import defaultdict
from typing import Any

import pytest
from pydantic import BaseModel

from config.api import api

pytestmark = pytest.mark.django_db

ERROR_STATUSES = {"400", "401", "403", "404", "409", "422", "429"}


@pytest.mark.parametrize("student_id", [2**63, 15824401435832741888])
def test_a_family_report_for_an_id_past_64_bits_is_refused_not_an_error(client, world, student_id):
    """GET /homework/reports/{student_id}/{day} overflowed SQLite's integer with a huge id (HTTP 500)."""
    client.force_login(world.users["parent"])
    r = client.get(f"/api/v1/homework/reports/{student_id}/2026-12-03")
    assert r.status_code == 422, r.content
    assert r.json()["code"] == "invalid" and r.json()["field"] == "student_id"


def _models_of_operations() -> set[type[BaseModel]]:
    found: set[type[BaseModel]] = set()

    def walk(t: Any) -> None:
        if isinstance(t, type) and issubclass(t, BaseModel):
            if t not in found:
                found.add(t)
                for f in t.model_fields.values():
                    walk(f.annotation)
            return
        for arg in typing.get_args(t):
            walk(arg)

    # The routers as mounted (nested ones included); django-ninja keeps them there.
    for bound in api._get_bound_routers():
        for path_view in bound.path_operations.values():
            for operation in path_view.operations:
                for model in (operation.response_models or {}).values():
                    walk(model)
                for model in operation.models:
                    walk(model)
    return found


def test_no_two_schemas_of_the_api_share_a_name():
    """The OpenAPI document names each schema by its class name only: two classes of one name (DayOut in
    homework and in the calendar, SlotIn/SlotOut and CountOut in after-school) left one operation
    documented with the other's shape, and the fuzzing saw a response 'violate' its schema."""
    names: dict[str, set[str]] = defaultdict(set)
    for model in _models_of_operations():
        if model.__module__.startswith("jianfu."):
            names[model.__name__].add(f"{model.__module__}.{model.__qualname__}")
    assert {name: where for name, where in names.items() if len(where) > 1} == {}


def test_the_calendar_and_the_homework_week_document_their_own_day():
    doc = api.get_openapi_schema()
    schemas = doc["components"]["schemas"]

    def fields(ref: str) -> set[str]:
        return set(schemas[ref.rsplit("/", 1)[1]]["properties"])

    def ok(path: str) -> dict[str, Any]:
        return doc["paths"][path]["get"]["responses"][200]["content"]["application/json"]["schema"]

    term_days = fields(ok("/api/v1/schools/calendar/terms/{term_id}/days")["$ref"])
    assert "days" in term_days
    calendar_day = schemas["TermDaysOut"]["properties"]["days"]["items"]["$ref"]
    assert fields(calendar_day) == {"date", "day_type", "note"}
    homework_day = ok("/api/v1/homework/classes/{class_id}/week")["items"]["$ref"]
    assert {"counted_minutes", "cap_minutes", "by_subject"} <= fields(homework_day)


def test_every_operation_documents_the_error_answers_in_the_one_error_shape():
    """Each operation declared only its 200: every 4xx the API gives (docs/api.md "Conventions") was an
    undocumented status to a client generated from the document."""
    doc = api.get_openapi_schema()
    for path, operations in doc["paths"].items():
        for method, operation in operations.items():
            declared = {str(status) for status in operation["responses"]}
            assert declared >= ERROR_STATUSES, (method, path, declared)
            for status in ERROR_STATUSES:
                content = operation["responses"][int(status)]["content"]["application/json"]
                assert content["schema"] == {"$ref": "#/components/schemas/Error"}, (method, path, status)
    error = doc["components"]["schemas"]["Error"]
    assert set(error["required"]) == {"code", "message", "message_en", "field", "details"}
    detail = doc["components"]["schemas"]["ErrorDetail"]
    assert set(detail["required"]) == {"row", "field", "code", "message", "message_en"}


def test_the_served_document_is_the_one_with_the_error_answers(client):
    r = client.get("/api/v1/openapi.json")
    assert r.status_code == 200
    me = r.json()["paths"]["/api/v1/accounts/me"]["get"]["responses"]
    assert set(me) >= ERROR_STATUSES and me["401"]["content"]["application/json"]["schema"] == {
        "$ref": "#/components/schemas/Error"
    }


def _times_in(node: Any) -> list[dict[str, Any]]:
    if isinstance(node, dict):
        is_time = node.get("format") == "time" or (
            "pattern" in node and "HH:MM" in str(node.get("description"))
        )
        return [node] * is_time + [t for value in node.values() for t in _times_in(value)]
    if isinstance(node, list):
        return [t for value in node for t in _times_in(value)]
    return []


def test_times_are_documented_as_the_local_times_the_api_writes():
    """pydantic documented every time as `format: time` (RFC 3339: an offset is required) while the API
    answers "16:40:00": a validating client refused the session, slot and bedtime answers."""
    import re

    times = _times_in(api.get_openapi_schema())
    assert len(times) > 10, "the document has times (sessions, slots, bedtimes)"
    assert all("format" not in t for t in times)
    pattern = re.compile(times[0]["pattern"])
    assert all(t["pattern"] == pattern.pattern for t in times)
    for written in ("16:40:00", "21:20", "07:00:00.5"):
        assert pattern.match(written), written
    for not_written in ("16:40:00+08:00", "16:40:00Z", "24:00", "9:00"):
        assert not pattern.match(not_written), not_written
