"""`irontriangle backup FILE`: a consistent full backup of the database and the evidence files."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from irontriangle.common.backup import BackupError, backup


def _quiet(_line: str) -> None:
    """Per-table progress is shown only with -v2."""


class Command(BaseCommand):
    help = (
        "Write a consistent full backup (every table, the migration state and the evidence files) to FILE: "
        "one archive that restores on SQLite or PostgreSQL."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="The archive to write, e.g. irontriangle-2026-12-02.tar.")

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(options["file"])
        if not path.parent.is_dir():
            raise CommandError(f"cannot write {path}: no folder {path.parent}")
        progress: Callable[[str], None] = self.stdout.write if options["verbosity"] >= 2 else _quiet
        try:
            summary = backup(path, progress=progress)
        except BackupError as error:
            raise CommandError(str(error)) from None
        except OSError as error:
            raise CommandError(f"cannot write {path}: {error.strerror or error}") from None
        manifest = summary.manifest
        tables = manifest["tables"]
        rows = sum(entry["rows"] for entry in tables.values())
        self.stdout.write(
            f"Backup written to {path}: {len(tables)} tables, {rows} rows, {len(manifest['files'])} files, "
            f"{path.stat().st_size} bytes, {summary.seconds:.1f} s ({manifest['vendor']}, "
            f"{len(manifest['migrations'])} migrations)."
        )
