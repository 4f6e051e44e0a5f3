"""Deals for the list, board and funnel tests, made through the services as the product makes them."""

from __future__ import annotations

from decimal import Decimal
from itertools import count
from typing import Any

from irontriangle.accounts.models import Account
from irontriangle.common.access import viewer_of
from irontriangle.org.models import User
from irontriangle.pipeline.models import Opportunity
from irontriangle.pipeline.services import (
    checklist_tick,
    guide_add,
    opportunity_advance,
    opportunity_create,
    opportunity_team_add,
    quote_create,
)
from tests.factories import make_contact

_numbers = count(1)


def open_deal(account: Account, *, by: User | None = None, **data: Any) -> Opportunity:
    actor = by or account.owner
    data.setdefault("name", f"商机 {next(_numbers)}")
    return opportunity_create(viewer=viewer_of(actor), actor=actor, account=account, data=data)


def fresh(deal: Opportunity) -> Opportunity:
    return Opportunity.all_objects.select_related("stage", "process", "account", "account__owner_unit").get(pk=deal.pk)


def quote(deal: Opportunity, *, by: User, price: str = "1000", cost: str = "600") -> Opportunity:
    """A quote sets the deal's (restricted) margin: here 40% by default."""
    quote_create(
        viewer=viewer_of(by),
        actor=by,
        opportunity=deal,
        data={"lines": [{"product": "CRM", "quantity": "1", "list_price": price, "unit_cost": cost}]},
    )
    return fresh(deal)


def join(deal: Opportunity, user: User, role: str, *, by: User) -> None:
    opportunity_team_add(viewer=viewer_of(by), actor=by, opportunity=deal, user_id=user.pk, role=role)


def fulfil_verify(deal: Opportunity, *, by: User) -> Opportunity:
    """What the KA `verify` stage asks before it is left: BANT, a guide who advises, a decision maker."""
    who = viewer_of(by)
    maker = make_contact(deal.account, by=by, buying_roles="decision_maker")
    checklist_tick(viewer=who, actor=by, opportunity=fresh(deal), key="bant", done=True, evidence="预算已批复")
    guide_add(viewer=who, actor=by, opportunity=fresh(deal), data={"contact_id": maker.pk, "level": "advise"})
    return fresh(deal)


def force(deal: Opportunity, to_stage: str, *, manager: User, reason: str = "") -> Opportunity:
    """A manager above the deal moves it past its gate (an audited override)."""
    return opportunity_advance(
        viewer=viewer_of(manager),
        actor=manager,
        opportunity=fresh(deal),
        to_stage=to_stage,
        override_reason="评审会决定推进",
        reason=reason,
    )


def amount(value: str) -> Decimal:
    return Decimal(value)


def ensure_processes() -> None:
    """Browser tests flush the database between tests, the default processes of the migration with it."""
    from irontriangle.pipeline.defaults import install_processes
    from irontriangle.pipeline.models import ChecklistItem, PipelineSettings, SalesProcess, Stage

    if not SalesProcess.objects.exists():
        install_processes(SalesProcess, Stage, ChecklistItem)
    if not PipelineSettings.objects.exists():
        PipelineSettings.objects.create()
