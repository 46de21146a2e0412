"""School calendar rules: which dates of a term are school days. Pure: no ORM.

Order of precedence for a date (most specific first):
1. a school's own entry (停课 no_school, 补课/加课 extra_school_day);
2. a region's entry, nearest region first (district > city > province): holiday / make-up workday;
3. the national arrangement from `chinese-calendar` (法定节假日 and 调休上班日);
4. Monday–Friday is a school day, Saturday and Sunday are not.

Years `chinese-calendar` does not know (it raises NotImplementedError) are "unknown" until a bureau
declares that year's holidays (HolidayYear): their dates are reported, never guessed.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import date, timedelta

import chinese_calendar
from django.utils import translation
from django.utils.translation import ngettext, pgettext

from jianfu.schools.calendar.rules.names import HOLIDAY_NAMES, MAKEUP_WORKDAY, makeup_workday_note

SCHOOL_DAY = "school_day"
WEEKEND = "weekend"
HOLIDAY = "holiday"
NO_SCHOOL = "no_school"


@dataclass(frozen=True)
class NationalDay:
    """What the national calendar says about a date: "holiday", "workday" (调休上班) or None (ordinary)."""

    kind: str | None
    name: str = ""


@dataclass(frozen=True)
class DerivedDay:
    date: date
    day_type: str
    note: str = ""


@dataclass(frozen=True)
class CalendarStatus:
    complete: bool
    missing_years: tuple[int, ...] = ()

    @property
    def message(self) -> str:
        """What is missing, in the active language ("" when complete)."""
        if self.complete:
            return ""
        years = pgettext("list separator", "、").join(str(y) for y in self.missing_years)
        return ngettext(
            "%(years)s年法定节假日尚未录入：请教育局录入该年节假日安排后，系统将自动生成这些日期的校历。",
            "%(years)s年法定节假日尚未录入：请教育局录入该年节假日安排后，系统将自动生成这些日期的校历。",
            len(self.missing_years),
        ) % {"years": years}

    @property
    def message_zh(self) -> str:
        with translation.override("zh-hans"):
            return self.message

    @property
    def message_en(self) -> str:
        with translation.override("en"):
            return self.message


def package_national_day(d: date) -> NationalDay | None:
    """The `chinese-calendar` package's answer, or None when it does not cover the year."""
    try:
        holiday, name = chinese_calendar.get_holiday_detail(d)
    except NotImplementedError:
        return None
    if holiday and name:
        return NationalDay("holiday", HOLIDAY_NAMES.get(name, name))
    if not holiday and d.weekday() >= 5:
        return NationalDay("workday", makeup_workday_note(name or ""))
    return NationalDay(None)


def package_covers(year: int) -> bool:
    try:
        chinese_calendar.is_holiday(date(year, 6, 1))
    except NotImplementedError:
        return False
    return True


def dates_between(start: date, end: date) -> Iterable[date]:
    d = start
    while d <= end:
        yield d
        d += timedelta(days=1)


def derive_days(
    start: date,
    end: date,
    *,
    national: Callable[[date], NationalDay | None],
    declared_years: set[int],
    region_entries: Mapping[date, tuple[str, str]],
    school_entries: Mapping[date, tuple[str, str]],
) -> tuple[list[DerivedDay], CalendarStatus]:
    """Every date of [start, end] with its day type, and which years could not be decided.

    `region_entries` are already reduced to the nearest region's entry per date; `declared_years`
    are years whose national holidays a bureau has entered in full (region entries then replace the
    package for those years).
    """
    days: list[DerivedDay] = []
    missing: set[int] = set()
    for d in dates_between(start, end):
        if d in school_entries:
            kind, name = school_entries[d]
            days.append(DerivedDay(d, SCHOOL_DAY if kind == "extra_school_day" else NO_SCHOOL, name))
            continue
        if d in region_entries:
            kind, name = region_entries[d]
            if kind == "holiday":
                days.append(DerivedDay(d, HOLIDAY, name))
            elif kind == "makeup_workday":
                days.append(DerivedDay(d, SCHOOL_DAY, name or MAKEUP_WORKDAY))
            elif kind == "no_school":
                days.append(DerivedDay(d, NO_SCHOOL, name))
            else:
                days.append(DerivedDay(d, SCHOOL_DAY, name))
            continue
        if d.year in declared_years:
            nd: NationalDay | None = NationalDay(None)
        else:
            nd = national(d)
        if nd is None:
            missing.add(d.year)
            continue
        if nd.kind == "holiday":
            days.append(DerivedDay(d, HOLIDAY, nd.name))
        elif nd.kind == "workday":
            days.append(DerivedDay(d, SCHOOL_DAY, nd.name))
        elif d.weekday() >= 5:
            days.append(DerivedDay(d, WEEKEND))
        else:
            days.append(DerivedDay(d, SCHOOL_DAY))
    return days, CalendarStatus(not missing, tuple(sorted(missing)))


def add_working_days(
    start: date,
    n: int,
    *,
    is_working_day: Callable[[date], bool | None],
    limit_days: int = 400,
) -> date | None:
    """The date `n` working days after `start` (start itself not counted); None if a date on the way
    is unknown (its year's holidays not entered)."""
    d = start
    counted = 0
    for _ in range(limit_days):
        d += timedelta(days=1)
        working = is_working_day(d)
        if working is None:
            return None
        if working:
            counted += 1
            if counted >= n:
                return d
    return None


def national_working_day(
    d: date,
    *,
    declared: Mapping[date, tuple[str, str]],
    declared_years: set[int],
) -> bool | None:
    """Working day in the national (or bureau-entered) calendar, regardless of school terms."""
    if d in declared:
        return declared[d][0] == "makeup_workday"
    if d.year in declared_years:
        return d.weekday() < 5
    nd = package_national_day(d)
    if nd is None:
        return None
    if nd.kind == "holiday":
        return False
    if nd.kind == "workday":
        return True
    return d.weekday() < 5
