"""`/reports/funnel` and `/reports/lead-conversion`: the pipeline's figures over what the caller may see.

Both read the same computations as the web pages (`funnel.py`, `conversion.py`), so a figure never
differs between a chart and the API, and both count only deals and leads visible to the caller.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Annotated, Any

from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema
from pydantic import Field

from irontriangle.accounts.api import ERRORS
from irontriangle.common.apitools import Id, SafeStr, viewer
from irontriangle.common.errors import FieldError, InvalidInput
from irontriangle.org.models import OrgUnit
from irontriangle.pipeline import selectors
from irontriangle.pipeline.conversion import ConversionRow, lead_conversion
from irontriangle.pipeline.funnel import FunnelFilters, ProcessFunnel, funnels
from irontriangle.relationships.schemas import Day

router = Router(tags=["reports"])

# A period longer than this is a mistake, not a question: it would only make the grouping scan more.
MAX_PERIOD_DAYS = 366 * 10
CENT = Decimal("0.01")


def _money(value: Decimal) -> Decimal:
    """Sums come back from SQLite without their scale: money always travels with two decimals."""
    return Decimal(value).quantize(CENT)


# --- funnel ------------------------------------------------------------------------------------------


class FunnelQuery(Schema):
    process: Annotated[str, Field(pattern=r"^[a-z0-9_-]{1,20}$")] | None = None
    unit_code: Annotated[SafeStr, Field(min_length=1, max_length=50)] | None = None
    owner_id: Id | None = None
    closing_from: Day | None = None
    closing_to: Day | None = None


class FunnelStageOut(Schema):
    code: str
    name: str
    position: int
    probability: int
    open_count: int
    open_amount: Decimal
    entered: int
    advanced: int
    conversion: int | None


class ProcessFunnelOut(Schema):
    process: str
    name: str
    segment: str
    currencies: list[str]
    open_count: int
    open_amount: Decimal
    won: int
    lost: int
    won_amount: Decimal
    win_rate: int | None
    stages: list[FunnelStageOut]


class FunnelOut(Schema):
    processes: list[ProcessFunnelOut]


def _funnel_out(result: ProcessFunnel) -> dict[str, Any]:
    return {
        "process": result.process.code,
        "name": result.process.name,
        "segment": result.process.segment,
        "currencies": result.currencies,
        "open_count": result.open_count,
        "open_amount": _money(result.open_amount),
        "won": result.won,
        "lost": result.lost,
        "won_amount": _money(result.won_amount),
        "win_rate": result.win_rate,
        "stages": [
            {
                "code": row.stage.code,
                "name": row.stage.name,
                "position": row.stage.position,
                "probability": row.stage.probability,
                "open_count": row.open_count,
                "open_amount": _money(row.open_amount),
                "entered": row.entered,
                "advanced": row.advanced,
                "conversion": row.conversion,
            }
            for row in result.stages
        ],
    }


@router.get("/reports/funnel", response={200: FunnelOut, **ERRORS})
def funnel_report(request: HttpRequest, filters: Query[FunnelQuery]) -> Any:
    """Per sales process: open deals and amount per stage, the share of deals that entered a stage and
    went further (`conversion`, percent), won and lost counts and the win rate. Only deals the caller may
    see count. `unit_code` keeps the deals of accounts owned by that unit or one below it."""
    who = viewer(request)
    errors: list[FieldError] = []
    unit = None
    if filters.unit_code:
        unit = OrgUnit.objects.filter(code=filters.unit_code).first()
        if unit is None:
            errors.append(FieldError("unit_code", "unknown_unit", _("Unknown org unit.")))
    processes = selectors.processes()
    if filters.process:
        processes = [process for process in processes if process.code == filters.process]
        if not processes:
            errors.append(FieldError("process", "unknown_process", _("Unknown sales process.")))
    if filters.closing_from and filters.closing_to and filters.closing_from > filters.closing_to:
        errors.append(FieldError("closing_to", "before_start", _("The end of the period is before its start.")))
    if errors:
        raise InvalidInput(errors)
    results = funnels(
        who,
        processes,
        FunnelFilters(
            unit=unit,
            owner_id=filters.owner_id,
            closing_from=filters.closing_from,
            closing_to=filters.closing_to,
        ),
    )
    return {"processes": [_funnel_out(result) for result in results]}


# --- lead conversion ---------------------------------------------------------------------------------


class ConversionQuery(Schema):
    start: Day | None = None
    end: Day | None = None


class ConversionRowOut(Schema):
    code: str
    label: str
    created: int
    converted: int
    rate: Decimal | None


class ConversionBreakdownOut(Schema):
    dimension: str
    rows: list[ConversionRowOut]


class ConversionOut(Schema):
    start: dt.date
    end: dt.date
    baseline: Decimal
    total: ConversionRowOut
    breakdowns: list[ConversionBreakdownOut]


def _row_out(row: ConversionRow) -> dict[str, Any]:
    return {"code": row.code, "label": row.label, "created": row.created, "converted": row.converted, "rate": row.rate}


@router.get("/reports/lead-conversion", response={200: ConversionOut, **ERRORS})
def lead_conversion_report(request: HttpRequest, filters: Query[ConversionQuery]) -> Any:
    """Leads created from `start` to `end` (both included; by default the twelve months up to today) that
    the caller may see, how many became opportunities, and the rate in percent, by `source`, `scenario`
    and `segment`; `baseline` is the SMB rate a team measures itself against (SPEC §4)."""
    end = filters.end or timezone.localdate()
    start = filters.start or (end - dt.timedelta(days=364))
    if start > end:
        raise InvalidInput.single("end", "before_start", _("The end of the period is before its start."))
    if (end - start).days > MAX_PERIOD_DAYS:
        raise InvalidInput.single("start", "period_too_long", _("Ask for ten years at most."))
    report = lead_conversion(viewer(request), start=start, end=end)
    return {
        "start": report.start,
        "end": report.end,
        "baseline": report.baseline,
        "total": _row_out(report.total),
        "breakdowns": [
            {"dimension": item.dimension, "rows": [_row_out(row) for row in item.rows]} for item in report.breakdowns
        ],
    }
