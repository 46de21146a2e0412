"""Domain errors with stable codes.

Services raise these; `config/api.py` maps them to HTTP once, and views show them as form errors.
The code is part of the public contract (clients branch on it); the messages are for people,
Chinese first.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, ClassVar

from django.utils import translation
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

# A message is a translatable template from the catalogue (gettext_lazy, Chinese msgid) with named
# %-parameters, so one message per code renders in any language (issue 14). The old style, a pair of
# literals (Chinese, English), is still accepted while the apps move over: see _Message.
Text = str | Promise


class _Message:
    """One message: a catalogue template and its parameters, or (old style) a zh/en literal pair."""

    __slots__ = ("legacy_en", "params", "template")

    def __init__(self, template: Text, legacy_en: str | None, params: dict[str, Any] | None) -> None:
        self.template = template
        self.legacy_en = legacy_en
        self.params = params or {}

    def _key(self) -> tuple[str, str | None, tuple[tuple[str, str], ...]]:
        return (
            str(self.template),
            self.legacy_en,
            tuple(sorted((k, str(v)) for k, v in self.params.items())),
        )

    def __eq__(self, other: object) -> bool:
        return isinstance(other, _Message) and self._key() == other._key()

    def __hash__(self) -> int:
        return hash(self._key())

    def __repr__(self) -> str:
        return repr(self.render("zh-hans"))

    def render(self, lang: str | None = None) -> str:
        if lang is None:
            lang = translation.get_language() or "zh-hans"
        if self.legacy_en is not None:
            return self.legacy_en if lang.lower().startswith("en") else str(self.template)
        with translation.override(lang):
            text = str(self.template)
            if not self.params:
                return text
            return text % {k: str(v) for k, v in self.params.items()}


@dataclass(frozen=True, init=False)
class ErrorDetail:
    """One problem inside a larger error, e.g. one bad row of an import."""

    _msg: _Message
    row: int | None = None
    field: str | None = None
    code: str | None = None

    def __init__(
        self,
        message: Text,
        message_en: str | None = None,
        *,
        row: int | None = None,
        field: str | None = None,
        code: str | None = None,
        params: dict[str, Any] | None = None,
    ) -> None:
        object.__setattr__(self, "_msg", _Message(message, message_en, params))
        object.__setattr__(self, "row", row)
        object.__setattr__(self, "field", field)
        object.__setattr__(self, "code", code)

    @property
    def message(self) -> str:
        return self._msg.render()

    @property
    def message_zh(self) -> str:
        return self._msg.render("zh-hans")

    @property
    def message_en(self) -> str:
        return self._msg.render("en")

    def as_dict(self) -> dict[str, Any]:
        return {
            "row": self.row,
            "field": self.field,
            "code": self.code,
            "message": self.message,
            "message_en": self.message_en,
        }


class DomainError(Exception):
    """Base for every error a service may raise on purpose.

    `status` is the HTTP status the API answers with. NOT_FOUND is used for both "missing" and
    "not allowed" so that the outside cannot tell the two apart.

    New code passes one catalogue message: ``DomainError(code, _("“%(name)s”已存在"), params={...})``.
    ``message`` renders it in the active language (the account's choice on pages, Accept-Language on
    the API); ``message_en`` in English for clients and logs.
    """

    status: ClassVar[int] = 400

    def __init__(
        self,
        code: str,
        message: Text,
        message_en: str | None = None,
        *,
        params: dict[str, Any] | None = None,
        details: list[ErrorDetail] | None = None,
        status: int | None = None,
        field: str | None = None,
    ) -> None:
        self._msg = _Message(message, message_en, params)
        super().__init__(f"{code}: {self.message_en}")
        self.code = code
        self.details = details or []
        self.field = field
        if status is not None:
            self.status = status  # type: ignore[misc]

    @property
    def message(self) -> str:
        """The message in the active language (Chinese unless the user chose English)."""
        return self._msg.render()

    @property
    def message_zh(self) -> str:
        return self._msg.render("zh-hans")

    @property
    def message_en(self) -> str:
        return self._msg.render("en")

    def as_dict(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "message": self.message,
            "message_en": self.message_en,
            "field": self.field,
            "details": [d.as_dict() for d in self.details],
        }


class Phrase:
    """A catalogue message with its own parameters, used as a parameter of another message
    (``params={"problem": Phrase(_("…%(value)s…"), {"value": v})}``): rendered when the outer message
    is, in the same language."""

    def __init__(self, template: Text, params: dict[str, Any] | None = None) -> None:
        self.template = template
        self.params = params or {}

    def __str__(self) -> str:
        text = str(self.template)
        return text % {k: str(v) for k, v in self.params.items()} if self.params else text


class DetailList:
    """A message parameter that lists details (``_("…%(problems)s")``, params={"problems": DetailList(…)}):
    rendered when the message is, in the same language."""

    def __init__(self, details: list[ErrorDetail]) -> None:
        self.details = details

    def __str__(self) -> str:
        return str(_LIST_SEPARATOR).join(d.message for d in self.details)


_LIST_SEPARATOR = _("；")
_OBJECT = _("对象")
_MAY_NOT = _("无权执行此操作")


class NotFound(DomainError):
    status = 404

    def __init__(self, what: Text = _OBJECT, what_en: str | None = None) -> None:
        if what_en is not None:  # old style: a pair of literals
            with translation.override("zh-hans"):
                zh = str(_("%(what)s不存在或无权访问")) % {"what": what}
            super().__init__("not_found", zh, f"{what_en} not found", status=404)
        else:
            super().__init__("not_found", _("%(what)s不存在或无权访问"), params={"what": what}, status=404)


class PermissionDenied(DomainError):
    """For actions on objects the actor can see but may not change (403)."""

    status = 403

    def __init__(self, message: Text = _MAY_NOT, message_en: str | None = None) -> None:
        super().__init__("permission_denied", message, message_en, status=403)


class ValidationFailed(DomainError):
    status = 422


@dataclass
class Findings:
    """Helper to collect row-level problems before raising one error (all-or-nothing imports)."""

    items: list[ErrorDetail] = field(default_factory=list)

    def add(
        self,
        message: Text,
        message_en: str | None = None,
        *,
        row: int | None = None,
        field: str | None = None,
        code: str | None = None,
        params: dict[str, Any] | None = None,
    ) -> None:
        self.items.append(ErrorDetail(message, message_en, row=row, field=field, code=code, params=params))

    def __bool__(self) -> bool:
        return bool(self.items)
