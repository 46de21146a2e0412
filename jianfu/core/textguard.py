"""Characters no user text needs, removed or refused at the door (security.md L1 #3, NUL in L1, I4).

- NUL (U+0000): PostgreSQL cannot store it in text (an HTTP 500 there); nobody types it on purpose.
  Removed, so the rest of what the person typed is kept (as the complaint service does for its own
  multipart form).
- Bidirectional controls (U+202A–U+202E, U+2066–U+2069): they reorder how text is shown, so a
  homework description on the public page could be made to read differently from what was stored.
  Removed: a teacher pasting from a document may carry one by accident.
- Lone surrogates (U+D800–U+DFFF, reachable only through JSON's \\uD800 escapes): not characters at
  all, and Python cannot encode them (an HTTP 500 wherever the text was written). Refused with 400 in
  the API's error shape naming the field: there is nothing sensible to keep.

The middleware reads a request's urlencoded form or JSON body before any view does; the cleaned body
is what the view sees.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from typing import Any

from django.http import HttpRequest, HttpResponse, JsonResponse, QueryDict
from django.utils.translation import gettext_lazy as _

from jianfu.core.errors import DomainError

REMOVED = re.compile("[\x00\u202a-\u202e\u2066-\u2069]")
_REFUSED = re.compile("[\ud800-\udfff]")


class RefusedText(ValueError):
    def __init__(self, field: str) -> None:
        super().__init__(field)
        self.field = field


def clean(value: Any, path: str = "") -> Any:
    """The value with NUL and bidi controls removed from every string in it; RefusedText(path) for a
    lone surrogate anywhere (keys included)."""
    if isinstance(value, str):
        if _REFUSED.search(value):
            raise RefusedText(path or "body")
        return REMOVED.sub("", value)
    if isinstance(value, list):
        return [clean(v, f"{path}.{i}" if path else str(i)) for i, v in enumerate(value)]
    if isinstance(value, dict):
        out = {}
        for k, v in value.items():
            key = clean(k, path)
            out[key] = clean(v, f"{path}.{key}" if path else str(key))
        return out
    return value


def _refusal(request: HttpRequest, field: str) -> HttpResponse:
    body = DomainError(
        "invalid_characters",
        _("内容含有无法识别的字符（可能是表情或特殊符号损坏），请删除后重试"),
        field=field,
    ).as_dict()
    if request.path.startswith("/api/"):
        return JsonResponse(body, status=400)
    return HttpResponse(body["message"], status=400, content_type="text/plain; charset=utf-8")


class TextGuardMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        try:
            for name, values in request.GET.lists():
                clean(values, name)
            if request.method in ("POST", "PUT", "PATCH"):
                self._clean_body(request)
        except RefusedText as exc:
            return _refusal(request, exc.field)
        return self.get_response(request)

    @staticmethod
    def _clean_body(request: HttpRequest) -> None:
        content_type = request.content_type or ""
        if content_type == "application/json":
            try:
                data = json.loads(request.body or b"null")
            except ValueError:
                return  # not JSON: the endpoint's own parser answers 400
            cleaned = clean(data)
            if cleaned != data:
                request._body = json.dumps(cleaned, ensure_ascii=False).encode()
        elif content_type == "application/x-www-form-urlencoded":
            # Read from the raw body, not request.POST: a view may still set its upload handlers,
            # which Django refuses once POST was parsed. Multipart bodies are left to their views
            # (complaint photos stream to disk and the complaint service strips NUL itself).
            form = QueryDict(request.body, encoding=request.encoding)
            cleaned = {name: clean(values, name) for name, values in form.lists()}
            if any(cleaned[name] != values for name, values in form.lists()):
                copy = QueryDict(mutable=True)
                for name, values in cleaned.items():
                    copy.setlist(name, values)
                request._body = copy.urlencode().encode()
