"""How personal identifiers are shown on screens that do not need them in full (domain.md)."""

from __future__ import annotations


def mask_phone(phone: str) -> str:
    """138****1234"""
    if len(phone) != 11:
        return "*" * len(phone)
    return f"{phone[:3]}****{phone[-4:]}"


def mask_registry_id(registry_id: str) -> str:
    """G4401**********123X — keep the prefix, region digits and the last four."""
    if len(registry_id) <= 8:
        return "*" * len(registry_id)
    return registry_id[:5] + "*" * (len(registry_id) - 9) + registry_id[-4:]


def mask_name(name: str) -> str:
    """张*明 — used where a name is shown to people who do not need it."""
    if len(name) <= 1:
        return name
    if len(name) == 2:
        return name[0] + "*"
    return name[0] + "*" * (len(name) - 2) + name[-1]
