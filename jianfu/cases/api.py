"""Complaints over JSON. No response carries the complainant; the receipt endpoint is public."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from django.http import HttpRequest, HttpResponse
from ninja import Field, Router, Schema

from jianfu.cases import services
from jianfu.cases.models import Complaint, ComplaintNote
from jianfu.cases.permissions import can_read_notes
from jianfu.cases.selectors import complaints_for_actor, notes_for_handler
from jianfu.core.web import client_ip

router = Router(tags=["cases"])


class ComplaintIn(Schema):
    student_id: int = Field(description="your child; the complaint concerns their school and class")
    category: str = Field(
        description="homework / exams / paid_tutoring / fees / schedule / after_school / offcampus / other"
    )
    text: str
    about_leadership: bool = False
    idempotency_key: str = Field(
        "", description="a fresh random key per submission attempt; resending it returns the same receipt"
    )


class ReceiptOut(Schema):
    receipt_code: str
    acknowledge_due: date | None
    answer_due: date | None


class ComplaintOut(Schema):
    id: str = Field(description="the complaint's opaque reference (random; not an order of filing)")
    school: str
    class_name: str | None
    category: str
    text: str
    filed_on: date
    level: str
    status: str
    acknowledge_due: date | None
    answer_due: date | None
    answer: str = Field(description="the answer the family reads (empty until it goes out)")
    assignee: str | None = Field(description="the handler it is assigned to, by name")
    assigned_to_me: bool
    awaiting_signoff: bool = Field(description="a draft answer waits for the principal's sign-off")
    answer_draft: str = Field(
        description="a draft awaiting or returned from sign-off (never sent to the family)"
    )
    closing_note: str = Field(description="the closing note the family reads, once closed by its handlers")


def _out(c: Complaint, actor: Any = None) -> dict[str, Any]:
    return {
        "id": c.ref,
        "school": c.school.name,
        "class_name": str(c.school_class) if c.school_class else None,
        "category": c.category,
        "text": c.text,
        "filed_on": c.filed_on,
        "level": c.level,
        "status": c.status,
        "acknowledge_due": c.acknowledge_due,
        "answer_due": c.answer_due,
        "answer": c.answer,
        "assignee": c.assignee.name if c.assignee else None,
        "assigned_to_me": actor is not None and c.assignee_id == actor.pk,
        "awaiting_signoff": c.awaiting_signoff,
        # The draft is the handlers' (as on the page), not an inspector's or the custodian's.
        "answer_draft": c.answer_draft
        if c.answer_draft and actor is not None and can_read_notes(actor, c)
        else "",
        "closing_note": c.closing_note,
    }


@router.post("/complaints", response=ReceiptOut, summary="A parent files a complaint (identity sealed)")
def file_complaint(request: HttpRequest, payload: ComplaintIn) -> dict[str, Any]:
    c = services.complaint_file(
        actor=request.user,
        student_id=payload.student_id,
        category=payload.category,
        text=payload.text,
        about_leadership=payload.about_leadership,
        idempotency_key=payload.idempotency_key,
    )
    return {"receipt_code": c.receipt_code, "acknowledge_due": c.acknowledge_due, "answer_due": c.answer_due}


@router.get("/complaints", response=list[ComplaintOut], summary="Complaints the caller handles or oversees")
def list_complaints(request: HttpRequest, mine: bool = False) -> list[dict[str, Any]]:
    """`mine=true`: only those assigned to the caller. Newest day first; within a day in no order of arrival. School roles see a complaint from its
    release, 08:00 Beijing time on the first working day after it was filed (decision 0032)."""
    rows = complaints_for_actor(request.user).select_related("assignee")
    if mine:
        rows = rows.filter(assignee_id=request.user.pk)
    return [_out(c, request.user) for c in rows[:500]]


class AnswerIn(Schema):
    answer: str
    public: bool = False


@router.post(
    "/complaints/{ref}/acknowledge", response=ComplaintOut, summary="Acknowledge (accept for handling)"
)
def acknowledge(request: HttpRequest, ref: str) -> dict[str, Any]:
    return _out(services.complaint_acknowledge(actor=request.user, complaint_id=ref), request.user)


@router.post(
    "/complaints/{ref}/answer",
    response=ComplaintOut,
    summary="Answer (private or public); a draft for the principal where the profile asks for sign-off",
)
def answer(request: HttpRequest, ref: str, payload: AnswerIn) -> dict[str, Any]:
    return _out(
        services.complaint_answer(
            actor=request.user, complaint_id=ref, answer=payload.answer, public=payload.public
        ),
        request.user,
    )


@router.post(
    "/complaints/{ref}/answer/approve",
    response=ComplaintOut,
    summary="The principal signs off the draft answer: it goes out to the family now",
)
def answer_approve(request: HttpRequest, ref: str) -> dict[str, Any]:
    return _out(
        services.complaint_answer_signoff(actor=request.user, complaint_id=ref, approve=True), request.user
    )


class ReturnIn(Schema):
    reason: str


@router.post(
    "/complaints/{ref}/answer/return",
    response=ComplaintOut,
    summary="The principal returns the draft answer to the handlers with a reason",
)
def answer_return(request: HttpRequest, ref: str, payload: ReturnIn) -> dict[str, Any]:
    return _out(
        services.complaint_answer_signoff(
            actor=request.user, complaint_id=ref, approve=False, reason=payload.reason
        ),
        request.user,
    )


class AssignIn(Schema):
    # Bounded to a database key: past it a lookup would overflow instead of finding nothing.
    assignee_id: int | None = Field(
        None, ge=1, le=2**63 - 1, description="a handler at the complaint's level; empty: yourself"
    )


@router.post("/complaints/{ref}/assign", response=ComplaintOut, summary="Assign or reassign to a handler")
def assign(request: HttpRequest, ref: str, payload: AssignIn) -> dict[str, Any]:
    return _out(
        services.complaint_assign(actor=request.user, complaint_id=ref, assignee_id=payload.assignee_id),
        request.user,
    )


class NoteIn(Schema):
    text: str


class NoteOut(Schema):
    author: str
    at: datetime
    text: str


def _note_out(n: ComplaintNote) -> dict[str, Any]:
    return {"author": n.author.name, "at": n.at, "text": n.text}


@router.get(
    "/complaints/{ref}/notes",
    response=list[NoteOut],
    summary="Internal notes, for the complaint's handlers only (never the family)",
)
def notes(request: HttpRequest, ref: str) -> list[dict[str, Any]]:
    complaint = services.complaint_for_handler(request.user, ref)
    return [_note_out(n) for n in notes_for_handler(request.user, complaint)]


@router.post("/complaints/{ref}/notes", response=NoteOut, summary="Add an internal note (append-only)")
def note_add(request: HttpRequest, ref: str, payload: NoteIn) -> dict[str, Any]:
    return _note_out(services.complaint_note_add(actor=request.user, complaint_id=ref, text=payload.text))


class CloseIn(Schema):
    note: str = Field(description="the closing note; the family reads it with the closed status")


@router.post(
    "/complaints/{ref}/close",
    response=ComplaintOut,
    summary="Close an answered complaint, with a closing note",
)
def close(request: HttpRequest, ref: str, payload: CloseIn) -> dict[str, Any]:
    return _out(
        services.complaint_close(actor=request.user, complaint_id=ref, note=payload.note), request.user
    )


class StatusOut(Schema):
    category: str
    filed_on: date
    status: str
    level: str
    answer_due: date | None
    answer: str
    closing_note: str


@router.get(
    "/receipts/{code}",
    response=StatusOut,
    auth=None,
    summary="Follow a complaint by its receipt code (public)",
)
def receipt(request: HttpRequest, response: HttpResponse, code: str) -> dict[str, Any]:
    """Spaces and dashes in the code are ignored. Failed lookups are limited per address
    (`complaint_rate_limited`, 429, after RECEIPT_FAILURES_PER_HOUR in an hour); the answer is never
    cached (security.md L7)."""
    response["Cache-Control"] = "no-store"
    # NotFound (404) for an unknown code, counted against the caller's address.
    c = services.complaint_by_receipt(code, address=client_ip(request))
    return {
        "category": c.category,
        "filed_on": c.filed_on,
        "status": c.status,
        "level": c.level,
        "answer_due": c.answer_due,
        "answer": c.answer,
        "closing_note": c.closing_note,
    }


class RecordIn(Schema):
    school_id: int
    class_id: int | None = None
    category: str
    text: str
    channel: str = Field(description="phone or letter")
    contact: str = Field(
        "", description="how to reach the complainant; sealed like an online filer's identity"
    )
    about_leadership: bool = False


@router.post(
    "/complaints/record", response=ReceiptOut, summary="Bureau staff record a phone or letter complaint"
)
def record(request: HttpRequest, payload: RecordIn) -> dict[str, Any]:
    c = services.complaint_record(
        actor=request.user,
        school_id=payload.school_id,
        class_id=payload.class_id,
        category=payload.category,
        text=payload.text,
        channel=payload.channel,
        contact=payload.contact,
        about_leadership=payload.about_leadership,
    )
    return {"receipt_code": c.receipt_code, "acknowledge_due": c.acknowledge_due, "answer_due": c.answer_due}
