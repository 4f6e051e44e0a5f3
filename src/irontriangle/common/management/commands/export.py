"""`irontriangle export KIND FILE [--as USERNAME]`: the records a user sees, as CSV or XLSX by the file's extension."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from irontriangle.common.access import viewer_of
from irontriangle.common.importing import run_export
from irontriangle.common.management.commands._transfer import USAGE_ERROR, kind_or_fail, user_or_fail
from irontriangle.common.tabular import TableError, table_format, write_table


class Command(BaseCommand):
    help = "Export records to a CSV or XLSX file (by its extension), with the API field names as the header."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("kind", help="What to export, e.g. accounts.")
        parser.add_argument("file", help="The file to write: .csv or .xlsx.")
        parser.add_argument(
            "--as", dest="as_user", default=None, help="Username whose access applies (default: first admin)."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        kind = kind_or_fail(options["kind"])
        path = Path(options["file"])
        try:
            fmt = table_format(path.name)
        except TableError as error:
            raise CommandError(error.message, returncode=USAGE_ERROR) from None
        user = user_or_fail(options["as_user"])
        headers, rows = run_export(kind, viewer_of(user))
        count = 0

        def counted() -> Any:
            nonlocal count
            for row in rows:
                count += 1
                yield row

        # Written beside the target and moved into place, so a failed export leaves no half file.
        partial = path.with_name(f".{path.name}.partial")
        try:
            with partial.open("wb") as target:
                write_table(target, fmt, headers, counted(), title=str(kind.label))
            partial.replace(path)
        except OSError as error:
            partial.unlink(missing_ok=True)
            raise CommandError(f"cannot write {path}: {error.strerror}", returncode=USAGE_ERROR) from None
        self.stdout.write(f"{kind.key}: {count} rows written to {path}")
