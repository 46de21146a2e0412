"""Roster import in the browser: upload → preview (with every error) → confirm."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from jianfu.core.errors import DomainError
from jianfu.core.forms import add_domain_error
from jianfu.schools.access import schools_for_actor
from jianfu.schools.models import RosterUpload, School
from jianfu.schools.permissions import can_import_roster
from jianfu.schools.roster.forms import RosterUploadForm
from jianfu.schools.roster.rules import LABELS
from jianfu.schools.roster.services import (
    RosterError,
    preview_rows,
    roster_import,
    roster_upload_confirm,
    roster_upload_create,
)


def _importable_schools(user: Any) -> list[School]:
    return [s for s in schools_for_actor(user) if can_import_roster(user, s)]


def roster_upload_page(request: HttpRequest) -> HttpResponse:
    schools = _importable_schools(request.user)
    if not schools:
        return render(request, "errors/404.html", status=404)
    form = RosterUploadForm(schools=schools)
    status = 200
    if request.method == "POST":
        if request.POST.get("school") not in {str(s.pk) for s in schools}:
            # A school the page never offered: another school's, or none of the user's (0036: a refusal,
            # not a form error that would tell "exists" from "not yours").
            return render(request, "errors/404.html", status=404)
        form = RosterUploadForm(request.POST, request.FILES, schools=schools)
        if form.is_valid():
            upload = form.cleaned_data["file"]
            try:
                record, _summary, _error = roster_upload_create(
                    actor=request.user,
                    school=form.chosen_school(),
                    filename=upload.name or "roster.xlsx",
                    content=upload.read(),
                    create_classes=form.cleaned_data["create_classes"],
                )
            except DomainError as exc:
                add_domain_error(form, exc)
                status = exc.status
            else:
                return redirect("schools:roster-preview", upload_id=record.pk)
        else:
            status = 400
    # A refused upload is shown again with the school and the choice as they were (a browser never
    # keeps a chosen file), the reason beside the field.
    return render(request, "schools/roster_upload.html", {"schools": schools, "form": form}, status=status)


def roster_preview(request: HttpRequest, upload_id: int) -> HttpResponse:
    upload = (
        RosterUpload.objects.filter(pk=upload_id, uploaded_by_id=request.user.pk)
        .select_related("school")
        .first()
    )
    if upload is None or not can_import_roster(request.user, upload.school):
        return render(request, "errors/404.html", status=404)
    summary = error = None
    rows = []
    if upload.confirmed_at is None:
        content = bytes(upload.content)
        try:
            summary = roster_import(
                actor=request.user,
                school=upload.school,
                filename=upload.filename,
                content=content,
                dry_run=True,
                create_classes=upload.create_classes,
            )
        except RosterError as exc:
            error = exc
        if error is None or error.code == RosterError.INVALID:
            rows = preview_rows(upload.filename, content)
    details = [
        {"row": d.row, "field": LABELS.get(d.field or "", d.field or ""), "message": d.message}
        for d in (error.details if error else [])
    ]
    return render(
        request,
        "schools/roster_preview.html",
        {
            "upload": upload,
            "summary": summary,
            "error": error,
            "details": details,
            "rows": rows,
            "result": upload.result if upload.confirmed_at else None,
        },
        status=422 if error else 200,
    )


def roster_confirm(request: HttpRequest, upload_id: int) -> HttpResponse:
    if request.method != "POST":
        return HttpResponse(status=405)
    try:
        summary = roster_upload_confirm(actor=request.user, upload_id=upload_id)
    except RosterError as exc:
        messages.error(request, exc.message)
        return redirect("schools:roster-preview", upload_id=upload_id)
    except DomainError:
        return render(request, "errors/404.html", status=404)
    messages.success(
        request,
        _("导入完成：新增学生%(new)s人，更新%(updated)s人，新增监护人%(guardians)s人。")
        % {
            "new": summary.new_students,
            "updated": summary.updated_students,
            "guardians": summary.new_guardians,
        },
    )
    return redirect("schools:roster-preview", upload_id=upload_id)
