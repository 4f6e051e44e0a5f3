"""A request's priority (0–100) from the deal's value, the account's tier and the stage, with its reasons.

Seed 002: "the crying child gets the milk" is exactly what a shared pool must not reward; the pool serves
the deals that matter most, and says why, so a requester can see where they stand.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _

from irontriangle.pipeline.models import Opportunity

# From this amount up, this many points (of 40).
VALUE_STEPS: list[tuple[Decimal, int]] = [
    (Decimal("50000000"), 40),
    (Decimal("10000000"), 34),
    (Decimal("5000000"), 28),
    (Decimal("1000000"), 20),
    (Decimal("200000"), 12),
    (Decimal("0.01"), 6),
]
TIER_POINTS = {"s": 30, "a": 22, "b": 14, "c": 6}
STAGE_MAX = 30


@dataclass(frozen=True)
class Part:
    factor: str  # value / tier / stage
    points: int
    max_points: int
    basis: str


def value_points(amount: Decimal) -> int:
    for floor, points in VALUE_STEPS:
        if amount >= floor:
            return points
    return 0


def priority_parts(opportunity: Opportunity) -> list[Part]:
    account, stage = opportunity.account, opportunity.stage
    # The later the stage (its probability), the closer the decision: help now counts for more.
    stage_points = round(STAGE_MAX * min(stage.probability, 100) / 100) if not stage.is_closed else 0
    return [
        Part("value", value_points(opportunity.amount), 40, f"{opportunity.amount:,.0f} {opportunity.currency}"),
        Part("tier", TIER_POINTS.get(account.tier, 0), 30, account.get_tier_display() or "—"),
        Part("stage", stage_points, STAGE_MAX, f"{stage.name} ({stage.probability}%)"),
    ]


def priority_of(opportunity: Opportunity) -> tuple[int, list[dict[str, Any]]]:
    parts = priority_parts(opportunity)
    return min(100, sum(part.points for part in parts)), [asdict(part) for part in parts]


def factor_label(factor: str) -> str:
    return {"value": _("Deal value"), "tier": _("Account tier"), "stage": _("Stage")}.get(factor, factor)
