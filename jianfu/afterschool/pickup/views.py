"""Pickup pages: a family books a slot (phone), the office arranges slots, gate duty and basic-part
supervisors from the staffing the bookings call for, staff at the gate tap "已接走", the head
teacher sees repeated late pickups. Every write is a call to services.pickup / services.attendance."""

from __future__ import annotations

from datetime import date, time, timedelta

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from jianfu.afterschool.attendance.selectors import (
    basic_part_classes,
    day_takers,
    is_service_day,
    service_day_problem,
    service_days,
    service_end,
)
from jianfu.afterschool.attendance.services import (
    basic_supervisor_assign,
    session_cover_remove,
    session_cover_set,
)
from jianfu.afterschool.days.rules import BOOKING_CUTOFF, LATE_THRESHOLD, LATE_WINDOW_SERVICE_DAYS
from jianfu.afterschool.forms import day_label, int_or, is_htmx, not_found, parse_date
from jianfu.afterschool.models import Departure, Programme
from jianfu.afterschool.pickup.selectors import (
    gate_list,
    gate_programmes_for,
    late_flags_for_actor,
    pickup_cards,
    pickup_slots,
    staffing_for,
)
from jianfu.afterschool.pickup.services import (
    departure_record,
    departure_undo,
    duty_assign,
    duty_remove,
    pickup_book,
    pickup_slot_add,
)
from jianfu.afterschool.rules import WEEKDAYS
from jianfu.afterschool.selectors import children_of_parent, programmes_for_office
from jianfu.core.errors import DomainError
from jianfu.schools.models import Student, Teacher


def pickup_family(request: HttpRequest) -> HttpResponse:
    """接送预约: per child taking part, the next service days with their pickup time and a form."""
    children = list(children_of_parent(request.user))
    if not children:
        return not_found(request)
    now_local = timezone.localtime()
    today = now_local.date()
    if request.method == "POST":
        try:
            bookings = pickup_book(
                actor=request.user,
                programme_id=int_or(request.POST.get("programme"), 0),
                student_id=int_or(request.POST.get("child"), 0),
                slot_id=int_or(request.POST.get("slot"), 0),
                on=date.fromisoformat(request.POST.get("date", "")),
                weekly=request.POST.get("weekly") == "on",
            )
        except ValueError:
            messages.error(request, _("日期：请选择日期"))
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            first = bookings[0]
            params = {
                "day": day_label(first.date),
                "time": f"{first.slot.time:%H:%M}",
                "n": len(bookings) - 1,
                "weekday": WEEKDAYS[first.date.isoweekday()],
            }
            if len(bookings) > 1:
                said = ngettext(
                    "已预约 %(day)s，以及之后 %(n)s 个%(weekday)s %(time)s 接孩子。",
                    "已预约 %(day)s，以及之后 %(n)s 个%(weekday)s %(time)s 接孩子。",
                    len(bookings) - 1,
                )
            else:
                said = _("已预约 %(day)s %(time)s 接孩子。")
            messages.success(request, said % params)
        return redirect("afterschool_days:pickup")
    cards = pickup_cards(children, now_local=now_local)
    for card in cards:
        if card["programme"] is None:
            continue
        plan = card["plan"]
        for p in plan:
            p["label"] = day_label(p["date"])
        open_days = [p for p in plan if p["open"]]
        chosen = parse_date(request.GET.get("date"), open_days[0]["date"] if open_days else today)
        card["open_days"] = open_days
        card["chosen"] = next((p for p in plan if p["date"] == chosen), None)
        card["end"] = service_end(card["programme"], chosen.isoweekday())
    return render(
        request,
        "afterschool/pickup_family.html",
        {"cards": cards, "cutoff": BOOKING_CUTOFF},
    )


def _office_programme(request: HttpRequest) -> Programme | None:
    programmes = list(
        programmes_for_office(request.user).filter(status="published").order_by("-term__start_date")
    )
    wanted = int_or(request.GET.get("programme") or request.POST.get("programme"), 0)
    return next((p for p in programmes if p.pk == wanted), programmes[0] if programmes else None)


def _next_service_day(programme: Programme, start: date) -> date:
    days = service_days(programme, start=start, until=start + timedelta(days=30))
    return days[0] if days else start


def arrangements(request: HttpRequest) -> HttpResponse:
    """The office's daily arrangements: staffing per pickup slot from the bookings (with gate duty),
    the pickup slots, and who supervises each class's basic part."""
    if not programmes_for_office(request.user).exists():
        return not_found(request)
    programme = _office_programme(request)
    if programme is None:
        return render(request, "afterschool/pickup_arrangements.html", {"programme": None})
    today = timezone.localdate()
    on = parse_date(request.GET.get("date") or request.POST.get("date"), _next_service_day(programme, today))
    if request.method == "POST":
        _arrangement_post(request, programme, on)
        return redirect(
            reverse("afterschool_days:arrangements") + f"?programme={programme.pk}&date={on.isoformat()}"
        )
    teachers = list(Teacher.objects.filter(school_id=programme.school_id).order_by("name"))
    basic = basic_part_classes(programme)
    classes = [
        {"class": b.school_class, "head": b.school_class.head_teacher, "assigned": b.assigned} for b in basic
    ]
    problem = service_day_problem(programme, on)
    return render(
        request,
        "afterschool/pickup_arrangements.html",
        {
            "programme": programme,
            "programmes": programmes_for_office(request.user).filter(status="published"),
            "on": on,
            "day_label": day_label(on),
            "problem": problem,
            "staffing": staffing_for(programme, on) if problem is None else None,
            "takers": day_takers(programme, on, basic=basic) if problem is None else [],
            "teachers": teachers,
            "slots": pickup_slots(programme),
            "classes": classes,
        },
    )


def _arrangement_post(request: HttpRequest, programme: Programme, on: date) -> None:
    action = request.POST.get("action")
    try:
        if action == "duty":
            duty_assign(
                actor=request.user,
                programme_id=programme.pk,
                slot_id=int_or(request.POST.get("slot"), 0),
                on=on,
                teacher_id=int_or(request.POST.get("teacher"), 0),
            )
            messages.success(request, _("已安排值守。"))
        elif action == "duty_remove":
            duty_remove(actor=request.user, duty_id=int_or(request.POST.get("duty"), 0))
            messages.success(request, _("已取消该值守。"))
        elif action == "slot":
            hh, mm = (request.POST.get("time") or "").split(":")[:2]
            pickup_slot_add(actor=request.user, programme_id=programme.pk, at=time(int(hh), int(mm)))
            messages.success(request, _("已添加接送时段。"))
        elif action == "supervisor":
            basic_supervisor_assign(
                actor=request.user,
                programme_id=programme.pk,
                class_id=int_or(request.POST.get("class"), 0),
                teacher_id=int_or(request.POST.get("teacher"), 0),
            )
            messages.success(request, _("已更换基础托管看班教师。"))
        elif action == "cover":
            kind, _sep, target = (request.POST.get("meeting") or "").partition(":")
            cover = session_cover_set(
                actor=request.user,
                programme_id=programme.pk,
                on=on,
                teacher_id=int_or(request.POST.get("teacher"), 0),
                reason=request.POST.get("reason", ""),
                course_id=int_or(target, 0) if kind == "course" else None,
                class_id=int_or(target, 0) if kind == "class" else None,
            )
            messages.success(request, _("已安排%(teacher)s代课。") % {"teacher": cover.teacher.name})
        elif action == "cover_remove":
            session_cover_remove(actor=request.user, cover_id=int_or(request.POST.get("cover"), 0))
            messages.success(request, _("已取消代课，恢复原任课教师。"))
    except ValueError:
        messages.error(request, _("时间：请按 时:分 填写，如 18:30"))
    except DomainError as exc:
        messages.error(request, exc.message)


def gate_page(request: HttpRequest) -> HttpResponse:
    """离校登记 (phone): today's children by pickup slot; one tap "已接走"."""
    today = timezone.localdate()
    programmes = gate_programmes_for(request.user, today)
    if not programmes:
        return not_found(request)
    blocks = [
        {"programme": p, "groups": gate_list(p, today) if is_service_day(p, today) else None}
        for p in programmes
    ]
    return render(
        request,
        "afterschool/gate_today.html",
        {"blocks": blocks, "day_label": day_label(today), "today": today},
    )


def gate_depart(request: HttpRequest) -> HttpResponse:
    if request.method != "POST":
        return redirect("afterschool_days:gate")
    programme = next(
        (
            p
            for p in gate_programmes_for(request.user, timezone.localdate())
            if p.pk == int_or(request.POST.get("programme"), 0)
        ),
        None,
    )
    # Only a child of a school whose gate the actor works today is ever named back.
    student = (
        Student.objects.select_related("school_class__grade")
        .filter(pk=int_or(request.POST.get("child"), 0), school_id=programme.school_id, is_active=True)
        .first()
        if programme is not None
        else None
    )
    if programme is None or student is None:
        return not_found(request)
    error = ""
    departure: Departure | None = None
    try:
        if request.POST.get("undo"):
            departure_undo(actor=request.user, departure_id=int_or(request.POST.get("undo"), 0))
        else:
            departure = departure_record(actor=request.user, programme_id=programme.pk, student_id=student.pk)
    except DomainError as exc:
        if exc.status == 404:
            return not_found(request)
        error = exc.message
    if not is_htmx(request):
        if error:
            messages.error(request, error)
        return redirect("afterschool_days:gate")
    child = {"student": student, "departure": departure, "booked": None}
    return render(
        request, "afterschool/_gate_row.html", {"c": child, "programme_id": programme.pk, "row_error": error}
    )


def late_page(request: HttpRequest) -> HttpResponse:
    """Repeated late pickups for the head teacher (own classes) and the school office."""
    flags = late_flags_for_actor(request.user, timezone.localdate())
    if flags is None:
        return not_found(request)
    return render(
        request,
        "afterschool/pickup_late.html",
        {"flags": flags, "threshold": LATE_THRESHOLD, "window": LATE_WINDOW_SERVICE_DAYS},
    )
