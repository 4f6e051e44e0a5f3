"""The benchmark scales of ARCHITECTURE.md, "Performance budget"."""

from __future__ import annotations

from dataclasses import dataclass

GIANT_CONTACTS = 10_000
GIANT_INTERACTIONS = 50_000


@dataclass(frozen=True)
class Scale:
    code: str
    accounts: int
    contacts: int
    opportunities: int
    interactions: int
    contracts: int
    users: int
    giants: int


SCALES = {
    "S": Scale("S", 2_000, 20_000, 50_000, 200_000, 10_000, 50, 1),
    "M": Scale("M", 10_000, 100_000, 200_000, 1_000_000, 50_000, 500, 2),
    "L": Scale("L", 100_000, 1_000_000, 1_000_000, 5_000_000, 300_000, 5_000, 5),
}
