"""代接人 (phone first): a family names another person to collect a child on a day or a period, and
takes it back. Thin: the writes are collectors.services."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from jianfu.afterschool.collectors.forms import PickupPersonForm, PickupPersonWithdrawForm
from jianfu.afterschool.collectors.selectors import persons_ahead
from jianfu.afterschool.collectors.services import pickup_person_name, pickup_person_withdraw
from jianfu.afterschool.forms import not_found
from jianfu.afterschool.pickup.selectors import programmes_taken_part_in
from jianfu.afterschool.selectors import children_of_parent
from jianfu.core.errors import DomainError
from jianfu.core.forms import add_domain_error


def pickup_persons_page(request: HttpRequest) -> HttpResponse:
    children = list(children_of_parent(request.user).select_related("school_class__grade"))
    if not children:
        return not_found(request)
    today = timezone.localdate()
    refused: PickupPersonForm | None = None
    if request.method == "POST":
        if "person" in request.POST:
            return _withdraw(request)
        form = PickupPersonForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                person = pickup_person_name(
                    actor=request.user,
                    programme_id=data["programme"],
                    student_id=data["child"],
                    name=data["name"],
                    relationship=data["relationship"],
                    phone=data["phone"],
                    start=data["start_date"],
                    end=data["end_date"],
                )
            except DomainError as exc:
                if exc.status == 404:
                    return not_found(request)
                add_domain_error(form, exc)
                refused = form
            else:
                messages.success(
                    request,
                    _("已登记：%(name)s（%(phone)s）可以接孩子。放学时请让TA报出手机号，老师核对后放行。")
                    % {"name": person.name, "phone": person.phone_masked},
                )
                return redirect("afterschool_days:pickup-persons")
        elif "programme" in form.errors or "child" in form.errors:
            return not_found(request)  # not typed: the ids the page wrote
        else:
            refused = form
    programmes = programmes_taken_part_in(children, today)
    ahead = persons_ahead(list(programmes), today)
    cards: list[dict[str, Any]] = []
    for child in children:
        mine = refused is not None and refused.data.get("child") == str(child.pk)
        cards.append(
            {
                "child": child,
                "programme": programmes.get(child.pk),
                "persons": ahead.get(child.pk, []),
                "form": refused if mine else PickupPersonForm(),
            }
        )
    return render(
        request,
        "afterschool/pickup_persons_family.html",
        {"cards": cards, "today": today},
        status=422 if refused is not None else 200,
    )


def _withdraw(request: HttpRequest) -> HttpResponse:
    form = PickupPersonWithdrawForm(request.POST)
    if not form.is_valid():
        return not_found(request)
    try:
        pickup_person_withdraw(actor=request.user, person_id=form.cleaned_data["person"])
    except DomainError as exc:
        if exc.status == 404:
            return not_found(request)
        messages.error(request, exc.message)
    else:
        messages.success(request, _("已取消代接。"))
    return redirect("afterschool_days:pickup-persons")
