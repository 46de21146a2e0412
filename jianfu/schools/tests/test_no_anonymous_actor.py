"""Issue 14: ``actor=None`` no longer skips a check. Each former bypass (the calendar's school and
bureau checks, the roster import, the roster CLI, the demo loader's terms) now refuses ``None``; the
callers that act without a person pass a named SystemActor, and the audit log names it."""

from datetime import date

import pytest
from django.core.management import call_command

from jianfu.core.actors import CLI, DEMO_LOADER
from jianfu.core.errors import NotFound
from jianfu.core.models import AuditEvent
from jianfu.schools.calendar.services import calendar_entry_add, holiday_year_declare, term_create
from jianfu.schools.models import Term
from jianfu.schools.permissions import (
    can_declare_holidays,
    can_edit_calendar,
    can_import_roster,
    can_import_roster_somewhere,
    can_view_calendar,
)
from jianfu.schools.roster.services import roster_import
from jianfu.schools.tests.test_roster import csv_bytes, good_rows

pytestmark = pytest.mark.django_db


def test_none_is_no_actor_for_the_school_calendar(world):
    with pytest.raises(NotFound):
        calendar_entry_add(
            actor=None, school=world.school, date=date(2026, 11, 20), kind="no_school", name="x"
        )
    with pytest.raises(NotFound):
        term_create(
            actor=None,
            school=world.school,
            school_year="2026-2027",
            kind="autumn",
            start_date=date(2026, 9, 1),
            end_date=date(2027, 1, 20),
        )
    assert not Term.objects.filter(school=world.school, school_year="2026-2027").exists()


def test_none_is_no_actor_for_the_bureaus_holidays(world):
    with pytest.raises(NotFound):
        holiday_year_declare(
            actor=None, region=world.district, year=2027, entries=[(date(2027, 1, 1), "holiday", "元旦")]
        )


def test_none_is_no_actor_for_a_roster_import(world):
    with pytest.raises(NotFound):
        roster_import(actor=None, school=world.school, filename="r.csv", content=csv_bytes(good_rows()))


def test_the_predicates_refuse_none_and_let_a_system_actor_through(world):
    checks = [
        lambda a: can_import_roster(a, world.school),
        can_import_roster_somewhere,
        can_view_calendar,
        lambda a: can_edit_calendar(a, world.school),
        lambda a: can_declare_holidays(a, world.district),
    ]
    assert [check(None) for check in checks] == [False] * 5
    assert [check(DEMO_LOADER) for check in checks] == [True] * 5


def test_the_demo_loaders_term_is_audited_as_the_demo_loader(world):
    term_create(
        actor=DEMO_LOADER,
        school=world.school,
        school_year="2026-2027",
        kind="autumn",
        start_date=date(2026, 9, 1),
        end_date=date(2027, 1, 20),
    )
    assert Term.objects.filter(school=world.school, school_year="2026-2027").exists()
    assert AuditEvent.objects.filter(data__system="demo-loader", actor=None).exists()


def test_the_roster_cli_imports_as_the_cli_actor(world, tmp_path):
    path = tmp_path / "roster.csv"
    path.write_bytes(csv_bytes(good_rows()))
    call_command("import_roster", str(path), "--school", world.school.code)
    assert AuditEvent.objects.filter(action__startswith="roster", data__system=CLI.name).exists()
