"""What the complaint services share: text cleaning, receipt codes, and the actors the audit log
names for a complainant's own acts."""

from __future__ import annotations

import secrets

from jianfu.core.actors import SystemActor

_CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I/L: read over the phone

# Who the audit log names for the two acts a complainant makes. Not the person: an audit view must
# not reveal who filed or rated (security.md), so the services fix these, never their callers.
SEALED_COMPLAINANT = SystemActor("sealed-complainant")
RECEIPT_HOLDER = SystemActor("receipt-holder")


def no_nul(text: str) -> str:
    """Text without NUL characters. PostgreSQL refuses NUL in text (an HTTP 500 there), and a NUL
    carries nothing a reader could see, so it is dropped rather than the whole complaint refused:
    a family that pasted one by accident keeps what it wrote (security.md L1)."""
    return text.replace("\x00", "")


def receipt_code_new() -> str:
    return "".join(secrets.choice(_CODE_ALPHABET) for _ in range(10))
