"""Property-based fuzzing of /api/v1/ from its own OpenAPI document (decision 0034).

schemathesis reads the document the app serves, then for every operation × role sends generated
requests (valid and invalid ones) to the app in-process, each request in the test's transaction, and
fails on any 5xx and on any answer the document does not describe: a status code it does not declare,
another content type, a body that does not match the declared schema.

Not collected by a plain `pytest` (the file name does not start with `test_`): CI runs it once, on
SQLite, as its own step (.ci/run); the longer run before a release is in docs/performance.md.

    uv run pytest tests/fuzz/fuzz_api.py -q -p no:cacheprovider -n 2            # CI: 3 roles, 6 examples
    JIANFU_FUZZ_EXAMPLES=30 JIANFU_FUZZ_ROLES=all JIANFU_FUZZ_RANDOM=1 \\
        uv run pytest tests/fuzz/fuzz_api.py -q -p no:cacheprovider -n 2            # release

JIANFU_FUZZ_EXAMPLES: examples per operation, role and generation mode (positive, negative) in the
fuzzing phase; schemathesis' coverage phase adds its boundary cases on top. JIANFU_FUZZ_ROLES: a comma
list of personas, or `all`. JIANFU_FUZZ_RANDOM=1: a new random draw each run (CI runs the same cases
every time, so a red CI is a regression, not a lucky draw).
"""

from __future__ import annotations

import os
from collections import Counter
from collections.abc import Iterator
from typing import Any

import pytest
import schemathesis
from django.core.wsgi import get_wsgi_application
from django.test import Client
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from tests.fuzz.conftest import KNOWN, in_test_transaction

# Phones of the root conftest's persona cast (conftest.build_world) and the custodian of build_fuzz_data.
PHONES = {
    "bureau": "13900000001",
    "inspector": "13900000002",
    "principal": "13900000003",
    "academic": "13900000004",
    "head_teacher": "13900000005",
    "teacher": "13900000006",
    "parent": "13900000007",
    "outsider": "13900000008",
    "nobody": "13900000009",
    "custodian": "13900000010",
}
ALL_ROLES = [*PHONES, "anonymous"]
CI_ROLES = ["parent", "head_teacher", "bureau"]
_roles = os.environ.get("JIANFU_FUZZ_ROLES", "")
ROLES = ALL_ROLES if _roles == "all" else [r.strip() for r in _roles.split(",") if r.strip()] or CI_ROLES
MAX_EXAMPLES = int(os.environ.get("JIANFU_FUZZ_EXAMPLES", "6"))
RANDOM = os.environ.get("JIANFU_FUZZ_RANDOM") == "1"

app = in_test_transaction(get_wsgi_application())
schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app)
# The session cookie is the fixture's (a real sign-in); the fuzzer does not make up its own.
schema.config.generation.update(max_examples=MAX_EXAMPLES, with_security_parameters=False)
# No probing of methods an operation does not have: Django answers those 405 before any of our code,
# and they were an eighth of CI's requests.
schema.config.phases.coverage.unexpected_methods = set()
# What the API promises: no server error, and every answer as the document describes it. Not
# checked: schemathesis' checks of how strictly input is refused (negative_data_rejection,
# positive_data_acceptance): generated "valid" data is often refused by a rule the document cannot
# express (a date outside the term, an id of someone else's class), which is the API working.
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
]


def _known_or_generated(values: Any) -> Any:
    """Each value whose name the data knows (an id, a day with data) becomes, half the time, one of
    the real ones; the others stay as generated."""
    if not isinstance(values, dict) or not any(KNOWN.get(name) for name in values):
        return st.just(values)
    return st.fixed_dictionaries(
        {
            name: st.one_of(st.just(value), st.sampled_from(KNOWN[name]))
            if KNOWN.get(name)
            else st.just(value)
            for name, value in values.items()
        }
    )


@schema.hook
def flatmap_path_parameters(context: Any, path_parameters: dict[str, Any]) -> Any:
    return _known_or_generated(path_parameters)


@schema.hook
def flatmap_query(context: Any, query: dict[str, Any]) -> Any:
    return _known_or_generated(query)


@schema.hook
def flatmap_body(context: Any, body: Any) -> Any:
    return _known_or_generated(body)


@pytest.fixture(params=ROLES)
def signed_in(request: Any, db: Any, settings: Any) -> Iterator[dict[str, Any]]:
    """A session of the role, opened the way a person opens one: the sign-in page, then the second
    step with the authenticator app's code for the roles that must use it (the deployment default,
    which the root conftest switches off for force_login)."""
    from conftest import PASSWORD, app_code
    from jianfu.accounts.models import User

    settings.JIANFU_TWO_STEP_REQUIRED_ROLES = ["custodian", "bureau_staff"]
    # 32 letters or digits, the form of Django's CSRF secret: the cookie and the header must agree.
    token = "fuzzcsrf" * 4
    cookies = {"csrftoken": token}
    if request.param != "anonymous":
        client = Client()
        phone = PHONES[request.param]
        r = client.post("/accounts/login/", {"phone": phone, "password": PASSWORD})
        assert r.status_code == 302, r.status_code
        if r["Location"] == "/accounts/login/step/":
            r = client.post("/accounts/login/step/", {"code": app_code(User.objects.get(phone=phone))})
            assert r.status_code == 302 and "step" not in r["Location"], r["Location"]
        cookies["sessionid"] = client.cookies["sessionid"].value
    statuses: Counter[int] = Counter()
    yield {"cookies": cookies, "headers": {"X-CSRFToken": token}, "statuses": statuses}
    request.node.user_properties.append(("fuzz_statuses", dict(statuses)))


@schema.parametrize()
@settings(
    suppress_health_check=list(HealthCheck),
    deadline=None,
    derandomize=not RANDOM,
    database=None,
    print_blob=RANDOM,
)
def test_api(case: Any, signed_in: dict[str, Any]) -> None:
    response = case.call(headers=signed_in["headers"], cookies=signed_in["cookies"])
    signed_in["statuses"][response.status_code] += 1
    _log(case, response.status_code)
    # The harness itself: a write refused for its CSRF token would hide everything behind it.
    assert not (response.status_code == 403 and "CSRF" in response.text), response.text
    case.validate_response(response, checks=CHECKS)


def _log(case: Any, status: int) -> None:
    """One line per request to JIANFU_FUZZ_LOG, if set: a long run's figures survive its interruption."""
    path = os.environ.get("JIANFU_FUZZ_LOG")
    if path:
        with open(path, "a", encoding="utf-8") as out:
            out.write(f"{case.method} {case.path} {status}\n")
