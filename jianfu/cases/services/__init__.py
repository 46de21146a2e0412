"""The complaint services, one module per sub-domain: intake (filing online, recording a call or
letter), handling (acknowledge, triage, answer and the principal's sign-off, assign, internal notes,
close), receipts (follow-up by code), unsealing (the custodian), oversight (closure review, daily
escalation), release (when the school sees it, deadlines).

Callers import from here; pages call ``services.complaint_file`` through this package so one name
serves the page, the API and the tests that watch it."""

from jianfu.cases.errors import CaseError
from jianfu.cases.services.common import RECEIPT_HOLDER, SEALED_COMPLAINANT
from jianfu.cases.services.handling import (
    complaint_acknowledge,
    complaint_answer,
    complaint_answer_signoff,
    complaint_assign,
    complaint_close,
    complaint_close_abusive,
    complaint_for_handler,
    complaint_note_add,
    triage_confirm,
)
from jianfu.cases.services.intake import (
    MAX_PER_ACCOUNT_PER_DAY,
    MAX_PER_CLASS_PER_DAY,
    complaint_file,
    complaint_record,
)
from jianfu.cases.services.oversight import (
    closure_review,
    complaints_deadline_remind,
    complaints_escalate_overdue,
)
from jianfu.cases.services.receipts import (
    RECEIPT_FAILURES_PER_HOUR,
    complaint_by_receipt,
    complaint_rate,
    receipt_code_normalise,
)
from jianfu.cases.services.release import RELEASE_TIME, deadlines, release_at, release_day
from jianfu.cases.services.unsealing import complaint_unseal

__all__ = [
    "MAX_PER_ACCOUNT_PER_DAY",
    "MAX_PER_CLASS_PER_DAY",
    "RECEIPT_FAILURES_PER_HOUR",
    "RECEIPT_HOLDER",
    "RELEASE_TIME",
    "SEALED_COMPLAINANT",
    "CaseError",
    "closure_review",
    "complaint_acknowledge",
    "complaint_answer",
    "complaint_answer_signoff",
    "complaint_assign",
    "complaint_by_receipt",
    "complaint_close",
    "complaint_close_abusive",
    "complaint_file",
    "complaint_for_handler",
    "complaint_note_add",
    "complaint_rate",
    "complaint_record",
    "complaint_unseal",
    "complaints_deadline_remind",
    "complaints_escalate_overdue",
    "deadlines",
    "receipt_code_normalise",
    "release_at",
    "release_day",
    "triage_confirm",
]
