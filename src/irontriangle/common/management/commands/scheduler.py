"""Run the registered periodic jobs until stopped."""

from __future__ import annotations

import logging
import time
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.db import close_old_connections

from irontriangle.common.scheduler import registered_jobs
from irontriangle.common.stopping import StopFlag

log = logging.getLogger("irontriangle.scheduler")


class Command(BaseCommand):
    help = "Run periodic jobs (webhook retries and, as the product grows, escalations and alerts)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--once", action="store_true", help="Run every job once and exit.")

    def handle(self, *args: Any, **options: Any) -> None:
        stop = StopFlag()
        next_run = {job.name: 0.0 for job in registered_jobs()}
        while not stop.requested:
            now = time.monotonic()
            for job in registered_jobs():
                if options["once"] or now >= next_run[job.name]:
                    close_old_connections()
                    try:
                        job.run()
                    except Exception:  # one failing job must not stop the others
                        log.exception("periodic job %s failed", job.name)
                    next_run[job.name] = now + job.every_seconds
            if options["once"]:
                return
            time.sleep(1)
