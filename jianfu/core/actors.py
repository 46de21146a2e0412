"""The system actor: who acts when no person does (the demo loader, periodic jobs, CLI imports).

Services never skip their permission check for a missing actor. A job that must write without a
person passes an explicit ``SystemActor``; the access module lets it through and the audit log
records it by name, so "who did this" always has an answer (issue 14, decision 0037).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class SystemActor:
    """A named non-person actor. It holds no account, so it can never sign in or appear in a session."""

    name: str
    pk: None = None
    is_authenticated: bool = False
    is_active: bool = False
    is_system: bool = True

    def __str__(self) -> str:
        return f"system:{self.name}"


DEMO_LOADER = SystemActor("demo-loader")
PERIODIC = SystemActor("periodic-job")
CLI = SystemActor("cli")


def is_system(actor: Any) -> bool:
    return isinstance(actor, SystemActor)


def person(actor: Any) -> Any:
    """The account to store in a "by whom" column: the actor, or None for a system actor (it has no
    account row; the audit log names it)."""
    return None if is_system(actor) else actor
