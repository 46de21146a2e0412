"""Unsealing: the bureau's designated custodian reads who filed, with a recorded reason."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from jianfu.accounts.selectors import totp_enabled
from jianfu.accounts.services import second_factor_confirm
from jianfu.cases.errors import CaseError
from jianfu.cases.models import Complaint, SealedIdentity, Unsealing
from jianfu.cases.permissions import is_custodian_for
from jianfu.cases.services.common import no_nul
from jianfu.core.audit import audit
from jianfu.core.errors import NotFound


def complaint_unseal(
    *, actor: Any, complaint_id: int, reason: str, session_passed: bool, code: str, now: Any = None
) -> dict[str, Any]:
    """The bureau's designated custodian reads who filed, with a recorded reason (audited; the
    bureau's leadership sees every unsealing). Only from a session that passed the second step, with
    a fresh code from the custodian's app at that moment (security.md H1)."""
    complaint = Complaint.objects.select_related("school__region").filter(pk=complaint_id).first()
    if complaint is None or not is_custodian_for(actor, complaint):
        raise NotFound(_("举报"))
    # A custodian's password alone must not open a family's identity: a leaked password would
    # expose everyone who complained (docs/decisions/0018-two-step-sign-in.md).
    if not totp_enabled(actor):
        raise CaseError(
            CaseError.TWO_STEP_REQUIRED,
            _("启封反映人身份前，请先在“账号安全”中开启两步验证"),
            status=403,
        )
    reason = no_nul(reason)
    if len(reason.strip()) < 5:
        raise CaseError(CaseError.INVALID, _("请填写启封理由（至少5个字）"), field="reason")
    # Last, so a refusal above does not use up the code the custodian typed.
    # Outside the transaction below: a wrong code is counted towards the lock even though nothing
    # is unsealed.
    second_factor_confirm(actor=actor, session_passed=session_passed, code=code, now=now)
    with transaction.atomic():
        identity = SealedIdentity.objects.select_related("filed_by", "student").get(complaint=complaint)
        Unsealing.objects.create(complaint=complaint, custodian=actor, reason=reason.strip()[:300])
        audit(
            actor=actor,
            action="complaint_unsealed",
            obj=complaint,
            region_code=complaint.school.region.code,
            data={"reason": reason.strip()[:300]},
        )
    from jianfu.core.masking import mask_phone

    if identity.filed_by is None:  # recorded from a phone call or a letter
        return {"name": "", "phone": "", "student": "", "contact": identity.contact}
    return {
        "name": identity.filed_by.name,
        "phone": mask_phone(identity.filed_by.phone),
        "student": identity.student.name if identity.student else "",
        "contact": "",
    }
