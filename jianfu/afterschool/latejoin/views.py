"""补报名: the family's page to ask to join after the window, and the office's page to decide.
Thin: the writes are latejoin.services."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from jianfu.afterschool.family.selectors import courses_for_child
from jianfu.afterschool.forms import not_found
from jianfu.afterschool.latejoin.forms import DecisionForm, LateJoinForm
from jianfu.afterschool.latejoin.selectors import late_joins_for_programme, late_joins_of
from jianfu.afterschool.latejoin.services import OPEN_FOR_LATE, late_join_decide, late_join_request
from jianfu.afterschool.models import Application, LateJoinRequest, LateJoinStatus
from jianfu.afterschool.selectors import children_of_parent, programme_get_for_office, programmes_for_child
from jianfu.core.errors import DomainError, NotFound
from jianfu.core.forms import add_domain_error


def late_join_page(request: HttpRequest) -> HttpResponse:
    """The family's children with a programme past its window they take no part in, each with its
    request (if any) and the form to ask."""
    children = list(children_of_parent(request.user))
    if not children:
        return not_found(request)
    refused: LateJoinForm | None = None
    if request.method == "POST":
        form = LateJoinForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                late_join_request(
                    actor=request.user,
                    programme_id=data["programme"],
                    student_id=data["child"],
                    basic_part=data["basic_part"],
                    course_id=data["course"],
                    note=data["note"],
                )
            except DomainError as exc:
                if exc.status == 404:
                    return not_found(request)
                add_domain_error(form, exc)
                refused = form
            else:
                messages.success(request, _("已提交补报名申请，学校处理后会通知您。"))
                return redirect("afterschool:late-join")
        elif "programme" in form.errors or "child" in form.errors:
            return not_found(request)
        else:
            refused = form
    taking = set(
        Application.objects.filter(student__in=children, withdrawn_at__isnull=True).values_list(
            "programme_id", "student_id"
        )
    )
    asked = late_joins_of(c.pk for c in children)
    rows: list[dict[str, Any]] = []
    for child in children:
        for p in programmes_for_child(child).filter(status__in=OPEN_FOR_LATE).select_related("term"):
            if (p.pk, child.pk) in taking:
                continue
            mine = (
                refused is not None
                and refused.data.get("child") == str(child.pk)
                and refused.data.get("programme") == str(p.pk)
            )
            request_ = asked.get((p.pk, child.pk))
            rows.append(
                {
                    "child": child,
                    "programme": p,
                    "request": request_,
                    "courses": courses_for_child(p, child),
                    "form": refused if mine else LateJoinForm(initial=_initial(request_)),
                }
            )
    return render(
        request,
        "afterschool/late_join_family.html",
        {"rows": rows},
        status=422 if refused is not None else 200,
    )


def _initial(request: LateJoinRequest | None) -> dict[str, Any]:
    """修改申请 starts from what the family asked while it waits: a correction keeps what it does not
    change. A new request (or after a decision) starts with the basic part ticked."""
    if request is None or request.status != LateJoinStatus.PENDING:
        return {"basic_part": True}
    return {"basic_part": request.basic_part, "course": request.course_id, "note": request.note}


def late_joins_office(request: HttpRequest, programme_id: int) -> HttpResponse:
    """The office's queue of late join requests, oldest first, with accept / decline."""
    try:
        programme = programme_get_for_office(request.user, programme_id)
    except NotFound:
        return not_found(request)
    if request.method == "POST":
        form = DecisionForm(request.POST)
        if not form.is_valid():
            if "note" in form.errors:
                messages.error(request, str(form.errors["note"][0]))
                return redirect("afterschool:late-joins", programme_id=programme.pk)
            return not_found(request)
        data = form.cleaned_data
        if not late_joins_for_programme(programme.pk).filter(pk=data["request"]).exists():
            return not_found(request)
        try:
            decided = late_join_decide(
                actor=request.user,
                request_id=data["request"],
                accept=data["decision"] == "accept",
                note=data["note"],
            )
        except DomainError as exc:
            if exc.status == 404:
                return not_found(request)
            messages.error(request, exc.message)
        else:
            messages.success(
                request,
                (
                    _("已同意%(name)s补报名。")
                    if data["decision"] == "accept"
                    else _("已答复%(name)s的家长：未同意。")
                )
                % {"name": decided.student.name},
            )
        return redirect("afterschool:late-joins", programme_id=programme.pk)
    requests = list(late_joins_for_programme(programme.pk))
    return render(
        request,
        "afterschool/late_joins_office.html",
        {
            "programme": programme,
            "pending": [r for r in requests if r.status == "pending"],
            "decided": [r for r in requests if r.status != "pending"][::-1],
        },
    )
