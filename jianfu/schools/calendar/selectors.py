"""Reads of the school calendar."""

from __future__ import annotations

from datetime import date

from django.db.models import QuerySet

from jianfu.schools.calendar import rules as cal
from jianfu.schools.models import CalendarEntry, DayType, HolidayYear, Region, School, SchoolDay, Term


def region_calendar_inputs(region: Region) -> tuple[dict[date, tuple[str, str]], set[int]]:
    """Region entries reduced to the nearest region per date, and the years declared in full."""
    chain = region.ancestors()  # province … district
    entries: dict[date, tuple[str, str]] = {}
    rank = {r.pk: i for i, r in enumerate(chain)}
    best: dict[date, int] = {}
    for e in CalendarEntry.objects.filter(region__in=chain).only("date", "kind", "name", "region_id"):
        level = rank[e.region_id] if e.region_id is not None else 0
        if e.date not in best or level > best[e.date]:
            best[e.date] = level
            entries[e.date] = (e.kind, e.name)
    years = set(HolidayYear.objects.filter(region__in=chain).values_list("year", flat=True))
    return entries, years


def term_calendar_status(term: Term) -> cal.CalendarStatus:
    _, years = region_calendar_inputs(term.school.region)
    missing = tuple(
        y
        for y in range(term.start_date.year, term.end_date.year + 1)
        if y not in years and not cal.package_covers(y)
    )
    return cal.CalendarStatus(not missing, missing)


def school_days_for_term(term: Term) -> QuerySet[SchoolDay]:
    return SchoolDay.objects.filter(term=term).order_by("date")


def term_for_date(school: School, on: date) -> Term | None:
    return Term.objects.filter(school=school, start_date__lte=on, end_date__gte=on).first()


def current_term(school: School, on: date) -> Term | None:
    return (
        term_for_date(school, on)
        or Term.objects.filter(school=school, start_date__gt=on).order_by("start_date").first()
        or Term.objects.filter(school=school).order_by("-end_date").first()
    )


def is_school_day(school: School, on: date) -> bool | None:
    """True/False, or None when the date is in a term but its year's holidays are not known yet."""
    row = SchoolDay.objects.filter(school=school, date=on).only("day_type").first()
    if row is not None:
        return row.day_type == DayType.SCHOOL_DAY
    return None if term_for_date(school, on) is not None else False


def school_days_between(school: School, start: date, end: date) -> list[date]:
    return list(
        SchoolDay.objects.filter(school=school, date__gte=start, date__lte=end, day_type=DayType.SCHOOL_DAY)
        .order_by("date")
        .values_list("date", flat=True)
    )


def add_school_days(school: School, start: date, n: int) -> date | None:
    """The n-th school day after `start`, or None if the calendar does not reach that far yet."""
    days = list(
        SchoolDay.objects.filter(school=school, date__gt=start, day_type=DayType.SCHOOL_DAY)
        .order_by("date")
        .values_list("date", flat=True)[:n]
    )
    return days[n - 1] if len(days) == n else None


def add_working_days(region: Region, start: date, n: int) -> date | None:
    """The n-th working day after `start` in the national calendar with the bureau's entries
    (complaint deadlines count working days whether or not school is in session)."""
    entries, years = region_calendar_inputs(region)
    declared = {d: v for d, v in entries.items() if v[0] in ("holiday", "makeup_workday")}
    return cal.add_working_days(
        start,
        n,
        is_working_day=lambda d: cal.national_working_day(d, declared=declared, declared_years=years),
    )
