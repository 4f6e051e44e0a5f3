"""`irontriangle backup` and `irontriangle restore`, run as an operator runs them, on the demo data.

The databases are compared through the database drivers directly, not through the commands' own
checksums: every table's rows, the sequences, the search index, the evidence files. With a PostgreSQL
DATABASE_URL the source and the targets are new databases on that server, dropped at the end.
"""

from __future__ import annotations

import gzip
import hashlib
import io
import json
import os
import secrets
import sqlite3
import subprocess
import sys
import tarfile
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlparse, urlunparse

import pytest

IRONTRIANGLE = Path(sys.executable).with_name("irontriangle")
BASE_URL = os.environ.get("DATABASE_URL", "")
ON_POSTGRES = BASE_URL.startswith("postgres")
EXTRA_EVIDENCE = ("ee", "ee" + "0" * 38, b"%PDF-1.4 evidence kept only on disk\n")

pytestmark = pytest.mark.skipif(not IRONTRIANGLE.exists(), reason="the irontriangle console script is not installed")


def _admin_url() -> str:
    return urlunparse(urlparse(BASE_URL)._replace(path="/postgres"))


@dataclass
class Site:
    """One installation: a data directory and its database."""

    data_dir: Path
    env: dict[str, str]
    pg_name: str | None = None
    created: list[str] = field(default_factory=list)

    @property
    def sqlite_path(self) -> Path:
        return self.data_dir / "irontriangle.sqlite3"

    def run(self, *args: str, check: bool = True, **extra_env: str) -> subprocess.CompletedProcess[str]:
        result = subprocess.run(
            [str(IRONTRIANGLE), *args],
            env={**self.env, **extra_env},
            capture_output=True,
            text=True,
            timeout=600,
            check=False,
        )
        if check:
            assert result.returncode == 0, result.stdout + result.stderr
        return result

    def query(self, sql: str) -> list[tuple[Any, ...]]:
        if self.pg_name:
            import psycopg

            with psycopg.connect(self.env["DATABASE_URL"]) as conn:
                return list(conn.execute(sql).fetchall())
        with sqlite3.connect(self.sqlite_path) as conn:
            return list(conn.execute(sql).fetchall())


def _new_site(base: Path) -> Site:
    data_dir = base / "data"
    data_dir.mkdir(parents=True)
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("IRONTRIANGLE_", "DJANGO_")) and key != "DATABASE_URL"
    }
    env.update(
        {
            "IRONTRIANGLE_DATA_DIR": str(data_dir),
            "IRONTRIANGLE_SECRET_KEY": secrets.token_urlsafe(48),
            "IRONTRIANGLE_ALLOWED_HOSTS": "testserver",
            "IRONTRIANGLE_LOG_LEVEL": "WARNING",
        }
    )
    site = Site(data_dir, env)
    if ON_POSTGRES:
        import psycopg

        name = f"irontriangle_backup_{uuid.uuid4().hex[:8]}"
        with psycopg.connect(_admin_url(), autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
        site.pg_name = name
        env["DATABASE_URL"] = urlunparse(urlparse(BASE_URL)._replace(path=f"/{name}"))
    return site


def _drop(site: Site) -> None:
    if site.pg_name:
        import psycopg

        with psycopg.connect(_admin_url(), autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{site.pg_name}" WITH (FORCE)')


@pytest.fixture(scope="module")
def sites(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    made: list[Site] = []

    def make(label: str) -> Site:
        site = _new_site(tmp_path_factory.mktemp(label))
        made.append(site)
        return site

    yield make
    for site in made:
        _drop(site)


def _tables(site: Site) -> list[str]:
    if site.pg_name:
        rows = site.query(
            "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' "
            "AND table_type = 'BASE TABLE'"
        )
    else:
        # The FTS table and its shadow tables are an index of relationships_interaction, not data.
        rows = site.query(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' "
            "AND name NOT LIKE 'relationships_interaction_fts%'"
        )
    return sorted(name for (name,) in rows)


def fingerprint(site: Site) -> dict[str, tuple[int, str]]:
    """Row count and a digest of the rows of every table, read through the driver, in a fixed order."""
    result = {}
    for table in _tables(site):
        rows = sorted(repr(row) for row in site.query(f'SELECT * FROM "{table}"'))
        result[table] = (len(rows), hashlib.sha256("\n".join(rows).encode()).hexdigest())
    return result


def evidence_files(site: Site) -> dict[str, str]:
    root = site.data_dir / "evidence"
    return {
        path.relative_to(root).as_posix(): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in root.rglob("*")
        if path.is_file()
    }


@dataclass
class Source:
    site: Site
    archive: Path
    fingerprint: dict[str, tuple[int, str]]
    manifest: dict[str, Any]
    backup_output: str


@pytest.fixture(scope="module")
def source(sites: Any, tmp_path_factory: pytest.TempPathFactory) -> Source:
    site = sites("source")
    site.run("migrate", "--no-input", "-v0")
    site.run("demo")
    # A file the demo does not make, to see files travel byte for byte.
    folder, name, content = EXTRA_EVIDENCE
    (site.data_dir / "evidence" / folder).mkdir(parents=True, exist_ok=True)
    (site.data_dir / "evidence" / folder / name).write_bytes(content)
    archive = tmp_path_factory.mktemp("archive") / "backup.tar"
    result = site.run("backup", str(archive))
    with tarfile.open(archive) as tar:
        handle = tar.extractfile("manifest.json")
        assert handle is not None
        manifest = json.load(handle)
    return Source(site, archive, fingerprint(site), manifest, result.stdout)


@dataclass
class Restored:
    site: Site
    output: str
    fingerprint: dict[str, tuple[int, str]]
    files: dict[str, str]


@pytest.fixture(scope="module")
def restored(source: Source, sites: Any) -> Restored:
    site = sites("target")
    result = site.run("restore", str(source.archive))
    return Restored(site, result.stdout, fingerprint(site), evidence_files(site))


def test_backup_manifest_describes_the_database(source):
    manifest = source.manifest

    assert manifest["format"] == "irontriangle-backup"
    assert manifest["vendor"] == ("postgresql" if ON_POSTGRES else "sqlite")
    assert ["relationships", "0002_interaction_search"] in manifest["migrations"]
    assert len(manifest["migrations"]) == source.fingerprint["django_migrations"][0]
    # Every table, history and many-to-many tables included, with the counts the database holds.
    assert set(manifest["tables"]) == set(source.fingerprint)
    for table, (rows, _digest) in source.fingerprint.items():
        assert manifest["tables"][table]["rows"] == rows, table
    assert manifest["tables"]["accounts_historicalaccount"]["rows"] > 0
    assert manifest["tables"]["relationships_interaction"]["rows"] > 0
    assert f"evidence/{EXTRA_EVIDENCE[0]}/{EXTRA_EVIDENCE[1]}" in manifest["files"]
    assert "Backup written" in source.backup_output


def test_restore_reproduces_every_table_and_file(source, restored):
    assert "Every table's row count and checksum match the archive" in restored.output
    assert restored.fingerprint == source.fingerprint
    assert restored.files == evidence_files(source.site)
    assert len(restored.files) == len(source.manifest["files"])


def test_restored_sequences_continue_after_the_source(source, restored):
    if ON_POSTGRES:
        for (table,) in restored.site.query(
            "SELECT table_name FROM information_schema.columns WHERE table_schema = 'public' "
            "AND column_name = 'id' AND is_identity = 'YES'"
        ):
            ((highest, sequence),) = restored.site.query(
                f"SELECT max(id), pg_get_serial_sequence('\"{table}\"', 'id') FROM \"{table}\""
            )
            if highest is not None:
                ((last,),) = restored.site.query(f"SELECT last_value FROM {sequence}")
                assert last >= highest, table
    else:
        before = dict(source.site.query("SELECT name, seq FROM sqlite_sequence"))
        after = dict(restored.site.query("SELECT name, seq FROM sqlite_sequence"))
        for table, seq in before.items():
            assert after.get(table, 0) >= seq, table


APP_CHECK = """
import json, os
from django.test import Client

bearer = {"Authorization": "Bearer " + os.environ["IT_TOKEN"]}
api = Client()
accounts = api.get("/api/v1/accounts", {"limit": 200}, headers=bearer)
created = api.post(
    "/api/v1/accounts",
    {"name": "恢复之后新建的客户", "owner_unit_code": "ka-telecom"},
    content_type="application/json",
    headers=bearer,
)
found = api.get("/api/v1/interactions", {"q": os.environ["IT_QUERY"], "limit": 200}, headers=bearer)
login = Client().post("/login/", {"username": "ar", "password": "Demo-2026!"})
print(json.dumps({
    "names": [item["name"] for item in accounts.json()["items"]],
    "created": created.status_code,
    "found": len(found.json()["items"]),
    "login": login.status_code,
    "login_to": login.get("Location", ""),
}))
"""


def test_the_restored_installation_works(source, restored):
    site = restored.site
    ((text,),) = site.query("SELECT search_text FROM relationships_interaction ORDER BY id LIMIT 1")
    query = next(word for word in text.split() if len(word) >= 3)[:6]
    expected = sum(1 for (other,) in site.query("SELECT search_text FROM relationships_interaction") if query in other)

    # A new token and a new account are new rows: on PostgreSQL they need the sequences moved on.
    token = site.run("token", "create", "admin", "--name", "after-restore").stdout.strip()
    output = site.run("shell", "-v0", "-c", APP_CHECK, IT_TOKEN=token, IT_QUERY=query).stdout
    result = json.loads(output.strip().splitlines()[-1])

    assert "中国电信集团" in result["names"]
    assert result["created"] == 201
    assert result["found"] == expected > 0
    assert result["login"] == 302 and "/login/" not in result["login_to"]
    if not ON_POSTGRES:
        # The FTS5 index agrees with its content table (an error is raised if it does not).
        fts = "relationships_interaction_fts"
        site.query(f"INSERT INTO {fts}({fts}, rank) VALUES('integrity-check', 1)")


def test_restore_into_a_database_with_data_is_refused_and_changes_nothing(source, restored):
    site = source.site
    before = fingerprint(site)

    result = site.run("restore", str(source.archive), check=False)

    assert result.returncode != 0
    assert "not empty" in result.stderr
    assert fingerprint(site) == before


def _tampered(archive: Path, target: Path, member: str, change: Any) -> Path:
    with tarfile.open(archive) as source, tarfile.open(target, "w") as out:
        for info in source.getmembers():
            data = source.extractfile(info)
            assert data is not None
            body = data.read()
            if info.name == member:
                body = change(body)
                info.size = len(body)
            out.addfile(info, io.BytesIO(body))
    return target


def test_a_damaged_archive_is_refused_before_anything_is_written(source, sites, tmp_path):
    def rename_first_account(body: bytes) -> bytes:
        lines = gzip.decompress(body).decode().splitlines()
        row = json.loads(lines[0])
        row[row.index("中国电信集团")] = "篡改过的名字"
        lines[0] = json.dumps(row, ensure_ascii=False, separators=(",", ":"))
        return gzip.compress(("\n".join(lines) + "\n").encode())

    damaged = _tampered(
        source.archive, tmp_path / "damaged.tar", "tables/accounts_account.jsonl.gz", rename_first_account
    )
    site = sites("damaged")

    result = site.run("restore", str(damaged), check=False)

    assert result.returncode != 0
    assert "checksum mismatch in the rows of accounts_account" in result.stderr
    assert "django_migrations" not in _tables(site)
    assert not (site.data_dir / "evidence").exists() or not evidence_files(site)


def test_an_archive_from_another_schema_is_refused(source, sites, tmp_path):
    def drop_a_migration(body: bytes) -> bytes:
        manifest = json.loads(body)
        manifest["migrations"].remove(["relationships", "0004_interaction_opportunity"])
        return json.dumps(manifest).encode()

    other = _tampered(source.archive, tmp_path / "other.tar", "manifest.json", drop_a_migration)
    site = sites("other-schema")

    result = site.run("restore", str(other), check=False)

    assert result.returncode != 0
    assert "relationships.0004_interaction_opportunity" in result.stderr
    assert "django_migrations" not in _tables(site)


def test_a_file_that_is_not_a_backup_is_refused(sites, tmp_path):
    bogus = tmp_path / "notes.tar"
    with tarfile.open(bogus, "w") as tar:
        tar.addfile(tarfile.TarInfo("readme.txt"), io.BytesIO(b""))
    site = sites("bogus")

    result = site.run("restore", str(bogus), check=False)

    assert result.returncode != 0
    assert "not an IronTriangle backup" in result.stderr
