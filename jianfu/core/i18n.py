"""Which language a request is answered in (issue 14, decision 0038).

Pages: the account's choice (``User.preferred_language``, set with the switch in the page header),
else the visitor's choice in the language cookie, else Chinese. A browser's Accept-Language is not
used for pages: the people who use jianfu read Chinese whatever their phone's system language, and a
school page that turns English because a phone was bought abroad would be a surprise.
The API: the request's Accept-Language (a client asks for what it can show), else the account's
choice, else Chinese.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils import translation
from django.utils.translation.trans_real import get_supported_language_variant, parse_accept_lang_header

API_PREFIX = "/api/"


def supported(code: str | None) -> str | None:
    """The supported language for a code such as 'en-US' or 'zh-CN', or None."""
    if not code:
        return None
    try:
        return str(get_supported_language_variant(code.lower()))
    except LookupError:
        return None


def _from_accept_language(header: str) -> str | None:
    for code, _quality in parse_accept_lang_header(header):
        if code == "*":
            continue
        found = supported(code)
        if found:
            return found
    return None


def language_for(request: HttpRequest) -> str:
    user = getattr(request, "user", None)
    account = supported(getattr(user, "preferred_language", None)) if user is not None else None
    if request.path.startswith(API_PREFIX):
        header = request.META.get("HTTP_ACCEPT_LANGUAGE", "")
        return _from_accept_language(header) or account or settings.LANGUAGE_CODE
    if account and getattr(user, "is_authenticated", False):
        return account
    return supported(request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)) or settings.LANGUAGE_CODE


class LanguageMiddleware:
    """Activates the request's language; runs after authentication so the account's choice is known."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        language = language_for(request)
        request.LANGUAGE_CODE = language
        # override, not activate: the thread returns to its previous language after the response, so
        # one request's English never leaks into the next piece of work on the same thread.
        with translation.override(language):
            response = self.get_response(request)
        response.headers.setdefault("Content-Language", language)
        if request.path.startswith(API_PREFIX):
            response.headers["Vary"] = ", ".join(
                v for v in (response.headers.get("Vary"), "Accept-Language") if v
            )
        return response


def in_both(message: object, params: Mapping[str, object] | None = None) -> str:
    """A catalogue message in Chinese and English, "中文 / English", for a terminal: operators' commands
    have no language choice, so they say it in both (as they did before the catalogue)."""

    def render(language: str) -> str:
        with translation.override(language):
            text = str(message)
            return text % {k: str(v) for k, v in params.items()} if params else text

    zh, en = render("zh-hans"), render("en")
    return zh if zh == en else f"{zh} / {en}"
