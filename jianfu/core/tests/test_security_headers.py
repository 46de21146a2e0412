"""Transport and content security headers (findings M7; docs/decisions/0030-security-headers.md)."""

import os
import re
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings

from jianfu.core.middleware import csp_source_hash

REPO = Path(__file__).resolve().parents[3]


def directives(header: str) -> dict[str, list[str]]:
    out = {}
    for part in header.split(";"):
        words = part.split()
        if words:
            out[words[0]] = words[1:]
    return out


@pytest.mark.django_db
@pytest.mark.parametrize("persona", [None, "parent", "principal"])
def test_every_html_page_has_a_csp_that_allows_only_our_own_scripts(client, world, persona):
    if persona:
        client.force_login(world.users[persona])
    pages = ["/accounts/login/", "/core/"] if persona else ["/accounts/login/"]
    nonces = set()
    for path in pages:
        r = client.get(path)
        assert r.status_code == 200 and r["Content-Type"].startswith("text/html")
        csp = directives(r["Content-Security-Policy"])
        assert csp["default-src"] == ["'self'"]
        assert csp["object-src"] == ["'none'"] and csp["frame-ancestors"] == ["'none'"]
        scripts = csp["script-src"]
        # No inline script but the nonce's, no eval, and no inline handler at all: only this site and
        # the nonce (the templates' handlers are static scripts now).
        nonce = next(s for s in scripts if s.startswith("'nonce-"))
        nonces.add(nonce)
        assert scripts == ["'self'", nonce]
        assert "camera=()" in r["Permissions-Policy"]
    r = client.get("/accounts/login/")
    assert f"'nonce-{r.wsgi_request.csp_nonce}'" in r["Content-Security-Policy"]
    nonces.add(next(s for s in directives(r["Content-Security-Policy"])["script-src"] if "nonce" in s))
    assert len(nonces) == len(pages) + 1  # a fresh nonce for every response


def test_the_handler_hash_is_the_standard_one():
    # The CSP spec's hash source: base64 of the SHA-256 digest of the exact UTF-8 text.
    assert csp_source_hash("this.form.submit()") == "'sha256-osjxnKEPL/pQJbFk1dKsF7PYFmTyMWGmVSiL9inhxJY='"


TEMPLATE_DIRS = [REPO / "templates", *sorted((REPO / "jianfu").glob("*/templates"))]
SCRIPT_TAG = re.compile(r"<script\b([^>]*)>", re.I)
HANDLER = re.compile(r"""\son[a-z]+\s*=\s*("([^"]*)"|'([^']*)')""", re.I)


def template_files():
    return [p for d in TEMPLATE_DIRS for p in sorted(d.rglob("*.html"))]


def test_no_template_has_an_inline_script_the_policy_would_block():
    """An inline <script> needs the request's nonce; an inline handler (onchange=…) must be one of the
    hashed ones in settings.JIANFU_CSP_INLINE_HANDLERS — better, a static script. Otherwise the page
    silently stops working in the browser."""
    assert len(template_files()) > 50
    problems = []
    for path in template_files():
        text = path.read_text(encoding="utf-8")
        for m in SCRIPT_TAG.finditer(text):
            attrs = m.group(1)
            if "src=" in attrs or "application/json" in attrs or "application/ld+json" in attrs:
                continue
            if 'nonce="{{ request.csp_nonce }}"' not in attrs:
                problems.append(f"{path.relative_to(REPO)}: <script{attrs}> without the nonce")
        for m in HANDLER.finditer(text):
            source = m.group(2) if m.group(2) is not None else m.group(3)
            if source not in settings.JIANFU_CSP_INLINE_HANDLERS:
                problems.append(f"{path.relative_to(REPO)}: inline handler {m.group(0).strip()!r}")
    assert problems == []


def test_the_template_scan_finds_what_it_looks_for(tmp_path):
    # The scan above would be worthless if its patterns never matched: they match these.
    assert SCRIPT_TAG.search("<script>alert(1)</script>").group(1) == ""
    assert HANDLER.search('<img src=x onerror="alert(1)">').group(2) == "alert(1)"
    assert HANDLER.search("<body onload='go()'>").group(3) == "go()"
    # and a listed handler's exact text is in use somewhere, so the list holds nothing stale.
    used = {
        (m.group(2) if m.group(2) is not None else m.group(3))
        for p in template_files()
        for m in HANDLER.finditer(p.read_text(encoding="utf-8"))
    }
    assert set(settings.JIANFU_CSP_INLINE_HANDLERS) <= used


PRODUCTION = {
    # The README's production variables (section "Configuration").
    "ALLOWED_HOSTS": "jianfu.example.cn",
    "SECURE_COOKIES": "1",
    "TRUST_PROXY_HEADERS": "1",
    "SECURE_HSTS_SECONDS": "31536000",
    "SECURE_SSL_REDIRECT": "1",
}


# The test run's own switches (pytest's settings module; the browser tests' async escape hatch, which
# check --deploy rightly refuses) are not a deployment's.
NOT_DEPLOYED = ("DJANGO_SETTINGS_MODULE", "DJANGO_ALLOW_ASYNC_UNSAFE")


def manage(args, env_extra, tmp_path):
    env = {k: v for k, v in os.environ.items() if k not in NOT_DEPLOYED}
    env.update(JIANFU_VAR_DIR=str(tmp_path), DATABASE_URL=f"sqlite:///{tmp_path / 'x.sqlite3'}", **env_extra)
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=REPO, env=env, capture_output=True, text=True, timeout=120
    )


def test_check_deploy_is_clean_with_the_readme_production_variables(tmp_path):
    env = {**PRODUCTION, "SECRET_KEY": secrets.token_urlsafe(50)}
    result = manage(["check", "--deploy", "--fail-level", "WARNING"], env, tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout
    # Without the two new variables the same check names exactly what is missing.
    bare = {k: v for k, v in env.items() if k not in ("SECURE_HSTS_SECONDS", "SECURE_SSL_REDIRECT")}
    result = manage(["check", "--deploy", "--fail-level", "WARNING"], bare, tmp_path)
    assert result.returncode != 0
    assert (
        "security.W004" in result.stderr + result.stdout and "security.W008" in result.stderr + result.stdout
    )


PROBE = """
import django
django.setup()
from django.test import Client
c = Client()
plain = c.get("/accounts/login/")
health = c.get("/healthz")
secure = c.get("/accounts/login/", secure=True)
print(plain.status_code, plain.get("Location"), health.status_code,
      secure.get("Strict-Transport-Security"))
"""


def test_production_variables_redirect_to_https_and_send_hsts_but_not_on_the_health_probe(tmp_path):
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
    env.update(
        PRODUCTION,
        ALLOWED_HOSTS="testserver",
        JIANFU_VAR_DIR=str(tmp_path),
        DATABASE_URL=f"sqlite:///{tmp_path / 'x.sqlite3'}",
        DJANGO_SETTINGS_MODULE="config.settings",
    )
    out = subprocess.run(
        [sys.executable, "-c", PROBE], cwd=REPO, env=env, capture_output=True, text=True, timeout=60
    )
    assert out.stdout.split() == [
        "301",
        "https://testserver/accounts/login/",
        "200",
        "max-age=31536000;",
        "includeSubDomains",
    ], out.stderr
