"""The performance budget of ARCHITECTURE.md as checks on measured figures (p95, server side)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Budget:
    label: str
    p95_ms: float | None = None
    max_queries: int | None = None
    at_least: float | None = None

    def met(self, figure: Any) -> bool:
        if self.at_least is not None:
            return figure.value is not None and figure.value >= self.at_least and figure.errors == 0
        if figure.errors:
            return False
        if self.p95_ms is not None and (figure.p95 is None or figure.p95 > self.p95_ms):
            return False
        return self.max_queries is None or (figure.queries is not None and figure.queries <= self.max_queries)


BUDGETS = {
    "list": Budget("p95 ≤ 50 ms, ≤ 10 SQL", p95_ms=50, max_queries=10),
    "account360": Budget("p95 ≤ 150 ms", p95_ms=150),
    "search": Budget("p95 ≤ 150 ms, index-backed", p95_ms=150),
    "dashboard": Budget("p95 ≤ 300 ms", p95_ms=300),
    "import": Budget("≥ 5,000 rows/s", at_least=5_000),
    "throughput": Budget("≥ 300 req/s, 0 errors", at_least=300),
    "writers": Budget("0 'database is locked'"),
}
