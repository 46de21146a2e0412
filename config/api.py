"""The one NinjaAPI at /api/v1/. Domain errors are mapped to HTTP here, once."""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.utils import translation
from django.utils.translation import gettext_lazy as _
from ninja import NinjaAPI, Swagger
from ninja.errors import AuthenticationError, HttpError, ValidationError
from ninja.openapi.schema import OpenAPISchema
from ninja.security import django_auth

from jianfu.core.errors import DomainError
from jianfu.core.validation import validation_failed

# The error answers every operation may give, all in the one shape below (docs/api.md "Conventions"),
# described in English for the developers who read the OpenAPI document (the answers' own messages
# are in the request's language):
# declared once here instead of on each of the ~90 endpoints, so the OpenAPI document says what the
# API really answers (the fuzzing in tests/fuzz checks every answer against it; decision 0034).
ERROR_RESPONSES = {
    400: "Malformed request: unparseable JSON, or text with characters that are not allowed (bad_request)",
    401: "Not signed in, or the session ended (unauthenticated, session_expired)",
    403: "Not allowed, or the role must turn on two-step sign-in first (permission_denied, two_step_sign_in_required)",
    404: "Not found, or not yours to see (not_found)",
    409: "Conflicts with the current state",
    422: "Invalid input or refused by a rule (invalid, or the rule's own code)",
    429: "Too many requests",
}
ERROR_SCHEMA = {
    "title": "Error",
    "type": "object",
    "required": ["code", "message", "message_en", "field", "details"],
    "properties": {
        "code": {"type": "string"},
        "message": {"type": "string"},
        "message_en": {"type": "string"},
        "field": {"anyOf": [{"type": "string"}, {"type": "null"}]},
        "details": {"type": "array", "items": {"$ref": "#/components/schemas/ErrorDetail"}},
    },
}
ERROR_DETAIL_SCHEMA = {
    "title": "ErrorDetail",
    "type": "object",
    "required": ["row", "field", "code", "message", "message_en"],
    "properties": {
        "row": {"anyOf": [{"type": "integer"}, {"type": "null"}]},
        "field": {"anyOf": [{"type": "string"}, {"type": "null"}]},
        "code": {"anyOf": [{"type": "string"}, {"type": "null"}]},
        "message": {"type": "string"},
        "message_en": {"type": "string"},
    },
}


class JianfuAPI(NinjaAPI):
    def get_openapi_schema(
        self, *, path_prefix: str | None = None, path_params: dict[str, Any] | None = None
    ) -> OpenAPISchema:
        schema = super().get_openapi_schema(path_prefix=path_prefix, path_params=path_params)
        schemas = schema.setdefault("components", {}).setdefault("schemas", {})
        schemas.setdefault("Error", ERROR_SCHEMA)
        schemas.setdefault("ErrorDetail", ERROR_DETAIL_SCHEMA)
        _local_times(schema)
        error = {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}
        for operations in schema["paths"].values():
            for operation in operations.values():
                responses = operation.setdefault("responses", {})
                for status, description in ERROR_RESPONSES.items():
                    responses.setdefault(status, {"description": description, "content": error})
        return schema


# pydantic documents a `time` as JSON Schema's `format: time`, which is RFC 3339's full-time and so
# requires an offset ("16:40:00+08:00"); the API reads and writes local Beijing times without one
# ("16:40:00", refusing offsets where they would be ambiguous, security.md L1). The document says so.
LOCAL_TIME = {
    "type": "string",
    "pattern": r"^([01][0-9]|2[0-3]):[0-5][0-9](:[0-5][0-9](\.[0-9]{1,6})?)?$",
    "description": "local time (Beijing), HH:MM or HH:MM:SS, no offset",
}


def _local_times(node: Any) -> None:
    if isinstance(node, dict):
        if node.get("type") == "string" and node.get("format") == "time":
            del node["format"]
            node["pattern"] = LOCAL_TIME["pattern"]
            node.setdefault("description", LOCAL_TIME["description"])
        for value in node.values():
            _local_times(value)
    elif isinstance(node, list):
        for value in node:
            _local_times(value)


api = JianfuAPI(
    title="jianfu API",
    version="1",
    description=(
        "jianfu (jiǎnfù) — the double reduction (shuāngjiǎn) policy as daily practice. Every endpoint requires a signed-in session "
        "(cookie `sessionid`, with the CSRF token in `X-CSRFToken` for writes) unless marked public. "
        "Errors are `{code, message, message_en, field, details[]}` with a stable `code`. "
        "See docs/api.md."
    ),
    auth=django_auth,
    urls_namespace="api",
    # The page's assets are ninja's own copies (ninja is in INSTALLED_APPS); Swagger UI's online
    # validator, which would send the schema to validator.swagger.io, is off.
    docs=Swagger(settings={"validatorUrl": None}),
)


@api.exception_handler(DomainError)
def domain_error(request: HttpRequest, exc: DomainError) -> HttpResponse:
    return api.create_response(request, exc.as_dict(), status=exc.status)


@api.exception_handler(AuthenticationError)
def unauthenticated(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    return api.create_response(request, _error("unauthenticated", _("请先登录")), status=401)


# Every error of the API has the documented shape {code, message, message_en, field, details}
# (docs/api.md "Conventions"), including the ones django-ninja raises itself: a client branches on
# `code` and shows `message`, whichever layer refused the request. One catalogue message per code:
# `message` in the request's language, `message_en` in English (locale/en).


def _error(
    code: str,
    message: Any,
    *,
    en_suffix: str = "",
    field: str | None = None,
    details: list[Any] | None = None,
) -> dict[str, Any]:
    with translation.override("en"):
        english = str(message)
    return {
        "code": code,
        "message": str(message),
        "message_en": english + en_suffix,
        "field": field,
        "details": details or [],
    }


@api.exception_handler(ValidationError)
def invalid_request(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    error = validation_failed(exc.errors)
    return api.create_response(request, error.as_dict(), status=422)


_HTTP_CODES = {
    400: ("bad_request", _("请求格式有误（如 JSON 无法解析）")),
    403: ("permission_denied", _("无权执行此操作")),
    405: ("method_not_allowed", _("不支持该请求方法")),
    429: ("throttled", _("请求过于频繁，请稍后再试")),
}


@api.exception_handler(HttpError)
def http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    code, message = _HTTP_CODES.get(exc.status_code, ("http_error", _("请求未能处理")))
    return api.create_response(
        request, _error(code, message, en_suffix=f": {exc.message}"), status=exc.status_code
    )


@api.exception_handler(Http404)
def not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
    return api.create_response(request, _error("not_found", _("对象不存在或无权访问")), status=404)


def _register_routers() -> None:
    from jianfu.afterschool.api import days_router
    from jianfu.afterschool.api import router as afterschool_router
    from jianfu.cases.api import router as cases_router
    from jianfu.exams.api import router as exams_router
    from jianfu.homework.api import router as homework_router
    from jianfu.policies.api import router as policies_router
    from jianfu.schools.api import router as schools_router
    from jianfu.schools.two_step.api import router as two_step_router
    from jianfu.site.api import router as site_router

    # Two routers under /accounts: "who am I" is the site's, the bureau's two-step resets the
    # schools app's (accounts itself may not ask for scopes, decision 0039).
    api.add_router("/accounts", site_router)
    api.add_router("/accounts", two_step_router)
    api.add_router("/schools", schools_router)
    api.add_router("/policy", policies_router)
    api.add_router("/homework", homework_router)
    api.add_router("/exams", exams_router)
    api.add_router("/cases", cases_router)
    api.add_router("/afterschool/days", days_router)
    api.add_router("/afterschool", afterschool_router)


_register_routers()
