"""The one NinjaAPI at /api/v1/. Domain errors are mapped to HTTP here, once."""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError
from ninja.security import django_auth

from jianfu.core.errors import DomainError
from jianfu.core.validation import validation_failed

api = NinjaAPI(
    title="jianfu API",
    version="1",
    description=(
        "jianfu (减负) — 双减 policy as daily practice. Every endpoint requires a signed-in session "
        "(cookie `sessionid`, with the CSRF token in `X-CSRFToken` for writes) unless marked public. "
        "Errors are `{code, message, message_en, field, details[]}` with a stable `code`. "
        "See docs/api.md."
    ),
    auth=django_auth,
    urls_namespace="api",
)


@api.exception_handler(DomainError)
def domain_error(request: HttpRequest, exc: DomainError) -> HttpResponse:
    return api.create_response(request, exc.as_dict(), status=exc.status)


@api.exception_handler(AuthenticationError)
def unauthenticated(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    return api.create_response(
        request,
        {
            "code": "unauthenticated",
            "message": "请先登录",
            "message_en": "Sign in first",
            "field": None,
            "details": [],
        },
        status=401,
    )


# Every error of the API has the documented shape {code, message, message_en, field, details}
# (docs/api.md "Conventions"), including the ones django-ninja raises itself: a client branches on
# `code` and shows `message`, whichever layer refused the request.


def _error(
    code: str, zh: str, en: str, field: str | None = None, details: list[Any] | None = None
) -> dict[str, Any]:
    return {"code": code, "message": zh, "message_en": en, "field": field, "details": details or []}


@api.exception_handler(ValidationError)
def invalid_request(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    error = validation_failed(exc.errors)
    return api.create_response(request, error.as_dict(), status=422)


_HTTP_CODES = {
    400: ("bad_request", "请求格式有误（如 JSON 无法解析）", "Bad request"),
    403: ("permission_denied", "无权执行此操作", "You may not do this"),
    405: ("method_not_allowed", "不支持该请求方法", "Method not allowed"),
    429: ("throttled", "请求过于频繁，请稍后再试", "Too many requests; try again later"),
}


@api.exception_handler(HttpError)
def http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    code, zh, en = _HTTP_CODES.get(exc.status_code, ("http_error", "请求未能处理", "The request failed"))
    return api.create_response(request, _error(code, zh, f"{en}: {exc.message}"), status=exc.status_code)


@api.exception_handler(Http404)
def not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
    return api.create_response(request, _error("not_found", "对象不存在或无权访问", "Not found"), status=404)


def _register_routers() -> None:
    from jianfu.accounts.api import router as accounts_router
    from jianfu.afterschool.api import days_router
    from jianfu.afterschool.api import router as afterschool_router
    from jianfu.cases.api import router as cases_router
    from jianfu.exams.api import router as exams_router
    from jianfu.homework.api import router as homework_router
    from jianfu.policies.api import router as policies_router
    from jianfu.schools.api import router as schools_router

    api.add_router("/accounts", accounts_router)
    api.add_router("/schools", schools_router)
    api.add_router("/policy", policies_router)
    api.add_router("/homework", homework_router)
    api.add_router("/exams", exams_router)
    api.add_router("/cases", cases_router)
    api.add_router("/afterschool/days", days_router)
    api.add_router("/afterschool", afterschool_router)


_register_routers()
