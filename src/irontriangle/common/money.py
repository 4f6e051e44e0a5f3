"""Money: Decimal amounts with two places, never floats; the currency lives in its own field."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.core.validators import MinValueValidator
from django.db import models

CENT = Decimal("0.01")


class MoneyField(models.DecimalField):
    """A non-negative amount of up to 16 digits before the point and 2 after."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("max_digits", 18)
        kwargs.setdefault("decimal_places", 2)
        kwargs.setdefault("validators", [MinValueValidator(Decimal(0))])
        super().__init__(*args, **kwargs)

    def deconstruct(self) -> Any:
        name, _path, args, kwargs = super().deconstruct()
        return name, "django.db.models.DecimalField", args, kwargs


def quantize(amount: Decimal) -> Decimal:
    return amount.quantize(CENT, rounding=ROUND_HALF_UP)


def split_exactly(total: Decimal, weights: list[Decimal]) -> list[Decimal]:
    """Divide `total` by `weights` into cents that add up to `total` exactly.

    Each part is rounded down to the cent; the cents left over go, one each, to the parts that lost
    the most in rounding (largest remainder), so no cent is created or lost.
    """
    if not weights:
        return []
    weight_sum = sum(weights, Decimal(0))
    if weight_sum <= 0:
        raise ValueError("weights must add up to more than zero")
    cents = int((total / CENT).to_integral_value(rounding=ROUND_HALF_UP))
    raw = [Decimal(cents) * weight / weight_sum for weight in weights]
    floors = [int(part) for part in raw]
    leftover = cents - sum(floors)
    order = sorted(range(len(raw)), key=lambda i: (raw[i] - floors[i], -i), reverse=True)
    for index in order[:leftover]:
        floors[index] += 1
    return [Decimal(part) * CENT for part in floors]
