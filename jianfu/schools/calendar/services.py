"""Terms, calendar entries and bureau-entered holiday years. SchoolDay rows are rebuilt in the same
transaction as every change, so readers look dates up instead of recomputing holidays."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from jianfu.core.actors import person
from jianfu.core.audit import audit
from jianfu.core.errors import DetailList, DomainError, ErrorDetail, NotFound, PermissionDenied
from jianfu.schools.access import regions_for_actor, schools_for_actor
from jianfu.schools.calendar import rules as cal
from jianfu.schools.calendar.selectors import region_calendar_inputs
from jianfu.schools.models import (
    CalendarEntry,
    CalendarEntryKind,
    HolidayYear,
    Region,
    School,
    SchoolDay,
    Term,
    TermKind,
)
from jianfu.schools.permissions import can_declare_holidays, can_edit_calendar

# A bureau enters the State Council's arrangement a year ahead at most; years far outside this are
# typing mistakes (and year 0 or 10000 cannot be a date at all).
HOLIDAY_YEARS_SUPPORTED = (2000, 2100)


class CalendarError(DomainError):
    INVALID = "calendar_invalid"
    YEAR_UNKNOWN = "calendar_year_unknown"


def _check_school_admin(actor: Any, school: School) -> None:
    if not schools_for_actor(actor).filter(pk=school.pk).exists():
        raise NotFound(_("学校"))
    if not can_edit_calendar(actor, school):
        raise PermissionDenied(
            _("只有校长、教导处或上级教育局可以修改校历"),
        )


def _check_bureau(actor: Any, region: Region) -> None:
    if not regions_for_actor(actor).filter(pk=region.pk).exists():
        raise NotFound(_("地区"))
    if not can_declare_holidays(actor, region):
        raise PermissionDenied(_("只有教育局工作人员可以录入节假日"))


def term_days_rebuild(*, term: Term) -> cal.CalendarStatus:
    """Recompute the term's SchoolDay rows from the calendar inputs; unknown dates get no row."""
    region_entries, years = region_calendar_inputs(term.school.region)
    school_entries = {e.date: (e.kind, e.name) for e in CalendarEntry.objects.filter(school=term.school)}
    days, status = cal.derive_days(
        term.start_date,
        term.end_date,
        national=cal.package_national_day,
        declared_years=years,
        region_entries=region_entries,
        school_entries=school_entries,
    )
    SchoolDay.objects.filter(term=term).delete()
    SchoolDay.objects.bulk_create(
        [
            SchoolDay(term=term, school_id=term.school_id, date=d.date, day_type=d.day_type, note=d.note[:50])
            for d in days
        ]
    )
    return status


@transaction.atomic
def term_create(
    *, actor: Any, school: School, school_year: str, kind: str, start_date: date, end_date: date
) -> Term:
    _check_school_admin(actor, school)
    if kind not in TermKind.values:
        raise CalendarError(CalendarError.INVALID, _("学期类型无效"), field="kind")
    if end_date <= start_date:
        raise CalendarError(CalendarError.INVALID, _("结束日期须晚于开学日期"), field="end_date")
    if (end_date - start_date).days > 200:
        raise CalendarError(CalendarError.INVALID, _("一个学期不能超过200天"), field="end_date")
    overlap = Term.objects.filter(school=school, start_date__lte=end_date, end_date__gte=start_date).exists()
    if overlap:
        raise CalendarError(CalendarError.INVALID, _("与已有学期日期重叠"), field="start_date")
    term = Term.objects.create(
        school=school, school_year=school_year, kind=kind, start_date=start_date, end_date=end_date
    )
    status = term_days_rebuild(term=term)
    audit(
        actor=actor,
        action="term_created",
        obj=term,
        school_id=school.pk,
        region_code=school.region.code,
        data={
            "start": start_date.isoformat(),
            "end": end_date.isoformat(),
            "missing_years": list(status.missing_years),
        },
    )
    return term


def _rebuild_terms(schools: Any, around: date | None = None) -> None:
    terms = Term.objects.filter(school__in=schools)
    if around is not None:
        terms = terms.filter(start_date__lte=around, end_date__gte=around)
    for term in terms.select_related("school__region"):
        term_days_rebuild(term=term)


@transaction.atomic
def calendar_entry_add(
    *,
    actor: Any,
    school: School | None = None,
    region: Region | None = None,
    date: date,
    kind: str,
    name: str,
) -> CalendarEntry:
    """A school exception (no_school / extra_school_day) or a region entry (holiday / makeup_workday)."""
    if (school is None) == (region is None):
        raise CalendarError(CalendarError.INVALID, _("须指定学校或地区之一"))
    if school is not None:
        _check_school_admin(actor, school)
        if kind not in (CalendarEntryKind.NO_SCHOOL, CalendarEntryKind.EXTRA_SCHOOL_DAY):
            raise CalendarError(
                CalendarError.INVALID,
                _("学校只能录入停课日或补课日"),
                field="kind",
            )
    else:
        assert region is not None
        _check_bureau(actor, region)
        if kind not in CalendarEntryKind.values:
            raise CalendarError(CalendarError.INVALID, _("类型无效"), field="kind")
    entry, _created = CalendarEntry.objects.update_or_create(
        school=school,
        region=region,
        date=date,
        defaults={"kind": kind, "name": name[:50], "created_by": person(actor)},
    )
    if school is not None:
        _rebuild_terms([school], around=date)
    else:
        assert region is not None
        _rebuild_terms(
            School.objects.filter(region__code__startswith=region.descendant_codes_prefix), around=date
        )
    audit(
        actor=actor,
        action="calendar_entry_added",
        obj=entry,
        school_id=school.pk if school else None,
        region_code=region.code if region else school.region.code if school else "",
        data={"date": date.isoformat(), "kind": kind},
    )
    return entry


@transaction.atomic
def holiday_year_declare(
    *, actor: Any, region: Region, year: int, entries: list[tuple[date, str, str]]
) -> HolidayYear:
    """Enter a year's national holidays and make-up workdays for a region, replacing earlier ones."""
    _check_bureau(actor, region)
    if not HOLIDAY_YEARS_SUPPORTED[0] <= year <= HOLIDAY_YEARS_SUPPORTED[1]:
        raise CalendarError(
            CalendarError.INVALID,
            _("年份应在%(first)s至%(last)s之间"),
            params={"first": HOLIDAY_YEARS_SUPPORTED[0], "last": HOLIDAY_YEARS_SUPPORTED[1]},
            field="year",
        )
    problems = []
    for d, kind, _name in entries:
        if d.year != year:
            problems.append(
                ErrorDetail(_("%(date)s 不在 %(year)s 年"), params={"date": d.isoformat(), "year": year})
            )
        if kind not in ("holiday", "makeup_workday"):
            problems.append(
                ErrorDetail(
                    _("%(date)s 的类型“%(kind)s”无效（应为 holiday 或 makeup_workday）"),
                    params={"date": d.isoformat(), "kind": kind},
                )
            )
    if problems:
        raise CalendarError(
            CalendarError.INVALID,
            _("节假日安排有误：%(problems)s"),
            params={"problems": DetailList(problems)},
            field="entries",
        )
    CalendarEntry.objects.filter(
        region=region, date__year=year, kind__in=[CalendarEntryKind.HOLIDAY, CalendarEntryKind.MAKEUP_WORKDAY]
    ).delete()
    CalendarEntry.objects.bulk_create(
        [
            CalendarEntry(region=region, date=d, kind=kind, name=name[:50], created_by=person(actor))
            for d, kind, name in entries
        ]
    )
    declared, _created = HolidayYear.objects.update_or_create(
        region=region, year=year, defaults={"declared_by": person(actor)}
    )
    schools = School.objects.filter(region__code__startswith=region.descendant_codes_prefix)
    for term in Term.objects.filter(school__in=schools, start_date__year__lte=year, end_date__year__gte=year):
        term_days_rebuild(term=term)
    audit(
        actor=actor,
        action="holiday_year_declared",
        obj=declared,
        region_code=region.code,
        data={"year": year, "entries": len(entries)},
    )
    return declared
