"""The API docs page (/api/v1/docs) works offline and under the site's Content-Security-Policy: every
asset it loads comes from this site, and it runs no inline script (issue 15)."""

from html.parser import HTMLParser

import pytest

pytestmark = pytest.mark.django_db


class _Assets(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.urls: list[str] = []
        self.inline_scripts: list[str | None] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        for name in ("src", "href"):
            if found.get(name):
                self.urls.append(found[name] or "")
        if tag == "script" and not found.get("src"):
            self.inline_scripts.append(found.get("type"))


def test_the_docs_page_loads_only_same_origin_assets_that_this_site_serves(client):
    response = client.get("/api/v1/docs")
    assert response.status_code == 200
    page = _Assets()
    page.feed(response.content.decode())
    assert any(url.endswith("swagger-ui-bundle.js") for url in page.urls)
    for url in page.urls:
        assert url.startswith("/") and not url.startswith("//"), url
        assert client.get(url).status_code == 200, url
    # Only data blocks inline (the settings' JSON); the CSP would refuse an inline script.
    assert page.inline_scripts == ["application/json"]
    policy = response["Content-Security-Policy"]
    assert "script-src 'self'" in policy and "cdn" not in response.content.decode()


def test_the_online_validator_is_off(client):
    body = client.get("/api/v1/docs").content.decode()
    assert '"validatorUrl": null' in body
