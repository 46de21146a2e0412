"""The school calendar page: the term as month grids, exceptions, and bureau holiday entry."""

from __future__ import annotations

import calendar as pycal
from datetime import date
from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from jianfu.core.errors import DomainError
from jianfu.core.forms import add_domain_error
from jianfu.schools.access import regions_for_actor, schools_for_actor
from jianfu.schools.calendar.forms import CalendarEntryForm, HolidayYearForm, SchoolChoiceForm, WhichForm
from jianfu.schools.calendar.selectors import current_term, term_calendar_status
from jianfu.schools.calendar.services import calendar_entry_add, holiday_year_declare
from jianfu.schools.models import CalendarEntryKind, DayType, SchoolDay
from jianfu.schools.permissions import can_declare_holidays, can_edit_calendar, can_view_calendar


def _month_grids(days: list[SchoolDay]) -> list[dict[str, Any]]:
    by_date = {d.date: d for d in days}
    if not days:
        return []
    months = sorted({(d.date.year, d.date.month) for d in days})
    grids = []
    for year, month in months:
        weeks = []
        for week in pycal.Calendar(firstweekday=0).monthdatescalendar(year, month):
            weeks.append([{"date": d, "in_month": d.month == month, "day": by_date.get(d)} for d in week])
        grids.append({"label": date_format(date(year, month, 1), "YEAR_MONTH_FORMAT"), "weeks": weeks})
    return grids


def calendar_overview(request: HttpRequest) -> HttpResponse:
    user = request.user
    if not can_view_calendar(user):
        return render(request, "errors/404.html", status=404)
    schools = list(schools_for_actor(user))
    regions = list(regions_for_actor(user))
    school = schools[0] if schools else None
    choice = SchoolChoiceForm(request.GET)
    chosen = choice.cleaned_data["school"] if choice.is_valid() else None
    if chosen is not None or not choice.is_valid():
        school = next((s for s in schools if s.pk == chosen), None)
        if school is None:
            return render(request, "errors/404.html", status=404)
    today = timezone.localdate()
    declarable = [r for r in regions if can_declare_holidays(user, r)]
    bureau_region = next((r for r in declarable if r.level == "district"), None) or (
        declarable[0] if declarable else None
    )
    can_edit_school = school is not None and can_edit_calendar(user, school)
    term = current_term(school, today) if school else None
    next_year = term.end_date.year if term else today.year + 1
    entry_form = CalendarEntryForm()
    holiday_form = HolidayYearForm(initial={"year": next_year})
    status = 200

    if request.method == "POST":
        which = WhichForm(request.POST)
        sent = which.cleaned_data["form"] if which.is_valid() else None
        if sent == "entry" and school is not None:
            entry_form = CalendarEntryForm(request.POST)
            if entry_form.is_valid():
                try:
                    calendar_entry_add(
                        actor=user,
                        school=school,
                        date=entry_form.cleaned_data["date"],
                        kind=entry_form.cleaned_data["kind"],
                        name=entry_form.cleaned_data["name"],
                    )
                except DomainError as exc:
                    add_domain_error(entry_form, exc)
                    status = exc.status
                else:
                    messages.success(request, _("已保存校历调整。"))
                    return redirect(request.get_full_path())
            else:
                status = 400
        elif sent == "holidays" and bureau_region is not None:
            holiday_form = HolidayYearForm(request.POST)
            if holiday_form.is_valid():
                year, entries = holiday_form.cleaned_data["year"], holiday_form.cleaned_data["lines"]
                try:
                    holiday_year_declare(actor=user, region=bureau_region, year=year, entries=entries)
                except DomainError as exc:
                    if exc.field == "entries":  # the service's name for what the form calls lines
                        exc.field = "lines"
                    add_domain_error(holiday_form, exc)
                    status = exc.status
                else:
                    messages.success(
                        request,
                        _("已录入%(year)s年节假日安排（%(count)s条）。")
                        % {"year": year, "count": len(entries)},
                    )
                    return redirect(request.get_full_path())
            else:
                status = 400
        else:
            return render(request, "errors/404.html", status=403)

    days = list(term.days.all()) if term else []
    term_status = term_calendar_status(term) if term else None
    counts = {t: sum(1 for d in days if d.day_type == t) for t in DayType.values}
    makeup = sum(1 for d in days if d.day_type == DayType.SCHOOL_DAY and d.date.weekday() >= 5)
    return render(
        request,
        "schools/calendar_page.html",
        {
            "school": school,
            "schools": schools,
            "term": term,
            "status": term_status,
            "grids": _month_grids(days),
            "counts": counts,
            "makeup": makeup,
            "can_edit_school": can_edit_school,
            "bureau_region": bureau_region,
            "entry_kinds": [
                (CalendarEntryKind.NO_SCHOOL, _("停课")),
                (CalendarEntryKind.EXTRA_SCHOOL_DAY, _("补课/加课")),
            ],
            "entry_form": entry_form,
            "holiday_form": holiday_form,
            "next_year": next_year,
        },
        status=status,
    )
