"""Complaint pages: a parent files, anyone with the receipt code follows up, handlers answer."""

from __future__ import annotations

import secrets

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.views.decorators.csrf import csrf_exempt, csrf_protect

from jianfu.accounts.selectors import session_passed_two_step
from jianfu.cases import services
from jianfu.cases.models import Category
from jianfu.cases.permissions import (
    can_handle_complaint,
    can_list_complaints,
    can_oversee_complaints,
    can_record_complaints,
    is_custodian_for,
)
from jianfu.cases.rules.photos import PhotoUploadHandler
from jianfu.cases.selectors import complaint_for_actor, complaints_for_actor, evidence_for
from jianfu.core.errors import DomainError
from jianfu.core.web import client_ip
from jianfu.feedback.selectors import children_of


@csrf_exempt
def new_page(request: HttpRequest) -> HttpResponse:
    # Photos stream to temporary files, bounded in count and size, before anything reads the body
    # (security.md M5). The handler must be set before the CSRF check reads the form, hence the
    # exemption here and the check in _new_page.
    request.upload_handlers = [PhotoUploadHandler(request)]
    return _new_page(request)


@csrf_protect
def _new_page(request: HttpRequest) -> HttpResponse:
    children = children_of(request.user)
    if not children:
        return render(request, "errors/404.html", status=404)
    if request.method == "POST":
        student = request.POST.get("student", "")
        try:
            complaint = services.complaint_file(
                actor=request.user,
                # Not a number is nobody's child: the service's not-found answer, not an HTTP 500.
                student_id=int(student) if student.isascii() and student.isdigit() else 0,
                category=request.POST.get("category", ""),
                text=request.POST.get("text", ""),
                about_leadership=request.POST.get("about_leadership") == "on",
                photos=request.FILES.getlist("photos"),
                idempotency_key=request.POST.get("idempotency_key", ""),
            )
        except DomainError as exc:
            if exc.status == 404:
                return render(request, "errors/404.html", status=404)
            messages.error(request, exc.message)
            status = exc.status  # the form again, with what was typed, under the error's status
        else:
            return render(request, "cases/complaint_receipt.html", {"complaint": complaint})
    else:
        status = 200
    return render(
        request,
        "cases/complaint_new.html",
        {
            "children": children,
            "categories": Category.choices,
            "data": request.POST,
            # One key per showing of the form: sending it again (a second tap, a retry after the
            # connection dropped) returns the complaint it filed instead of filing another.
            "submission_key": secrets.token_urlsafe(16),
        },
        status=status,
    )


@login_not_required
def receipt_page(request: HttpRequest) -> HttpResponse:
    """Follow-up without signing in: the receipt code shows status and the answer, and lets the
    complainant rate the handling or reopen once. Nothing here names the school's staff or the family.

    The code is taken from a POST only, so it stays out of browser history and proxy logs; failed
    lookups are limited per address and no answer is cached (security.md L7)."""
    complaint = None
    code = ""
    if request.method == "POST":
        code = services.receipt_code_normalise(request.POST.get("code", ""))
        address = client_ip(request)
        try:
            if request.POST.get("rating"):
                rating = request.POST["rating"]
                services.complaint_rate(
                    code=code,
                    rating=int(rating) if rating.isascii() and rating.isdigit() and len(rating) < 3 else 0,
                    reopen=request.POST.get("reopen") == "on",
                    address=address,
                )
                messages.success(request, "谢谢您的评价。")
            complaint = services.complaint_by_receipt(code, address=address)
        except DomainError as exc:
            messages.error(request, "回执码无效" if exc.status == 404 else exc.message)
    response = render(request, "cases/complaint_lookup.html", {"complaint": complaint, "code": code})
    response["Cache-Control"] = "no-store"
    return response


def list_page(request: HttpRequest) -> HttpResponse:
    complaints = complaints_for_actor(request.user)
    if not can_list_complaints(request.user) and not complaints.exists():
        return render(request, "errors/404.html", status=404)
    from jianfu.schools.access import schools_for_actor

    can_record = can_record_complaints(request.user)
    if request.method == "POST" and not can_record:
        return render(request, "errors/404.html", status=403)
    if request.method == "POST":
        try:
            c = services.complaint_record(
                actor=request.user,
                school_id=int(request.POST.get("school") or 0),
                class_id=None,
                category=request.POST.get("category", ""),
                text=request.POST.get("text", ""),
                channel=request.POST.get("channel", ""),
                contact=request.POST.get("contact", ""),
            )
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, f"已登记，回执码 {c.receipt_code}（请告知来电人或来信人）。")
        return redirect("cases:list")
    return render(
        request,
        "cases/complaint_list.html",
        {
            "complaints": complaints[:200],
            "can_record": can_record,
            "categories": Category.choices,
            "schools": list(schools_for_actor(request.user)) if can_record else [],
        },
    )


def detail_page(request: HttpRequest, key: str) -> HttpResponse:
    """A complaint by its ref (an id is accepted from district roles only: security.md M2)."""
    complaint = complaint_for_actor(request.user, key)
    if complaint is None:
        return render(request, "errors/404.html", status=404)
    identity = None
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "acknowledge":
                services.complaint_acknowledge(actor=request.user, complaint_id=complaint.pk)
            elif action == "answer":
                services.complaint_answer(
                    actor=request.user,
                    complaint_id=complaint.pk,
                    answer=request.POST.get("answer", ""),
                    public=request.POST.get("public") == "on",
                )
            elif action == "triage":
                services.triage_confirm(
                    actor=request.user,
                    complaint_id=complaint.pk,
                    category=request.POST.get("category", ""),
                    not_burden=request.POST.get("not_burden") == "on",
                    empty=request.POST.get("empty") == "on",
                )
            elif action == "close_abusive":
                services.complaint_close_abusive(
                    actor=request.user, complaint_id=complaint.pk, reason=request.POST.get("close_reason", "")
                )
            elif action == "unseal":
                identity = services.complaint_unseal(
                    actor=request.user,
                    complaint_id=complaint.pk,
                    reason=request.POST.get("reason", ""),
                    session_passed=session_passed_two_step(request.session),
                    code=request.POST.get("code", ""),
                )
        except DomainError as exc:
            if exc.status == 404:
                return render(request, "errors/404.html", status=404)
            messages.error(request, exc.message)
        if identity is None:
            return redirect("cases:detail", key=complaint.ref)
        complaint.refresh_from_db()
    return render(
        request,
        "cases/complaint_detail.html",
        {
            "complaint": complaint,
            # Only a complaint the viewer may open is named: one escalated or kept for the district
            # since stays invisible to the school in every form (security.md M1).
            "similar_to": complaints_for_actor(request.user).filter(pk=complaint.duplicate_of_id).first()
            if complaint.duplicate_of_id
            else None,
            "evidence": evidence_for(complaint),
            "identity": identity,
            "can_handle": can_handle_complaint(request.user, complaint),
            "is_custodian": is_custodian_for(request.user, complaint),
            "categories": Category.choices,
        },
    )


def oversight_page(request: HttpRequest) -> HttpResponse:
    """For the bureau's leadership: every unsealing, and abusive-report closures to review."""
    from jianfu.cases.selectors import closures_for_review, unsealings_for_bureau

    unsealings = unsealings_for_bureau(request.user)
    closures = closures_for_review(request.user)
    if not can_oversee_complaints(request.user):
        return render(request, "errors/404.html", status=404)
    if request.method == "POST":
        try:
            services.closure_review(
                actor=request.user,
                complaint_id=int(request.POST.get("complaint") or 0),
                uphold=request.POST.get("decision") == "uphold",
            )
        except DomainError:
            return render(request, "errors/404.html", status=404)
        return redirect("cases:oversight")
    return render(
        request,
        "cases/complaint_oversight.html",
        {"unsealings": unsealings[:200], "closures": closures[:200]},
    )


@login_not_required
def answers_page(request: HttpRequest, region_code: str) -> HttpResponse:
    """Published answers, anonymised: category, school, date and answer — not the complaint text."""
    from jianfu.cases.selectors import published_answers

    if not region_code.isdigit() or len(region_code) > 6:
        return render(request, "errors/404.html", status=404)
    return render(request, "cases/complaint_answers.html", {"answers": published_answers(region_code)[:100]})


def photo_view(request: HttpRequest, key: str, n: int) -> HttpResponseBase:
    """A complaint's n-th photo, for those who may see the complaint (never a public media URL).
    Addressed by the complaint's ref and the photo's place in it: a photo's id would count the
    photos filed across the district (security.md M2)."""
    from django.http import FileResponse

    complaint = complaint_for_actor(request.user, key)
    photos = list(complaint.photos.all()[n - 1 : n]) if complaint is not None and 1 <= n <= 10 else []
    photo = photos[0] if photos else None
    if photo is None:
        return render(request, "errors/404.html", status=404)
    response = FileResponse(photo.image.open("rb"), content_type="image/jpeg")
    response["Cache-Control"] = "private, no-store"
    return response
