"""The opportunity list as a table (CSV / XLSX), with the list page's filters and nobody's hidden margins.

Opportunities travel one way only: they are opened and moved through their services, never imported,
so this kind is not registered with `common.importing` (its import and CLI would offer it for upload).
It reuses the framework's columns and cell formatting through `run_export`.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any, cast

from django.utils.translation import gettext_lazy as _

from irontriangle.common.access import Viewer
from irontriangle.common.errors import InvalidInput
from irontriangle.common.importing import (
    Column,
    DateParser,
    DecimalParser,
    EnumParser,
    ImportContext,
    ImportKind,
    ImportRow,
    IntegerParser,
    TextParser,
)
from irontriangle.common.restricted import redact
from irontriangle.pipeline.models import ForecastCategory, Opportunity, Outcome
from irontriangle.pipeline.selectors import OpportunityFilters, opportunities_page

EXPORT_PAGE = 200
STATUSES = [("open", Outcome.OPEN.label), ("won", Outcome.WON.label), ("lost", Outcome.LOST.label)]


class OpportunitiesExport(ImportKind):
    key = "opportunities"
    label = _("Opportunities")

    def columns(self) -> list[Column]:
        return [
            Column("id", _("ID"), IntegerParser(), read_only=True),
            Column("name", _("Name"), TextParser()),
            Column("account", _("Account"), TextParser()),
            Column("process", _("Sales process"), TextParser()),
            Column("stage", _("Stage"), TextParser()),
            Column("status", _("Status"), EnumParser(STATUSES)),
            Column("amount", _("Amount"), DecimalParser()),
            Column("currency", _("Currency"), TextParser()),
            Column("expected_close", _("Expected close"), DateParser()),
            Column("probability", _("Probability (%)"), IntegerParser()),
            Column("forecast_category", _("Forecast category"), EnumParser(ForecastCategory.choices)),
            Column("checklist_score", _("Checklist score"), IntegerParser(), read_only=True),
            Column("owner", _("Owner"), TextParser()),
            Column("margin", _("Margin"), DecimalParser(minimum=None), read_only=True),
            Column("margin_percent", _("Margin (%)"), DecimalParser(minimum=None), read_only=True),
            Column("updated_at", _("Updated"), TextParser(), read_only=True),
        ]

    def apply(self, row: ImportRow, context: ImportContext) -> str:
        raise InvalidInput.single("", "export_only", str(_("Opportunities cannot be imported.")))

    def export_objects(self, viewer: Viewer, filters: Any = None) -> Iterator[Opportunity]:
        """Every visible opportunity matching the list's filters, walked page by page in the list's order."""
        filters = filters or OpportunityFilters()
        cursor: str | None = None
        while True:
            page = opportunities_page(viewer, filters, cursor=cursor, limit=EXPORT_PAGE)
            yield from page.items
            if not page.next_cursor:
                return
            cursor = page.next_cursor

    def export_values(self, obj: Any, viewer: Viewer) -> dict[str, Any]:
        deal = cast(Opportunity, obj)
        values: dict[str, Any] = {
            "id": deal.pk,
            "name": deal.name,
            "account": deal.account.name,
            "process": deal.process.name,
            "stage": deal.stage.name,
            "status": deal.stage.outcome or "open",
            "amount": deal.amount,
            "currency": deal.currency,
            "expected_close": deal.expected_close,
            "probability": deal.probability,
            "forecast_category": deal.forecast_category,
            "checklist_score": deal.checklist_score,
            "owner": deal.owner.label if deal.owner_id else "",
            "margin": deal.margin,
            "margin_percent": deal.margin_percent,
            "updated_at": deal.updated_at.isoformat(timespec="seconds") if deal.updated_at else "",
        }
        # The rows come annotated with `margin_visible`: redacting a row costs no query.
        return redact(viewer, deal, values)


OPPORTUNITIES = OpportunitiesExport()
