"""Homework's domain errors: stable codes, mapped to HTTP in config/api.py."""

from __future__ import annotations

from jianfu.core.errors import DomainError, ErrorDetail
from jianfu.policies.findings import Finding


class HomeworkError(DomainError):
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
        message_zh: str,
        message_en: str,
        *,
        findings: list[Finding] | None = None,
        field: str | None = None,
        status: int | None = None,
    ) -> None:
        details = [ErrorDetail(f.message_zh, f.message_en, code=f.rule_id) for f in (findings or [])]
        super().__init__(code, message_zh, message_en, details=details, field=field, status=status or 422)
        self.findings = findings or []
