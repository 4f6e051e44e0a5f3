"""How many leads became opportunities (SPEC §4): rates by source, purchase scenario and segment.

Plain dataclasses, so the web page, the API and exports read the same figures.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, Q, TextChoices
from django.utils import timezone

from irontriangle.accounts.models import PurchasePattern, Segment
from irontriangle.common.access import Viewer
from irontriangle.pipeline.models import LeadSource, LeadStatus
from irontriangle.pipeline.selectors import leads_visible

# The share of SMB leads that usually become opportunities: the line a team measures itself against.
SMB_BASELINE_PERCENT = Decimal("15")
DIMENSIONS: dict[str, type[TextChoices]] = {
    "source": LeadSource,
    "scenario": PurchasePattern,
    "segment": Segment,
}


def rate_percent(converted: int, created: int) -> Decimal | None:
    """Converted ÷ created as a percentage with one decimal; None when no lead was created."""
    if not created:
        return None
    return (Decimal(converted) * 100 / Decimal(created)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class ConversionRow:
    code: str
    label: str
    created: int
    converted: int
    rate: Decimal | None  # percent, one decimal; None when nothing was created


@dataclass(frozen=True)
class ConversionBreakdown:
    dimension: str  # "source", "scenario" or "segment"
    rows: list[ConversionRow]


@dataclass(frozen=True)
class ConversionReport:
    start: dt.date
    end: dt.date  # inclusive
    baseline: Decimal
    total: ConversionRow
    breakdowns: list[ConversionBreakdown] = field(default_factory=list)

    def breakdown(self, dimension: str) -> ConversionBreakdown:
        return next(item for item in self.breakdowns if item.dimension == dimension)


def _day_start(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


def lead_conversion(viewer: Viewer, *, start: dt.date, end: dt.date) -> ConversionReport:
    """Leads created from `start` to `end` (both included) that the viewer may see, and how many of them
    have been converted by now. One grouped query per dimension; every choice is listed, even at zero."""
    created_in = leads_visible(viewer).filter(
        created_at__gte=_day_start(start), created_at__lt=_day_start(end + dt.timedelta(days=1))
    )
    breakdowns = []
    for dimension, choices in DIMENSIONS.items():
        counts = {
            row[dimension]: (row["created"], row["converted"])
            for row in created_in.order_by()
            .values(dimension)
            .annotate(created=Count("pk"), converted=Count("pk", filter=Q(status=LeadStatus.CONVERTED)))
        }
        known = [(code, str(label)) for code, label in choices.choices]
        # A value no longer among the choices still counts, under its code.
        known += [(code, str(code)) for code in counts if code not in choices.values]
        rows = []
        for code, label in known:
            created, converted = counts.get(code, (0, 0))
            rows.append(ConversionRow(code, label, created, converted, rate_percent(converted, created)))
        breakdowns.append(ConversionBreakdown(dimension, rows))
    # Every lead has exactly one source: the total is the sum of any one breakdown.
    created = sum(row.created for row in breakdowns[0].rows)
    converted = sum(row.converted for row in breakdowns[0].rows)
    total = ConversionRow("", "", created, converted, rate_percent(converted, created))
    return ConversionReport(start, end, SMB_BASELINE_PERCENT, total, breakdowns)
