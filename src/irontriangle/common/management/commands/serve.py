"""`irontriangle serve`: gunicorn for the web and API, plus the background worker and scheduler.

The three run as child processes of this one; when any of them ends, or this one is asked to stop,
all of them stop, so a supervisor (systemd, a container runtime) sees one service.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser

from irontriangle.common.stopping import StopFlag


def _default_workers() -> int:
    return max(2, min((os.cpu_count() or 1) * 2, 8))


class Command(BaseCommand):
    help = "Serve the application with a production-grade server, plus the background worker."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument("--workers", type=int, default=_default_workers(), help="Web worker processes.")
        parser.add_argument("--threads", type=int, default=4, help="Threads per web worker.")
        parser.add_argument("--no-worker", action="store_true", help="Do not start the background worker.")

    def handle(self, *args: Any, **options: Any) -> None:
        self._ensure_static()
        python = sys.executable
        manage = [python, "-m", "irontriangle.cli"]
        web = [
            python,
            "-m",
            "gunicorn",
            "irontriangle.wsgi:application",
            "--bind",
            f"{options['host']}:{options['port']}",
            "--workers",
            str(options["workers"]),
            "--threads",
            str(options["threads"]),
            "--worker-class",
            "gthread",
            "--timeout",
            "60",
            "--graceful-timeout",
            "20",
            # Several servers may share a machine; the control socket would be one fixed path for all.
            "--no-control-socket",
            "--access-logfile",
            "-",
            "--forwarded-allow-ips",
            os.environ.get("IRONTRIANGLE_FORWARDED_ALLOW_IPS", "127.0.0.1"),
        ]
        commands = [web]
        if not options["no_worker"]:
            commands += [[*manage, "db_worker", "--queue-name", "default", "--no-reload"], [*manage, "scheduler"]]
        children = [subprocess.Popen(command) for command in commands]
        self.stdout.write(f"IronTriangle serving on http://{options['host']}:{options['port']}/")
        self._supervise(children)

    def _ensure_static(self) -> None:
        manifest = Path(settings.STATIC_ROOT) / "staticfiles.json"
        if not manifest.exists():
            call_command("collectstatic", interactive=False, verbosity=0)

    def _supervise(self, children: list[subprocess.Popen[bytes]]) -> None:
        stop = StopFlag()
        exit_code = 0
        while not stop.requested:
            for child in children:
                code = child.poll()
                if code is not None:
                    self.stderr.write(f"process {child.pid} ended with status {code}; stopping the others")
                    exit_code = code or 1
                    stop.request()
            time.sleep(0.5)
        for child in children:
            if child.poll() is None:
                child.send_signal(signal.SIGTERM)
        deadline = time.monotonic() + 25
        for child in children:
            try:
                child.wait(timeout=max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                child.kill()
        if exit_code:
            raise SystemExit(exit_code)
