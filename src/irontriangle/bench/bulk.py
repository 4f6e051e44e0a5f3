"""Writing millions of generated rows fast: PostgreSQL COPY, SQLite batched inserts in one transaction.

A `Table` knows a model's columns and the value each column takes when the generator does not set it
(the field's default, "now" for timestamps), so a generator yields only the columns it varies.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from itertools import islice
from typing import Any

from django.db import connection, models
from django.db.models.fields.json import JSONField

SQLITE_BATCH = 20_000
FTS = "relationships_interaction_fts"


@dataclass
class Table:
    model: type[models.Model]
    varying: list[str]
    now: datetime
    columns: list[str] = field(init=False)
    constants: tuple[Any, ...] = field(init=False)

    def __post_init__(self) -> None:
        by_attname = {f.attname: f for f in self.model._meta.concrete_fields}
        unknown = [name for name in self.varying if name not in by_attname]
        if unknown:
            raise ValueError(f"{self.model.__name__} has no column {unknown}")
        # An auto id the generator does not set is left to the database.
        fixed = [
            f
            for name, f in by_attname.items()
            if name not in self.varying and not isinstance(f, models.AutoField | models.BigAutoField)
        ]
        ordered = [by_attname[name] for name in self.varying] + fixed
        self.columns = [f.column for f in ordered]
        self.constants = tuple(self._default(f) for f in fixed)
        # SQLite takes dates, times and decimals as text; only those columns need converting.
        self.textual = [
            n
            for n, f in enumerate(ordered)
            if isinstance(f, models.DateField | models.DecimalField) or f.get_internal_type() == "DecimalField"
        ]

    def _default(self, f: models.Field) -> Any:
        if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False):
            return self.now
        value = f.get_default()
        if isinstance(f, JSONField):
            return json.dumps(value)
        if value is None and not f.null:
            raise ValueError(f"{self.model.__name__}.{f.attname} needs a value")
        return value

    @property
    def name(self) -> str:
        return str(self.model._meta.db_table)


def write(table: Table, rows: Iterable[tuple[Any, ...]]) -> int:
    """Insert every row (the varying values, in `table.varying` order); answers how many."""
    full = (row + table.constants for row in rows)
    columns = ", ".join(connection.ops.quote_name(c) for c in table.columns)
    count = 0
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor, cursor.cursor.copy(f"COPY {table.name} ({columns}) FROM STDIN") as copy:
            for row in full:
                copy.write_row(row)
                count += 1
        return count
    marks = ", ".join("?" * len(table.columns))
    sql = f"INSERT INTO {table.name} ({columns}) VALUES ({marks})"  # noqa: S608 (names from the models)
    raw = connection.connection
    iterator: Iterator[tuple[Any, ...]] = iter(full)
    textual = table.textual
    while batch := list(islice(iterator, SQLITE_BATCH)):
        values: list[Any] = [_as_text(row, textual) for row in batch] if textual else batch
        raw.executemany(sql, values)
        count += len(batch)
    return count


def _as_text(row: tuple[Any, ...], positions: list[int]) -> list[Any]:
    values = list(row)
    for n in positions:
        value = values[n]
        if value is None:
            continue
        if isinstance(value, datetime):
            values[n] = value.isoformat(sep=" ")
        elif isinstance(value, date):
            values[n] = value.isoformat()
        else:
            values[n] = str(value)
    return values


class FastLoad:
    """Bulk-load mode for one session: no per-row foreign-key checks, secondary indexes rebuilt once.

    PostgreSQL: foreign-key triggers are skipped (the generator only writes ids it made), and the plain
    indexes of the big tables are dropped before COPY and created again after it, which is several
    times faster than maintaining them row by row. SQLite: no fsync while loading.
    """

    def __init__(self, big_tables: list[str]) -> None:
        self.big_tables = big_tables
        self.saved: list[str] = []
        self.sqlite_triggers = 0

    def __enter__(self) -> FastLoad:
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                cursor.execute("SET session_replication_role = replica")
                cursor.execute("SET maintenance_work_mem = '1GB'")
                cursor.execute("SET max_parallel_maintenance_workers = 2")
                cursor.execute(
                    """
                    SELECT i.indexrelid::regclass::text, pg_get_indexdef(i.indexrelid)
                    FROM pg_index i
                    WHERE i.indrelid::regclass::text = ANY(%s) AND NOT i.indisprimary
                      AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid)
                    """,
                    [self.big_tables],
                )
                for index_name, definition in cursor.fetchall():
                    self.saved.append(definition)
                    cursor.execute(f"DROP INDEX {index_name}")
            else:
                cursor.execute("PRAGMA synchronous = OFF")
                marks = ", ".join("?" * len(self.big_tables))
                found = (
                    "SELECT type, name, sql FROM sqlite_master WHERE type IN ('index', 'trigger') AND sql IS NOT NULL"
                )
                cursor.execute(f"{found} AND tbl_name IN ({marks})", self.big_tables)
                for kind, name, definition in cursor.fetchall():
                    self.saved.append(definition)
                    self.sqlite_triggers += kind == "trigger"
                    cursor.execute(f'DROP {kind.upper()} "{name}"')
        return self

    def __exit__(self, *exc: object) -> None:
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                cursor.execute("SET session_replication_role = DEFAULT")
                _build_in_parallel(self.saved)
            else:
                for definition in self.saved:
                    cursor.execute(definition)
                if self.sqlite_triggers:
                    # The search index missed every row loaded while its triggers were away.
                    cursor.execute(f"INSERT INTO {FTS}({FTS}) VALUES ('rebuild')")  # noqa: S608 (a constant)
                cursor.execute("PRAGMA synchronous = NORMAL")


def reset_sequences(models_: list[type[models.Model]]) -> None:
    """After writing explicit ids, PostgreSQL's sequences must move past them (SQLite does it itself)."""
    if connection.vendor != "postgresql":
        return
    from django.core.management.color import no_style

    with connection.cursor() as cursor:
        for statement in connection.ops.sequence_reset_sql(no_style(), models_):
            cursor.execute(statement)


def analyse(table: str = "") -> None:
    with connection.cursor() as cursor:
        cursor.execute(f"ANALYZE {connection.ops.quote_name(table)}" if table else "ANALYZE")


def _build_in_parallel(definitions: list[str], workers: int = 2) -> None:
    """Create the indexes on `workers` connections at once; a GIN trigram index alone takes one core."""
    import threading

    from django.db import connections

    pending = sorted(definitions, key=lambda sql: "gin" not in sql.lower())  # the slowest first
    lock = threading.Lock()
    failures: list[BaseException] = []

    def build() -> None:
        try:
            with connections["default"].cursor() as cursor:
                cursor.execute("SET maintenance_work_mem = '1GB'")
                while True:
                    with lock:
                        if not pending:
                            return
                        definition = pending.pop(0)
                    cursor.execute(definition)
        except BaseException as exc:  # re-raised below, in the calling thread
            failures.append(exc)
        finally:
            connections["default"].close()

    threads = [threading.Thread(target=build) for _ in range(workers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if failures:
        raise failures[0]
