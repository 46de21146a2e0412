"""What the policy checks return, and the small helpers every check uses. No ORM."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any

from jianfu.policies.rules.catalogue import RULES_BY_ID

STAGE_ZH = {"primary": "小学", "junior": "初中", "senior": "高中"}
LAYERED = ("basic", "advanced", "extension")


@dataclass(frozen=True)
class Finding:
    rule_id: str
    severity: str
    message_zh: str
    message_en: str
    evidence: dict[str, Any] = field(default_factory=dict)
    source: str = ""

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def finding(rule_id: str, message_zh: str, message_en: str, **evidence: Any) -> Finding:
    rule = RULES_BY_ID[rule_id]
    return Finding(rule_id, rule.severity, message_zh, message_en, evidence, rule.source_text)


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
