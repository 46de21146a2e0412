"""School calendar. Expected dates are from the State Council's 2026 holiday arrangement
(国务院办公厅关于2026年部分节假日安排的通知): 中秋 9月25–27日; 国庆 10月1–7日, with 9月20日 (Sunday) and
10月10日 (Saturday) as make-up workdays; 元旦 2026-01-01–03 with 1月4日 (Sunday) a workday."""

import json
from datetime import date

import pytest

from conftest import PERSONAS
from jianfu.core.actors import SystemActor
from jianfu.core.errors import NotFound, PermissionDenied
from jianfu.schools.calendar.rules import add_working_days, national_working_day
from jianfu.schools.calendar.selectors import add_school_days, is_school_day, term_calendar_status
from jianfu.schools.calendar.selectors import add_working_days as region_add_working_days
from jianfu.schools.calendar.services import calendar_entry_add, holiday_year_declare, term_create
from jianfu.schools.models import CalendarEntry, DayType, SchoolDay

pytestmark = pytest.mark.django_db


def day_type(school, d):
    return SchoolDay.objects.get(school=school, date=d).day_type


@pytest.fixture
def autumn(world):
    """Autumn term 2026-09-01 → 2027-01-22: runs into 2027, which chinese-calendar does not cover."""
    return term_create(
        actor=world.users["principal"],
        school=world.school,
        school_year="2026-2027",
        kind="autumn",
        start_date=date(2026, 9, 1),
        end_date=date(2027, 1, 22),
    )


def test_national_day_week_and_its_makeup_workdays(world, autumn):
    s = world.school
    assert day_type(s, date(2026, 9, 18)) == DayType.SCHOOL_DAY  # Friday
    assert day_type(s, date(2026, 9, 19)) == DayType.WEEKEND  # Saturday
    assert day_type(s, date(2026, 9, 20)) == DayType.SCHOOL_DAY  # Sunday, 调休上班
    assert day_type(s, date(2026, 9, 25)) == DayType.HOLIDAY  # 中秋 (Friday)
    for d in range(1, 8):
        assert day_type(s, date(2026, 10, d)) == DayType.HOLIDAY  # 国庆
    assert day_type(s, date(2026, 10, 10)) == DayType.SCHOOL_DAY  # Saturday, 调休上班
    assert day_type(s, date(2026, 10, 11)) == DayType.WEEKEND
    assert "国庆" in SchoolDay.objects.get(school=s, date=date(2026, 10, 3)).note


def test_unknown_year_is_reported_not_guessed_and_then_completed(world, autumn):
    status = term_calendar_status(autumn)
    assert not status.complete and status.missing_years == (2027,)
    assert "2027年法定节假日尚未录入" in status.message_zh
    assert not SchoolDay.objects.filter(term=autumn, date__year=2027).exists()
    assert is_school_day(world.school, date(2027, 1, 4)) is None  # in the term, year unknown
    assert is_school_day(world.school, date(2026, 12, 31)) is True

    holiday_year_declare(
        actor=world.users["bureau"],
        region=world.district,
        year=2027,
        entries=[(date(2027, 1, 1), "holiday", "元旦")],
    )
    autumn.refresh_from_db()
    assert term_calendar_status(autumn).complete
    assert day_type(world.school, date(2027, 1, 1)) == DayType.HOLIDAY
    assert day_type(world.school, date(2027, 1, 4)) == DayType.SCHOOL_DAY  # a Monday
    assert day_type(world.school, date(2027, 1, 9)) == DayType.WEEKEND
    # 2026-09-01 .. 2027-01-22 has 144 days; all have a row now.
    assert SchoolDay.objects.filter(term=autumn).count() == 144


def test_a_city_declaration_covers_its_districts_and_the_district_entry_wins(world, autumn):
    holiday_year_declare(
        actor=SystemActor("test-setup"),
        region=world.city,
        year=2027,
        entries=[(date(2027, 1, 1), "holiday", "元旦")],
    )
    assert term_calendar_status(autumn).complete
    calendar_entry_add(
        actor=world.users["bureau"],
        region=world.district,
        date=date(2027, 1, 2),
        kind="makeup_workday",
        name="区调休",
    )
    assert day_type(world.school, date(2027, 1, 2)) == DayType.SCHOOL_DAY


def test_school_exception_overrides_everything(world, autumn):
    calendar_entry_add(
        actor=world.users["academic"],
        school=world.school,
        date=date(2026, 11, 20),
        kind="no_school",
        name="运动会",
    )
    assert day_type(world.school, date(2026, 11, 20)) == DayType.NO_SCHOOL
    calendar_entry_add(
        actor=world.users["principal"],
        school=world.school,
        date=date(2026, 10, 2),
        kind="extra_school_day",
        name="补课",
    )
    assert day_type(world.school, date(2026, 10, 2)) == DayType.SCHOOL_DAY
    # The five-four school in the same district is not affected.
    term_create(
        actor=SystemActor("test-setup"),
        school=world.five_four_school,
        school_year="2026-2027",
        kind="autumn",
        start_date=date(2026, 9, 1),
        end_date=date(2026, 12, 31),
    )
    assert day_type(world.five_four_school, date(2026, 11, 20)) == DayType.SCHOOL_DAY


def test_add_school_days_skips_the_holiday_week(world, autumn):
    # From Wed 2026-09-30: school days are 10-08 (Thu), 10-09 (Fri), 10-10 (Sat, makeup), 10-12 (Mon).
    assert add_school_days(world.school, date(2026, 9, 30), 1) == date(2026, 10, 8)
    assert add_school_days(world.school, date(2026, 9, 30), 3) == date(2026, 10, 10)
    assert add_school_days(world.school, date(2026, 9, 30), 4) == date(2026, 10, 12)


def test_working_days_across_national_day_2026(world):
    # 2 working days after Wed 2026-09-30 → Thu 10-08, Fri 10-09; 15 working days after 09-28:
    # 09-29, 09-30, 10-08, 10-09, 10-10, 10-12..10-16 (5), 10-19..10-23 (5) → 10-23 is the 15th.
    assert region_add_working_days(world.district, date(2026, 9, 30), 2) == date(2026, 10, 9)
    assert region_add_working_days(world.district, date(2026, 9, 28), 15) == date(2026, 10, 23)
    # Into 2027 without a declaration: unknown, never a guess.
    assert region_add_working_days(world.district, date(2026, 12, 28), 10) is None


def test_pure_working_day_function():
    assert national_working_day(date(2026, 10, 10), declared={}, declared_years=set()) is True
    assert national_working_day(date(2026, 10, 5), declared={}, declared_years=set()) is False
    assert national_working_day(date(2027, 3, 1), declared={}, declared_years=set()) is None
    assert national_working_day(date(2027, 3, 1), declared={}, declared_years={2027}) is True
    assert add_working_days(date(2027, 3, 1), 1, is_working_day=lambda d: None) is None


def test_term_validation(world):
    from jianfu.schools.calendar.services import CalendarError

    with pytest.raises(CalendarError):
        term_create(
            actor=SystemActor("test-setup"),
            school=world.school,
            school_year="x",
            kind="autumn",
            start_date=date(2026, 9, 1),
            end_date=date(2026, 8, 1),
        )


@pytest.mark.parametrize("persona", PERSONAS)
def test_who_may_change_the_calendar(world, persona):
    user = world.users[persona]
    school_ok = persona in ("bureau", "principal", "academic")
    region_ok = persona == "bureau"
    if school_ok:
        calendar_entry_add(
            actor=user, school=world.school, date=date(2026, 11, 20), kind="no_school", name="x"
        )
    else:
        with pytest.raises((NotFound, PermissionDenied)):
            calendar_entry_add(
                actor=user, school=world.school, date=date(2026, 11, 20), kind="no_school", name="x"
            )
    if region_ok:
        holiday_year_declare(actor=user, region=world.district, year=2027, entries=[])
    else:
        with pytest.raises((NotFound, PermissionDenied)):
            holiday_year_declare(actor=user, region=world.district, year=2027, entries=[])


@pytest.mark.parametrize("persona", PERSONAS)
def test_calendar_page_and_api_per_persona(client, world, autumn, persona):
    client.force_login(world.users[persona])
    page = client.get("/schools/calendar/")
    days = client.get(f"/api/v1/schools/calendar/terms/{autumn.pk}/days")
    sees = persona in ("bureau", "inspector", "principal", "academic")
    if sees:
        assert page.status_code == 200
        assert "2027年法定节假日尚未录入" in page.content.decode()
        assert days.status_code == 200 and days.json()["missing_years"] == [2027]
    else:
        assert page.status_code == 404 or persona == "outsider"
        assert days.status_code == 404


def test_bureau_enters_holidays_through_the_page(client, world, autumn):
    client.force_login(world.users["bureau"])
    r = client.post(
        "/schools/calendar/", {"form": "holidays", "year": "2027", "lines": "2027-01-01 放假 元旦\n"}
    )
    assert r.status_code == 302
    assert day_type(world.school, date(2027, 1, 1)) == DayType.HOLIDAY
    bad = client.post(
        "/schools/calendar/", {"form": "holidays", "year": "2027", "lines": "2027-13-01 放假 x"}, follow=True
    )
    assert "第1行日期格式错误" in bad.content.decode()


@pytest.mark.parametrize("year", [0, 10000, 1999, 2101])
def test_a_holiday_year_out_of_range_is_refused_naming_the_year(client, world, year):
    """security.md L1 #7: year 0 or 10000 raised ValueError (HTTP 500)."""
    client.force_login(world.users["bureau"])
    body = {"region_code": world.district.code, "year": year, "entries": []}
    r = client.post(
        "/api/v1/schools/calendar/holiday-years", json.dumps(body), content_type="application/json"
    )
    # 400, as every other calendar_invalid answer of this endpoint
    assert r.status_code == 400 and r.json()["field"] == "year", r.content


def test_api_holiday_year_and_is_school_day(client, world, autumn):
    client.force_login(world.users["bureau"])
    body = {
        "region_code": world.district.code,
        "year": 2027,
        "entries": [{"date": "2027-01-01", "kind": "holiday", "name": "元旦"}],
    }
    r = client.post(
        "/api/v1/schools/calendar/holiday-years", json.dumps(body), content_type="application/json"
    )
    assert r.status_code == 200, r.content
    q = client.get(f"/api/v1/schools/calendar/is-school-day?school_id={world.school.pk}&date=2027-01-01")
    assert q.json()["school_day"] is False
    client.force_login(world.users["principal"])
    r = client.post(
        "/api/v1/schools/calendar/holiday-years", json.dumps(body), content_type="application/json"
    )
    assert r.status_code == 404


def test_holidays_a_bad_line_is_an_error_beside_it_and_what_was_typed_stays(client, world, autumn):
    """issue 14 part 2: the page re-renders with the year and the lines as typed, the error beside them."""
    client.force_login(world.users["bureau"])
    lines = "2027-01-01 放假 元旦\n2027-13-01 放假 x"
    r = client.post("/schools/calendar/", {"form": "holidays", "year": "2027", "lines": lines})
    page = r.content.decode()
    assert r.status_code == 400 and "第2行日期格式错误" in page
    assert 'name="year" value="2027"' in page and lines in page
    assert not CalendarEntry.objects.filter(date=date(2027, 1, 1)).exists()  # nothing was entered


def test_school_entry_a_bad_date_is_an_error_beside_it_and_the_note_stays(client, world, autumn):
    client.force_login(world.users["principal"])
    r = client.post(
        "/schools/calendar/",
        {"form": "entry", "date": "2026-02-30", "kind": "extra_school_day", "name": "运动会补课"},
    )
    page = r.content.decode()
    assert r.status_code == 400
    assert 'value="2026-02-30"' in page and 'value="运动会补课"' in page
    assert '<option value="extra_school_day" selected>' in page
