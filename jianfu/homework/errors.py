"""Homework's domain errors: stable codes, mapped to HTTP in config/api.py."""

from __future__ import annotations

from typing import Any

from jianfu.core.errors import DomainError, ErrorDetail, Text
from jianfu.policies.rules.findings import Finding


class HomeworkError(DomainError):
    """A refusal with a stable code; the message is one catalogue entry with named parameters
    (``HomeworkError(code, _("…%(x)s…"), params=…)``), or the old pair of literals while the app's
    remaining messages move over (issue 14, decision 0038)."""

    DAILY_CAP_EXCEEDED = "daily_cap_exceeded"
    ALL_KINDS_CAP_EXCEEDED = "all_kinds_cap_exceeded"
    EXCEPTION_LIMIT_REACHED = "exception_limit_reached"
    DATE_IN_PAST = "homework_date_in_past"
    RULE_VIOLATION = "homework_rule_violation"
    INVALID = "homework_invalid"
    TEXT_NEEDS_CONFIRMATION = "homework_text_needs_confirmation"

    def __init__(
        self,
        code: str,
        message: Text,
        message_en: str | None = None,
        *,
        params: dict[str, Any] | None = None,
        findings: list[Finding] | None = None,
        field: str | None = None,
        status: int | None = None,
    ) -> None:
        details = [ErrorDetail(f.message_zh, f.message_en, code=f.rule_id) for f in (findings or [])]
        super().__init__(
            code, message, message_en, params=params, details=details, field=field, status=status or 422
        )
        self.findings = findings or []
