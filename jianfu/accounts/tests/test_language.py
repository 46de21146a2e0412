"""The language switch and which language a request is answered in (jianfu.core.i18n, decision 0038)."""

from __future__ import annotations

from typing import Any

import pytest
from django.utils import translation

from jianfu.core.errors import DomainError, NotFound
from jianfu.core.i18n import language_for

pytestmark = pytest.mark.django_db

FOOTER_EN = "Putting the Double Reduction policy into daily practice"
FOOTER_ZH = "双减政策日常落实平台"


def test_pages_are_chinese_by_default_whatever_the_browser_asks(client: Any) -> None:
    page = client.get("/accounts/login/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9").content.decode()
    assert FOOTER_ZH in page
    assert FOOTER_EN not in page


def test_the_switch_before_signing_in_is_kept_in_a_cookie(client: Any) -> None:
    response = client.post("/accounts/language/", {"language": "en", "next": "/accounts/login/"})
    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/"
    assert response.cookies["django_language"].value == "en"
    assert FOOTER_EN in client.get("/accounts/login/").content.decode()


def test_a_signed_in_choice_is_remembered_on_the_account(world: Any, client: Any) -> None:
    parent = world.users["parent"]
    client.force_login(parent)
    client.post("/accounts/language/", {"language": "en", "next": "/"})
    parent.refresh_from_db()
    assert parent.preferred_language == "en"
    # Another phone, no cookie: the account's choice still holds.
    other = type(client)()
    other.force_login(parent)
    assert 'lang="en"' in other.get("/").content.decode()[:200]
    client.post("/accounts/language/", {"language": "zh-hans", "next": "/"})
    parent.refresh_from_db()
    assert parent.preferred_language == "zh-hans"


def test_the_switch_refuses_foreign_redirects_and_unknown_languages(client: Any) -> None:
    response = client.post("/accounts/language/", {"language": "xx", "next": "https://evil.example/"})
    assert response["Location"] == "/"
    assert response.cookies["django_language"].value == "zh-hans"


def test_the_switch_needs_a_post(client: Any) -> None:
    assert client.get("/accounts/language/?language=en").status_code == 405


def test_the_api_follows_accept_language(rf: Any) -> None:
    assert language_for(rf.get("/api/v1/x", HTTP_ACCEPT_LANGUAGE="en-GB,en;q=0.8")) == "en"
    assert language_for(rf.get("/api/v1/x", HTTP_ACCEPT_LANGUAGE="zh-CN,zh;q=0.9")) == "zh-hans"
    assert language_for(rf.get("/api/v1/x", HTTP_ACCEPT_LANGUAGE="fr-FR")) == "zh-hans"
    assert language_for(rf.get("/api/v1/x")) == "zh-hans"


def test_api_errors_come_from_the_catalogue_in_the_asked_language(world: Any, client: Any) -> None:
    client.force_login(world.users["parent"])
    url = f"/api/v1/homework/classes/{world.other_class.pk}/week?monday=2026-09-07"
    zh = client.get(url, HTTP_ACCEPT_LANGUAGE="zh-CN")
    en = client.get(url, HTTP_ACCEPT_LANGUAGE="en")
    assert zh.status_code == en.status_code == 404
    assert zh.json()["code"] == en.json()["code"] == "not_found"
    assert "不存在或无权访问" in zh.json()["message"]
    assert "not found" in en.json()["message"]
    assert "not found" in zh.json()["message_en"]
    assert en["Content-Language"] == "en"


def test_one_message_per_code_renders_in_both_languages() -> None:
    error = DomainError(
        "x_exists", translation.gettext_lazy("%(what)s不存在或无权访问"), params={"what": "X"}
    )
    assert error.message_zh == "X不存在或无权访问"
    assert error.message_en == "X not found or not accessible"
    with translation.override("en"):
        assert error.message == "X not found or not accessible"
        assert NotFound().message == "Object not found or not accessible"
    assert NotFound().message_zh == "对象不存在或无权访问"


def test_a_request_in_english_leaves_the_thread_as_it_was(world: Any, client: Any) -> None:
    parent = world.users["parent"]
    parent.preferred_language = "en"
    parent.save(update_fields=["preferred_language"])
    client.force_login(parent)
    with translation.override("zh-hans"):
        client.get("/")
        assert translation.get_language() == "zh-hans"
