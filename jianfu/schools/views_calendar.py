"""The school calendar page: the term as month grids, exceptions, and bureau holiday entry."""

from __future__ import annotations

import calendar as pycal
from datetime import date
from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from jianfu.accounts.models import Role
from jianfu.core.errors import DomainError
from jianfu.schools.models import CalendarEntryKind, DayType, SchoolDay
from jianfu.schools.selectors import regions_for_actor, roles_of, schools_for_actor
from jianfu.schools.selectors_calendar import current_term, term_calendar_status
from jianfu.schools.services.calendar import calendar_entry_add, holiday_year_declare

VIEW_ROLES = {Role.BUREAU_STAFF, Role.INSPECTOR, Role.CUSTODIAN, Role.PRINCIPAL, Role.ACADEMIC_AFFAIRS}


def parse_holiday_lines(text: str) -> list[tuple[date, str, str]]:
    """Lines like `2027-01-01 holiday 元旦` or `2027-02-07 调休 春节调休`."""
    kinds = {
        "holiday": "holiday",
        "假": "holiday",
        "放假": "holiday",
        "makeup_workday": "makeup_workday",
        "调休": "makeup_workday",
        "上班": "makeup_workday",
    }
    out = []
    for n, line in enumerate(text.splitlines(), start=1):
        parts = line.split()
        if not parts:
            continue
        if len(parts) < 2 or parts[1] not in kinds:
            raise ValueError(f"第{n}行格式应为“日期 类型 名称”，类型为 holiday/放假 或 makeup_workday/调休")
        try:
            d = date.fromisoformat(parts[0])
        except ValueError as exc:
            raise ValueError(f"第{n}行日期格式错误：{parts[0]}") from exc
        out.append((d, kinds[parts[1]], " ".join(parts[2:])))
    return out


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
        grids.append({"label": f"{year}年{month}月", "weeks": weeks})
    return grids


def calendar_overview(request: HttpRequest) -> HttpResponse:
    user = request.user
    roles = roles_of(user)
    if not roles & VIEW_ROLES:
        return render(request, "errors/404.html", status=404)
    schools = list(schools_for_actor(user))
    regions = list(regions_for_actor(user))
    school = None
    if request.GET.get("school"):
        school = next((s for s in schools if str(s.pk) == request.GET["school"]), None)
        if school is None:
            return render(request, "errors/404.html", status=404)
    elif schools:
        school = schools[0]
    today = timezone.localdate()
    bureau_region = next(
        (r for r in regions if Role.BUREAU_STAFF in roles and r.level == "district"), None
    ) or (regions[0] if regions and Role.BUREAU_STAFF in roles else None)
    can_edit_school = bool(school) and (
        Role.BUREAU_STAFF in roles or bool(roles & {Role.PRINCIPAL, Role.ACADEMIC_AFFAIRS})
    )

    if request.method == "POST":
        try:
            if request.POST.get("form") == "entry" and school is not None:
                calendar_entry_add(
                    actor=user,
                    school=school,
                    date=date.fromisoformat(request.POST["date"]),
                    kind=request.POST.get("kind", ""),
                    name=request.POST.get("name", ""),
                )
                messages.success(request, "已保存校历调整。")
            elif request.POST.get("form") == "holidays" and bureau_region is not None:
                year = int(request.POST["year"])
                entries = parse_holiday_lines(request.POST.get("lines", ""))
                holiday_year_declare(actor=user, region=bureau_region, year=year, entries=entries)
                messages.success(request, f"已录入{year}年节假日安排（{len(entries)}条）。")
            else:
                return render(request, "errors/404.html", status=403)
        except (ValueError, KeyError) as exc:
            messages.error(request, f"输入有误：{exc}")
        except DomainError as exc:
            messages.error(request, exc.message)
        return redirect(request.get_full_path())

    term = current_term(school, today) if school else None
    days = list(term.days.all()) if term else []
    status = term_calendar_status(term) if term else None
    counts = {t: sum(1 for d in days if d.day_type == t) for t in DayType.values}
    makeup = sum(1 for d in days if d.day_type == DayType.SCHOOL_DAY and d.date.weekday() >= 5)
    return render(
        request,
        "schools/calendar_page.html",
        {
            "school": school,
            "schools": schools,
            "term": term,
            "status": status,
            "grids": _month_grids(days),
            "counts": counts,
            "makeup": makeup,
            "can_edit_school": can_edit_school,
            "bureau_region": bureau_region,
            "entry_kinds": [
                (CalendarEntryKind.NO_SCHOOL, "停课"),
                (CalendarEntryKind.EXTRA_SCHOOL_DAY, "补课/加课"),
            ],
            "next_year": (term.end_date.year if term else today.year + 1),
        },
    )
