"""The battle map (seed 003, 作战地图): its totals and its spreadsheet, from the same filtered rows."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Count, Q, QuerySet, Sum
from django.db.models.functions import Coalesce
from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from irontriangle.collections.models import MilestoneKind, MilestoneStatus, PaymentMilestone
from irontriangle.collections.state import BUCKET_CODES, BUCKET_LABELS
from irontriangle.common.tabular import CONTENT_TYPES, table_bytes

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


@dataclass
class BucketTotal:
    code: str
    label: str
    rows: int
    outstanding: Decimal


def bucket_totals(rows: QuerySet[PaymentMilestone]) -> list[BucketTotal]:
    """Money outstanding and milestones per ageing bucket over every filtered row, in report order (one query)."""
    sums: dict[str, Any] = {}
    for index, code in enumerate(BUCKET_CODES):
        sums[f"rows_{index}"] = Count("pk", filter=Q(bucket=code))
        sums[f"money_{index}"] = Coalesce(Sum("outstanding_amount", filter=Q(bucket=code)), ZERO)
    figures = rows.order_by().aggregate(**sums)
    return [
        BucketTotal(code, str(BUCKET_LABELS[code]), figures[f"rows_{index}"], figures[f"money_{index}"])
        for index, code in enumerate(BUCKET_CODES)
    ]


def export_headers() -> list[str]:
    return [
        _("Contract"),
        _("Account"),
        _("AR"),
        _("FR"),
        _("Milestone"),
        pgettext("payment", "Due"),
        _("Currency"),
        _("Amount"),
        _("Received"),
        _("Outstanding"),
        pgettext("payment", "Evidence"),
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


def export_response(rows: QuerySet[PaymentMilestone], sort: str) -> HttpResponse:
    """The battle map as an XLSX download, for the API and the web page alike."""
    ordered = rows.order_by(sort, "pk")
    content = table_bytes("xlsx", export_headers(), export_rows(ordered), title=_("Battle map"))
    response = HttpResponse(content, content_type=CONTENT_TYPES["xlsx"])
    response["Content-Disposition"] = f'attachment; filename="battle-map-{timezone.localdate().isoformat()}.xlsx"'
    return response
