"""The complaint errors' stable codes (mapped to HTTP once, jianfu/core/errors.py, config/api.py)."""

from __future__ import annotations

from jianfu.core.errors import DomainError


class CaseError(DomainError):
    INVALID = "complaint_invalid"
    RATE_LIMITED = "complaint_rate_limited"
    CLOSED = "complaint_closed"
    # Not in the state the act needs (closing before an answer went out, signing off with no draft,
    # assigning at the other level): 409.
    STATE = "complaint_state"
    # One code for "turn on two-step sign-in first", the same as accounts' AccountError.TWO_STEP_REQUIRED.
    TWO_STEP_REQUIRED = "two_step_sign_in_required"
    status = 422
