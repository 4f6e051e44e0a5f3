from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from irontriangle.common.money import split_exactly


def test_thirds_hand_out_the_remainder_cent():
    assert split_exactly(Decimal("100.00"), [Decimal(1)] * 3) == [Decimal("33.34"), Decimal("33.33"), Decimal("33.33")]


def test_weighted_split():
    assert split_exactly(Decimal("1000.00"), [Decimal(50), Decimal(30), Decimal(20)]) == [
        Decimal("500.00"),
        Decimal("300.00"),
        Decimal("200.00"),
    ]


def test_zero_weights_are_refused():
    with pytest.raises(ValueError):
        split_exactly(Decimal("10.00"), [Decimal(0), Decimal(0)])


@given(
    total=st.decimals(min_value=0, max_value=10**12, places=2),
    weights=st.lists(st.integers(min_value=1, max_value=1000), min_size=1, max_size=12),
)
def test_parts_always_add_up_to_the_total(total, weights):
    parts = split_exactly(total, [Decimal(w) for w in weights])
    assert sum(parts) == total
    assert all(part >= 0 for part in parts)
    # No part is more than one cent away from its exact share.
    for part, weight in zip(parts, weights, strict=True):
        exact = total * weight / sum(weights)
        assert abs(part - exact) < Decimal("0.01")
