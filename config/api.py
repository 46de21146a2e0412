"""The one NinjaAPI at /api/v1/. Domain errors are mapped to HTTP here, once."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from ninja import NinjaAPI
from ninja.errors import AuthenticationError
from ninja.security import django_auth

from jianfu.core.errors import DomainError

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


def _register_routers() -> None:
    from jianfu.accounts.api import router as accounts_router
    from jianfu.afterschool.api import router as afterschool_router
    from jianfu.afterschool.api_days import router as days_router
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
