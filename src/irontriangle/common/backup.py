"""A full logical backup of the database and the evidence files, and its restore (decision 0011).

One archive format for SQLite and PostgreSQL: a plain tar holding one gzip'd JSON-lines member per
table (rows in primary-key order, values in a canonical form that does not depend on the back end),
the evidence files, and `manifest.json` last, with per-table row counts and SHA-256 checksums over
the canonical rows. The same checksums, computed again from the restored database, prove the round
trip.
"""

from __future__ import annotations

import base64
import datetime as dt
import gzip
import hashlib
import io
import json
import os
import secrets
import shutil
import tarfile
import tempfile
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path, PurePosixPath
from typing import IO, Any

from django.apps import apps
from django.conf import settings
from django.core.management import call_command
from django.db import DatabaseError, connection, models, transaction
from django.db.migrations.loader import MigrationLoader
from django.db.migrations.recorder import MigrationRecorder

import irontriangle

FORMAT = "irontriangle-backup"
FORMAT_VERSION = 1
MANIFEST = "manifest.json"
CHUNK_ROWS = 2000
MIGRATIONS_TABLE = "django_migrations"

# Tables that `migrate` itself fills (the migration record, content types and permissions, and the
# configuration defaults the data migrations install). A database holding rows only in these is
# "empty": the restore replaces their rows with the archive's, so ids that other rows point to
# (content types above all) are the source's.
MIGRATION_SEEDED = frozenset(
    {
        MIGRATIONS_TABLE,
        "django_content_type",
        "auth_permission",
        "accounts_kaprofilerule",
        "accounts_matrixsettings",
        "collections_collectionsettings",
        "collections_milestonetemplate",
        "collections_milestonetemplateline",
        "pipeline_checklistitem",
        "pipeline_pipelinesettings",
        "pipeline_salesprocess",
        "pipeline_stage",
        "resources_resourcesettings",
        "resources_routingrule",
        "resources_slarule",
    }
)

_TEXT_TYPES = {"CharField", "TextField", "SlugField", "EmailField", "URLField", "FilePathField", "FileField"}


class BackupError(Exception):
    """Why a backup or restore was refused or failed; nothing was written when it is raised."""


@dataclass(frozen=True)
class Table:
    name: str
    fields: tuple[models.Field[Any, Any], ...]
    pk: models.Field[Any, Any]
    has_json: bool

    @property
    def columns(self) -> list[str]:
        return [field.column for field in self.fields]

    def canonical(self, line: str, values: list[Any] | None = None) -> str:
        if not self.has_json:
            return line
        return canonical_line(json.loads(line) if values is None else values)


def _value_type(field: models.Field[Any, Any]) -> str:
    """The internal type of the value a column holds; a foreign key holds its target's."""
    while field.is_relation and field.target_field is not None:  # type: ignore[attr-defined]
        field = field.target_field  # type: ignore[attr-defined]
    return field.get_internal_type()


def all_tables() -> list[Table]:
    """Every table Django manages (m2m through tables and history tables included), and the
    migration record, by name."""
    found: dict[str, Table] = {}
    model_classes: list[type[models.Model]] = [
        *apps.get_models(include_auto_created=True),
        MigrationRecorder.Migration,
    ]
    for model in model_classes:
        meta = model._meta
        if not meta.managed or meta.proxy or meta.db_table in found:
            continue
        fields = tuple(field for field in meta.local_concrete_fields if not getattr(field, "generated", False))
        assert meta.pk is not None
        has_json = any(_value_type(field) == "JSONField" for field in fields)
        found[meta.db_table] = Table(meta.db_table, fields, meta.pk, has_json)
    return [found[name] for name in sorted(found)]


# --- canonical values ---------------------------------------------------------------------------


def _encoder(field: models.Field[Any, Any]) -> Callable[[Any], Any]:
    kind = _value_type(field)
    if kind == "DateTimeField":
        return lambda value: value.astimezone(dt.UTC).isoformat()
    if kind in ("DateField", "TimeField"):
        return lambda value: value.isoformat()
    if kind == "DecimalField":
        target = field
        while target.is_relation:
            target = target.target_field  # type: ignore[attr-defined]
        exponent = Decimal(1).scaleb(-(target.decimal_places or 0))  # type: ignore[attr-defined]
        return lambda value: str(Decimal(value).quantize(exponent))
    if kind == "UUIDField":
        return lambda value: str(value if isinstance(value, uuid.UUID) else uuid.UUID(str(value)))
    if kind == "BinaryField":
        return lambda value: base64.b64encode(bytes(value)).decode("ascii")
    if kind == "DurationField":
        return lambda value: value // dt.timedelta(microseconds=1)
    if kind == "BooleanField":
        return bool
    if kind == "FloatField":
        return float
    if kind.endswith(("IntegerField", "AutoField")):
        return int
    return lambda value: value


def _decoder(field: models.Field[Any, Any]) -> Callable[[Any], Any]:
    kind = _value_type(field)
    if kind == "DateTimeField":
        return dt.datetime.fromisoformat
    if kind == "DateField":
        return dt.date.fromisoformat
    if kind == "TimeField":
        return dt.time.fromisoformat
    if kind == "DecimalField":
        return Decimal
    if kind == "UUIDField":
        return uuid.UUID
    if kind == "BinaryField":
        return base64.b64decode
    if kind == "DurationField":
        return lambda value: dt.timedelta(microseconds=value)
    return lambda value: value


def archive_line(values: list[Any]) -> str:
    """A row as the archive keeps it: JSON values keep their key order, so SQLite gets back the very
    text it held."""
    return json.dumps(values, ensure_ascii=False, separators=(",", ":"))


def canonical_line(values: list[Any]) -> str:
    """A row as the checksum sees it: JSON keys sorted, as PostgreSQL's jsonb would not keep them."""
    return json.dumps(values, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def _select_sql(table: Table) -> str:
    quote = connection.ops.quote_name
    order = quote(table.pk.column)
    if connection.vendor == "postgresql" and _value_type(table.pk) in _TEXT_TYPES:
        # Byte order, as SQLite compares: the checksum must not depend on the server's collation.
        order += ' COLLATE "C"'
    columns = ", ".join(quote(column) for column in table.columns)
    return f"SELECT {columns} FROM {quote(table.name)} ORDER BY {order}"  # noqa: S608 (names from the models)


def table_lines(table: Table) -> Iterator[tuple[str, str]]:
    """The table's rows as canonical JSON lines in primary-key order, read in chunks through the
    same converters the ORM applies, so both back ends give the same text for the same data.
    Yields each row's archive line and its canonical line (see `canonical_line`)."""
    converters = []
    for field in table.fields:
        column = field.get_col(table.name)
        steps = connection.ops.get_db_converters(column) + column.get_db_converters(connection)
        converters.append((column, steps, _encoder(field)))
    cursor = connection.chunked_cursor()
    try:
        cursor.execute(_select_sql(table))
        while rows := cursor.fetchmany(CHUNK_ROWS):
            for row in rows:
                values = []
                for raw, (column, steps, encode) in zip(row, converters, strict=True):
                    value = raw
                    for step in steps:
                        value = step(value, column, connection)
                    values.append(None if value is None else encode(value))
                line = archive_line(values)
                yield line, table.canonical(line, values)
    finally:
        cursor.close()


class Digest:
    def __init__(self) -> None:
        self.rows = 0
        self._hash = hashlib.sha256()

    def add(self, line: str) -> None:
        self.rows += 1
        self._hash.update(line.encode("utf-8") + b"\n")

    @property
    def hexdigest(self) -> str:
        return self._hash.hexdigest()


def table_digest(table: Table) -> Digest:
    digest = Digest()
    for _line, canonical in table_lines(table):
        digest.add(canonical)
    return digest


# --- snapshot and sequences --------------------------------------------------------------------


@contextmanager
def _snapshot() -> Iterator[None]:
    """One consistent view of the whole database for every read inside, without blocking writers."""
    connection.ensure_connection()
    if connection.vendor == "postgresql":
        with transaction.atomic():
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
                cursor.execute("SHOW transaction_isolation")
                if cursor.fetchone()[0] != "repeatable read":
                    raise BackupError("could not open a snapshot of the database (REPEATABLE READ)")
            yield
        return
    if connection.vendor != "sqlite":
        raise BackupError(f"backups support SQLite and PostgreSQL, not {connection.vendor}")
    # A deferred transaction: in WAL mode its first read fixes the snapshot, and writers go on. The
    # configured IMMEDIATE mode would hold the write lock for the whole backup instead.
    with connection.cursor() as cursor:
        cursor.execute("BEGIN DEFERRED")
        cursor.execute("SELECT count(*) FROM sqlite_master")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute("ROLLBACK")


def _sequence_marks(tables: list[Table]) -> dict[str, int]:
    """The highest id each table has handed out, deleted rows included, so that a restored database
    does not give a deleted record's id to a new one."""
    marks: dict[str, int] = {}
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("SELECT name, seq FROM sqlite_sequence")
            known = {table.name for table in tables}
            marks = {name: int(seq) for name, seq in cursor.fetchall() if name in known and seq}
            return marks
        for table in tables:
            if not isinstance(table.pk, models.AutoField):
                continue
            quoted = connection.ops.quote_name(table.name)
            cursor.execute("SELECT pg_get_serial_sequence(%s, %s)", [quoted, table.pk.column])
            sequence = cursor.fetchone()[0]
            if sequence:
                cursor.execute(f"SELECT last_value, is_called FROM {sequence}")  # noqa: S608 (a name from the catalogue)
                last, called = cursor.fetchone()
                if called or last > 1:
                    marks[table.name] = int(last if called else last - 1)
    return marks


def _reset_sequences(tables: list[Table], marks: dict[str, int]) -> None:
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        for table in tables:
            if not isinstance(table.pk, models.AutoField):
                continue
            cursor.execute(f"SELECT max({quote(table.pk.column)}) FROM {quote(table.name)}")  # noqa: S608
            high = max(cursor.fetchone()[0] or 0, marks.get(table.name, 0))
            if connection.vendor == "postgresql":
                cursor.execute(
                    "SELECT setval(pg_get_serial_sequence(%s, %s), %s, %s)",
                    [quote(table.name), table.pk.column, max(high, 1), high > 0],
                )
            elif high > 0:
                cursor.execute("UPDATE sqlite_sequence SET seq = max(seq, %s) WHERE name = %s", [high, table.name])
                if cursor.rowcount == 0:
                    cursor.execute("INSERT INTO sqlite_sequence (name, seq) VALUES (%s, %s)", [table.name, high])


# --- files ------------------------------------------------------------------------------------


def evidence_root() -> Path:
    return Path(settings.EVIDENCE_ROOT)


def _stored_files(root: Path) -> list[Path]:
    if not root.is_dir():
        return []
    return sorted(path for path in root.rglob("*") if path.is_file())


def _file_sha256(handle: IO[bytes]) -> str:
    digest = hashlib.sha256()
    for chunk in iter(lambda: handle.read(1024 * 1024), b""):
        digest.update(chunk)
    return digest.hexdigest()


# --- backup -----------------------------------------------------------------------------------


@dataclass
class Summary:
    manifest: dict[str, Any]
    seconds: float


def _add_member(tar: tarfile.TarFile, name: str, handle: IO[bytes], size: int) -> None:
    info = tarfile.TarInfo(name)
    info.size = size
    info.mtime = int(time.time())
    info.mode = 0o600
    tar.addfile(info, handle)


def backup(path: Path, progress: Callable[[str], None] = lambda _line: None) -> Summary:
    """Write the archive beside `path` and move it into place, so a failed backup leaves no half file."""
    started = time.monotonic()
    tables = all_tables()
    partial = path.with_name(f".{path.name}.partial")
    manifest: dict[str, Any] = {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "app_version": irontriangle.__version__,
        "vendor": connection.vendor,
        "created_at": dt.datetime.now(dt.UTC).isoformat(),
        "tables": {},
        "files": {},
    }
    try:
        with tarfile.open(partial, "w", format=tarfile.PAX_FORMAT) as tar:
            with _snapshot():
                with connection.cursor() as cursor:
                    cursor.execute(f"SELECT app, name FROM {MIGRATIONS_TABLE} ORDER BY app, name")  # noqa: S608
                    manifest["migrations"] = [list(row) for row in cursor.fetchall()]
                for table in tables:
                    digest = Digest()
                    with tempfile.TemporaryFile(dir=path.parent) as spool:
                        with gzip.GzipFile(fileobj=spool, mode="wb", mtime=0, compresslevel=6) as compressed:
                            for line, canonical in table_lines(table):
                                digest.add(canonical)
                                compressed.write(line.encode("utf-8") + b"\n")
                        size = spool.tell()
                        spool.seek(0)
                        _add_member(tar, f"tables/{table.name}.jsonl.gz", spool, size)
                    manifest["tables"][table.name] = {
                        "rows": digest.rows,
                        "sha256": digest.hexdigest,
                        "columns": table.columns,
                    }
                    progress(f"{table.name}: {digest.rows} rows")
                manifest["sequences"] = _sequence_marks(tables)
            root = evidence_root()
            for file in _stored_files(root):
                relative = file.relative_to(root).as_posix()
                with file.open("rb") as handle:
                    sha256 = _file_sha256(handle)
                    size = handle.tell()
                    handle.seek(0)
                    _add_member(tar, f"files/evidence/{relative}", handle, size)
                manifest["files"][f"evidence/{relative}"] = {"size": size, "sha256": sha256}
            body = json.dumps(manifest, ensure_ascii=False, indent=1, sort_keys=True).encode("utf-8")
            _add_member(tar, MANIFEST, io.BytesIO(body), len(body))
        partial.replace(path)
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    return Summary(manifest, time.monotonic() - started)


# --- restore ----------------------------------------------------------------------------------


class Archive:
    """An archive opened for reading, its members found by name in one step: tarfile's own lookup
    walks the whole member list each time, too slow for many evidence files."""

    def __init__(self, tar: tarfile.TarFile) -> None:
        self.tar = tar
        self.members = {member.name: member for member in tar.getmembers() if member.isfile()}

    def open(self, name: str) -> IO[bytes] | None:
        member = self.members.get(name)
        return self.tar.extractfile(member) if member else None


def read_manifest(archive: Archive) -> dict[str, Any]:
    try:
        handle = archive.open(MANIFEST)
        manifest = json.load(handle) if handle else None
    except ValueError:
        manifest = None
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise BackupError("the file is not an IronTriangle backup (no manifest)")
    if manifest.get("format_version") != FORMAT_VERSION:
        raise BackupError(
            f"the archive has format version {manifest.get('format_version')}; this version reads {FORMAT_VERSION}"
        )
    return manifest


def _open_archive(path: Path) -> tarfile.TarFile:
    try:
        return tarfile.open(path, "r:")
    except (OSError, tarfile.TarError) as error:
        raise BackupError(f"cannot read {path}: {error}") from None


def _migration_list(pairs: Any) -> set[tuple[str, str]]:
    return {(str(app), str(name)) for app, name in pairs}


def _describe_difference(archive: set[tuple[str, str]], here: set[tuple[str, str]]) -> str:
    only_archive = sorted(archive - here)
    only_here = sorted(here - archive)
    parts = []
    if only_archive:
        parts.append("applied in the archive only: " + ", ".join(f"{a}.{n}" for a, n in only_archive[:10]))
    if only_here:
        parts.append("known here only: " + ", ".join(f"{a}.{n}" for a, n in only_here[:10]))
    return "; ".join(parts)


def _check_tables(manifest: dict[str, Any], tables: list[Table]) -> None:
    archived = manifest.get("tables", {})
    mine = {table.name: table for table in tables}
    if set(archived) != set(mine):
        missing = sorted(set(mine) - set(archived))[:10]
        extra = sorted(set(archived) - set(mine))[:10]
        raise BackupError(
            f"the archive's tables do not match this version's (missing: {missing or '-'}; unknown: {extra or '-'})"
        )
    for name, entry in archived.items():
        if entry.get("columns") != mine[name].columns:
            raise BackupError(f"the archive's columns of {name} do not match this version's")


def _verify_archive(archive: Archive, manifest: dict[str, Any], tables: list[Table]) -> None:
    """Every table's rows against the manifest before anything is touched: a damaged archive is refused
    while the target is still as it was. The load checks them once more as it reads them."""
    for table in tables:
        name, entry = table.name, manifest["tables"][table.name]
        member = archive.open(f"tables/{name}.jsonl.gz")
        if member is None:
            raise BackupError(f"the archive lacks the rows of {name}")
        digest = Digest()
        try:
            with gzip.open(member, "rt", encoding="utf-8") as lines:
                for raw in lines:
                    digest.add(table.canonical(raw.rstrip("\n")))
        except (OSError, EOFError, ValueError) as error:
            raise BackupError(f"the rows of {name} are damaged in the archive: {error}") from None
        if digest.rows != entry["rows"] or digest.hexdigest != entry["sha256"]:
            raise BackupError(f"checksum mismatch in the rows of {name}: the archive is damaged")


def _ensure_schema(manifest: dict[str, Any]) -> None:
    wanted = _migration_list(manifest.get("migrations", []))
    if MIGRATIONS_TABLE not in connection.introspection.table_names():
        loader = MigrationLoader(connection, ignore_no_migrations=True)
        known = set(loader.graph.nodes)
        if wanted != known:
            raise BackupError(
                "the archive was made by a different version of the schema ("
                + _describe_difference(wanted, known)
                + "); restore it with the version that made it, then upgrade"
            )
        call_command("migrate", interactive=False, verbosity=0)
    applied = _migration_list(MigrationRecorder(connection).applied_migrations())
    if applied != wanted:
        raise BackupError(
            "the target database's applied migrations differ from the archive's ("
            + _describe_difference(wanted, applied)
            + "); migrate the target to the archive's state first"
        )


def _check_empty(tables: list[Table]) -> None:
    quote = connection.ops.quote_name
    holding = []
    with connection.cursor() as cursor:
        for table in tables:
            if table.name in MIGRATION_SEEDED:
                continue
            cursor.execute(f"SELECT 1 FROM {quote(table.name)} LIMIT 1")  # noqa: S608 (names from the models)
            if cursor.fetchone():
                holding.append(table.name)
    if holding:
        named = ", ".join(holding[:8]) + (", ..." if len(holding) > 8 else "")
        raise BackupError(f"the target database is not empty (rows in {named}); restore only into an empty database")
    if _stored_files(evidence_root()):
        raise BackupError(f"the evidence folder {evidence_root()} already holds files; restore only into an empty one")


def _stage_files(archive: Archive, manifest: dict[str, Any], staging: Path) -> int:
    count = 0
    for name, entry in sorted(manifest.get("files", {}).items()):
        relative = PurePosixPath(name)
        if relative.is_absolute() or ".." in relative.parts or relative.parts[:1] != ("evidence",):
            raise BackupError(f"the archive names an unsafe file path: {name}")
        source = archive.open(f"files/{name}")
        if source is None:
            raise BackupError(f"the archive lacks the file {name}")
        target = staging.joinpath(*relative.parts)
        target.parent.mkdir(parents=True, exist_ok=True)
        digest = hashlib.sha256()
        with target.open("xb") as out:
            while chunk := source.read(1024 * 1024):
                digest.update(chunk)
                out.write(chunk)
        if digest.hexdigest() != entry.get("sha256"):
            raise BackupError(f"checksum mismatch in the file {name}: the archive is damaged")
        count += 1
    return count


def _defer_constraints() -> None:
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET CONSTRAINTS ALL DEFERRED")
        else:
            cursor.execute("PRAGMA defer_foreign_keys = ON")


def _check_constraints() -> None:
    """Foreign keys were checked only at the end; report a broken one here, before the commit."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            try:
                with transaction.atomic():
                    cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            except DatabaseError as error:
                raise BackupError(f"the restored rows break a foreign key: {error}") from None
            return
        cursor.execute("PRAGMA foreign_key_check")
        broken = cursor.fetchall()
        if broken:
            table, rowid, parent, _index = broken[0]
            raise BackupError(
                f"the restored rows break {len(broken)} foreign key(s), e.g. {table} row {rowid} -> {parent}"
            )


def _load_table(archive: Archive, table: Table, entry: dict[str, Any]) -> None:
    quote = connection.ops.quote_name
    member = archive.open(f"tables/{table.name}.jsonl.gz")
    if member is None:
        raise BackupError(f"the archive lacks the rows of {table.name}")
    sql = "INSERT INTO {} ({}) VALUES ({})".format(  # noqa: S608 (names from the models)
        quote(table.name),
        ", ".join(quote(column) for column in table.columns),
        ", ".join(["%s"] * len(table.fields)),
    )
    steps = [(field, _decoder(field)) for field in table.fields]
    digest = Digest()
    batch: list[list[Any]] = []
    with connection.cursor() as cursor, gzip.open(member, "rt", encoding="utf-8") as lines:
        try:
            for raw in lines:
                line = raw.rstrip("\n")
                values = json.loads(line)
                digest.add(table.canonical(line, values))
                batch.append(
                    [
                        None if value is None else field.get_db_prep_save(decode(value), connection)
                        for (field, decode), value in zip(steps, values, strict=True)
                    ]
                )
                if len(batch) >= CHUNK_ROWS:
                    cursor.executemany(sql, batch)
                    batch = []
            if batch:
                cursor.executemany(sql, batch)
        except (ValueError, TypeError, OSError, EOFError) as error:
            raise BackupError(f"the rows of {table.name} are damaged in the archive: {error}") from None
        except DatabaseError as error:
            raise BackupError(f"the rows of {table.name} could not be written: {error}") from None
    if digest.rows != entry["rows"] or digest.hexdigest != entry["sha256"]:
        raise BackupError(f"checksum mismatch in the rows of {table.name}: the archive is damaged")


def _search_index_ok() -> None:
    """SQLite's FTS5 tables over the interactions are filled by triggers as the rows go in; check the
    index against its content table, and rebuild it if it does not agree."""
    if connection.vendor != "sqlite":
        return
    with connection.cursor() as cursor:
        cursor.execute("SELECT name FROM sqlite_master WHERE type = 'table' AND sql LIKE 'CREATE VIRTUAL TABLE%fts5%'")
        for (name,) in cursor.fetchall():
            quoted = connection.ops.quote_name(name)
            try:
                with transaction.atomic():
                    cursor.execute(f"INSERT INTO {quoted} ({quoted}, rank) VALUES ('integrity-check', 1)")  # noqa: S608
            except DatabaseError:
                cursor.execute(f"INSERT INTO {quoted} ({quoted}) VALUES ('rebuild')")  # noqa: S608


def restore(path: Path, progress: Callable[[str], None] = lambda _line: None) -> Summary:
    started = time.monotonic()
    tables = all_tables()
    with _open_archive(path) as tar:
        archive = Archive(tar)
        manifest = read_manifest(archive)
        _check_tables(manifest, tables)
        _verify_archive(archive, manifest, tables)
        _ensure_schema(manifest)
        _check_empty(tables)
        root = evidence_root()
        root.parent.mkdir(parents=True, exist_ok=True)
        staging = root.parent / f".restore-{secrets.token_hex(6)}"
        staging.mkdir()
        try:
            files = _stage_files(archive, manifest, staging)
            with transaction.atomic():
                _defer_constraints()
                with connection.cursor() as cursor:
                    for name in sorted(MIGRATION_SEEDED):
                        cursor.execute(f"DELETE FROM {connection.ops.quote_name(name)}")  # noqa: S608
                for table in tables:
                    _load_table(archive, table, manifest["tables"][table.name])
                    progress(f"{table.name}: {manifest['tables'][table.name]['rows']} rows")
                _reset_sequences(tables, {k: int(v) for k, v in manifest.get("sequences", {}).items()})
                _search_index_ok()
                _check_constraints()
                mismatched = verify(manifest, tables)
                if mismatched:
                    raise BackupError("after restore these tables differ from the archive: " + ", ".join(mismatched))
            staged_evidence = staging / "evidence"
            if staged_evidence.is_dir():
                if root.is_dir() and not any(root.iterdir()):
                    root.rmdir()
                if root.exists():
                    for item in staged_evidence.iterdir():
                        os.replace(item, root / item.name)
                else:
                    os.replace(staged_evidence, root)
        finally:
            shutil.rmtree(staging, ignore_errors=True)
    from django.contrib.contenttypes.models import ContentType

    ContentType.objects.clear_cache()
    manifest["restored_files"] = files
    return Summary(manifest, time.monotonic() - started)


def verify(manifest: dict[str, Any], tables: list[Table] | None = None) -> list[str]:
    """The tables whose rows in the database differ from the manifest's count or checksum."""
    mismatched = []
    for table in tables or all_tables():
        entry = manifest["tables"][table.name]
        digest = table_digest(table)
        if digest.rows != entry["rows"] or digest.hexdigest != entry["sha256"]:
            mismatched.append(f"{table.name} ({digest.rows} rows, archive {entry['rows']})")
    return mismatched
