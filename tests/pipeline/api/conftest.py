"""A deal world for the pipeline API tests: a KA account of the Shanghai AR, a deal with its SR, helpers."""

from __future__ import annotations

from typing import Any

import pytest

from irontriangle.common.access import viewer_of
from irontriangle.pipeline import services
from tests.factories import make_contact, make_opportunity

LINE = {"product": "CRM 企业版", "quantity": "10", "list_price": "10000.00", "discount": "10", "unit_cost": "5000.00"}


def add_member(opportunity: Any, user: Any, role: str, *, by: Any | None = None) -> Any:
    actor = by or opportunity.owner
    return services.opportunity_team_add(
        viewer=viewer_of(actor), actor=actor, opportunity=opportunity, user_id=user.pk, role=role
    )


def make_quote(opportunity: Any, *, by: Any | None = None, submit: bool = False, **line: Any) -> Any:
    actor = by or opportunity.owner
    quote = services.quote_create(
        viewer=viewer_of(actor), actor=actor, opportunity=opportunity, data={"lines": [{**LINE, **line}]}
    )
    if submit:
        quote = services.quote_submit(viewer=viewer_of(actor), actor=actor, quote=quote)
    return quote


@pytest.fixture
def deal(org: dict[str, Any], team_account: Any) -> Any:
    """A KA deal in `verify`, opened by the AR (its owner and AR), with the SR on its team."""
    opportunity = make_opportunity(team_account, name="核心网扩容", amount="1000000.00")
    add_member(opportunity, org["sr"], "sr")
    return opportunity


@pytest.fixture
def guide_contact(team_account: Any) -> Any:
    return make_contact(team_account, name="周处长", buying_roles="decision_maker", stance="supporter")
