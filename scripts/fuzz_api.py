"""Fuzz the running API with schemathesis and fail on any server error.

Starts `irontriangle serve` on a private port against a fresh database (a new SQLite file, or a new
PostgreSQL database beside the one DATABASE_URL names), loads the demo, and lets schemathesis send
generated and malformed requests to every operation as an administrator and as a plain user.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
import uuid
from pathlib import Path
from urllib.parse import urlparse, urlunparse

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def fresh_postgres(url: str) -> tuple[str, str]:
    import psycopg

    name = f"irontriangle_fuzz_{uuid.uuid4().hex[:8]}"
    parsed = urlparse(url)
    admin_url = urlunparse(parsed._replace(path="/postgres"))
    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    return urlunparse(parsed._replace(path=f"/{name}")), name


def drop_postgres(url: str, name: str) -> None:
    import psycopg

    admin_url = urlunparse(urlparse(url)._replace(path="/postgres"))
    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def irontriangle(env: dict[str, str], *args: str) -> str:
    result = subprocess.run([str(BIN / "irontriangle"), *args], env=env, check=True, capture_output=True, text=True)
    return result.stdout.strip()


def wait_ready(url: str, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=2):  # noqa: S310 (loopback)
                return
        except OSError:
            time.sleep(0.5)
    raise SystemExit(f"server did not answer at {url}")


def main() -> int:
    max_examples = os.environ.get("FUZZ_MAX_EXAMPLES", "40")
    env = dict(os.environ)
    data_dir = tempfile.mkdtemp(prefix="irontriangle-fuzz-")
    env["IRONTRIANGLE_DATA_DIR"] = data_dir
    env["IRONTRIANGLE_SECRET_KEY"] = uuid.uuid4().hex * 2
    pg_name = None
    base_url = os.environ.get("DATABASE_URL", "")
    if base_url.startswith("postgres"):
        env["DATABASE_URL"], pg_name = fresh_postgres(base_url)
    else:
        env.pop("DATABASE_URL", None)
    server = None
    server_log = None
    try:
        irontriangle(env, "migrate", "--no-input", "-v0")
        irontriangle(env, "demo")
        admin_token = irontriangle(env, "token", "create", "admin", "--name", "fuzz")
        user_token = irontriangle(env, "token", "create", "ar", "--name", "fuzz")
        port = free_port()
        # The server logs to a file: a pipe that nobody reads fills up and stalls the server.
        server_log = open(Path(data_dir) / "server.log", "w")  # noqa: SIM115
        server = subprocess.Popen(
            [str(BIN / "irontriangle"), "serve", "--port", str(port), "--no-worker", "--workers", "2"],
            env=env,
            stdout=server_log,
            stderr=subprocess.STDOUT,
        )
        schema = f"http://127.0.0.1:{port}/api/v1/openapi.json"
        wait_ready(schema)
        failed = False
        for label, token in (("administrator", admin_token), ("account manager", user_token)):
            print(f"--- schemathesis as {label}", flush=True)
            run = subprocess.run(
                [
                    str(BIN / "schemathesis"),
                    "run",
                    schema,
                    "--header",
                    f"Authorization: Bearer {token}",
                    "--checks",
                    "not_a_server_error",
                    "--max-examples",
                    max_examples,
                    "--seed",
                    "20261123",
                    "--workers",
                    "2",
                    "--request-timeout",
                    "20",
                    "--warnings",
                    "off",
                ],
                env=env,
                check=False,
            )
            failed = failed or run.returncode != 0
        return 1 if failed else 0
    finally:
        if server is not None:
            server.terminate()
            try:
                server.wait(timeout=30)
            except subprocess.TimeoutExpired:
                server.kill()
        if server_log is not None:
            server_log.close()
            log_text = (Path(data_dir) / "server.log").read_text(errors="replace")
            if "Traceback" in log_text:
                print(log_text[-6000:], file=sys.stderr)
        if pg_name:
            drop_postgres(base_url, pg_name)


if __name__ == "__main__":
    sys.exit(main())
