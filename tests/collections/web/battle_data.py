"""A battle map worth looking at: two Shanghai contracts whose milestones sit in every state and ageing
bucket, one with a title and number a spreadsheet would take for a formula, and a North contract that
nobody in Shanghai sees."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django.utils import timezone

from irontriangle.collections.services import milestone_dispute, milestone_invoice, payment_record
from irontriangle.common.access import viewer_of
from tests.factories import make_account, make_contract, make_opportunity, make_user
from tests.pipeline.api.conftest import add_member

FORMULA = '=HYPERLINK("http://evil.test","x")'


def _pay(milestone: Any, amount: str, days_ago: int, *, by: Any) -> None:
    payment_record(
        viewer=viewer_of(by),
        actor=by,
        milestone=milestone,
        data={"amount": Decimal(amount), "received_on": timezone.localdate() - timedelta(days=days_ago)},
    )


def _due(days: int) -> date:
    return timezone.localdate() + timedelta(days=days)


def build(org: dict[str, Any], account: Any) -> dict[str, Any]:
    ar = org["ar"]
    fr = make_user("fr", units=[org["units"]["shanghai"]], display_name="陈静")
    deal = make_opportunity(account, name="核心网扩容", amount="1000000.00")
    add_member(deal, org["sr"], "sr")
    add_member(deal, fr, "fr")
    core = make_contract(
        deal,
        number="HT-2026-001",
        title="核心网扩容合同",
        signed_on=timezone.localdate() - timedelta(days=120),
        milestones=[
            {"kind": "down_payment", "percent": Decimal("30"), "due_on": _due(-100)},
            {"kind": "on_delivery", "percent": Decimal("60"), "due_on": _due(-45)},
            {"kind": "on_acceptance", "percent": Decimal("10"), "due_on": _due(30)},
        ],
    )
    down, delivery, acceptance = core.milestones.order_by("position")
    _pay(down, "300000", 90, by=ar)  # paid
    _pay(delivery, "100000", 20, by=ar)  # overdue 45 days, 500,000 still owed
    milestone_invoice(
        viewer=viewer_of(ar), actor=ar, milestone=acceptance, invoiced_on=timezone.localdate(), invoice_number="FP-0001"
    )

    other = make_opportunity(account, name="移动云平台", amount="200000.00")
    add_member(other, fr, "fr")
    cloud = make_contract(
        other,
        number=FORMULA,
        title=FORMULA,
        signed_on=timezone.localdate() - timedelta(days=220),
        milestones=[
            {"kind": "down_payment", "percent": Decimal("50"), "due_on": _due(-200)},
            {"kind": "on_delivery", "percent": Decimal("50"), "due_on": _due(-10)},
        ],
    )
    old, disputed = cloud.milestones.order_by("position")
    _pay(old, "20000", 150, by=ar)  # 80,000 outstanding for more than 180 days
    milestone_dispute(viewer=viewer_of(ar), actor=ar, milestone=disputed, reason="验收报告未签字")

    north_account = make_account(org["outsider"], name="北京银行", segment="ka")
    north_deal = make_opportunity(north_account, name="北京银行核心系统", amount="500000.00")
    north = make_contract(
        north_deal,
        number="HT-BJ-009",
        signed_on=timezone.localdate() - timedelta(days=30),
        milestones=[{"kind": "down_payment", "percent": Decimal("100"), "due_on": _due(-5)}],
    )
    return {"fr": fr, "core": core, "cloud": cloud, "north": north, "deal": deal}
