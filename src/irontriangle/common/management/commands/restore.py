"""`irontriangle restore FILE`: restore a backup into an empty database, all or nothing, and verify it."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from irontriangle.common.backup import BackupError, restore


def _quiet(_line: str) -> None:
    """Per-table progress is shown only with -v2."""


class Command(BaseCommand):
    help = (
        "Restore a backup made by `irontriangle backup` into an empty database (creating the schema when "
        "there is none), then check every table's row count and checksum against the archive."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="The archive to restore.")

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(f"no such file: {path}")
        progress: Callable[[str], None] = self.stdout.write if options["verbosity"] >= 2 else _quiet
        try:
            summary = restore(path, progress=progress)
        except BackupError as error:
            raise CommandError(f"restore refused: {error}; no data was written") from None
        manifest = summary.manifest
        tables = manifest["tables"]
        for name, entry in sorted(tables.items()):
            if entry["rows"] and options["verbosity"] >= 1:
                self.stdout.write(f"  {name:<48} {entry['rows']:>9} rows  sha256 {entry['sha256'][:12]}  ok")
        rows = sum(entry["rows"] for entry in tables.values())
        self.stdout.write(
            self.style.SUCCESS(
                f"Restored {path} (made {manifest['created_at']} on {manifest['vendor']}, version "
                f"{manifest['app_version']}): {len(tables)} tables, {rows} rows, {manifest['restored_files']} files, "
                f"{summary.seconds:.1f} s. Every table's row count and checksum match the archive."
            )
        )
