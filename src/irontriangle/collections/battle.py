"""The battle map (seed 003, 作战地图): its totals and its spreadsheet, from the same filtered rows."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Count, QuerySet, Sum
from django.db.models.functions import Coalesce
from django.utils.translation import gettext as _

from irontriangle.collections.models import MilestoneKind, MilestoneStatus, PaymentMilestone
from irontriangle.collections.state import BUCKET_LABELS

ZERO = Decimal("0")
EXPORT_LIMIT = 50_000


@dataclass
class Totals:
    rows: int
    amount: Decimal
    received: Decimal
    outstanding: Decimal


def totals(rows: QuerySet[PaymentMilestone]) -> Totals:
    """Sums over every filtered row, not only the page shown (one query)."""
    figures = rows.order_by().aggregate(
        rows=Count("pk"),
        amount=Coalesce(Sum("amount"), ZERO),
        received=Coalesce(Sum("received"), ZERO),
        outstanding=Coalesce(Sum("outstanding_amount"), ZERO),
    )
    return Totals(figures["rows"], figures["amount"], figures["received"], figures["outstanding"])


def export_headers() -> list[str]:
    return [
        _("Contract"),
        _("Account"),
        _("AR"),
        _("FR"),
        _("Milestone"),
        _("Due"),
        _("Currency"),
        _("Amount"),
        _("Received"),
        _("Outstanding"),
        _("Evidence"),
        _("Status"),
        _("Ageing"),
    ]


def export_rows(rows: QuerySet[PaymentMilestone]) -> Iterator[list[Any]]:
    """Cells of the spreadsheet; `write_xlsx` neutralises any text a spreadsheet would take for a formula."""
    for milestone in rows[:EXPORT_LIMIT].iterator(chunk_size=1000):
        contract = milestone.contract
        yield [
            contract.number,
            contract.account.name,
            str(contract.ar) if contract.ar else "",
            str(contract.fr) if contract.fr else "",
            str(MilestoneKind(milestone.kind).label),
            milestone.due,
            contract.currency,
            milestone.amount,
            milestone.received,
            milestone.outstanding_amount,  # type: ignore[attr-defined]
            f"{milestone.evidence_present}/{milestone.evidence_needed}",
            str(MilestoneStatus(milestone.current_status).label),  # type: ignore[attr-defined]
            str(BUCKET_LABELS[milestone.bucket]) if milestone.bucket else "",  # type: ignore[attr-defined]
        ]
