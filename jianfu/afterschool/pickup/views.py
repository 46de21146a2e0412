"""Pickup pages: a family books a slot (phone), the office arranges slots, gate duty and basic-part
supervisors from the staffing the bookings call for, staff at the gate tap "已接走", the head
teacher sees repeated late pickups. Every write is a call to services.pickup / services.attendance."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from jianfu.afterschool.attendance.selectors import (
    basic_part_classes,
    day_last_end,
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
from jianfu.afterschool.collectors.selectors import persons_on
from jianfu.afterschool.days.rules import (
    BOOKING_CUTOFF,
    LATE_THRESHOLD,
    LATE_WINDOW_SERVICE_DAYS,
    pickup_within_service,
)
from jianfu.afterschool.figures.exports import export_gate_list, xlsx_response
from jianfu.afterschool.forms import day_label, is_htmx, not_found
from jianfu.afterschool.models import Departure, Programme
from jianfu.afterschool.pickup.forms import (
    ARRANGEMENT_FORMS,
    TYPED,
    BookingForm,
    DepartureForm,
    GateQuery,
    ProgrammeDayForm,
    show_refusal,
)
from jianfu.afterschool.pickup.selectors import (
    gate_filter,
    gate_programmes_for,
    gate_rows,
    gate_slot_key,
    late_flags_for_actor,
    pickup_cards,
    pickup_slots,
    staffing_for,
    teachers_for_picker,
)
from jianfu.afterschool.pickup.services import (
    departure_record,
    departure_undo,
    duty_assign_many,
    duty_remove,
    pickup_book,
    pickup_slot_add,
)
from jianfu.afterschool.rules import WEEKDAYS
from jianfu.afterschool.selectors import children_of_parent, programmes_for_office
from jianfu.core.errors import DomainError
from jianfu.schools.models import Student


def pickup_family(request: HttpRequest) -> HttpResponse:
    """接送预约: per child taking part, the next service days with their pickup time and a form."""
    children = list(children_of_parent(request.user))
    if not children:
        return not_found(request)
    now_local = timezone.localtime()
    today = now_local.date()
    form = BookingForm(request.POST if request.method == "POST" else None)
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        try:
            bookings = pickup_book(
                actor=request.user,
                programme_id=data["programme"],
                student_id=data["child"],
                slot_id=data["slot"],
                on=data["date"],
                weekly=data["weekly"],
            )
        except DomainError as exc:
            if exc.status in (403, 404):
                # Not about what was chosen: nothing to correct on the card.
                messages.error(request, exc.message)
                return redirect("afterschool_days:pickup")
            show_refusal(form, exc)
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
    elif form.is_bound and ("programme" in form.errors or "child" in form.errors):
        return not_found(request)  # not typed: the page wrote which child and programme
    # A refused booking is shown again on its child's card: the day, the time and "weekly" chosen.
    refused = form if form.is_bound else None
    refused_child = refused.cleaned_data.get("child") if refused else None
    cards = pickup_cards(children, now_local=now_local)
    for card in cards:
        if card["programme"] is None:
            continue
        plan = card["plan"]
        for p in plan:
            p["label"] = day_label(p["date"])
        open_days = [p for p in plan if p["open"]]
        default = open_days[0]["date"] if open_days else today
        mine = refused is not None and refused_child == card["child"].pk
        chosen = (
            refused.cleaned_data.get("date") or default
            if mine and refused is not None
            else ProgrammeDayForm(request.GET).day(default)
        )
        card["weeks"] = _weeks(plan)
        card["open_days"] = open_days
        card["chosen"] = next((p for p in plan if p["date"] == chosen), None)
        card["end"] = service_end(card["programme"], chosen.isoweekday())
        # Only the times within the chosen day's service are offered (the service refuses the rest).
        last_end = day_last_end(card["programme"], chosen.isoweekday())
        card["slots"] = [s for s in card["slots"] if pickup_within_service(s.time, last_end)]
        card["last_end"] = last_end
        card["form"] = refused if mine else None
        card["picked_slot"] = refused.cleaned_data.get("slot") if mine and refused is not None else None
    return render(
        request,
        "afterschool/pickup_family.html",
        {"cards": cards, "cutoff": BOOKING_CUTOFF},
        status=422 if refused else 200,
    )


WEEKS_OPEN = 2
"""Weeks of the schedule shown unfolded; the later ones fold, one line each, until tapped."""


def _weeks(plan: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The plan's days by school week (Monday to Sunday), each week with its first and last day and
    whether the family booked any day in it, the first WEEKS_OPEN unfolded (issue 15, finding G6:
    every week a standing booking covers is on the page)."""
    weeks: list[dict[str, Any]] = []
    for p in plan:
        monday = p["date"] - timedelta(days=p["date"].isoweekday() - 1)
        if not weeks or weeks[-1]["monday"] != monday:
            weeks.append({"monday": monday, "days": []})
        weeks[-1]["days"].append(p)
    for n, w in enumerate(weeks):
        w["first"], w["last"] = w["days"][0]["date"], w["days"][-1]["date"]
        w["booked"] = sum(1 for p in w["days"] if p["booked"])
        w["open"] = n < WEEKS_OPEN
    return weeks


def _office_programme(request: HttpRequest) -> Programme | None:
    programmes = list(
        programmes_for_office(request.user).filter(status="published").order_by("-term__start_date")
    )
    wanted = ProgrammeDayForm(request.POST if request.method == "POST" else request.GET).value("programme", 0)
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
    query = request.POST if request.method == "POST" else request.GET
    on = ProgrammeDayForm(query).day(_next_service_day(programme, today))
    refused: dict[str, Any] = {}
    if request.method == "POST":
        action = request.POST.get("action", "")
        form_class = ARRANGEMENT_FORMS.get(action)
        form = form_class(request.POST) if form_class else None
        if form is not None and form.is_valid():
            try:
                _arrangement_post(request, programme, on, action, form.cleaned_data)
            except DomainError as exc:
                if exc.status in (403, 404) or action not in TYPED or not _about_picked(action, exc):
                    # Not about what was typed or picked: nothing to correct on a form.
                    messages.error(request, exc.message)
                else:
                    show_refusal(form, exc)
                    refused = _refused(action, form)
        elif form is not None:
            if action not in TYPED or (action == "duty" and "slot" in form.errors):
                return not_found(request)
            refused = _refused(action, form)
        if not refused:
            return redirect(
                reverse("afterschool_days:arrangements") + f"?programme={programme.pk}&date={on.isoformat()}"
            )
    teachers = teachers_for_picker(programme.school_id)
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
            # The one form refused: its action, the row it belongs to, and what was chosen and typed.
            "refused": refused,
        },
        status=422 if refused else 200,
    )


def _about_picked(action: str, exc: DomainError) -> bool:
    """Whether a refusal is about what the form let the office choose: for gate duty only the
    teachers ticked (a slot of the page's own list refused is a message above the page, as before)."""
    return action != "duty" or exc.field == "teacher_id"


def _refused(action: str, form: Any) -> dict[str, Any]:
    """The refused form and which row of the page it came from: its row's hidden id as posted (a
    cover's "course:<id>" split into kind and id, as the rows carry them)."""
    name = getattr(form, "key_field", "")
    key = str(form.data.get(name, "")) if name else ""
    kind = ""
    if action == "cover":
        kind, _sep, key = key.partition(":")
    # The teachers ticked on a refused duty form, ticked again (as posted, ids as strings).
    picked = form.data.getlist("teacher") if hasattr(form.data, "getlist") else []
    return {"action": action, "form": form, "key": key, "kind": kind, "picked": picked}


def _arrangement_post(
    request: HttpRequest, programme: Programme, on: date, action: str, data: dict[str, Any]
) -> None:
    """The write an action asks for, its form already valid; a refusal is the caller's to show."""
    if action == "duty":
        made = duty_assign_many(
            actor=request.user,
            programme_id=programme.pk,
            slot_id=data["slot"],
            on=on,
            teacher_ids=data["teacher"],
        )
        messages.success(
            request,
            ngettext("已安排 %(n)s 位教师值守。", "已安排 %(n)s 位教师值守。", len(made)) % {"n": len(made)},
        )
    elif action == "duty_remove":
        duty_remove(actor=request.user, duty_id=data["duty"])
        messages.success(request, _("已取消该值守。"))
    elif action == "slot":
        pickup_slot_add(actor=request.user, programme_id=programme.pk, at=data["time"].replace(second=0))
        messages.success(request, _("已添加接送时段。"))
    elif action == "supervisor":
        basic_supervisor_assign(
            actor=request.user, programme_id=programme.pk, class_id=data["class"], teacher_id=data["teacher"]
        )
        messages.success(request, _("已更换基础托管看班教师。"))
    elif action == "cover":
        course_id, class_id = data["meeting"]
        cover = session_cover_set(
            actor=request.user,
            programme_id=programme.pk,
            on=on,
            teacher_id=data["teacher"],
            reason=data["reason"],
            course_id=course_id,
            class_id=class_id,
        )
        messages.success(request, _("已安排%(teacher)s代课。") % {"teacher": cover.teacher.name})
    elif action == "cover_remove":
        session_cover_remove(actor=request.user, cover_id=data["cover"])
        messages.success(request, _("已取消代课，恢复原任课教师。"))


GATE_PAGE_SIZE = 25
"""Rows of the gate list per page: a row is about 62 px on a phone, so a page with its search form
stays under three phone screens (issue 15; 462 children were 28,700 px on one page)."""


def _gate_query(
    request: HttpRequest, today: date
) -> tuple[list[Programme], set[int], list[dict[str, Any]], GateQuery]:
    """The programmes the actor works at the gate today, those with service today (ids), all of
    today's rows, and the query form (its class and slot choices drawn from those rows)."""
    programmes = gate_programmes_for(request.user, today)
    serving = {p.pk for p in programmes if is_service_day(p, today)}
    rows = [r for p in programmes if p.pk in serving for r in gate_rows(p, today)]
    classes = {r["student"].school_class_id: r["student"].school_class for r in rows}
    slots = {gate_slot_key(r["group"]): r["group"]["slot"] for r in rows}
    form = GateQuery(
        request.GET,
        classes=[(str(pk), str(c)) for pk, c in classes.items()],
        slots=[
            (k, _("请假") if k == "leave" else (f"{s.time:%H:%M}" if s is not None else _("服务结束")))
            for k, s in slots.items()
        ],
    )
    return programmes, serving, rows, form


def gate_page(request: HttpRequest) -> HttpResponse:
    """离校登记 (phone): today's children by pickup slot; one tap "已接走". Searchable by name or
    class and filtered by class and slot through the query; GATE_PAGE_SIZE children a page."""
    today = timezone.localdate()
    programmes, serving, rows, form = _gate_query(request, today)
    if not programmes:
        return not_found(request)
    filters = form.filters()
    found = gate_filter(rows, q=filters["q"], cls=filters["cls"], slot=filters["slot"])
    page = Paginator(found, GATE_PAGE_SIZE).get_page(filters["page"])
    blocks: list[dict[str, Any]] = []
    for p in programmes:
        if p.pk not in serving:
            blocks.append({"programme": p, "groups": None})
            continue
        groups: list[dict[str, Any]] = []
        for r in page.object_list:
            if r["programme"].pk != p.pk:
                continue
            if not groups or groups[-1]["group"] is not r["group"]:
                groups.append({"group": r["group"], "children": []})
            groups[-1]["children"].append(r)
        if groups or not any(r["programme"].pk == p.pk for r in found):
            blocks.append({"programme": p, "groups": groups})
        # else: this school's rows are all on other pages; saying "none match" here would be wrong.
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "afterschool/gate_today.html",
        {
            "blocks": blocks,
            "day_label": day_label(today),
            "today": today,
            "form": form,
            "page": page,
            "found": len(found),
            "total": len(rows),
            "query": query.urlencode(),
            "filtered": any(filters[k] for k in ("q", "cls", "slot")),
        },
    )


def gate_export(request: HttpRequest) -> HttpResponse:
    """The gate list, filtered as on the page (every page of it), as .xlsx."""
    today = timezone.localdate()
    programmes, _serving, rows, form = _gate_query(request, today)
    if not programmes:
        return not_found(request)
    filters = form.filters()
    found = gate_filter(rows, q=filters["q"], cls=filters["cls"], slot=filters["slot"])
    wanted = {k: filters[k] for k in ("q", "cls", "slot")}
    name, data = export_gate_list(actor=request.user, rows=found, on=today, filters=wanted)
    return xlsx_response(name, data)


def gate_depart(request: HttpRequest) -> HttpResponse:
    if request.method != "POST":
        return redirect("afterschool_days:gate")
    form = DepartureForm(request.POST)
    if not form.is_valid():
        return not_found(request)  # not typed: the ids the gate list wrote
    data = form.cleaned_data
    programme = next(
        (p for p in gate_programmes_for(request.user, timezone.localdate()) if p.pk == data["programme"]),
        None,
    )
    # Only a child of a school whose gate the actor works today is ever named back.
    student = (
        Student.objects.select_related("school_class__grade")
        .filter(pk=data["child"], school_id=programme.school_id, is_active=True)
        .first()
        if programme is not None
        else None
    )
    if programme is None or student is None:
        return not_found(request)
    error = ""
    departure: Departure | None = None
    try:
        if data["undo"]:
            departure_undo(actor=request.user, departure_id=data["undo"])
        else:
            departure = departure_record(
                actor=request.user,
                programme_id=programme.pk,
                student_id=student.pk,
                pickup_person_id=data["person"],
            )
    except DomainError as exc:
        if exc.status == 404:
            return not_found(request)
        error = exc.message
    if not is_htmx(request):
        if error:
            messages.error(request, error)
        back = form.back_query()
        return redirect(reverse("afterschool_days:gate") + (f"?{back}" if back else ""))
    child = {
        "student": student,
        "departure": departure,
        "booked": None,
        "persons": persons_on(programme.pk, timezone.localdate(), [student.pk]).get(student.pk, []),
    }
    return render(
        request,
        "afterschool/_gate_row.html",
        {"c": child, "programme_id": programme.pk, "row_error": error, "query": form.back_query()},
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
