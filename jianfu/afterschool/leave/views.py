"""请假 (phone first): a family reports leave for a child, for a day or a period, and withdraws it
before the day. Thin: the writes are leave.services; the children and their programmes come from
the pickup selectors (who takes part), their leaves from leave.selectors."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from jianfu.afterschool.forms import day_label, not_found
from jianfu.afterschool.leave.forms import LeaveForm, LeaveWithdrawForm
from jianfu.afterschool.leave.selectors import leaves_ahead
from jianfu.afterschool.leave.services import leave_report, leave_withdraw
from jianfu.afterschool.pickup.selectors import programmes_taken_part_in
from jianfu.afterschool.selectors import children_of_parent
from jianfu.core.errors import DomainError
from jianfu.core.forms import add_domain_error


def leave_page(request: HttpRequest) -> HttpResponse:
    children = list(children_of_parent(request.user).select_related("school_class__grade"))
    if not children:
        return not_found(request)
    today = timezone.localdate()
    refused: LeaveForm | None = None
    if request.method == "POST":
        if "leave" in request.POST:
            return _withdraw(request)
        form = LeaveForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                leave = leave_report(
                    actor=request.user,
                    programme_id=data["programme"],
                    student_id=data["child"],
                    start=data["start_date"],
                    end=data["end_date"],
                    reason=data["reason"],
                )
            except DomainError as exc:
                if exc.status == 404:
                    return not_found(request)
                add_domain_error(form, exc)
                refused = form
            else:
                messages.success(request, _said(leave))
                return redirect("afterschool_days:leave")
        elif "programme" in form.errors or "child" in form.errors:
            return not_found(request)  # not typed: the ids the page wrote
        else:
            refused = form
    programmes = programmes_taken_part_in(children, today)
    ahead = leaves_ahead(list(programmes), today)
    cards: list[dict[str, Any]] = []
    for child in children:
        mine = refused is not None and refused.data.get("child") == str(child.pk)
        cards.append(
            {
                "child": child,
                "programme": programmes.get(child.pk),
                "leaves": [{"leave": x, "can_withdraw": x.end_date > today} for x in ahead.get(child.pk, [])],
                "form": refused if mine else LeaveForm(),
            }
        )
    return render(
        request,
        "afterschool/leave_family.html",
        {"cards": cards, "today": today},
        status=422 if refused is not None else 200,
    )


def _said(leave: Any) -> str:
    if leave.start_date == leave.end_date:
        return _("已为%(name)s请假：%(day)s。") % {
            "name": leave.student.name,
            "day": day_label(leave.start_date),
        }
    return _("已为%(name)s请假：%(start)s至%(end)s。") % {
        "name": leave.student.name,
        "start": day_label(leave.start_date),
        "end": day_label(leave.end_date),
    }


def _withdraw(request: HttpRequest) -> HttpResponse:
    form = LeaveWithdrawForm(request.POST)
    if not form.is_valid():
        return not_found(request)
    try:
        leave = leave_withdraw(actor=request.user, leave_id=form.cleaned_data["leave"])
    except DomainError as exc:
        if exc.status == 404:
            return not_found(request)
        messages.error(request, exc.message)
    else:
        if leave.withdrawn_at is not None:
            messages.success(request, _("已撤销请假。"))
        else:
            messages.success(request, _("已撤销%(day)s以后的请假。") % {"day": day_label(leave.end_date)})
    return redirect("afterschool_days:leave")
