"""The school office's allocation pages: applications and hardship verification (htmx row by row),
running and publishing the allocation, courses below minimum size (cancel / merge), withdrawing a
child. Office only: everyone else gets 404, and hardship never reaches another page."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from jianfu.afterschool.allocation import services as allocation_run
from jianfu.afterschool.allocation.selectors import (
    allocation_overview,
    applications_for_office,
    merge_targets,
)
from jianfu.afterschool.family import services as choosing
from jianfu.afterschool.forms import int_or, is_htmx, not_found
from jianfu.afterschool.min_size import services as min_size
from jianfu.afterschool.models import EnrolmentStatus, Programme
from jianfu.afterschool.selectors import programme_get_for_office
from jianfu.afterschool.waitlist import services as waitlist
from jianfu.core.errors import DomainError, NotFound


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
        app_id = int_or(request.POST.get("application"), 0)
        try:
            choosing.hardship_verify(
                actor=request.user,
                programme_id=p.pk,
                application_id=app_id,
                verified=request.POST.get("verified") == "1",
            )
        except DomainError as exc:
            if is_htmx(request):
                return HttpResponse(exc.message, status=exc.status)
            messages.error(request, exc.message)
        if is_htmx(request):
            app = applications_for_office(p).get(pk=app_id)
            return render(request, "afterschool/_allocation_application_row.html", {"a": app, "programme": p})
        return redirect("afterschool:applications", programme_id=p.pk)
    only = request.GET.get("only")
    apps = applications_for_office(p)
    if only == "hardship":
        apps = apps.filter(hardship_claimed=True)
    return render(
        request,
        "afterschool/allocation_applications.html",
        {"programme": p, "applications": apps, "only": only},
    )


def allocation_page(request: HttpRequest, programme_id: int) -> HttpResponse:
    p = _office(request, programme_id)
    if p is None:
        return not_found(request)
    if request.method == "POST":
        action, data = request.POST.get("action"), request.POST
        try:
            if action == "run":
                seed = (data.get("seed") or "").strip()
                if seed and not seed.isdigit():
                    raise allocation_run.AllocationError(
                        allocation_run.AllocationError.INVALID,
                        _("随机种子应为非负整数"),
                    )
                run = allocation_run.allocation_run(
                    actor=request.user, programme_id=p.pk, seed=int(seed) if seed else None
                )
                messages.success(
                    request, _("已完成分配（随机种子 %(seed)s）。公布前可以重新分配。") % {"seed": run.seed}
                )
            elif action == "publish":
                allocation_run.allocation_publish(actor=request.user, programme_id=p.pk)
                messages.success(request, _("结果已公布，已通知每个家庭。"))
            elif action == "cancel":
                moved = min_size.course_cancel(
                    actor=request.user, programme_id=p.pk, course_id=int_or(data.get("course"), 0)
                )
                messages.success(
                    request, _("课程已取消，%(n)s名学生已调整到其他志愿课程。") % {"n": len(moved)}
                )
            elif action == "merge":
                into = min_size.course_merge(
                    actor=request.user,
                    programme_id=p.pk,
                    course_id=int_or(data.get("course"), 0),
                    into_course_id=int_or(data.get("into"), 0),
                )
                messages.success(request, _("已合并到“%(course)s”。") % {"course": into.name})
            elif action == "capacity":
                notices = waitlist.course_capacity_raise(
                    actor=request.user,
                    programme_id=p.pk,
                    course_id=int_or(data.get("course"), 0),
                    capacity=int_or(data.get("capacity"), 0),
                )
                messages.success(request, _("名额已增加，%(n)s名候补学生已递补。") % {"n": len(notices)})
            elif action == "withdraw":
                left = waitlist.course_withdraw(
                    actor=request.user, programme_id=p.pk, student_id=int_or(data.get("student"), 0)
                )
                messages.success(
                    request,
                    _("已退出“%(course)s”，名额已按候补顺序递补。") % {"course": left.name}
                    if left
                    else _("已退出候补。"),
                )
        except DomainError as exc:
            if exc.status == 404:
                return not_found(request)
            messages.error(request, exc.message)
        return redirect("afterschool:allocation", programme_id=p.pk)
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
    return render(request, "afterschool/allocation_office.html", overview)
