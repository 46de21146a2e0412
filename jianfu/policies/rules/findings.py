"""What the policy checks return, and the small helpers every check uses. No ORM."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any

from django.utils import translation
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from jianfu.policies.rules.catalogue import RULES_BY_ID

STAGE_LABELS = {"primary": _("小学"), "junior": _("初中"), "senior": _("高中")}
LAYERED = ("basic", "advanced", "extension")


@dataclass(frozen=True)
class Finding:
    rule_id: str
    severity: str
    message_zh: str
    message_en: str
    evidence: dict[str, Any] = field(default_factory=dict)
    source: str = ""

    @property
    def message(self) -> str:
        """The message in the active language (a page's, or the API caller's Accept-Language)."""
        return self.message_en if (translation.get_language() or "").startswith("en") else self.message_zh

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


class Grades:
    """A band of grades as a message names it ("3–4年级", "grades 3–4"), in the message's language."""

    def __init__(self, low: int, high: int) -> None:
        self.low, self.high = low, high

    def __str__(self) -> str:
        return gettext("%(low)s–%(high)s年级") % {"low": self.low, "high": self.high}


class SubjectName:
    """A subject as a message names it: the code the facts carry ("math") read as its name ("数学",
    "Mathematics") in the message's language. A code the school system does not know stays as given."""

    def __init__(self, code: str) -> None:
        self.code = code

    def __str__(self) -> str:
        # Imported here: the rules stay importable without the apps' models being loaded.
        from jianfu.schools.models import Subject

        label = dict(Subject.choices).get(self.code)
        return gettext(label) if label else self.code


def render(message: Any, params: dict[str, Any] | None, lang: str) -> str:
    """One catalogue message in one language; parameters that are themselves translatable (a stage,
    an exam kind, a list) render in the same language."""
    with translation.override(lang):
        text = str(message)
        return text % {k: str(v) for k, v in params.items()} if params else text


def finding(
    rule_id: str,
    message: Any,
    message_en: str | None = None,
    /,
    *,
    params: dict[str, Any] | None = None,
    **evidence: Any,
) -> Finding:
    """A finding of `rule_id`. `message` is a catalogue message (gettext_lazy) with `params`, from
    which both message_zh and message_en are rendered; the older (Chinese, English) literal pair is
    still accepted for the checks not yet moved over."""
    rule = RULES_BY_ID[rule_id]
    if message_en is None:
        zh, en = render(message, params, "zh-hans"), render(message, params, "en")
    else:
        zh, en = str(message), message_en
    return Finding(rule_id, rule.severity, zh, en, evidence, rule.source_text)


def as_time(value: Any) -> time:
    return value if isinstance(value, time) else time.fromisoformat(str(value))


def hhmm(value: time) -> str:
    return value.strftime("%H:%M")


def minutes_between(start: time, end: time) -> int:
    a = datetime.combine(date(2000, 1, 1), start)
    b = datetime.combine(date(2000, 1, 1), end)
    if b <= a:
        b += timedelta(days=1)
    return int((b - a).total_seconds() // 60)
