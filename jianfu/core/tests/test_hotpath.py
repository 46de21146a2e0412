"""Statements written out for hot paths store values exactly as the ORM does (both databases)."""

from datetime import UTC, date, datetime, time

import pytest

from jianfu.core import hotpath
from jianfu.core.audit import audit
from jianfu.core.models import AuditEvent
from jianfu.feedback.models import ClassDayFeedback

pytestmark = pytest.mark.django_db


def test_an_audit_row_written_by_plain_insert_reads_back_through_the_orm(world):
    before = datetime.now(UTC)
    audit(
        actor=world.users["teacher"],
        action="x_done",
        obj=world.class_5_1,
        school_id=world.school.pk,
        data={"date": "2026-11-23", "n": 3},
    )
    row = AuditEvent.objects.get(action="x_done")
    assert row.actor == world.users["teacher"]
    assert (row.object_type, row.object_id) == ("SchoolClass", str(world.class_5_1.pk))
    assert row.data == {"date": "2026-11-23", "n": 3}
    assert row.created_at.tzinfo is not None and row.created_at >= before.replace(microsecond=0)


def test_upsert_inserts_then_overwrites_the_other_fields(world):
    counts = ("over_cap", "stopped_at_bedtime", "unfinished", "sleep_reports", "short_sleep")
    fields = ("school_class", "school", "date", "reports", "median_minutes", *counts, "updated_at")
    sql = hotpath.upsert_sql(ClassDayFeedback, fields, conflict=["school_class", "date"])
    when = datetime(2026, 11, 23, 12, 30, tzinfo=UTC)
    day = date(2026, 11, 23)
    hotpath.execute(sql, [world.class_5_1.pk, world.school.pk, day, 3, 41.5, 0, 0, 0, 0, 0, when])
    hotpath.execute(sql, [world.class_5_1.pk, world.school.pk, day, 5, 44.0, 1, 0, 0, 0, 0, when])
    [row] = ClassDayFeedback.objects.all()
    assert (row.reports, row.median_minutes, row.over_cap, row.date, row.updated_at) == (
        5,
        44.0,
        1,
        day,
        when,
    )


def test_adapt_leaves_plain_values_and_converts_times_like_the_orm():
    from django.db import connection

    assert hotpath.adapt(7) == 7 and hotpath.adapt("a") == "a" and hotpath.adapt(None) is None
    assert hotpath.adapt(time(21, 30)) == connection.ops.adapt_timefield_value(time(21, 30))
    assert hotpath.adapt(date(2026, 1, 2)) == connection.ops.adapt_datefield_value(date(2026, 1, 2))


def test_a_statement_on_the_drivers_cursor_raises_djangos_errors_and_is_seen_when_watched(world):
    """execute/fetchone run on the driver's own cursor (docs/performance.md) but keep Django's error
    translation, so services still catch django.db.IntegrityError; a test or a benchmark watching the
    queries still sees every statement."""
    from django.db import IntegrityError, connection, transaction
    from django.test.utils import CaptureQueriesContext

    fields = ("school_class", "school", "date", "reports", "over_cap", "stopped_at_bedtime")
    fields += ("unfinished", "sleep_reports", "short_sleep", "updated_at")
    insert = hotpath.insert_sql(ClassDayFeedback, fields)
    row = [world.class_5_1.pk, world.school.pk, date(2026, 11, 23), 1, 0, 0, 0, 0, 0, datetime.now(UTC)]
    assert hotpath.execute(insert, row) == 1
    with pytest.raises(IntegrityError), transaction.atomic():
        hotpath.execute(insert, row)  # the same class-day again: the unique constraint
    with CaptureQueriesContext(connection) as seen:
        found = hotpath.fetchone(
            f"SELECT reports FROM {ClassDayFeedback._meta.db_table} WHERE school_class_id = %s",
            [world.class_5_1.pk],
        )
    assert found == (1,)
    assert len(seen) == 1 and "SELECT reports" in seen[0]["sql"]
