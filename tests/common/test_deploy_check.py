"""`irontriangle check --deploy` passes cleanly with a production-like environment."""

from __future__ import annotations

import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest

IRONTRIANGLE = Path(sys.executable).with_name("irontriangle")


def _run_check(tmp_path: Path, **extra: str) -> subprocess.CompletedProcess[str]:
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("IRONTRIANGLE_", "DJANGO_")) and key != "DATABASE_URL"
    }
    env.update(
        {
            "IRONTRIANGLE_HTTPS": "true",
            "IRONTRIANGLE_DEBUG": "false",
            "IRONTRIANGLE_SECRET_KEY": secrets.token_urlsafe(64),
            "IRONTRIANGLE_DATA_DIR": str(tmp_path),
            "IRONTRIANGLE_ALLOWED_HOSTS": "crm.example.com",
            **extra,
        }
    )
    return subprocess.run(
        [str(IRONTRIANGLE), "check", "--deploy", "--fail-level", "WARNING"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


@pytest.mark.skipif(not IRONTRIANGLE.exists(), reason="the irontriangle console script is not installed")
def test_deploy_check_reports_no_warnings(tmp_path):
    result = _run_check(tmp_path)

    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    assert "System check identified no issues" in output
    assert "WARNINGS" not in output


@pytest.mark.skipif(not IRONTRIANGLE.exists(), reason="the irontriangle console script is not installed")
def test_deploy_check_flags_debug_in_production(tmp_path):
    result = _run_check(tmp_path, IRONTRIANGLE_DEBUG="true")

    assert result.returncode != 0
    assert "security.W018" in result.stdout + result.stderr
