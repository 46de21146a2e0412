"""Data and signed-in sessions for the API fuzzing (fuzz_api.py; decision 0034)."""

from __future__ import annotations

from collections import Counter
from datetime import date
from typing import Any

import pytest
from django.test import override_settings

FAST_HASHER = ["django.contrib.auth.hashers.MD5PasswordHasher"]


# Ids of the objects below, by the name of the path or query parameter that takes them: the fuzzer draws
# from these as often as from its own integers (fuzz_api.py), so requests reach the code behind the
# "not found" as well as the refusals in front of it.
KNOWN: dict[str, list[Any]] = {}


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup: Any, django_db_blocker: Any) -> None:
    """The persona cast of the root conftest with something of every kind the API serves, committed
    once per worker: every operation × role then runs in its own transaction on top, rolled back."""
    with django_db_blocker.unblock(), override_settings(PASSWORD_HASHERS=FAST_HASHER):
        KNOWN.update(build_fuzz_data())


def build_fuzz_data() -> dict[str, list[Any]]:
    """Built through the services with the moments the app tests use (autumn term 2026), so the data
    does not depend on the day the fuzzing runs; the after-school days are the last five before today."""
    from django.utils import timezone

    from conftest import build_world, make_custodian, make_user
    from jianfu.accounts.models import TotpDevice
    from jianfu.accounts.rules import totp
    from jianfu.afterschool.allocation.services import allocation_publish, allocation_run
    from jianfu.afterschool.models import (
        Application,
        Course,
        Departure,
        ExternalProvider,
        Programme,
        ServiceSession,
        SessionCover,
        StaffDuty,
    )
    from jianfu.afterschool.tests.alloc_fixtures import apply, close, course, open_choosing
    from jianfu.afterschool.tests.alloc_fixtures import programme as programme_new
    from jianfu.cases.services import complaint_file
    from jianfu.core.actors import SystemActor
    from jianfu.demo.afterschool_days import load_afterschool_days
    from jianfu.feedback.services import report_submit
    from jianfu.homework.services import Draft, day_publish, homework_create, publication_ensure
    from jianfu.homework.tests.conftest import MON, at
    from jianfu.schools.calendar.services import term_create

    world = build_world()
    term = term_create(
        actor=SystemActor("test-setup"),
        school=world.school,
        school_year="2026-2027",
        kind="autumn",
        start_date=date(2026, 9, 1),
        end_date=date(2026, 12, 31),
    )
    # Bureau staff and custodians must pass the second step (the deployment default, kept on here):
    # each has an authenticator app, and the sign-in of fuzz_api.py gives its code.
    TotpDevice.objects.create(
        user=world.users["bureau"], secret=totp.secret_new(), confirmed_at=timezone.now()
    )
    make_custodian(make_user("13900000010", "举报保管人"), world.district)

    items = homework_create(
        actor=world.users["teacher"],
        class_ids=[world.class_5_1.pk],
        date_set=MON,
        date_due=MON,
        draft=Draft(subject="math", minutes=20, where="home"),
        description="练习册第12页",
        now=at(MON),
    )
    publication_ensure(actor=world.users["head_teacher"], school_class=world.class_5_1)
    day_publish(actor=world.users["head_teacher"], school_class=world.class_5_1, on=MON)
    report_submit(
        actor=world.users["parent"],
        student_id=world.student.pk,
        report_date=MON,
        minutes_total=45,
        idempotency_key="fuzz-report",
        now=at(MON, 20, 30),
    )
    complaint = complaint_file(
        actor=world.users["parent"],
        student_id=world.student.pk,
        category="homework",
        text="五年级(1)班最近每天作业都要写到十点以后",
        today=MON,
    )
    # As the after-school tests' `published` fixture: two courses, one family's application, allocated
    # and published.
    programme = programme_new(world, term)
    football = course(world, programme, "足球", 1)
    choir = course(world, programme, "合唱", 20, category="art")
    open_choosing(world, programme)
    apply(world.users["parent"], world.student, programme, [football, choir])
    close(world, programme)
    allocation_run(actor=world.users["academic"], programme_id=programme.pk, seed=5)
    allocation_publish(actor=world.users["academic"], programme_id=programme.pk)
    load_afterschool_days(Programme.objects.get(pk=programme.pk), days=3, late_class=world.class_5_1)

    def ids(model: Any, **where: Any) -> list[int]:
        return list(model.objects.filter(**where).values_list("pk", flat=True)[:5])

    return {
        "student_id": [world.student.pk, world.other_student.pk],
        "class_id": [world.class_5_1.pk, world.class_5_2.pk, world.other_class.pk],
        "school_id": [world.school.pk, world.other_school.pk],
        "term_id": [term.pk],
        "item_id": [i.pk for i in items],
        "user_id": [world.users["teacher"].pk, world.users["head_teacher"].pk],
        "programme_id": [programme.pk],
        "course_id": ids(Course, programme=programme),
        "application_id": ids(Application, programme=programme),
        "session_id": ids(ServiceSession),
        "duty_id": ids(StaffDuty),
        "cover_id": ids(SessionCover),
        "departure_id": ids(Departure),
        "provider_id": ids(ExternalProvider),
        "ref": [complaint.ref],
        "code": [complaint.receipt_code],
        # The Monday of the data's homework, report and complaint, under the names the API gives a day.
        **{name: [MON.isoformat()] for name in ("day", "date", "on", "monday")},
        "region_code": [world.district.code],
    }


def in_test_transaction(handler: Any) -> Any:
    """The WSGI app as the fuzzer calls it: Django's handler closes the database connection at the
    start and end of every request (and with it the test's transaction). Django's own test client
    holds those signals off around each request in the same way (django.test.client.ClientHandler)."""
    from django.core.signals import request_finished, request_started
    from django.db import close_old_connections

    def app(environ: Any, start_response: Any) -> Any:
        request_started.disconnect(close_old_connections)
        try:
            response = handler(environ, start_response)
        finally:
            request_started.connect(close_old_connections)
        close = response.close

        def close_keeping_the_connection() -> None:
            request_finished.disconnect(close_old_connections)
            try:
                close()
            finally:
                request_finished.connect(close_old_connections)

        response.close = close_keeping_the_connection
        return response

    return app


def pytest_terminal_summary(terminalreporter: Any) -> None:
    """How many requests the fuzzing made and what they were answered (the figures decision 0034 and
    docs/performance.md quote), from every worker's reports."""
    statuses: Counter[int] = Counter()
    items = 0
    for reports in terminalreporter.stats.values():
        for report in reports:
            for name, value in getattr(report, "user_properties", ()):
                if name == "fuzz_statuses":
                    items += 1
                    statuses.update({int(k): v for k, v in value.items()})
    if items:
        total = sum(statuses.values())
        by_status = ", ".join(f"{status}: {n}" for status, n in sorted(statuses.items()))
        server_errors = sum(n for status, n in statuses.items() if status >= 500)
        terminalreporter.write_line(
            f"fuzz: {total} requests over {items} operation × role tests; 5xx: {server_errors}; {by_status}"
        )
