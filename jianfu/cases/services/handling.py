"""Handling: the school (or, at district level, the bureau) acknowledges, confirms the triage,
answers, or closes an abusive report with a reason."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from jianfu.cases.errors import CaseError
from jianfu.cases.models import Category, Complaint, Status, TriageCorrection
from jianfu.cases.permissions import handler_scope
from jianfu.cases.selectors import complaint_for_actor
from jianfu.cases.services.common import no_nul
from jianfu.core.audit import audit
from jianfu.core.errors import NotFound, PermissionDenied


def complaint_for_handler(actor: Any, complaint_id: int | str) -> Complaint:
    """The complaint by id (callers in code) or by the key a page or the API was given (its ref;
    an id only for district roles, selectors.complaint_for_actor), if the actor handles it now."""
    complaint = complaint_for_actor(actor, complaint_id)
    if complaint is None:
        raise NotFound(_("举报"))
    if not handler_scope(actor, complaint):
        raise PermissionDenied(_("你不能办理这条举报"))
    return complaint


@transaction.atomic
def complaint_acknowledge(*, actor: Any, complaint_id: int | str) -> Complaint:
    complaint = complaint_for_handler(actor, complaint_id)
    if complaint.status == Status.NEW:
        complaint.status = Status.ACKNOWLEDGED
        complaint.save(update_fields=["status"])
        audit(actor=actor, action="complaint_acknowledged", obj=complaint, school_id=complaint.school_id)
    return complaint


@transaction.atomic
def complaint_answer(*, actor: Any, complaint_id: int | str, answer: str, public: bool = False) -> Complaint:
    complaint = complaint_for_handler(actor, complaint_id)
    if complaint.status == Status.CLOSED:
        raise CaseError(CaseError.CLOSED, _("该举报已办结"))
    answer = no_nul(answer)
    if len(answer.strip()) < 5:
        raise CaseError(CaseError.INVALID, _("请填写答复内容"), field="answer")
    complaint.answer = answer.strip()[:4000]
    complaint.answer_public = public
    complaint.answered_on = timezone.localdate()
    complaint.status = Status.ANSWERED
    complaint.save(update_fields=["answer", "answer_public", "answered_on", "status"])
    audit(
        actor=actor,
        action="complaint_answered",
        obj=complaint,
        school_id=complaint.school_id,
        data={"public": public},
    )
    return complaint


@transaction.atomic
def triage_confirm(
    *, actor: Any, complaint_id: int, category: str, not_burden: bool, empty: bool
) -> Complaint:
    """A handler confirms or corrects the suggestion; a correction is kept for re-fitting."""
    complaint = complaint_for_handler(actor, complaint_id)
    if category not in Category.values:
        raise CaseError(CaseError.INVALID, _("类别无效"), field="category")
    if (category, not_burden, empty) != (
        complaint.suggested_category,
        complaint.flag_not_burden,
        complaint.flag_empty,
    ):
        TriageCorrection.objects.create(
            complaint=complaint,
            text=complaint.text,
            suggested_category=complaint.suggested_category,
            category=category,
            not_burden=not_burden,
            empty=empty,
            by=actor,
        )
    complaint.category = category
    complaint.flag_not_burden = not_burden
    complaint.flag_empty = empty
    complaint.triage_confirmed = True
    complaint.save(update_fields=["category", "flag_not_burden", "flag_empty", "triage_confirmed"])
    audit(
        actor=actor,
        action="complaint_triaged",
        obj=complaint,
        school_id=complaint.school_id,
        data={"category": category, "not_burden": not_burden, "empty": empty},
    )
    return complaint


@transaction.atomic
def complaint_close_abusive(*, actor: Any, complaint_id: int, reason: str) -> Complaint:
    """Close an abusive or empty report with a reason. Every such closure is listed for the district
    bureau to review (issue 4: "reports that are abusive can be closed with a reason, which the
    bureau can review")."""
    complaint = complaint_for_handler(actor, complaint_id)
    reason = no_nul(reason)
    if len(reason.strip()) < 5:
        raise CaseError(CaseError.INVALID, _("请填写关闭理由（至少5个字）"), field="reason")
    complaint.status = Status.CLOSED
    complaint.closed_as_abusive = True
    complaint.closed_reason = reason.strip()[:300]
    complaint.save(update_fields=["status", "closed_as_abusive", "closed_reason"])
    audit(
        actor=actor,
        action="complaint_closed_abusive",
        obj=complaint,
        school_id=complaint.school_id,
        data={"reason": complaint.closed_reason},
    )
    return complaint
