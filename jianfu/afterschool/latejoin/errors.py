"""Refusals of late join requests, with stable codes, each naming its field."""

from __future__ import annotations

from jianfu.core.errors import DomainError


class LateJoinError(DomainError):
    NOT_OPEN = "afterschool_late_join_not_open"
    INVALID = "afterschool_late_join_invalid"
    DECIDED = "afterschool_late_join_decided"
    status = 422
