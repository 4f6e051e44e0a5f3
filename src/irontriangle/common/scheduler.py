"""Periodic jobs run by `irontriangle scheduler` (started by `serve`): retries, escalations, alerts.

Apps register their jobs at start-up; every job must be safe to run from several processes at once
(claim rows before acting), because nothing may assume a single process.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class PeriodicJob:
    name: str
    every_seconds: int
    run: Callable[[], object]


_JOBS: dict[str, PeriodicJob] = {}


def register_job(name: str, every_seconds: int, run: Callable[[], object]) -> None:
    _JOBS[name] = PeriodicJob(name, every_seconds, run)


def registered_jobs() -> list[PeriodicJob]:
    return list(_JOBS.values())
