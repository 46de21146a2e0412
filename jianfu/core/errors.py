"""Domain errors with stable codes.

Services raise these; `config/api.py` maps them to HTTP once, and views show them as form errors.
The code is part of the public contract (clients branch on it); the messages are for people,
Chinese first.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, ClassVar

from django.utils.translation import get_language


@dataclass(frozen=True)
class ErrorDetail:
    """One problem inside a larger error, e.g. one bad row of an import."""

    message_zh: str
    message_en: str
    row: int | None = None
    field: str | None = None
    code: str | None = None

    def as_dict(self) -> dict[str, Any]:
        return {
            "row": self.row,
            "field": self.field,
            "code": self.code,
            "message": self.message_zh,
            "message_en": self.message_en,
        }


class DomainError(Exception):
    """Base for every error a service may raise on purpose.

    `status` is the HTTP status the API answers with. NOT_FOUND is used for both "missing" and
    "not allowed" so that the outside cannot tell the two apart.
    """

    status: ClassVar[int] = 400

    def __init__(
        self,
        code: str,
        message_zh: str,
        message_en: str,
        *,
        details: list[ErrorDetail] | None = None,
        status: int | None = None,
        field: str | None = None,
    ) -> None:
        super().__init__(f"{code}: {message_en}")
        self.code = code
        self.message_zh = message_zh
        self.message_en = message_en
        self.details = details or []
        self.field = field
        if status is not None:
            self.status = status  # type: ignore[misc]

    @property
    def message(self) -> str:
        """The message in the active language (Chinese unless the user chose English)."""
        lang = (get_language() or "zh-hans").lower()
        return self.message_en if lang.startswith("en") else self.message_zh

    def as_dict(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "message": self.message_zh,
            "message_en": self.message_en,
            "field": self.field,
            "details": [d.as_dict() for d in self.details],
        }


class NotFound(DomainError):
    status = 404

    def __init__(self, what_zh: str = "对象", what_en: str = "object") -> None:
        super().__init__("not_found", f"{what_zh}不存在或无权访问", f"{what_en} not found", status=404)


class PermissionDenied(DomainError):
    """For actions on objects the actor can see but may not change (403)."""

    status = 403

    def __init__(self, message_zh: str = "无权执行此操作", message_en: str = "You may not do this") -> None:
        super().__init__("permission_denied", message_zh, message_en, status=403)


class ValidationFailed(DomainError):
    status = 422


@dataclass
class Findings:
    """Helper to collect row-level problems before raising one error (all-or-nothing imports)."""

    items: list[ErrorDetail] = field(default_factory=list)

    def add(
        self,
        message_zh: str,
        message_en: str,
        *,
        row: int | None = None,
        field: str | None = None,
        code: str | None = None,
    ) -> None:
        self.items.append(ErrorDetail(message_zh, message_en, row=row, field=field, code=code))

    def __bool__(self) -> bool:
        return bool(self.items)
