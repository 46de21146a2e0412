"""Complaint pages: a parent files, anyone with the receipt code follows up, handlers answer."""

from __future__ import annotations

import secrets
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt, csrf_protect

from jianfu.accounts.selectors import session_passed_two_step
from jianfu.cases import services
from jianfu.cases.forms import (
    AnswerForm,
    AssignForm,
    CloseForm,
    ClosingForm,
    ClosureReviewForm,
    ComplaintForm,
    NoteForm,
    RatingForm,
    ReceiptForm,
    RecordForm,
    SignoffForm,
    TriageForm,
    UnsealForm,
)
from jianfu.cases.models import Category, Complaint, Status
from jianfu.cases.permissions import (
    can_assign_complaint,
    can_close_complaint,
    can_handle_complaint,
    can_list_complaints,
    can_oversee_complaints,
    can_record_complaints,
    can_sign_off_answer,
    is_custodian_for,
)
from jianfu.cases.rules.photos import PhotoUploadHandler
from jianfu.cases.selectors import (
    answer_needs_signoff,
    assignee_candidates,
    complaint_for_actor,
    complaints_filed_by,
    complaints_for_actor,
    evidence_for,
    notes_for_handler,
)
from jianfu.core.errors import DomainError, PermissionDenied
from jianfu.core.forms import add_domain_error
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
    status = 200
    if request.method == "POST":
        form = ComplaintForm(request.POST, children=children)
        if not form.is_valid():
            if "student" in form.errors:  # not one of their children: nobody's child to them
                return render(request, "errors/404.html", status=404)
            status = 422
        else:
            data = form.cleaned_data
            try:
                complaint = services.complaint_file(
                    actor=request.user,
                    student_id=data["student"],
                    category=data["category"],
                    text=data["text"],
                    about_leadership=data["about_leadership"],
                    photos=request.FILES.getlist("photos"),
                    idempotency_key=data["idempotency_key"],
                )
            except DomainError as exc:
                if exc.status == 404:
                    return render(request, "errors/404.html", status=404)
                add_domain_error(form, exc)
                status = exc.status  # the form again, with what was typed, under the error's status
            else:
                return render(request, "cases/complaint_receipt.html", {"complaint": complaint})
    else:
        form = ComplaintForm(children=children)
    return render(
        request,
        "cases/complaint_new.html",
        {
            "form": form,
            "children": children,
            "categories": Category.choices,
            # One key per showing of the form: sending it again (a second tap, a retry after the
            # connection dropped) returns the complaint it filed instead of filing another.
            "submission_key": secrets.token_urlsafe(16),
        },
        status=status,
    )


def mine_page(request: HttpRequest) -> HttpResponse:
    """我的反映: what the signed-in account filed, with its status and the answer sent — the family's
    view, as the receipt page shows it (no handler, no note, no draft)."""
    complaints = list(complaints_filed_by(request.user))
    response = render(request, "cases/complaint_mine.html", {"complaints": complaints})
    response["Cache-Control"] = "no-store"
    return response


@login_not_required
def receipt_page(request: HttpRequest) -> HttpResponse:
    """Follow-up without signing in: the receipt code shows status and the answer, and lets the
    complainant rate the handling or reopen once. Nothing here names the school's staff or the family.

    The code is taken from a POST only, so it stays out of browser history and proxy logs; failed
    lookups are limited per address and no answer is cached (security.md L7)."""
    if request.method == "GET" and request.GET:
        # An old link or bookmark with ?code=…: to the bare page, so the code is neither looked up
        # from a URL nor echoed into this one's links (the language switch returns to the full path).
        moved = redirect(request.path)
        moved["Cache-Control"] = "no-store"
        return moved
    complaint = None
    form = ReceiptForm()
    rating_form = RatingForm()
    if request.method == "POST":
        form = ReceiptForm(request.POST)
        form.is_valid()  # a text field: always valid, normalised in clean_code
        code = form.cleaned_data.get("code", "")
        address = client_ip(request)
        try:
            complaint = services.complaint_by_receipt(code, address=address)
            # The rating form says it is one (a hidden field), so a rating left unchosen is asked for
            # beside the choices instead of being read as a plain lookup. Older pages sent only the
            # rating; that still counts.
            if request.POST.get("action") == "rate" or request.POST.get("rating"):
                rating_form = RatingForm(request.POST)
                if rating_form.is_valid():
                    complaint = services.complaint_rate(
                        code=code,
                        rating=rating_form.cleaned_data["rating"],
                        reopen=rating_form.cleaned_data["reopen"],
                        address=address,
                    )
                    messages.success(request, _("谢谢您的评价。"))
                    rating_form = RatingForm()
        except DomainError as exc:
            if exc.status == 404:
                form.add_error("code", _("未找到该回执码，请核对后重试"))
            else:
                add_domain_error(rating_form if exc.field == "rating" else form, exc)
    response = render(
        request,
        "cases/complaint_lookup.html",
        {
            "complaint": complaint,
            "code": form.cleaned_data.get("code", "") if form.is_bound else "",
            "form": form,
            "rating_form": rating_form,
        },
    )
    response["Cache-Control"] = "no-store"
    return response


def list_page(request: HttpRequest) -> HttpResponse:
    complaints = complaints_for_actor(request.user)
    if not can_list_complaints(request.user) and not complaints.exists():
        return render(request, "errors/404.html", status=404)
    # "Assigned to me" (issue 15): a handler's own desk.
    mine = request.GET.get("mine") == "1"
    if mine:
        complaints = complaints.filter(assignee_id=request.user.pk)
    from jianfu.schools.access import schools_for_actor

    can_record = can_record_complaints(request.user)
    if request.method == "POST" and not can_record:
        return render(request, "errors/404.html", status=403)
    schools = list(schools_for_actor(request.user)) if can_record else []
    form = RecordForm(schools=schools)
    status = 200
    if request.method == "POST":
        form = RecordForm(request.POST, schools=schools)
        status = 422
        if form.is_valid():
            data = form.cleaned_data
            try:
                c = services.complaint_record(
                    actor=request.user,
                    school_id=data["school"],
                    class_id=None,
                    category=data["category"],
                    text=data["text"],
                    channel=data["channel"],
                    contact=data["contact"],
                )
            except DomainError as exc:
                add_domain_error(form, exc)
                status = exc.status
            else:
                messages.success(
                    request,
                    _("已登记，回执码 %(code)s（请告知来电人或来信人）。") % {"code": c.receipt_code},
                )
                return redirect("cases:list")
    return render(
        request,
        "cases/complaint_list.html",
        {
            "complaints": complaints[:200],
            "mine": mine,
            "can_record": can_record,
            "categories": Category.choices,
            "schools": schools,
            "form": form,
        },
        status=status,
    )


# Each action on the detail page: its form and the service call it makes.
_ACTIONS: dict[str, type[forms.Form]] = {
    "acknowledge": forms.Form,
    "triage": TriageForm,
    "answer": AnswerForm,
    "close_abusive": CloseForm,
    "unseal": UnsealForm,
    "assign": AssignForm,
    "note": NoteForm,
    "signoff": SignoffForm,
    "close": ClosingForm,
}


def _act(request: HttpRequest, action: str, complaint: Complaint, data: dict[str, Any]) -> Any:
    if action == "acknowledge":
        return services.complaint_acknowledge(actor=request.user, complaint_id=complaint.pk)
    if action == "answer":
        return services.complaint_answer(
            actor=request.user, complaint_id=complaint.pk, answer=data["answer"], public=data["public"]
        )
    if action == "triage":
        return services.triage_confirm(
            actor=request.user,
            complaint_id=complaint.pk,
            category=data["category"],
            not_burden=data["not_burden"],
            empty=data["empty"],
        )
    if action == "close_abusive":
        return services.complaint_close_abusive(
            actor=request.user, complaint_id=complaint.pk, reason=data["close_reason"]
        )
    if action == "assign":
        return services.complaint_assign(
            actor=request.user, complaint_id=complaint.pk, assignee_id=data["assignee"]
        )
    if action == "note":
        return services.complaint_note_add(actor=request.user, complaint_id=complaint.pk, text=data["text"])
    if action == "signoff":
        return services.complaint_answer_signoff(
            actor=request.user,
            complaint_id=complaint.pk,
            approve=data["decision"] == "approve",
            reason=data["reason"],
        )
    if action == "close":
        return services.complaint_close(actor=request.user, complaint_id=complaint.pk, note=data["note"])
    return services.complaint_unseal(
        actor=request.user,
        complaint_id=complaint.pk,
        reason=data["reason"],
        session_passed=session_passed_two_step(request.session),
        code=data["code"],
    )


def detail_page(request: HttpRequest, key: str) -> HttpResponse:
    """A complaint by its ref (an id is accepted from district roles only: security.md M2).

    Each action posts its own form. Done: back to the page (or, for unsealing, the identity shown
    once). Refused: the page again with that form bound, so an answer or a reason typed is not lost;
    refused because the viewer may not act at all: a notice on the page, as before."""
    complaint = complaint_for_actor(request.user, key)
    if complaint is None:
        return render(request, "errors/404.html", status=404)
    identity = None
    bound: dict[str, forms.Form] = {}
    status = 200
    if request.method == "POST":
        action = request.POST.get("action", "")
        form_class = _ACTIONS.get(action)
        if form_class is None:
            return redirect("cases:detail", key=complaint.ref)
        form = form_class(request.POST)
        if not form.is_valid():
            bound[action], status = form, 422
        else:
            try:
                result = _act(request, action, complaint, form.cleaned_data)
            except PermissionDenied as exc:
                messages.error(request, exc.message)
                return redirect("cases:detail", key=complaint.ref)
            except DomainError as exc:
                if exc.status == 404:
                    return render(request, "errors/404.html", status=404)
                add_domain_error(form, exc)
                bound[action], status = form, exc.status
            else:
                if action != "unseal":
                    return redirect("cases:detail", key=complaint.ref)
                identity = result
        complaint.refresh_from_db()
    can_handle = can_handle_complaint(request.user, complaint)
    can_assign = can_assign_complaint(request.user, complaint) and complaint.status != Status.CLOSED
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
            "can_handle": can_handle,
            "is_custodian": is_custodian_for(request.user, complaint),
            "categories": Category.choices,
            "triage_form": bound.get("triage") or TriageForm(),
            # A returned draft comes back into the answer form for the handler to revise.
            "answer_form": bound.get("answer")
            or AnswerForm(
                initial={"answer": complaint.answer_draft, "public": complaint.answer_draft_public}
            ),
            "close_form": bound.get("close_abusive") or CloseForm(),
            "unseal_form": bound.get("unseal") or UnsealForm(),
            # The case desk (issue 15); notes only for the complaint's handlers (selectors.notes_for_handler).
            "can_assign": can_assign,
            "candidates": assignee_candidates(complaint) if can_assign else [],
            "assign_form": bound.get("assign") or AssignForm(),
            "notes": notes_for_handler(request.user, complaint) if can_handle else [],
            "note_form": bound.get("note") or NoteForm(),
            "answer_needs_signoff": can_handle and answer_needs_signoff(request.user, complaint),
            "can_sign_off": can_sign_off_answer(request.user, complaint),
            "signoff_form": bound.get("signoff") or SignoffForm(),
            "can_close": can_close_complaint(request.user, complaint),
            "closing_form": bound.get("close") or ClosingForm(),
            "action_errors": next((f for f in bound.values() if f.errors), None),
        },
        status=status,
    )


def oversight_page(request: HttpRequest) -> HttpResponse:
    """For the bureau's leadership: every unsealing, and abusive-report closures to review."""
    from jianfu.cases.selectors import closures_for_review, unsealings_for_bureau

    if not can_oversee_complaints(request.user):
        return render(request, "errors/404.html", status=404)
    if request.method == "POST":
        form = ClosureReviewForm(request.POST)
        if not form.is_valid():
            return render(request, "errors/404.html", status=404)
        try:
            services.closure_review(
                actor=request.user,
                complaint_id=form.cleaned_data["complaint"],
                uphold=form.cleaned_data["decision"] == "uphold",
            )
        except DomainError:
            return render(request, "errors/404.html", status=404)
        return redirect("cases:oversight")
    return render(
        request,
        "cases/complaint_oversight.html",
        {
            "unsealings": unsealings_for_bureau(request.user)[:200],
            "closures": closures_for_review(request.user)[:200],
        },
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
