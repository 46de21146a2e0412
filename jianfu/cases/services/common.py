"""What the complaint services share: text cleaning, receipt codes, and the actors the audit log
names for a complainant's own acts."""

from __future__ import annotations

import secrets

from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils.crypto import salted_hmac

from jianfu.cases.models import Complaint, SealedIdentity
from jianfu.core.actors import SystemActor
from jianfu.notifications.services import notify

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


def filer_notify(complaint: Complaint, kind: str) -> None:
    """Tell the account that filed the complaint (answered, or moved to the district). Its sealed
    identity is read here only to address the family's own inbox: nothing a staff member sees names
    it. Complaints taken down by phone or letter have no account and are told as before."""
    filer_id = (
        SealedIdentity.objects.filter(complaint=complaint, filed_by__isnull=False)
        .values_list("filed_by", flat=True)
        .first()
    )
    if filer_id is None:
        return
    filer = get_user_model().objects.filter(pk=filer_id).first()
    if filer is None:
        return
    notify(
        [filer],
        kind,
        {"day": complaint.filed_on.isoformat()},
        # The key is kept beside the filer's account in the inbox table: a keyed digest of the
        # complaint, so that table never links an account to a complaint outside the sealed identity.
        key=f"{kind}:{salted_hmac('complaint-notify', str(complaint.pk)).hexdigest()[:32]}:{int(complaint.reopened)}",
        link_url=reverse("cases:mine"),
    )
