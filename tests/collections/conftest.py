"""A collection world: the Shanghai AR's deal with an FR, and a contract of 1,000,000 signed on it."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from irontriangle.common.access import viewer_of
from tests.factories import make_contract, make_opportunity, make_user
from tests.pipeline.api.conftest import add_member


@pytest.fixture
def fr(org: dict[str, Any]) -> Any:
    return make_user("fr", units=[org["units"]["shanghai"]], display_name="陈静")


@pytest.fixture
def deal(org: dict[str, Any], team_account: Any, fr: Any) -> Any:
    opportunity = make_opportunity(team_account, name="核心网扩容", amount="1000000.00")
    add_member(opportunity, org["sr"], "sr")
    add_member(opportunity, fr, "fr")
    return opportunity


@pytest.fixture
def contract(deal: Any) -> Any:
    """No milestones yet."""
    return make_contract(deal, number="HT-2026-001", signed_on=date(2026, 9, 1))


def record(milestone: Any, amount: str, on: date, *, by: Any, overpayment: bool = False) -> Any:
    from decimal import Decimal

    from irontriangle.collections.services import payment_record

    return payment_record(
        viewer=viewer_of(by),
        actor=by,
        milestone=milestone,
        data={"amount": Decimal(amount), "received_on": on, "is_overpayment": overpayment},
    )
