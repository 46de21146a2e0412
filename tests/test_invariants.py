"""Project-wide guard rails (after djangoproject.com's tests.py): they hold for every app."""

from __future__ import annotations

import io
import re

import pytest
from django.core.management import call_command
from django.urls import URLPattern, URLResolver, get_resolver

pytestmark = pytest.mark.django_db

# URLs that are deliberately public. Everything else must send an anonymous visitor to the login
# page (pages) or answer 401 (API).
PUBLIC_PAGES = {
    "accounts:login",
    "accounts:activate",
    "accounts:activate-confirm",
    "accounts:password-reset",
    "accounts:password-reset-confirm",
    "healthz",
    "accounts:language",
    "homework:public",
    "homework:public-print",
    "homework:public-qr",
    "cases:receipt",
    "cases:answers",
}
PUBLIC_API_PATHS = {"/api/v1/openapi.json", "/api/v1/docs", "/api/v1/cases/receipts/1"}


def test_no_pending_migrations():
    out = io.StringIO()
    try:
        call_command("makemigrations", "--check", "--dry-run", stdout=out, stderr=out)
    except SystemExit as exc:  # makemigrations --check exits 1 when a migration is missing
        pytest.fail(f"pending model changes without a migration:\n{out.getvalue()} ({exc})")


def _walk(patterns, prefix="", namespace=""):
    for p in patterns:
        if isinstance(p, URLResolver):
            ns = f"{namespace}{p.namespace}:" if p.namespace else namespace
            yield from _walk(p.url_patterns, prefix + str(p.pattern), ns)
        elif isinstance(p, URLPattern):
            yield prefix + str(p.pattern), (f"{namespace}{p.name}" if p.name else None), p


def _concrete(route: str) -> str:
    """Turn a route pattern into a URL by filling converters with plausible values."""
    route = route.lstrip("^").rstrip("$")
    route = re.sub(r"<int:[^>]+>", "1", route)
    route = re.sub(r"<uuid:[^>]+>", "00000000-0000-0000-0000-000000000000", route)
    route = re.sub(r"<(?:str|slug|path):[^>]+>|<[^>]+>", "x", route)
    route = route.replace("\\Z", "").replace("\\.", ".")
    return "/" + route


def page_routes():
    for route, name, _ in _walk(get_resolver().url_patterns):
        if route.startswith(("api/v1/", "static/")) or name in PUBLIC_PAGES:
            continue
        if route.startswith("i18n/"):
            continue
        yield route, name


@pytest.mark.parametrize(("route", "name"), list(page_routes()))
def test_every_non_public_page_requires_login(client, route, name):
    url = _concrete(route)
    for method in ("get", "post"):
        response = getattr(client, method)(url)
        assert response.status_code in (302, 405), (
            f"{method.upper()} {url} ({name}) answered {response.status_code}"
        )
        if response.status_code == 302:
            assert response["Location"].startswith("/accounts/login/"), f"{url} redirects elsewhere"


def test_no_url_carries_a_registry_id_or_phone_parameter():
    for route, name, _ in _walk(get_resolver().url_patterns):
        assert not re.search(r"<[^>]*(registry|phone|xueji|id_card)[^>]*>", route), f"{route} ({name})"


def test_openapi_builds_and_describes_every_endpoint(client):
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    schema = response.json()
    assert schema["openapi"].startswith("3.")
    assert schema["paths"], "no endpoints described"
    for path, operations in schema["paths"].items():
        for method, op in operations.items():
            assert op.get("responses"), f"{method.upper()} {path} has no responses"


def test_every_api_endpoint_requires_a_session(client):
    schema = client.get("/api/v1/openapi.json").json()
    for path, operations in schema["paths"].items():
        url = re.sub(r"\{[^}]+\}", "1", path)
        if url in PUBLIC_API_PATHS:
            continue
        for method, op in operations.items():
            if "security" in op and op["security"] == []:
                continue  # deliberately public, documented as such in the schema
            response = (
                getattr(client, method)(url, content_type="application/json")
                if method != "get"
                else client.get(url)
            )
            assert response.status_code == 401, (
                f"{method.upper()} {path} answered {response.status_code} without a session"
            )
            assert response.json()["code"] == "unauthenticated"


def test_error_pages_do_not_leak_tracebacks(client, settings):
    settings.DEBUG = False
    response = client.get("/definitely-not-a-page/")
    assert response.status_code in (302, 404)
