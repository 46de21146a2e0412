"""Property-based fuzzing of /api/v1/ from its own OpenAPI document (decision 0034)."""

from __future__ import annotations

import os
from typing import Any

import pytest
import schemathesis
from django.core.wsgi import get_wsgi_application
from django.test import Client
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from tests.fuzz.conftest import in_test_transaction

app = in_test_transaction(get_wsgi_application())
schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app)
MAX_EXAMPLES = int(os.environ.get("JIANFU_FUZZ_EXAMPLES", "20"))
# The session cookie is the fixture's (a real sign-in); the fuzzer does not make up its own.
schema.config.generation.update(max_examples=MAX_EXAMPLES, with_security_parameters=False)
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
]

ROLES = ["parent", "head_teacher", "bureau"]


@pytest.fixture(params=ROLES)
def signed_in(request: Any, db: Any, settings: Any) -> dict[str, Any]:
    from conftest import PASSWORD
    from jianfu.accounts.models import User

    settings.JIANFU_TWO_STEP_REQUIRED_ROLES = ["custodian", "bureau_staff"]
    phones = {"parent": "13900000007", "head_teacher": "13900000005", "bureau": "13900000001"}
    client = Client()
    r = client.post("/accounts/login/", {"phone": phones[request.param], "password": PASSWORD})
    assert r.status_code == 302, r.status_code
    if r["Location"] == "/accounts/login/step/":
        from conftest import app_code

        r = client.post("/accounts/login/step/", {"code": app_code(User.objects.get(phone=phones[request.param]))})
        assert r.status_code == 302 and "step" not in r["Location"], r
    token = "fuzzcsrf" * 4
    return {
        "cookies": {"sessionid": client.cookies["sessionid"].value, "csrftoken": token},
        "headers": {"X-CSRFToken": token},
    }


@schema.parametrize()
@settings(suppress_health_check=list(HealthCheck), deadline=None)
def test_api(case: Any, signed_in: dict[str, Any]) -> None:
    case.call_and_validate(headers=signed_in["headers"], cookies=signed_in["cookies"], checks=CHECKS)
