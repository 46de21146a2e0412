"""Hand-written statements for the few hot paths where building an ORM query costs more than running it.

On this project's evening peak (the public class page, families' reports, audit rows) the ORM's query
construction — filters, joins, compilation — took several times longer than SQLite or PostgreSQL
took to run the statement (docs/performance.md). These helpers run plain SQL instead:

- the text is portable: joins, comparisons, INSERT … ON CONFLICT … DO UPDATE and RETURNING, which
  SQLite (≥ 3.35) and PostgreSQL both accept; nothing here is PostgreSQL-only;
- table and column names come from the models' `_meta`, never from input;
- every value is a parameter, adapted by the backend's own adapters (the ones the ORM uses), so
  dates, times, aware datetimes and JSON are stored exactly as the ORM would store them, and read
  back by the ORM unchanged.

Use it only where a benchmark shows the need; everywhere else the ORM is clearer.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date, datetime, time
from enum import Enum
from typing import Any

from django.db import DEFAULT_DB_ALIAS, connection, connections
from django.db.models import Model

_PLAIN = frozenset({int, str, float, bool, type(None)})


def adapt(value: Any, ops: Any = None) -> Any:
    """A Python value as the backend's ORM adapters would send it."""
    if type(value) in _PLAIN:
        return value
    if isinstance(value, Enum):
        # Model choices (TextChoices/IntegerChoices) are stored by value; psycopg would send an
        # Enum's name.
        return value.value
    if isinstance(value, int | str | float):
        return value
    ops = ops or connection.ops
    if isinstance(value, datetime):
        return ops.adapt_datetimefield_value(value)
    if isinstance(value, date):
        return ops.adapt_datefield_value(value)
    if isinstance(value, time):
        return ops.adapt_timefield_value(value)
    if isinstance(value, dict | list):
        return ops.adapt_json_value(value, None)
    return value


def db_datetime(value: Any) -> Any:
    """A datetime read on a plain cursor as the ORM would hand it back: aware. SQLite's driver gives
    a naive UTC value (Django's converter adds the zone); psycopg's is already aware."""
    convert = getattr(connection.ops, "convert_datetimefield_value", None)
    return convert(value, None, connection) if convert is not None else value


def _params(values: Sequence[Any], ops: Any = None) -> list[Any]:
    ops = ops or connection.ops
    return [v if type(v) in _PLAIN else adapt(v, ops) for v in values]


# The statements in the driver's own parameter style, converted once (SQLite's driver takes "?").
_QMARK: dict[str, str] = {}


def _driver_sql(sql: str, vendor: str) -> str:
    if vendor != "sqlite":
        return sql
    converted = _QMARK.get(sql)
    if converted is None:
        converted = _QMARK[sql] = sql.replace("%s", "?")
    return converted


def _run(sql: str, params: Sequence[Any], fetch: str) -> Any:
    """Run one statement; `fetch` is "one", "all" or "rowcount".

    On the driver's own cursor, inside Django's transaction and with Django's error translation
    (IntegrityError stays django.db.IntegrityError) and checks (a broken transaction, the idle health
    check, thread sharing): Django's cursor wrapper costs several times what SQLite takes to run a
    small statement (docs/performance.md), and the evening's reports run six. Whenever someone is
    watching — a test counting queries, a benchmark timing statements (execute_wrapper), DEBUG's query
    log — the statement goes through Django's cursor as before, so it is seen."""
    conn = connections[DEFAULT_DB_ALIAS]
    ops = conn.ops
    values = _params(params, ops)
    if conn.execute_wrappers or conn.queries_logged:
        with conn.cursor() as cursor:
            cursor.execute(sql, values)
            return _fetched(cursor, fetch)
    conn.close_if_health_check_failed()
    conn.ensure_connection()
    conn.validate_thread_sharing()
    conn.validate_no_broken_transaction()
    with conn.wrap_database_errors:
        cursor = conn.connection.cursor()
        try:
            cursor.execute(_driver_sql(sql, conn.vendor), values)
            return _fetched(cursor, fetch)
        finally:
            cursor.close()


def _fetched(cursor: Any, fetch: str) -> Any:
    if fetch == "one":
        return cursor.fetchone()
    if fetch == "all":
        return cursor.fetchall()
    return int(cursor.rowcount)


def fetchall(sql: str, params: Sequence[Any]) -> list[tuple[Any, ...]]:
    rows: list[tuple[Any, ...]] = _run(sql, params, "all")
    return rows


def fetchall_driver(sql: str, params: Sequence[Any]) -> list[tuple[Any, ...]]:
    """fetchall on the driver's own cursor: no Django cursor wrapper (query logging, execute
    wrappers, error translation). For a read on the hottest path only; values come back with the
    driver's conversions (dates, times and datetimes as objects, JSON as text)."""
    connection.ensure_connection()
    raw = connection.connection
    if connection.vendor == "sqlite":
        sql = sql.replace("%s", "?")
    cursor = raw.cursor()
    try:
        cursor.execute(sql, _params(params))
        rows: list[tuple[Any, ...]] = cursor.fetchall()
    finally:
        cursor.close()
    return rows


def fetchone(sql: str, params: Sequence[Any]) -> tuple[Any, ...] | None:
    row: tuple[Any, ...] | None = _run(sql, params, "one")
    return row


def execute(sql: str, params: Sequence[Any]) -> int:
    """Run a statement; the number of rows it changed."""
    return int(_run(sql, params, "rowcount"))


def columns(model: type[Model], fields: Iterable[str]) -> list[str]:
    meta = model._meta
    return [str(getattr(meta.get_field(f), "column")) for f in fields]  # noqa: B009 (reverse relations have no column)


def insert_sql(
    model: type[Model],
    fields: Sequence[str],
    *,
    returning: str | None = None,
    on_conflict_ignore: Sequence[str] = (),
) -> str:
    """INSERT of `fields`; with `on_conflict_ignore`, a clash on those unique fields inserts nothing
    (and RETURNING returns no row)."""
    cols = columns(model, fields)
    sql = f"INSERT INTO {model._meta.db_table} ({', '.join(cols)}) VALUES ({', '.join(['%s'] * len(cols))})"  # noqa: S608
    if on_conflict_ignore:
        sql += f" ON CONFLICT ({', '.join(columns(model, on_conflict_ignore))}) DO NOTHING"
    return sql + (f" RETURNING {returning}" if returning else "")


def upsert_sql(model: type[Model], fields: Sequence[str], *, conflict: Sequence[str]) -> str:
    """INSERT, or on a clash of the unique `conflict` fields, overwrite every other given field."""
    cols = columns(model, fields)
    keys = columns(model, conflict)
    updates = ", ".join(f"{c} = excluded.{c}" for c in cols if c not in keys)
    return insert_sql(model, fields) + f" ON CONFLICT ({', '.join(keys)}) DO UPDATE SET {updates}"


def update_sql(
    model: type[Model], fields: Sequence[str], *, where: Sequence[str], returning: str | None = None
) -> str:
    sets = ", ".join(f"{c} = %s" for c in columns(model, fields))
    conds = " AND ".join(f"{c} = %s" for c in columns(model, where))
    sql = f"UPDATE {model._meta.db_table} SET {sets} WHERE {conds}"  # noqa: S608 (names from _meta)
    return sql + (f" RETURNING {returning}" if returning else "")


def row_values(obj: Model, fields: Sequence[str]) -> list[Any]:
    """An instance's values for `fields`, in order and foreign keys as ids: the parameters of the
    statements built by insert_sql, update_sql and upsert_sql for the same fields."""
    meta = obj._meta
    return [getattr(obj, str(getattr(meta.get_field(f), "attname"))) for f in fields]  # noqa: B009


def lock_rows_of(alias: str) -> str:
    """Lock the selected rows of one table of a join until the transaction ends, where the backend
    locks rows (PostgreSQL: FOR NO KEY UPDATE, which still lets other transactions insert rows that
    reference them); SQLite's IMMEDIATE transactions already hold the write lock."""
    features = connection.features
    if not (features.has_select_for_update and features.has_select_for_update_of):
        return ""
    strength = "NO KEY UPDATE" if features.has_select_for_no_key_update else "UPDATE"
    return f" FOR {strength} OF {alias}"


def share_lock_of(alias: str) -> str:
    """share_lock for the rows of one table of a join; after lock_rows_of in the same statement,
    both hold (PostgreSQL accepts several locking clauses)."""
    features = connection.features
    if not (features.has_select_for_update and features.has_select_for_update_of):
        return ""
    return f" FOR SHARE OF {alias}"


def share_lock() -> str:
    """Hold the selected rows in share mode until the transaction ends, where the backend locks rows
    (PostgreSQL: FOR SHARE — other share locks go on, an update or FOR UPDATE waits); SQLite's
    IMMEDIATE transactions already hold the write lock."""
    if not connection.features.has_select_for_update:
        return ""
    return " FOR SHARE"
