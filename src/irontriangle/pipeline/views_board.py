"""The kanban board of one sales process: a column per stage, cards moved through the stage gates."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta
from decimal import Decimal
from typing import Any

from django.db.models import Count, F, Q, QuerySet, Sum, Window
from django.db.models.functions import RowNumber
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from irontriangle.common.access import Viewer
from irontriangle.common.errors import Forbidden, InvalidInput, VersionConflict
from irontriangle.pipeline import selectors, services
from irontriangle.pipeline.forms_board import MoveForm
from irontriangle.pipeline.models import Opportunity, SalesProcess, Stage
from irontriangle.pipeline.services import StageGateUnmet
from irontriangle.web.guards import actor, viewer, web_view

CARDS_PER_COLUMN = 50
# Closed deals stay on the board for a while after they close, then the list keeps them.
CLOSED_DAYS = 90


@dataclass
class Column:
    stage: Stage
    cards: list[Opportunity] = field(default_factory=list)
    count: int = 0
    totals: list[tuple[str, Decimal]] = field(default_factory=list)  # (currency, amount)

    @property
    def more(self) -> int:
        return max(0, self.count - len(self.cards))

    def summary(self) -> dict[str, Any]:
        return {"count": self.count, "total": total_label(self.totals), "more": self.more}


def total_label(totals: list[tuple[str, Decimal]]) -> str:
    if not totals:
        return "0"
    return " + ".join(f"{number_format(amount, 0, force_grouping=True)} {currency}" for currency, amount in totals)


def board_stages(process: SalesProcess) -> list[Stage]:
    """Open stages in order (the optional trial among them), then won, then lost."""
    stages = sorted(process.stages.all(), key=lambda stage: stage.position)
    return [
        *[stage for stage in stages if not stage.outcome],
        *[stage for stage in stages if stage.outcome == "won"],
        *[stage for stage in stages if stage.outcome == "lost"],
    ]


def board_deals(who: Viewer, process: SalesProcess, *, mine: bool) -> QuerySet[Opportunity]:
    deals = selectors.filtered_opportunities(who, selectors.OpportunityFilters(mine=mine)).filter(process=process)
    since = timezone.localdate() - timedelta(days=CLOSED_DAYS)
    return deals.filter(Q(stage__outcome="") | Q(closed_on__gte=since) | Q(closed_on__isnull=True))


def column_figures(deals: QuerySet[Opportunity]) -> dict[int, tuple[int, list[tuple[str, Decimal]]]]:
    """Count and total amount (per currency) of each stage, in one query."""
    figures: dict[int, tuple[int, list[tuple[str, Decimal]]]] = {}
    rows = (
        deals.order_by()
        .values("stage_id", "currency")
        .annotate(count=Count("pk"), amount=Sum("amount"))
        .values_list("stage_id", "currency", "count", "amount")
    )
    for stage_id, currency, count, amount in sorted(rows, key=lambda row: (row[0], -row[2], row[1])):
        number, totals = figures.get(stage_id, (0, []))
        figures[stage_id] = (number + count, [*totals, (currency, amount or Decimal(0))])
    return figures


def board_columns(who: Viewer, process: SalesProcess, *, mine: bool) -> list[Column]:
    deals = board_deals(who, process, mine=mine)
    columns = [Column(stage=stage) for stage in board_stages(process)]
    by_stage = {column.stage.pk: column for column in columns}
    for stage_id, (count, totals) in column_figures(deals).items():
        if stage_id in by_stage:
            by_stage[stage_id].count, by_stage[stage_id].totals = count, totals
    # The first cards of every column in one query: soonest to close first.
    ranked = deals.annotate(
        rank=Window(
            RowNumber(),
            partition_by=[F("stage_id")],
            order_by=[F("expected_close").asc(nulls_last=True), F("pk").asc()],
        )
    ).filter(rank__lte=CARDS_PER_COLUMN)
    for deal in ranked.order_by("stage_id", "rank"):
        if deal.stage_id in by_stage:
            by_stage[deal.stage_id].cards.append(deal)
    return columns


def _process(request: HttpRequest, processes: list[SalesProcess]) -> SalesProcess | None:
    code = request.GET.get("process", "")
    return next((process for process in processes if process.code == code), processes[0] if processes else None)


@web_view
def board(request: HttpRequest) -> HttpResponse:
    who = viewer(request)
    processes = selectors.processes()
    process = _process(request, processes)
    mine = request.GET.get("mine") in ("1", "on", "true")
    columns = board_columns(who, process, mine=mine) if process else []
    stages = [column.stage for column in columns]
    return render(
        request,
        "pipeline/board.html",
        {
            "processes": processes,
            "process": process,
            "mine": mine,
            "columns": columns,
            "stages": stages,
            "closed_days": CLOSED_DAYS,
            "board_text": board_text(),
        },
    )


def board_text() -> dict[str, str]:
    """The words board.js shows, in the page's language."""
    return {
        "gate_title": _("Not ready for %(stage)s"),
        "won_title": _("Close %(name)s as won"),
        "lost_title": _("Close %(name)s as lost"),
        "override": _("Override and move"),
        "close": _("Close the deal"),
        "reason_required": _("Say why."),
        "override_required": _("Say why the gate is overridden."),
        "forbidden": _("You may not move this deal: only its owner, its iron triangle and the managers above can."),
        "failed": _("The deal could not be moved. Reload the page and try again."),
        "moved": _("%(name)s moved to %(stage)s."),
    }


def _error(status: int, code: str, detail: str, **extra: Any) -> JsonResponse:
    return JsonResponse({"ok": False, "code": code, "detail": detail, **extra}, status=status)


@require_POST
@web_view
def board_move(request: HttpRequest, opportunity_id: int) -> HttpResponse:
    """Move a card to another column through the stage gate; JSON for board.js.

    200: the card as it now is and the new figures of every column; 422 `stage_gate_unmet`: the items
    still open (and whether this person may override); 422 `invalid_input`: e.g. the win or loss reason;
    403: not this person's deal to move.
    """
    who = viewer(request)
    opportunity = selectors.opportunity_get(who, opportunity_id)
    form = MoveForm(request.POST)
    if not form.is_valid():
        return _error(422, "invalid_input", _("Choose the stage to move the deal to."))
    values = form.cleaned_data
    try:
        moved = services.opportunity_advance(
            viewer=who,
            actor=actor(request),
            opportunity=opportunity,
            to_stage=values["to_stage"],
            override_reason=values["override_reason"],
            reason=values["reason"],
        )
    except StageGateUnmet as error:
        return _error(
            422,
            error.code,
            str(error.detail),
            unmet=error.unmet,
            can_override=selectors.is_manager_of(who, opportunity),
        )
    except VersionConflict as error:
        return _error(409, error.code, str(error.detail))
    except InvalidInput as error:
        return _error(
            422,
            error.code,
            str(error.detail),
            errors=[{"field": item.field, "code": item.code, "message": str(item.message)} for item in error.errors],
        )
    except Forbidden as error:
        # The service's generic refusal says nothing of why; a specific one (reopening) says it.
        generic = error.detail == Forbidden().detail
        return _error(403, error.code, str(board_text()["forbidden"]) if generic else error.detail)
    deal = selectors.opportunity_get(who, moved.pk)
    process = deal.process
    figures = column_figures(board_deals(who, process, mine=request.POST.get("mine") in ("1", "on", "true")))
    columns = {}
    for stage in process.stages.all():
        count, totals = figures.get(stage.pk, (0, []))
        columns[stage.code] = {"count": count, "total": total_label(totals)}
    card = render_to_string(
        "pipeline/board_card.html",
        {"deal": deal, "stages": board_stages(process)},
        request=request,
    )
    return JsonResponse({"ok": True, "stage": deal.stage.code, "card": card, "columns": columns})
