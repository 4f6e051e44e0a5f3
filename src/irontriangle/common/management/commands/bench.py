"""`irontriangle bench seed --scale S|M|L` and `irontriangle bench run`: the benchmark (docs/performance.md)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from irontriangle.bench.scales import SCALES


class Command(BaseCommand):
    help = "Generate the benchmark data set, or measure the running product against the performance budget."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        seed = sub.add_parser("seed", help="Fill an empty, migrated database with generated data.")
        seed.add_argument("--scale", choices=sorted(SCALES), default="S")
        seed.add_argument("--seed", type=int, default=20261123, help="The generator's seed; same seed, same data.")
        run = sub.add_parser("run", help="Measure latency, query counts and throughput against the budget.")
        run.add_argument("--scale", choices=sorted(SCALES), help="Seed this scale first when the database is empty.")
        run.add_argument("--url", help="Measure a server that is already running (default: start one).")
        run.add_argument("--json", dest="json_file", help="Also write the figures to this JSON file.")
        run.add_argument("--samples", type=int, default=60, help="Requests per operation.")
        run.add_argument("--load-seconds", type=float, default=20.0, help="Length of the mixed-load run.")
        run.add_argument("--workers", type=int, default=4, help="Web worker processes of the started server.")
        run.add_argument("--import-rows", type=int, default=5_000, help="Rows in the timed account import.")
        run.add_argument("--deep-pages", type=int, default=20, help="How many pages down the deep list pages are.")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "seed":
            self._seed(options["scale"], options["seed"])
            return
        from irontriangle.bench.run import BenchOptions, run_bench

        if options["scale"] and not options["url"]:
            from irontriangle.accounts.models import Account

            if not Account.all_objects.exists():
                self._seed(options["scale"], 20261123)
        result = run_bench(
            BenchOptions(
                url=options["url"],
                samples=options["samples"],
                load_seconds=options["load_seconds"],
                workers=options["workers"],
                import_rows=options["import_rows"],
                deep_pages=options["deep_pages"],
            ),
            say=self._say,
        )
        self.stdout.write(result.table())
        if options["json_file"]:
            Path(options["json_file"]).write_text(json.dumps(result.as_json(), indent=2, ensure_ascii=False))
        if not result.ok:
            raise CommandError("the benchmark found errors (see the table above)")

    def _seed(self, scale: str, seed_value: int) -> None:
        from irontriangle.bench.seed import seed

        try:
            report = seed(SCALES[scale], seed_value, self._say)
        except ValueError as exc:
            raise CommandError(str(exc)) from exc
        for table, count in sorted(report.rows.items()):
            self.stdout.write(f"{table:45} {count:>12,}")
        self.stdout.write(f"scale {scale} seeded in {report.seconds:.1f} s")

    def _say(self, text: str) -> None:
        self.stderr.write(text)
        self.stderr.flush()
