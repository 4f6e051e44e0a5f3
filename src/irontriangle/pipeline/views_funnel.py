"""The funnel page: per sales process, open deals per stage, conversion between stages and win rate."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from irontriangle.org.models import OrgUnit
from irontriangle.pipeline import selectors
from irontriangle.pipeline.forms_board import FunnelFilterForm
from irontriangle.pipeline.funnel import FunnelFilters, ProcessFunnel, funnels
from irontriangle.web import lookups
from irontriangle.web.guards import viewer, web_view


def _int(value: Any) -> int | None:
    try:
        number = int(value)
    except (TypeError, ValueError):
        return None
    return number if 0 < number < 2**63 else None


def chart_data(funnel: ProcessFunnel) -> dict[str, Any]:
    """What funnel.js draws: one bar per open stage, its count and amount, and the conversion onwards."""
    return {
        "stages": [row.stage.name for row in funnel.stages],
        "counts": [row.open_count for row in funnel.stages],
        "amounts": [float(row.open_amount) for row in funnel.stages],
        "conversions": [row.conversion for row in funnel.stages],
        "currency": funnel.currencies[0] if len(funnel.currencies) == 1 else "",
        "labels": {
            "count": _("Open deals"),
            "amount": _("Amount"),
            "conversion": _("Went further"),
        },
    }


@web_view
def funnel(request: HttpRequest) -> HttpResponse:
    who = viewer(request)
    processes = selectors.processes()
    units = lookups.unit_filter_choices(who)
    owner_choice = lookups.user_choice(who, _int(request.GET.get("owner")))
    form = FunnelFilterForm(request.GET, processes=processes, unit_choices=units, owner_choice=owner_choice)
    form.is_valid()
    values = getattr(form, "cleaned_data", {})
    unit = OrgUnit.objects.filter(code=values["unit"]).first() if values.get("unit") else None
    filters = FunnelFilters(
        unit=unit,
        owner_id=values.get("owner"),
        closing_from=values.get("closing_from"),
        closing_to=values.get("closing_to"),
    )
    shown = [process for process in processes if not values.get("process") or process.code == values["process"]]
    results = funnels(who, shown, filters)
    return render(
        request,
        "pipeline/funnel.html",
        {
            "form": form,
            "funnels": [(result, chart_data(result)) for result in results],
        },
    )
