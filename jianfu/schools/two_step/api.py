from __future__ import annotations

from datetime import datetime
from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from ninja import Field, Router, Schema

from jianfu.accounts.selectors import session_passed_two_step
from jianfu.core.errors import NotFound
from jianfu.schools.two_step.permissions import can_reset_two_step
from jianfu.schools.two_step.selectors import two_step_accounts_for_bureau
from jianfu.schools.two_step.services import totp_reset_by_bureau

router = Router(tags=["accounts"])


class TwoStepAccountOut(Schema):
    user_id: int
    name: str
    phone_masked: str
    roles: list[str]
    schools: list[str]
    enabled_at: datetime


class ResetIn(Schema):
    reason: str
    code: str = Field(
        "",
        description="A fresh code from the actor's own authenticator app (the session must have passed the second step)",
    )


class ResetOut(Schema):
    user_id: int
    two_step_enabled: bool


def _bureau(request: HttpRequest) -> Any:
    if not can_reset_two_step(request.user):
        raise NotFound(_("页面"))
    return request.user


@router.get(
    "/two-step-accounts",
    response=list[TwoStepAccountOut],
    summary="Bureau staff: school staff of the region who sign in with two-step sign-in",
)
def two_step_accounts(request: HttpRequest, school_id: int | None = None) -> list[dict[str, Any]]:
    return two_step_accounts_for_bureau(_bureau(request), school_id=school_id)


@router.post(
    "/two-step-accounts/{user_id}/reset",
    response=ResetOut,
    summary="Bureau staff: turn off a school staff member's two-step sign-in (lost phone and codes)",
)
def two_step_reset(request: HttpRequest, user_id: int, payload: ResetIn) -> dict[str, Any]:
    user = totp_reset_by_bureau(
        actor=_bureau(request),
        user_id=user_id,
        reason=payload.reason,
        session_passed=session_passed_two_step(request.session),
        code=payload.code,
    )
    return {"user_id": user.pk, "two_step_enabled": False}
