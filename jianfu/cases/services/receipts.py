"""Follow-up by receipt code, without an account: status and answer, a rating, one reopening."""

from __future__ import annotations

import time

from django.core.cache import cache
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from jianfu.cases.errors import CaseError
from jianfu.cases.models import Complaint, Status
from jianfu.cases.services.common import RECEIPT_HOLDER
from jianfu.cases.services.release import deadlines
from jianfu.core.audit import audit
from jianfu.core.errors import NotFound

# Failed receipt lookups one address may make per hour (security.md L7). A family mistyping its
# code a few times stays far below; a client guessing codes stops after this many. Counted in the
# cache like jianfu.core.ratelimit (per process with the in-process cache, shared with Redis).
RECEIPT_FAILURES_PER_HOUR = 10
_RECEIPT_WINDOW = 3600


# What people type between groups of a code: spaces (ASCII, no-break, full-width) and every dash a
# phone keyboard or an input method offers (hyphen, en and em dash, full-width, underscore).
_GROUPING = frozenset(" \t\u00a0\u3000-_\u2010\u2011\u2012\u2013\u2014\u2015\u2212\uff0d\uff3f")


def receipt_code_normalise(code: str) -> str:
    """The code as printed: capitals, without the spaces or dashes a family may type to group it
    (e.g. "abcd-efgh 23" is "ABCDEFGH23")."""
    return "".join(ch for ch in code if ch not in _GROUPING).upper()


def _receipt_failure_key(address: str, now: float | None) -> str:
    window = int((time.time() if now is None else now) // _RECEIPT_WINDOW)
    return f"receipt-fail:{address}:{window}"


def complaint_by_receipt(code: str, *, address: str | None = None, now: float | None = None) -> Complaint:
    """The complaint a receipt code follows. With the caller's address, failed lookups are counted,
    and an address past RECEIPT_FAILURES_PER_HOUR is refused (429) before any lookup, right or
    wrong, so a guesser learns nothing more until the hour has passed."""
    key = _receipt_failure_key(address, now) if address is not None else ""
    if key and int(cache.get(key, 0)) >= RECEIPT_FAILURES_PER_HOUR:
        raise CaseError(
            CaseError.RATE_LIMITED,
            _("查询失败次数过多，请一小时后再试"),
            field="code",
            status=429,
        )
    normalised = receipt_code_normalise(code)
    complaint = Complaint.objects.filter(receipt_code=normalised).first() if normalised else None
    if complaint is None:
        if key:
            cache.add(key, 0, timeout=_RECEIPT_WINDOW + 5)
            try:
                cache.incr(key)
            except ValueError:  # expired between add() and incr()
                cache.add(key, 1, timeout=_RECEIPT_WINDOW + 5)
        raise NotFound(_("回执码"))
    return complaint


@transaction.atomic
def complaint_rate(*, code: str, rating: int, reopen: bool = False, address: str | None = None) -> Complaint:
    """The complainant rates the handling (1–5) and may reopen once, using the receipt code. The
    audit row names the receipt holder: whoever holds the code, never an account."""
    complaint = complaint_by_receipt(code, address=address)
    if not complaint.can_be_rated:
        raise CaseError(CaseError.INVALID, _("答复后才能评价"))
    if not 1 <= rating <= 5:
        raise CaseError(CaseError.INVALID, _("评价应为1到5"), field="rating")
    complaint.rating = rating
    if reopen:
        if complaint.reopened:
            raise CaseError(CaseError.CLOSED, _("每条反映只能重新办理一次"))
        complaint.reopened = True
        complaint.status = Status.ACKNOWLEDGED
        today = timezone.localdate()
        complaint.answer_due = deadlines(complaint.school, today)[1]
        # Reopened after its handlers closed it: open again, the closing kept in the audit log.
        complaint.closing_note, complaint.closed_on, complaint.closed_by = "", None, None
    else:
        complaint.status = Status.CLOSED
    complaint.save(
        update_fields=["rating", "reopened", "status", "answer_due", "closing_note", "closed_on", "closed_by"]
    )
    audit(
        actor=RECEIPT_HOLDER,
        action="complaint_rated",
        obj=complaint,
        school_id=complaint.school_id,
        data={"rating": rating, "reopened": reopen},
    )
    return complaint
