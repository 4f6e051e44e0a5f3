"""A smoke run of the benchmark: seed scale S into a fresh database and run the suite briefly.

It fails when seeding fails, when S takes longer than a minute to seed on SQLite, or when any request
of the run errs (including "database is locked" with 20 writers). Budget misses are reported, not
failed: a shared test machine is not where budgets are measured (docs/performance.md).
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

from fuzz_api import drop_postgres, fresh_postgres

BIN = Path(sys.executable).parent
SQLITE_SEED_LIMIT_S = 60


def main() -> int:
    env = dict(os.environ)
    env["IRONTRIANGLE_DATA_DIR"] = tempfile.mkdtemp(prefix="irontriangle-bench-")
    env["IRONTRIANGLE_SECRET_KEY"] = uuid.uuid4().hex * 2
    base_url = os.environ.get("DATABASE_URL", "")
    pg_name = None
    if base_url.startswith("postgres"):
        env["DATABASE_URL"], pg_name = fresh_postgres(base_url)
    else:
        env.pop("DATABASE_URL", None)
    command = str(BIN / "irontriangle")
    try:
        subprocess.run([command, "migrate", "--no-input", "-v0"], env=env, check=True)
        started = time.monotonic()
        subprocess.run([command, "bench", "seed", "--scale", "S"], env=env, check=True)
        seconds = time.monotonic() - started
        print(f"scale S seeded in {seconds:.0f} s", flush=True)
        if not pg_name and seconds > SQLITE_SEED_LIMIT_S:
            print(f"scale S must seed in under {SQLITE_SEED_LIMIT_S} s on SQLite", file=sys.stderr)
            return 1
        run = [command, "bench", "run", "--samples", "5", "--load-seconds", "5", "--workers", "2"]
        run += ["--import-rows", "300", "--deep-pages", "5"]
        return subprocess.run(run, env=env, check=False).returncode
    finally:
        if pg_name:
            drop_postgres(base_url, pg_name)


if __name__ == "__main__":
    sys.exit(main())
