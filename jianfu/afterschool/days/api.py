"""After-school days over JSON, at /api/v1/afterschool/days/: attendance, pickup, gate duty, figures.

Every endpoint calls the same service or selector as its page. No response carries a 学籍号, a
phone number or a hardship status; the district's figures carry no child at all.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from ninja import Router

from jianfu.afterschool.attendance.selectors import (
    child_attendance,
    day_takers,
    is_service_day,
    service_day_check,
    session_get_for_taker,
    session_sheet,
    sessions_for_actor,
)
from jianfu.afterschool.attendance.services import (
    attendance_mark,
    attendance_mark_all_present,
    basic_supervisor_assign,
    session_cover_remove,
    session_cover_set,
    sessions_ensure_for_actor,
)
from jianfu.afterschool.collectors.selectors import persons_ahead
from jianfu.afterschool.collectors.services import pickup_person_name, pickup_person_withdraw
from jianfu.afterschool.days import schemas as s
from jianfu.afterschool.leave.selectors import leaves_ahead
from jianfu.afterschool.leave.services import leave_report, leave_withdraw
from jianfu.afterschool.models import Programme, ServiceSession
from jianfu.afterschool.permissions import can_run_sessions
from jianfu.afterschool.pickup.selectors import (
    gate_list,
    gate_programmes_for,
    late_flags_for_actor,
    pickup_cards,
    staffing_for,
)
from jianfu.afterschool.pickup.services import (
    departure_record,
    departure_undo,
    duty_assign,
    duty_assign_many,
    duty_remove,
    pickup_book,
    pickup_slot_add,
)
from jianfu.afterschool.selectors import child_get_for_parent, programme_get_for_office
from jianfu.core.errors import NotFound

router = Router(tags=["afterschool-days"])


@router.get(
    "/sessions",
    response=list[s.SessionOut],
    summary="The sessions the caller runs on a date (created on demand)",
)
def sessions(request: HttpRequest, date: dt.date | None = None) -> list[Any]:
    if not can_run_sessions(request.user):
        raise NotFound(_("课后服务场次"))
    on = date or timezone.localdate()
    sessions_ensure_for_actor(actor=request.user, on=on)
    return sessions_for_actor(request.user, on)


@router.get("/sessions/{session_id}", response=s.SessionDetailOut, summary="A session's children and marks")
def session_detail(request: HttpRequest, session_id: int) -> Any:
    sheet = session_sheet(request.user, session_get_for_taker(request.user, session_id))
    ses: ServiceSession = sheet["session"]
    # SessionOut reads the session's own fields from "session" (as for the list's rows).
    return {
        "session": ses,
        "title": sheet["title"],
        "room": sheet["room"],
        "size": len(sheet["rows"]),
        "marked": sheet["records"],
        "editable": sheet["editable"],
        "children": [
            {
                "student_id": r["student"].pk,
                "name": r["student"].name,
                "class_name": str(r["student"].school_class),
                "status": r["status"] or None,
                "on_leave": r["leave"] is not None,
            }
            for r in sheet["rows"]
        ],
    }


@router.post("/sessions/{session_id}/attendance", response=s.MarkOut, summary="Mark one child (idempotent)")
def mark(request: HttpRequest, session_id: int, payload: s.MarkIn) -> Any:
    record = attendance_mark(
        actor=request.user, session_id=session_id, student_id=payload.student_id, status=payload.status
    )
    return {"student_id": record.student_id, "status": record.status}


@router.post(
    "/sessions/{session_id}/all-present",
    response=s.MarkedCountOut,
    summary="All present: mark everyone not yet marked present",
)
def all_present(request: HttpRequest, session_id: int) -> Any:
    return {"marked": attendance_mark_all_present(actor=request.user, session_id=session_id)}


@router.post(
    "/programmes/{programme_id}/basic-supervisors",
    response=s.SupervisorOut,
    summary="The office assigns a class's basic-part supervisor",
)
def supervisor(request: HttpRequest, programme_id: int, payload: s.SupervisorIn) -> Any:
    a = basic_supervisor_assign(
        actor=request.user,
        programme_id=programme_id,
        class_id=payload.class_id,
        teacher_id=payload.teacher_id,
    )
    return a


@router.get(
    "/programmes/{programme_id}/covers",
    response=list[s.DayTakerOut],
    summary="The office: who takes each meeting of a day, and the substitutes set",
)
def covers(request: HttpRequest, programme_id: int, date: dt.date | None = None) -> list[Any]:
    programme: Programme = programme_get_for_office(request.user, programme_id)
    rows = day_takers(programme, date or timezone.localdate())
    return rows


@router.post(
    "/programmes/{programme_id}/covers",
    response=s.CoverOut,
    summary="The office arranges a one-day substitute for a course meeting or a class's basic part",
)
def cover_set(request: HttpRequest, programme_id: int, payload: s.CoverIn) -> Any:
    return session_cover_set(
        actor=request.user,
        programme_id=programme_id,
        on=payload.date,
        teacher_id=payload.teacher_id,
        reason=payload.reason,
        course_id=payload.course_id,
        class_id=payload.class_id,
    )


@router.delete("/covers/{cover_id}", response=s.OkOut, summary="The office withdraws a substitute")
def cover_remove(request: HttpRequest, cover_id: int) -> Any:
    session_cover_remove(actor=request.user, cover_id=cover_id)
    return {"ok": True}


@router.get(
    "/children/{student_id}/attendance",
    response=list[s.ChildAttendanceOut],
    summary="A family's own child's attendance",
)
def child_attendance_api(request: HttpRequest, student_id: int) -> list[Any]:
    return child_attendance(request.user, student_id)[1]


@router.post(
    "/programmes/{programme_id}/pickup-slots",
    response=s.PickupSlotOut,
    summary="The office adds a pickup slot",
)
def add_slot(request: HttpRequest, programme_id: int, payload: s.PickupSlotIn) -> Any:
    return pickup_slot_add(actor=request.user, programme_id=programme_id, at=payload.time)


@router.get(
    "/children/{student_id}/pickup",
    response=s.ChildPickupOut,
    summary="A family's own child's pickup slots and every service day left in the term",
)
def child_pickup(request: HttpRequest, student_id: int) -> Any:
    child = child_get_for_parent(request.user, student_id)
    card = pickup_cards([child], now_local=timezone.localtime())[0]
    if card["programme"] is None:
        return {"programme_id": None, "slots": [], "days": []}
    return {
        "programme_id": card["programme"].pk,
        "slots": list(card["slots"]),
        "days": [
            {
                "date": p["date"],
                "slot_id": p["slot"].pk if p["slot"] else None,
                "time": p["slot"].time if p["slot"] else None,
                "booked": p["booked"],
                "open": p["open"],
                "latest_time": p["last_end"],
            }
            for p in card["plan"]
        ],
    }


@router.post(
    "/children/{student_id}/pickup",
    response=list[s.BookingOut],
    summary="Book a pickup slot for a date, or weekly for the rest of the term (until 14:00 on the day)",
)
def book(request: HttpRequest, student_id: int, payload: s.BookingIn) -> list[Any]:
    bookings = pickup_book(
        actor=request.user,
        programme_id=payload.programme_id,
        student_id=student_id,
        slot_id=payload.slot_id,
        on=payload.date,
        weekly=payload.weekly,
    )
    return [{"date": b.date, "slot_id": b.slot_id, "time": b.slot.time} for b in bookings]


@router.get(
    "/children/{student_id}/leave",
    response=list[s.LeaveOut],
    summary="A family's own child's leave from today on",
)
def child_leave(request: HttpRequest, student_id: int) -> list[Any]:
    child = child_get_for_parent(request.user, student_id)
    return leaves_ahead([child.pk], timezone.localdate()).get(child.pk, [])


@router.post(
    "/children/{student_id}/leave",
    response=s.LeaveOut,
    summary="Report leave for a day or a period (idempotent: the same days return the same leave)",
)
def report_leave(request: HttpRequest, student_id: int, payload: s.LeaveIn) -> Any:
    return leave_report(
        actor=request.user,
        programme_id=payload.programme_id,
        student_id=student_id,
        start=payload.start_date,
        end=payload.end_date,
        reason=payload.reason,
    )


@router.delete(
    "/leave/{leave_id}",
    response=s.LeaveOut,
    summary="Withdraw a leave before its day (a period under way keeps the days up to today)",
)
def withdraw_leave(request: HttpRequest, leave_id: int) -> Any:
    return leave_withdraw(actor=request.user, leave_id=leave_id)


@router.get(
    "/children/{student_id}/pickup-persons",
    response=list[s.PickupPersonOut],
    summary="The other people a family named to collect its own child, from today on",
)
def child_pickup_persons(request: HttpRequest, student_id: int) -> list[Any]:
    child = child_get_for_parent(request.user, student_id)
    return persons_ahead([child.pk], timezone.localdate()).get(child.pk, [])


@router.post(
    "/children/{student_id}/pickup-persons",
    response=s.PickupPersonOut,
    summary="Name another person to collect the child on a day or a period (idempotent)",
)
def name_pickup_person(request: HttpRequest, student_id: int, payload: s.PickupPersonIn) -> Any:
    return pickup_person_name(
        actor=request.user,
        programme_id=payload.programme_id,
        student_id=student_id,
        name=payload.name,
        relationship=payload.relationship,
        phone=payload.phone,
        start=payload.start_date,
        end=payload.end_date,
    )


@router.delete(
    "/pickup-persons/{person_id}",
    response=s.PickupPersonOut,
    summary="Withdraw a person named to collect the child (any time)",
)
def withdraw_pickup_person(request: HttpRequest, person_id: int) -> Any:
    return pickup_person_withdraw(actor=request.user, person_id=person_id)


@router.get(
    "/programmes/{programme_id}/staffing",
    response=s.StaffingOut,
    summary="Gate staffing per pickup slot from the bookings (the office)",
)
def staffing(request: HttpRequest, programme_id: int, date: dt.date | None = None) -> Any:
    programme: Programme = programme_get_for_office(request.user, programme_id)
    on = date or timezone.localdate()
    service_day_check(programme, on)
    st = staffing_for(programme, on)
    return {
        "date": on,
        "expected": st["expected"],
        "per_staff": st["per_staff"],
        "rows": st["rows"],
    }


@router.post("/programmes/{programme_id}/duties", response=s.DutyOut, summary="The office assigns gate duty")
def assign_duty(request: HttpRequest, programme_id: int, payload: s.DutyIn) -> Any:
    return duty_assign(
        actor=request.user,
        programme_id=programme_id,
        slot_id=payload.slot_id,
        on=payload.date,
        teacher_id=payload.teacher_id,
    )


@router.post(
    "/programmes/{programme_id}/duties/batch",
    response=list[s.DutyOut],
    summary="The office puts several teachers on gate duty for a slot at once (idempotent)",
)
def assign_duties(request: HttpRequest, programme_id: int, payload: s.DutyBatchIn) -> list[Any]:
    return duty_assign_many(
        actor=request.user,
        programme_id=programme_id,
        slot_id=payload.slot_id,
        on=payload.date,
        teacher_ids=payload.teacher_ids,
    )


@router.delete("/duties/{duty_id}", response=s.OkOut, summary="The office removes a gate duty")
def remove_duty(request: HttpRequest, duty_id: int) -> Any:
    duty_remove(actor=request.user, duty_id=duty_id)
    return {"ok": True}


@router.get("/gate", response=list[s.GateGroupOut], summary="Today's children by pickup slot (staff on duty)")
def gate(request: HttpRequest) -> list[Any]:
    today = timezone.localdate()
    programmes = gate_programmes_for(request.user, today)
    if not programmes:
        raise NotFound(_("离校登记"))
    out = []
    for p in programmes:
        if not is_service_day(p, today):
            continue
        for g in gate_list(p, today):
            out.append(
                {
                    "programme_id": p.pk,
                    "slot_id": g["slot"].pk if g["slot"] else None,
                    "time": g["slot"].time if g["slot"] else None,
                    "is_default": g["is_default"],
                    "on_leave": g.get("leave", False),
                    "children": [
                        {
                            "student_id": c["student"].pk,
                            "name": c["student"].name,
                            "class_name": str(c["student"].school_class),
                            "booked": c["booked"],
                            "departure_id": c["departure"].pk if c["departure"] else None,
                            "left_at": c["departure"].left_at if c["departure"] else None,
                            "late_minutes": c["departure"].late_minutes if c["departure"] else None,
                            "on_leave": c.get("leave") is not None,
                            "pickup_persons": c.get("persons", []),
                            "pickup_person_id": c["departure"].pickup_person_id if c["departure"] else None,
                        }
                        for c in g["children"]
                    ],
                }
            )
    return out


@router.post(
    "/gate/departures", response=s.DepartureOut, summary="Picked up: record a departure now (idempotent)"
)
def depart(request: HttpRequest, payload: s.DepartureIn) -> Any:
    d = departure_record(
        actor=request.user,
        programme_id=payload.programme_id,
        student_id=payload.student_id,
        pickup_person_id=payload.pickup_person_id,
    )
    return d


@router.delete(
    "/gate/departures/{departure_id}", response=s.OkOut, summary="Undo a mis-tapped departure (same day)"
)
def undo_departure(request: HttpRequest, departure_id: int) -> Any:
    departure_undo(actor=request.user, departure_id=departure_id)
    return {"ok": True}


@router.get(
    "/late-flags",
    response=list[s.LateFlagOut],
    summary="Repeated late pickups (head teacher: own class; office)",
)
def late_flags(request: HttpRequest) -> list[Any]:
    flags = late_flags_for_actor(request.user, timezone.localdate())
    if flags is None:
        raise NotFound(_("接送提醒"))
    return flags
