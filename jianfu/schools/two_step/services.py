"""A district's bureau staff turn off two-step sign-in for a school staff member who lost both the
phone and the recovery codes (decision 0019). The reset itself is accounts' (totp_reset_for); who
may make it, over which accounts, is this app's: it needs the bureau's schools."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from jianfu.accounts.models import User
from jianfu.accounts.selectors import totp_enabled
from jianfu.accounts.services import AccountError, reset_reason_check, second_factor_confirm, totp_reset_for
from jianfu.core.errors import NotFound
from jianfu.schools.two_step.permissions import can_reset_two_step
from jianfu.schools.two_step.selectors import two_step_accounts_for_bureau


def totp_reset_by_bureau(
    *, actor: User, user_id: int, reason: str, session_passed: bool, code: str, now: Any = None
) -> User:
    """Only accounts listed by two_step_accounts_for_bureau (school and class staff, every staff role
    inside the actor's region; never region-level accounts, administrators or the actor); anything
    else is "not found". The actor must sign in with two-step sign-in themselves. Audited with the
    reason; the account holder is texted; their sessions end."""
    if not can_reset_two_step(actor):
        raise NotFound(_("页面"))
    if not totp_enabled(actor):
        raise AccountError(
            AccountError.TWO_STEP_REQUIRED,
            _("重置他人的两步验证前，请先在“账号安全”中为自己开启两步验证"),
            status=403,
        )
    reset_reason_check(reason)
    # Checked before the transaction: reading the region's staff needs no write lock.
    if not any(row["user_id"] == user_id for row in two_step_accounts_for_bureau(actor)):
        raise NotFound(_("账号"))
    # Last, so a refusal above does not use up the code the person typed.
    second_factor_confirm(actor=actor, session_passed=session_passed, code=code, now=now)
    return totp_reset_for(
        actor=actor, user_id=user_id, reason=reason, by=pgettext_lazy("who turned it off", "教育局工作人员")
    )
