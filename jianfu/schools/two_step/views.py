from __future__ import annotations

from typing import cast

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from jianfu.accounts.models import User
from jianfu.accounts.selectors import session_passed_two_step, totp_enabled
from jianfu.core.errors import DomainError, NotFound
from jianfu.core.forms import add_domain_error
from jianfu.schools.two_step.forms import SchoolFilterForm, TwoStepResetForm
from jianfu.schools.two_step.permissions import can_reset_two_step
from jianfu.schools.two_step.selectors import schools_of_bureau, two_step_accounts_for_bureau
from jianfu.schools.two_step.services import totp_reset_by_bureau


def two_step_resets_view(request: HttpRequest) -> HttpResponse:
    """两步验证重置 (bureau staff): the school staff of the district who sign in with two-step
    sign-in, and a reset with a reason for one who lost both the phone and the recovery codes."""
    actor = cast(User, request.user)
    if not can_reset_two_step(actor):
        return render(request, "errors/404.html", status=404)
    school_filter = SchoolFilterForm(request.GET)
    school_id = school_filter.cleaned_data["school"] if school_filter.is_valid() else None
    status = 200
    error = None
    form: TwoStepResetForm | None = None
    if request.method == "POST":
        form = TwoStepResetForm(request.POST)
        try:
            if not form.is_valid():
                # No account picked (or a forged id): the same answer as an account out of reach.
                raise NotFound(_("账号"))
            done = totp_reset_by_bureau(
                actor=actor,
                user_id=form.cleaned_data["user_id"],
                reason=form.cleaned_data["reason"],
                session_passed=session_passed_two_step(request.session),
                code=form.cleaned_data["code"],
            )
        except DomainError as exc:
            add_domain_error(form, exc)
            status = exc.status
            # An error about the reason or the code stands beside it (in that account's form, shown
            # again as typed); anything else is said above the list.
            error = None if exc.field in ("reason", "code") else exc.message
        else:
            messages.success(
                request, gettext("已关闭%(name)s的两步验证，并已短信通知本人。") % {"name": done.name}
            )
            return redirect(request.get_full_path())
    schools = schools_of_bureau(actor)
    context = {
        "accounts": two_step_accounts_for_bureau(actor, school_id=school_id, schools_in_reach=schools),
        "schools": schools,
        "school_id": school_id,
        "own_enabled": totp_enabled(actor),
        "error": error,
        "failed": form,
        "failed_user_id": _typed_user_id(form),
    }
    return render(request, "registration/two_step_resets.html", context, status=status)


def _typed_user_id(form: TwoStepResetForm | None) -> int | None:
    """The account whose form was sent and refused, so its form is shown again as typed."""
    if form is None:
        return None
    try:
        return int(form["user_id"].value())
    except (TypeError, ValueError):
        return None
