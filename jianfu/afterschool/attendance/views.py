"""Attendance pages (phone first): today's sessions, one tap per child, "全部到"; a family's own
child's attendance. Thin: every write is a call to services.attendance."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from jianfu.afterschool.attendance.forms import DayQueryForm, MarkForm
from jianfu.afterschool.attendance.selectors import (
    attendance_of,
    session_get_for_taker,
    session_sheet,
    sessions_for_actor,
)
from jianfu.afterschool.attendance.services import (
    attendance_mark,
    attendance_mark_all_present,
    sessions_ensure_for_actor,
)
from jianfu.afterschool.forms import day_label, is_htmx, not_found
from jianfu.afterschool.models import AttendanceStatus, ServiceSession
from jianfu.afterschool.permissions import can_run_sessions
from jianfu.afterschool.selectors import children_of_parent, programmes_for_office
from jianfu.core.errors import DomainError

TAPS = [
    (AttendanceStatus.PRESENT, AttendanceStatus.PRESENT.label),
    (AttendanceStatus.ABSENT, AttendanceStatus.ABSENT.label),
    (AttendanceStatus.LEAVE, AttendanceStatus.LEAVE.label),
    (AttendanceStatus.LATE, AttendanceStatus.LATE.label),
]


def attendance_today(request: HttpRequest) -> HttpResponse:
    """The sessions the actor runs today (the office: all of its school's, any date)."""
    if not can_run_sessions(request.user):
        return not_found(request)
    today = timezone.localdate()
    office = programmes_for_office(request.user).exists()
    # Only the office chooses a day; everyone else has today's sessions, whatever the query says.
    form = DayQueryForm(request.GET if office else None)
    on = form.day(today) if office else today
    sessions_ensure_for_actor(actor=request.user, on=on)
    rows = sessions_for_actor(request.user, on)
    return render(
        request,
        "afterschool/attendance_today.html",
        {
            "rows": rows,
            "on": on,
            "today": today,
            "office": office,
            "day_label": day_label(on),
            "form": form,
        },
        status=422 if form.errors else 200,
    )


def _roster_context(request: HttpRequest, session: ServiceSession, error: str = "") -> dict[str, Any]:
    return {
        **session_sheet(request.user, session),
        "taps": TAPS,
        "day_label": day_label(session.date),
        "today": timezone.localdate(),
        "error": error,
    }


def attendance_session(request: HttpRequest, session_id: int) -> HttpResponse:
    try:
        session = session_get_for_taker(request.user, session_id)
    except DomainError:
        return not_found(request)
    return render(request, "afterschool/attendance_session.html", _roster_context(request, session))


def attendance_mark_view(request: HttpRequest, session_id: int) -> HttpResponse:
    """One tap (htmx swaps the child's row; without JavaScript the page reloads)."""
    if request.method != "POST":
        return redirect("afterschool_days:session", session_id=session_id)
    try:
        session = session_get_for_taker(request.user, session_id)
    except DomainError:
        return not_found(request)
    error = ""
    form = MarkForm(request.POST)
    if not form.is_valid():
        # A child it cannot read: the reason above the roster (no row to put it beside).
        error, student_id = str(form.errors["student_id"][0]), 0
    else:
        student_id = form.cleaned_data["student_id"]
        try:
            attendance_mark(
                actor=request.user,
                session_id=session.pk,
                student_id=student_id,
                status=form.cleaned_data["status"],
            )
        except DomainError as exc:
            error = exc.message
    if not is_htmx(request):
        return redirect("afterschool_days:session", session_id=session.pk)
    context = _roster_context(request, session)
    row = next((r for r in context["rows"] if r["student"].pk == student_id), None)
    if row is None:
        return render(request, "afterschool/_attendance_block.html", {**context, "error": error})
    return render(
        request,
        "afterschool/_attendance_row.html",
        {**context, "row": row, "row_error": error, "oob_counts": True},
    )


def attendance_all_present_view(request: HttpRequest, session_id: int) -> HttpResponse:
    if request.method != "POST":
        return redirect("afterschool_days:session", session_id=session_id)
    try:
        session = session_get_for_taker(request.user, session_id)
    except DomainError:
        return not_found(request)
    error = ""
    try:
        attendance_mark_all_present(actor=request.user, session_id=session.pk)
    except DomainError as exc:
        error = exc.message
    if not is_htmx(request):
        return redirect("afterschool_days:session", session_id=session.pk)
    return render(request, "afterschool/_attendance_block.html", _roster_context(request, session, error))


def family_attendance(request: HttpRequest) -> HttpResponse:
    """A parent sees their own children's attendance, nothing about anyone else."""
    children = list(children_of_parent(request.user))
    if not children:
        return not_found(request)
    # The children come from the family's own guardian rows: no second access check per child.
    cards = [{"child": child, "records": attendance_of(child)} for child in children]
    return render(request, "afterschool/attendance_family.html", {"cards": cards})
