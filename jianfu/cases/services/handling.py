"""Handling: the school (or, at district level, the bureau) acknowledges, confirms the triage,
answers, or closes an abusive report with a reason; and the case desk (issue 15): assigning to a
handler, internal notes, the principal's sign-off of an answer, and closing (办结) with a note."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from jianfu.cases.errors import CaseError
from jianfu.cases.models import Category, Complaint, ComplaintNote, NoteScope, Status, TriageCorrection
from jianfu.cases.permissions import (
    can_assign_complaint,
    can_close_complaint,
    can_read_notes,
    can_sign_off_answer,
    handler_scope,
    may_be_assigned,
)
from jianfu.cases.selectors import answer_needs_signoff, answer_signoff_required, complaint_for_actor
from jianfu.cases.services.common import filer_notify, no_nul
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
    """Send an answer to the family. Where the school's profile asks for the principal's sign-off
    (setting complaint_answer_signoff), a school handler's answer is kept as a draft the family does
    not see, and the complaint stays open, so the answer deadline and the escalation still run; the
    principal's own answer goes out at once. District answers need no sign-off."""
    complaint = complaint_for_handler(actor, complaint_id)
    if complaint.status == Status.CLOSED:
        raise CaseError(CaseError.CLOSED, _("该举报已办结"))
    answer = no_nul(answer)
    if len(answer.strip()) < 5:
        raise CaseError(CaseError.INVALID, _("请填写答复内容"), field="answer")
    text = answer.strip()[:4000]
    if answer_needs_signoff(actor, complaint):
        complaint.answer_draft = text
        complaint.answer_draft_public = public
        complaint.answer_draft_by = actor
        complaint.answer_draft_at = timezone.now()
        complaint.answer_returned_reason = ""
        # Writing an answer is taking the complaint up; the answer deadline keeps counting.
        if complaint.status == Status.NEW:
            complaint.status = Status.ACKNOWLEDGED
        complaint.save(
            update_fields=[
                "answer_draft",
                "answer_draft_public",
                "answer_draft_by",
                "answer_draft_at",
                "answer_returned_reason",
                "status",
            ]
        )
        audit(
            actor=actor,
            action="complaint_answer_drafted",
            obj=complaint,
            school_id=complaint.school_id,
            data={"public": public},
        )
        return complaint
    # The principal's own answer, where sign-off is asked for, is signed off by being sent.
    signed = can_sign_off_answer(actor, complaint) and answer_signoff_required(complaint)
    _answer_send(complaint, text, public, signed_off_by=actor if signed else None)
    audit(
        actor=actor,
        action="complaint_answered",
        obj=complaint,
        school_id=complaint.school_id,
        data={"public": public},
    )
    return complaint


def _answer_send(complaint: Complaint, text: str, public: bool, *, signed_off_by: Any) -> None:
    """The answer goes out: the family reads it from now on, dated today."""
    complaint.answer = text
    complaint.answer_public = public
    complaint.answered_on = timezone.localdate()
    complaint.status = Status.ANSWERED
    complaint.answer_signed_off_by = signed_off_by
    complaint.answer_draft = ""
    complaint.answer_draft_public = False
    complaint.answer_draft_by = None
    complaint.answer_draft_at = None
    complaint.answer_returned_reason = ""
    complaint.save(
        update_fields=[
            "answer",
            "answer_public",
            "answered_on",
            "status",
            "answer_signed_off_by",
            "answer_draft",
            "answer_draft_public",
            "answer_draft_by",
            "answer_draft_at",
            "answer_returned_reason",
        ]
    )
    filer_notify(complaint, "complaint_answered")


@transaction.atomic
def complaint_answer_signoff(
    *, actor: Any, complaint_id: int | str, approve: bool, reason: str = ""
) -> Complaint:
    """The principal signs off the draft answer (it goes out now, dated today) or returns it to the
    handlers with a reason (the family still sees nothing; the deadline keeps counting)."""
    complaint = complaint_for_handler(actor, complaint_id)
    if not can_sign_off_answer(actor, complaint):
        raise PermissionDenied(_("只有校长可以审签答复"))
    if complaint.status == Status.CLOSED:
        raise CaseError(CaseError.CLOSED, _("该举报已办结"))
    if not complaint.awaiting_signoff:
        raise CaseError(CaseError.STATE, _("没有待审签的答复"), status=409)
    if approve:
        drafted_by = complaint.answer_draft_by_id
        public = complaint.answer_draft_public
        _answer_send(complaint, complaint.answer_draft, public, signed_off_by=actor)
        audit(
            actor=actor,
            action="complaint_answer_signed_off",
            obj=complaint,
            school_id=complaint.school_id,
            data={"drafted_by": drafted_by, "public": public},
        )
        return complaint
    reason = no_nul(reason).strip()
    if len(reason) < 5:
        raise CaseError(CaseError.INVALID, _("请填写退回理由（至少5个字）"), field="reason")
    complaint.answer_returned_reason = reason[:300]
    complaint.save(update_fields=["answer_returned_reason"])
    audit(
        actor=actor,
        action="complaint_answer_returned",
        obj=complaint,
        school_id=complaint.school_id,
        data={"reason": complaint.answer_returned_reason},
    )
    return complaint


@transaction.atomic
def complaint_assign(*, actor: Any, complaint_id: int | str, assignee_id: int | None = None) -> Complaint:
    """Assign the complaint to a handler of the level that handles it (no assignee: to oneself),
    or reassign it. The school office assigns among the school's principal and academic office, the
    bureau among its staff; an assignee outside them is refused."""
    from django.contrib.auth import get_user_model

    complaint = complaint_for_handler(actor, complaint_id)
    if not can_assign_complaint(actor, complaint):
        raise CaseError(CaseError.STATE, _("这条举报由学校办理，由学校分派"), status=409)
    if complaint.status == Status.CLOSED:
        raise CaseError(CaseError.CLOSED, _("该举报已办结"))
    if assignee_id is None:
        assignee = actor
    else:
        assignee = get_user_model().objects.filter(pk=assignee_id, is_active=True).first()
    if assignee is None or not may_be_assigned(assignee, complaint):
        raise CaseError(CaseError.INVALID, _("只能分派给办理这条举报的人员"), field="assignee")
    if complaint.assignee_id == assignee.pk:
        return complaint
    previous = complaint.assignee_id
    complaint.assignee = assignee
    complaint.save(update_fields=["assignee"])
    audit(
        actor=actor,
        action="complaint_assigned",
        obj=complaint,
        school_id=complaint.school_id,
        data={"assignee": assignee.pk, "previous": previous},
    )
    return complaint


NOTE_MAX = 2000


@transaction.atomic
def complaint_note_add(*, actor: Any, complaint_id: int | str, text: str) -> ComplaintNote:
    """An internal note by a handler, with author and time (append-only; never shown to the
    family). Kept at the level it was written at: a district note is never shown to the school."""
    complaint = complaint_for_handler(actor, complaint_id)
    if not can_read_notes(actor, complaint):
        raise PermissionDenied(_("你不能办理这条举报"))
    text = no_nul(text).strip()
    if not text:
        raise CaseError(CaseError.INVALID, _("请填写备注内容"), field="text")
    if len(text) > NOTE_MAX:
        raise CaseError(CaseError.INVALID, _("备注最多%(n)s字"), field="text", params={"n": NOTE_MAX})
    scope = NoteScope.SCHOOL if handler_scope(actor, complaint) == "school" else NoteScope.DISTRICT
    note = ComplaintNote.objects.create(
        complaint=complaint, author=actor, scope=scope, text=text, at=timezone.now()
    )
    # The note's text stays out of the audit log: the log names the act, the note is the record.
    audit(
        actor=actor,
        action="complaint_note_added",
        obj=complaint,
        school_id=complaint.school_id,
        data={"note": note.pk, "scope": scope},
    )
    return note


CLOSING_NOTE_MAX = 500


@transaction.atomic
def complaint_close(*, actor: Any, complaint_id: int | str, note: str) -> Complaint:
    """Close (办结) an answered complaint with a note the family reads beside the closed status.
    Only after the answer went out, so closing can never stand in for an answer; the family may
    still rate it and reopen it once (receipts.complaint_rate)."""
    complaint = complaint_for_handler(actor, complaint_id)
    if not can_close_complaint(actor, complaint):
        raise PermissionDenied(_("你不能办理这条举报"))
    if complaint.status == Status.CLOSED:
        raise CaseError(CaseError.CLOSED, _("该举报已办结"))
    if complaint.status != Status.ANSWERED:
        raise CaseError(CaseError.STATE, _("答复发出后才能办结"), status=409)
    if complaint.awaiting_signoff:
        raise CaseError(CaseError.STATE, _("还有待校长审签的答复，审签后才能办结"), status=409)
    note = no_nul(note).strip()
    if len(note) < 5:
        raise CaseError(CaseError.INVALID, _("请填写办结说明（至少5个字）"), field="note")
    if len(note) > CLOSING_NOTE_MAX:
        raise CaseError(
            CaseError.INVALID, _("办结说明最多%(n)s字"), field="note", params={"n": CLOSING_NOTE_MAX}
        )
    complaint.status = Status.CLOSED
    complaint.closing_note = note
    complaint.closed_on = timezone.localdate()
    complaint.closed_by = actor
    complaint.save(update_fields=["status", "closing_note", "closed_on", "closed_by"])
    audit(
        actor=actor,
        action="complaint_closed",
        obj=complaint,
        school_id=complaint.school_id,
        data={"note": note},
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
