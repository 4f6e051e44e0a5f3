"""`irontriangle import KIND FILE [--dry-run] [--as USERNAME]`: all rows of a CSV or XLSX file, or none."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from irontriangle.common.access import viewer_of
from irontriangle.common.importing import run_import
from irontriangle.common.management.commands._transfer import USAGE_ERROR, kind_or_fail, user_or_fail


class Command(BaseCommand):
    help = (
        "Import records from a CSV (UTF-8, GBK, GB18030) or XLSX file whose header names the fields. "
        "All rows are applied or none; exit status 0 only when applied (or, with --dry-run, when it would apply)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("kind", help="What the file holds, e.g. accounts.")
        parser.add_argument("file", help="The CSV or XLSX file.")
        parser.add_argument("--dry-run", action="store_true", help="Check every row and change nothing.")
        parser.add_argument(
            "--as",
            dest="as_user",
            default=None,
            help="Username whose ownership and access apply (default: first admin).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        kind = kind_or_fail(options["kind"])
        path = Path(options["file"])
        try:
            data = path.read_bytes()
        except OSError as error:
            raise CommandError(f"cannot read {path}: {error.strerror}", returncode=USAGE_ERROR) from None
        user = user_or_fail(options["as_user"])
        report = run_import(kind, data, path.name, viewer=viewer_of(user), actor=user, dry_run=options["dry_run"])
        for problem in report.errors:
            self.stderr.write(str(problem))
        counts = (
            f"{kind.key}: {report.rows} rows, {report.created} to create, {report.updated} to update, "
            f"{report.unchanged} unchanged"
        )
        if report.errors:
            self.stdout.write(f"{counts}; {len(report.errors)} errors: nothing was imported.")
            raise CommandError(f"the import was refused with {len(report.errors)} errors", returncode=1)
        if report.dry_run:
            self.stdout.write(f"{counts}; dry run: the file would import cleanly, nothing was changed.")
        else:
            self.stdout.write(
                self.style.SUCCESS(
                    f"{kind.key}: {report.rows} rows imported: {report.created} created, {report.updated} updated, "
                    f"{report.unchanged} unchanged."
                )
            )
