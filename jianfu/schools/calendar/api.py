from __future__ import annotations

from datetime import date
from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from ninja import Router, Schema

from jianfu.core.errors import NotFound
from jianfu.schools.calendar.selectors import is_school_day, term_calendar_status
from jianfu.schools.calendar.services import calendar_entry_add, holiday_year_declare
from jianfu.schools.models import Term
from jianfu.schools.selectors import regions_for_actor, schools_for_actor

router = Router(tags=["calendar"])


class CalendarDayOut(Schema):
    date: date
    day_type: str
    note: str


class TermDaysOut(Schema):
    term_id: int
    complete: bool
    missing_years: list[int]
    message: str
    days: list[CalendarDayOut]


@router.get(
    "/terms/{term_id}/days",
    response=TermDaysOut,
    summary="A term's days and whether the calendar is complete",
)
def term_days(request: HttpRequest, term_id: int) -> dict[str, Any]:
    term = Term.objects.filter(pk=term_id, school__in=schools_for_actor(request.user)).first()
    if term is None:
        raise NotFound(_("学期"))
    status = term_calendar_status(term)
    return {
        "term_id": term.pk,
        "complete": status.complete,
        "missing_years": list(status.missing_years),
        "message": status.message,
        "days": list(term.days.values("date", "day_type", "note")),
    }


class IsSchoolDayOut(Schema):
    date: date
    school_day: bool | None


@router.get(
    "/is-school-day",
    response=IsSchoolDayOut,
    summary="Is this date a school day? (null: holidays not entered)",
)
def is_school_day_endpoint(request: HttpRequest, school_id: int, date: date) -> dict[str, Any]:
    school = schools_for_actor(request.user).filter(pk=school_id).first()
    if school is None:
        raise NotFound(_("学校"))
    return {"date": date, "school_day": is_school_day(school, date)}


class EntryIn(Schema):
    school_id: int
    date: date
    kind: str
    name: str = ""


class EntryOut(Schema):
    id: int
    date: date
    kind: str
    name: str


@router.post(
    "/entries", response=EntryOut, summary="Add a school calendar exception (no_school / extra_school_day)"
)
def add_entry(request: HttpRequest, payload: EntryIn) -> Any:
    school = schools_for_actor(request.user).filter(pk=payload.school_id).first()
    if school is None:
        raise NotFound(_("学校"))
    return calendar_entry_add(
        actor=request.user, school=school, date=payload.date, kind=payload.kind, name=payload.name
    )


class HolidayIn(Schema):
    date: date
    kind: str
    name: str = ""


class HolidayYearIn(Schema):
    region_code: str
    year: int
    entries: list[HolidayIn]


class HolidayYearOut(Schema):
    region_code: str
    year: int
    entries: int


@router.post(
    "/holiday-years", response=HolidayYearOut, summary="Enter a year's national holidays for a region"
)
def declare_year(request: HttpRequest, payload: HolidayYearIn) -> dict[str, Any]:
    region = regions_for_actor(request.user).filter(code=payload.region_code).first()
    if region is None:
        raise NotFound(_("地区"))
    holiday_year_declare(
        actor=request.user,
        region=region,
        year=payload.year,
        entries=[(e.date, e.kind, e.name) for e in payload.entries],
    )
    return {"region_code": region.code, "year": payload.year, "entries": len(payload.entries)}
