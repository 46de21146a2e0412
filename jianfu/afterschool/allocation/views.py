"""The school office's allocation pages: applications and hardship verification (htmx row by row),
running and publishing the allocation, courses below minimum size (cancel / merge), withdrawing a
child. Office only: everyone else gets 404, and hardship never reaches another page."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from jianfu.afterschool.allocation import services as allocation_run
from jianfu.afterschool.allocation.forms import (
    ALLOCATION_FORMS,
    TYPED,
    ApplicationsQuery,
    HardshipVerifyForm,
)
from jianfu.afterschool.allocation.selectors import (
    allocation_overview,
    applications_filtered,
    applications_for_office,
    merge_targets,
)
from jianfu.afterschool.family import services as choosing
from jianfu.afterschool.figures.exports import export_applications, xlsx_response
from jianfu.afterschool.forms import is_htmx, not_found
from jianfu.afterschool.min_size import services as min_size
from jianfu.afterschool.models import EnrolmentStatus, Programme
from jianfu.afterschool.selectors import programme_get_for_office
from jianfu.afterschool.waitlist import services as waitlist
from jianfu.core.errors import DomainError, NotFound
from jianfu.core.forms import add_domain_error


def _office(request: HttpRequest, programme_id: int) -> Programme | None:
    try:
        return programme_get_for_office(request.user, programme_id)
    except NotFound:
        return None


def applications_page(request: HttpRequest, programme_id: int) -> HttpResponse:
    p = _office(request, programme_id)
    if p is None:
        return not_found(request)
    if request.method == "POST":
        form = HardshipVerifyForm(request.POST)
        if not form.is_valid():
            return not_found(request)  # not typed: the row's buttons
        app_id = form.cleaned_data["application"]
        try:
            choosing.hardship_verify(
                actor=request.user,
                programme_id=p.pk,
                application_id=app_id,
                verified=form.cleaned_data["verified"],
            )
        except DomainError as exc:
            if is_htmx(request):
                return HttpResponse(exc.message, status=exc.status)
            messages.error(request, exc.message)
        if is_htmx(request):
            app = applications_for_office(p).get(pk=app_id)
            return render(request, "afterschool/_allocation_application_row.html", {"a": app, "programme": p})
        return redirect("afterschool:applications", programme_id=p.pk)
    query_form = _applications_query(request, p)
    filters = query_form.filters()
    apps = applications_filtered(p, q=filters["q"], course=filters["course"], status=filters["status"])
    page = Paginator(apps, APPLICATIONS_PAGE_SIZE).get_page(filters["page"])
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "afterschool/allocation_applications.html",
        {
            "programme": p,
            "applications": page.object_list,
            "page": page,
            "form": query_form,
            "query": query.urlencode(),
            "found": page.paginator.count,
            "filtered": any(filters[k] for k in ("q", "course", "status")),
        },
    )


APPLICATIONS_PAGE_SIZE = 15
"""Applications per page: a row is about 125 px on a phone (the choices stack), so a page with its
search form stays under three phone screens (issue 15; 463 rows were 57,800 px on one page)."""


def _applications_query(request: HttpRequest, p: Programme) -> ApplicationsQuery:
    courses = [(str(c.pk), c.name) for c in p.courses.order_by("name", "pk")]
    return ApplicationsQuery(request.GET, courses=courses)


def applications_export(request: HttpRequest, programme_id: int) -> HttpResponse:
    """The applications list, filtered as on the page (every page of it), as .xlsx. Office only."""
    p = _office(request, programme_id)
    if p is None:
        return not_found(request)
    filters = _applications_query(request, p).filters()
    wanted = {k: filters[k] for k in ("q", "course", "status")}
    apps = list(applications_filtered(p, **wanted))
    name, data = export_applications(actor=request.user, programme=p, applications=apps, filters=wanted)
    return xlsx_response(name, data)


def _allocation_post(request: HttpRequest, p: Programme, action: str, form: Any) -> None:
    """The write an action asks for, with its form already valid (None for publish)."""
    data: dict[str, Any] = form.cleaned_data if form is not None else {}
    if action == "run":
        run = allocation_run.allocation_run(actor=request.user, programme_id=p.pk, seed=data["seed"])
        messages.success(
            request, _("已完成分配（随机种子 %(seed)s）。公布前可以重新分配。") % {"seed": run.seed}
        )
    elif action == "publish":
        allocation_run.allocation_publish(actor=request.user, programme_id=p.pk)
        messages.success(request, _("结果已公布，已通知每个家庭。"))
    elif action == "cancel":
        moved = min_size.course_cancel(actor=request.user, programme_id=p.pk, course_id=data["course"])
        messages.success(request, _("课程已取消，%(n)s名学生已调整到其他志愿课程。") % {"n": len(moved)})
    elif action == "merge":
        into = min_size.course_merge(
            actor=request.user, programme_id=p.pk, course_id=data["course"], into_course_id=data["into"]
        )
        messages.success(request, _("已合并到“%(course)s”。") % {"course": into.name})
    elif action == "capacity":
        notices = waitlist.course_capacity_raise(
            actor=request.user, programme_id=p.pk, course_id=data["course"], capacity=data["capacity"]
        )
        messages.success(request, _("名额已增加，%(n)s名候补学生已递补。") % {"n": len(notices)})
    elif action == "withdraw":
        left = waitlist.course_withdraw(actor=request.user, programme_id=p.pk, student_id=data["student"])
        messages.success(
            request,
            _("已退出“%(course)s”，名额已按候补顺序递补。") % {"course": left.name}
            if left
            else _("已退出候补。"),
        )


def allocation_page(request: HttpRequest, programme_id: int) -> HttpResponse:
    p = _office(request, programme_id)
    if p is None:
        return not_found(request)
    # The typed form (the seed, a course's places) that was refused: shown again with the reason.
    refused: dict[str, Any] = {}
    if request.method == "POST":
        action = request.POST.get("action", "")
        form_class = ALLOCATION_FORMS.get(action)
        form = form_class(request.POST) if form_class is not None else None
        if form is not None and not form.is_valid():
            if any(name not in TYPED.get(action, ()) for name in form.errors):
                return not_found(request)  # not typed: the ids the page wrote
            refused = {"action": action, "form": form}
        else:
            try:
                _allocation_post(request, p, action, form)
            except DomainError as exc:
                if exc.status == 404:
                    return not_found(request)
                # A refusal about what was typed goes beside it; one about the programme's state
                # (already published, the window still open) is a message above the page.
                if form is None or exc.field not in TYPED.get(action, ()):
                    messages.error(request, exc.message)
                    return redirect("afterschool:allocation", programme_id=p.pk)
                add_domain_error(form, exc)
                refused = {"action": action, "form": form}
            else:
                return redirect("afterschool:allocation", programme_id=p.pk)
        if refused:
            refused["course"] = refused["form"].cleaned_data.get("course")
    overview = allocation_overview(p)
    rosters: dict[int, list[Any]] = {}
    for e in p.enrolments.filter(status=EnrolmentStatus.PLACED).select_related(
        "student__school_class__grade"
    ):
        rosters.setdefault(e.course_id, []).append(e)
    for row in overview["rows"]:
        row["roster"] = sorted(
            rosters.get(row["course"].pk, []),
            key=lambda e: (e.student.school_class.grade.number, e.student.name),
        )
        row["targets"] = merge_targets(p, row["course"]) if row["below_min"] else []
    return render(
        request,
        "afterschool/allocation_office.html",
        {**overview, "refused": refused},
        status=422 if refused else 200,
    )
