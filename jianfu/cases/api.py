"""Complaints over JSON. No response carries the complainant; the receipt endpoint is public."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.http import HttpRequest, HttpResponse
from ninja import Field, Router, Schema

from jianfu.cases import services
from jianfu.cases.models import Complaint
from jianfu.cases.selectors import complaints_for_actor
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
    answer: str


def _out(c: Complaint) -> dict[str, Any]:
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
def list_complaints(request: HttpRequest) -> list[dict[str, Any]]:
    """Newest day first; within a day in no order of arrival. School roles see a complaint from its
    release, 08:00 Beijing time on the first working day after it was filed (decision 0032)."""
    return [_out(c) for c in complaints_for_actor(request.user)[:500]]


class AnswerIn(Schema):
    answer: str
    public: bool = False


@router.post(
    "/complaints/{ref}/acknowledge", response=ComplaintOut, summary="Acknowledge (accept for handling)"
)
def acknowledge(request: HttpRequest, ref: str) -> dict[str, Any]:
    return _out(services.complaint_acknowledge(actor=request.user, complaint_id=ref))


@router.post("/complaints/{ref}/answer", response=ComplaintOut, summary="Answer (private or public)")
def answer(request: HttpRequest, ref: str, payload: AnswerIn) -> dict[str, Any]:
    return _out(
        services.complaint_answer(
            actor=request.user, complaint_id=ref, answer=payload.answer, public=payload.public
        )
    )


class StatusOut(Schema):
    category: str
    filed_on: date
    status: str
    level: str
    answer_due: date | None
    answer: str


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
