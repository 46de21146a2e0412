"""The permission matrix (issue 13): every page of the URL conf and every operation of the API,
for every persona, on an object of their own and on one of the other district (and, for classes and
pupils, of the neighbouring class). Expectations are declared once, in tests/permissions/table.py,
from domain.md and the decision records; docs/decisions/0036-permission-matrix.md says how.

A route that is not declared fails `test_every_route_is_declared`, so a new endpoint cannot reach CI
without saying who may use it. The matrix itself is one test that builds the world once, runs each
cell in a savepoint that is rolled back, and reports every failing cell in one message.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from http.cookies import SimpleCookie
from typing import Any
from unittest import mock
from urllib.parse import urlencode

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from tests.permissions import table
from tests.permissions.table import (
    ANONYMOUS,
    BUREAU,
    CASES,
    CUSTODIAN,
    FINDINGS,
    PARENT,
    SCHOOL_WIDE,
    Case,
    Code,
    Fmt,
    Ref,
)

API_PREFIX = "api/v1/"
# The API's own documentation pages are routes of the URL conf, declared among the pages.
API_DOC_PAGES = {"api:api-root", "api:openapi-json", "api:openapi-view"}
CSRF_SECRET = "permissionmatrixcsrfsecret012345"  # 32 characters, as Django's unmasked secret


# --- what exists ------------------------------------------------------------------------------------
def _walk(patterns: list[Any], prefix: str = "", namespace: str = "") -> Iterator[tuple[str, str | None]]:
    for p in patterns:
        if isinstance(p, URLResolver):
            ns = f"{namespace}{p.namespace}:" if p.namespace else namespace
            yield from _walk(p.url_patterns, prefix + str(p.pattern), ns)
        elif isinstance(p, URLPattern):
            yield prefix + str(p.pattern), (f"{namespace}{p.name}" if p.name else None)


def page_routes() -> dict[str, str]:
    """URL name → route for every page of the URL conf (the API's operations are counted apart)."""
    out: dict[str, str] = {}
    for route, name in _walk(get_resolver().url_patterns):
        if route.startswith(API_PREFIX) and name not in API_DOC_PAGES:
            continue
        assert name, f"the page {route!r} has no name: name it so the permission matrix can declare it"
        out[name] = route
    return out


def api_operations() -> set[str]:
    """ "METHOD /api/v1/path" for every operation of the OpenAPI schema, after checking that the URL conf
    routes no operation the schema leaves out (an operation hidden from the schema is still declared)."""
    from config.api import api

    paths = api.get_openapi_schema()["paths"]
    ops = {f"{m.upper()} {p}" for p, methods in paths.items() for m in methods}
    routed: dict[str, int] = {}
    for route, name in _walk(get_resolver().url_patterns):
        if route.startswith(API_PREFIX) and name not in API_DOC_PAGES:
            path = "/" + re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", route)
            routed[path] = routed.get(path, 0) + 1
    for path, count in routed.items():
        assert count == len(paths.get(path, {})), (
            f"{path}: {count} operations routed, {len(paths.get(path, {}))} in the OpenAPI schema"
        )
    return ops


def routes() -> set[str]:
    """Pages by URL name, operations as "METHOD /api/v1/path": what a row's `route` names."""
    return set(page_routes()) | api_operations()


def test_every_route_is_declared() -> None:
    """A page or operation nobody declared fails here: add a row to tests/permissions/table.py saying who
    may use it, from domain.md or a decision record. (A page is found by its name, not its methods:
    a page that starts to take a POST needs its row added by whoever adds the form.)"""
    missing = sorted(routes() - {c.route for c in CASES})
    assert not missing, "routes without a row in tests/permissions/table.py:\n  " + "\n  ".join(missing)


def test_every_declaration_names_a_route() -> None:
    """A row for a route that no longer exists fails here: remove it with the route."""
    existing = routes()
    stale = sorted(c.key for c in CASES if c.route not in existing)
    assert not stale, "rows for routes that do not exist:\n  " + "\n  ".join(stale)


def test_declarations_are_well_formed() -> None:
    keys = [c.key for c in CASES]
    assert len(keys) == len(set(keys)), "two rows for the same route, method and label"
    for c in CASES:
        assert c.who <= table.ALL and c.sees <= table.ALL, c.key
        assert c.why, f"{c.key}: say where the expectation comes from"
        assert (c.shows is None) == (not c.sees), f"{c.key}: `shows` and `sees` go together"
        assert not c.route.startswith("/") and (" /api/v1/" not in c.route or c.route.startswith(c.method)), (
            c.key
        )


# --- running one cell ---------------------------------------------------------------------------------
@dataclass
class Cell:
    case: Case
    persona: str
    scope: str  # own / neighbour / other

    @property
    def expected(self) -> str:
        if self.scope == "other":
            return "refused"
        who = self.case.who if self.scope == "own" else self.case.who & SCHOOL_WIDE
        return "allowed" if self.persona in who else "refused"


def _symbols(value: Any) -> set[str]:
    if isinstance(value, Ref):
        return {value.symbol}
    if isinstance(value, Fmt):
        return set(re.findall(r"\{(\w+)\}", value.template))
    if isinstance(value, dict):
        return set().union(*(_symbols(k) | _symbols(v) for k, v in value.items())) if value else set()
    if isinstance(value, list):
        return set().union(*(_symbols(v) for v in value)) if value else set()
    return set()


def scopes(case: Case, world: Any) -> list[str]:
    if case.public:
        return ["own"]
    names = _symbols(case.path) | _symbols(case.query) | _symbols(case.body)
    out = ["own"]
    if any("other" in world.objects[n] for n in names):
        out.append("other")
    if case.neighbour and any("neighbour" in world.objects[n] for n in names):
        out.append("neighbour")
    return out


def _obj(world: Any, symbol: str, scope: str) -> Any:
    variants = world.objects[symbol]
    return variants.get(scope, variants["own"])


def resolve(value: Any, world: Any, scope: str) -> Any:
    if isinstance(value, Ref):
        return getattr(_obj(world, value.symbol, scope), value.attr)
    if isinstance(value, Fmt):
        return re.sub(r"\{(\w+)\}", lambda m: str(_obj(world, m.group(1), scope).pk), value.template)
    if isinstance(value, Code):
        from jianfu.accounts.models import TotpDevice
        from jianfu.accounts.rules import totp
        from tests.permissions.world import NOW

        device = TotpDevice.objects.get(user=world.users[value.persona], confirmed_at__isnull=False)
        return totp.code_at(device.secret, totp.step_of(NOW.timestamp()))
    if isinstance(value, dict):
        return {resolve(k, world, scope): resolve(v, world, scope) for k, v in value.items()}
    if isinstance(value, list):
        return [resolve(v, world, scope) for v in value]
    return value


def _url(case: Case, world: Any, scope: str) -> str:
    path = {k: resolve(v, world, scope) for k, v in case.path.items()}
    if case.route.startswith(case.method + " "):
        url = case.route.split(" ", 1)[1]
        for k, v in path.items():
            url = url.replace("{" + k + "}", str(v))
    else:
        url = reverse(case.route, kwargs=path)
    query = {k: resolve(v, world, scope) for k, v in case.query.items()}
    return url + ("?" + urlencode(query) if query else "")


def request(client: Client, case: Case, world: Any, scope: str) -> Any:
    from django.core.files.uploadedfile import SimpleUploadedFile

    url = _url(case, world, scope)
    headers = {"HTTP_X_CSRFTOKEN": CSRF_SECRET}
    method = case.method.lower()
    if method == "get":
        return client.get(url)
    body = resolve(case.body, world, scope)
    is_api = case.route.startswith(case.method + " ")
    if case.files or not is_api:
        data = {k: v if isinstance(v, list) else str(v) for k, v in (body or {}).items()}
        for name, upload in case.files.items():
            data[name] = SimpleUploadedFile(upload.name, upload.content())
        return getattr(client, method)(url, data, **headers)
    payload = json.dumps(body) if body is not None else ""
    return client.generic(case.method, url, payload, content_type="application/json", **headers)


def text_of(response: Any) -> str:
    raw = b"".join(response.streaming_content) if response.streaming else response.content
    if response.get("Content-Type", "").startswith("application/json"):
        try:
            return json.dumps(json.loads(raw), ensure_ascii=False)
        except ValueError:
            pass
    return raw.decode("utf-8", errors="ignore")


@dataclass
class Seen:
    status: int
    outcome: str  # allowed / refused / error: …
    note: str
    text: str
    wrote: int


def classify(cell: Cell, response: Any, raised: list[Any], wrote: int) -> tuple[str, str]:
    """How the server answered: "allowed" (it did the thing, or refused for a reason other than who the
    caller is), "refused", or an error of the harness or the server."""
    from django.conf import settings
    from django.contrib.messages import constants

    case = cell.case
    status = response.status_code
    body = response.content[:200] if not response.streaming else b""
    if status >= 500:
        return "error", f"HTTP {status}"
    if status == 405:
        return "error", "405: the table names a method the route does not take"
    if status == 403 and b"CSRF" in body:
        return "error", "403 from the CSRF check, not from a permission"
    if case.public:
        return ("refused" if status in (401, 403, 404) else "allowed"), str(status)
    if status in (401, 403, 404):
        return "refused", str(status)
    if case.refused_as and response.get("Content-Type", "").startswith("application/json"):
        code = json.loads(response.content).get("code") if response.content.startswith(b"{") else None
        if code in case.refused_as:
            return "refused", f"{status} {code}"
    if status in (301, 302, 303, 307, 308):
        where = response["Location"]
        # Signed in, only signing out leads back to the sign-in page.
        if where.startswith(reverse(settings.LOGIN_URL)) and cell.persona == ANONYMOUS:
            return "refused", f"{status} → sign-in"
        if where.startswith(reverse("accounts:security")) and case.route != "accounts:security":
            return "error", f"{status} → 账号安全: the persona's two-step sign-in is not set up"
    page_write = case.method != "GET" and not case.route.startswith(case.method + " ")
    if page_write and not wrote:
        # A page answers a refused form with a message and a redirect: the service's refusal (a
        # domain error of status 403/404), or an error message where no domain error was raised at
        # all (the view refused by itself), with nothing audited, says it was refused. An error
        # message for a domain error of another status is a business rule, not a refusal, except
        # on the other district's objects, where a form that did nothing has refused them.
        storage = getattr(response.wsgi_request, "_messages", None)
        errors = [m for m in getattr(storage, "_queued_messages", []) if m.level >= constants.ERROR]
        denied = [e for e in raised if e.status in (403, 404) or e.code in case.refused_as]
        if denied:
            return "refused", f"{status}, {denied[0].code} shown on the page"
        if errors and (not raised or cell.scope == "other"):
            return "refused", f"{status}, message: {errors[0].message}"
        # A page form whose choices are the persona's own scope (issue 14: Django forms) answers an
        # object of the other district as an invalid choice: 422, the form shown again, nothing written.
        if status == 422 and cell.scope == "other":
            return "refused", "422: not among the form's choices"
    return "allowed", str(status)


def run_cell(cell: Cell, world: Any, sessions: dict[str, tuple[Client, str]]) -> Seen:
    from django.core.cache import cache
    from django.db import transaction

    from jianfu.core.errors import DomainError
    from jianfu.core.models import AuditEvent
    from jianfu.policies.selectors import profile_memo_clear

    raised: list[Any] = []
    original = DomainError.__init__

    def spy(self: Any, *args: Any, **kwargs: Any) -> None:
        original(self, *args, **kwargs)
        raised.append(self)

    # One client per persona (its handler loads the middleware once); each cell starts from the
    # persona's cookies, so a sign-out or a rotated session key in one cell ends nothing.
    client, cookies = sessions[cell.persona]
    client.cookies = SimpleCookie(cookies)
    cache.clear()
    profile_memo_clear()
    with transaction.atomic():
        with mock.patch.object(DomainError, "__init__", spy):
            response = request(client, cell.case, world, cell.scope)
        # Rows past the world's last one were written by this request (the savepoint takes them back).
        wrote = AuditEvent.objects.filter(pk__gt=world.extra["last_audit"]).count()
        transaction.set_rollback(True)
    outcome, note = classify(cell, response, raised, wrote)
    return Seen(response.status_code, outcome, note, text_of(response), wrote)


def sessions_for(world: Any) -> dict[str, tuple[Client, str]]:
    """A client and a signed-in session per persona (two-step passed where the role requires it), plus
    a valid CSRF cookie sent back in the header of every write."""
    from jianfu.accounts.middleware import PASSED, TWO_STEP

    out: dict[str, tuple[Client, str]] = {}
    for persona in table.PERSONAS:
        client = Client(enforce_csrf_checks=True)
        if persona != ANONYMOUS:
            client.force_login(world.users[persona])
            if persona in (BUREAU, CUSTODIAN):
                session = client.session
                session[TWO_STEP] = PASSED
                session.save()
        client.cookies["csrftoken"] = CSRF_SECRET
        out[persona] = (client, client.cookies.output(header="", sep=";"))
    return out


def check(cell: Cell, seen: Seen, world: Any) -> list[str]:
    from tests.permissions import world as w

    problems = []
    if seen.outcome == "error":
        problems.append(seen.note)
    elif cell.case.filter and cell.scope != "own":
        pass  # either answer is right for a filter; what it may not do is show the object (below)
    elif seen.outcome != cell.expected:
        problems.append(f"expected {cell.expected}, was {seen.outcome} ({seen.note})")
    if seen.outcome == "refused" and seen.wrote:
        problems.append(f"refused ({seen.note}) but {seen.wrote} audited write(s) happened")
    leaked = [s for s in w.OTHER_NAMES if s in seen.text]
    if cell.persona == PARENT:
        leaked += [w.NEIGHBOUR_PUPIL] if w.NEIGHBOUR_PUPIL in seen.text else []
    if leaked:
        problems.append(f"the answer carries {leaked}")
    if cell.case.shows and cell.scope == "own" and seen.outcome == "allowed":
        symbol, attr = cell.case.shows
        marker = str(getattr(world.objects[symbol]["own"], attr))
        if cell.persona in cell.case.sees and marker not in seen.text:
            problems.append(f"should list {symbol} but does not")
        if cell.persona not in cell.case.sees and marker in seen.text:
            problems.append(f"lists {symbol}, which this persona may not see")
    return problems


def _matrix(
    settings: Any,
    tmp_path: Any,
    only: set[tuple[str, str, str]] | None = None,
    shard: tuple[int, int] = (0, 1),
) -> Iterator[tuple[Cell, list[str]]]:
    """Each cell with its problems (empty: as declared); `only` limits it to (case key, scope, persona),
    `shard` (k, n) to every n-th case from the k-th."""
    from tests.permissions import world as w

    settings.MEDIA_ROOT = tmp_path
    # The deployment's default (decision 0031), not the test settings' empty list: bureau staff and
    # custodians are held to two-step sign-in, and their sessions have passed it.
    settings.JIANFU_TWO_STEP_REQUIRED_ROLES = ["custodian", "bureau_staff"]
    with mock.patch("django.utils.timezone.now", return_value=w.NOW):
        world = w.build()
        sessions = sessions_for(world)
        for case in CASES[shard[0] :: shard[1]]:
            for scope in scopes(case, world):
                for persona in table.PERSONAS:
                    # On the other district's objects and the neighbouring class, the personas the row
                    # allows: for them the object alone decides. The others are refused on their own
                    # objects already, by role.
                    if scope != "own" and persona not in case.who:
                        continue
                    if only is not None and (case.key, scope, persona) not in only:
                        continue
                    cell = Cell(case, persona, scope)
                    yield cell, check(cell, run_cell(cell, world, sessions), world)


KNOWN = {(f.key, scope, persona): f for f in FINDINGS for scope, persona in f.cells}


# The matrix takes about a minute and a half; in halves, the test suite's two workers share it.
SHARDS = 2


@pytest.mark.django_db
@pytest.mark.parametrize("shard", range(SHARDS))
def test_permission_matrix(settings: Any, tmp_path: Any, shard: int) -> None:
    failures: dict[str, list[str]] = {}
    cells = 0
    for cell, problems in _matrix(settings, tmp_path, shard=(shard, SHARDS)):
        cells += 1
        finding = KNOWN.get((cell.case.key, cell.scope, cell.persona))
        if finding is not None:
            # Strict, like xfail(strict=True): a finding that no longer shows must be removed.
            problems = [] if problems else [f"agrees with its row now: remove the finding ({finding.what})"]
        for problem in problems:
            failures.setdefault(cell.case.key, []).append(f"{cell.scope:9} {cell.persona:16} {problem}")
    report = "\n".join(f"{key}\n    " + "\n    ".join(lines) for key, lines in sorted(failures.items()))
    assert not failures, f"{sum(map(len, failures.values()))} of {cells} cells fail:\n{report}"


@pytest.mark.xfail(
    condition=bool(FINDINGS),
    strict=True,
    reason="known permission findings (tests/permissions/table.py FINDINGS): "
    + " | ".join(f"{f.key}: {f.what}" for f in FINDINGS),
)
@pytest.mark.django_db
def test_known_findings(settings: Any, tmp_path: Any) -> None:
    """The cells of the known findings behave as their rows declare (fails until every one is fixed)."""
    problems = [
        f"{cell.case.key} {cell.scope} {cell.persona}: {p}"
        for cell, ps in _matrix(settings, tmp_path, only=set(KNOWN))
        for p in ps
    ]
    assert not problems, "\n".join(problems)
