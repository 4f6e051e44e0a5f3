"""The sales funnel (SPEC §5, §12): open deals per stage, conversion between stages, win rate.

Every figure is aggregated in SQL over the deals the viewer may see (`opportunities_in_scope`), in two
queries whatever the number of processes and deals. Conversion comes from the stage changes: of the deals
that entered a stage, the share that later entered a further stage (a won deal included, a lost one not).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.db.models import Count, Exists, OuterRef, Q, QuerySet, Sum

from irontriangle.common.access import Viewer
from irontriangle.org.models import OrgUnit
from irontriangle.pipeline.models import Opportunity, SalesProcess, Stage, StageChange
from irontriangle.pipeline.selectors import opportunities_in_scope


@dataclass
class FunnelFilters:
    unit: OrgUnit | None = None  # the account's owner unit, or one below it
    owner_id: int | None = None
    closing_from: date | None = None
    closing_to: date | None = None


@dataclass
class FunnelStage:
    stage: Stage
    open_count: int = 0
    open_amount: Decimal = Decimal(0)
    entered: int = 0  # deals that ever entered this stage
    advanced: int = 0  # of those, the ones that later entered a further stage (won included)

    @property
    def conversion(self) -> int | None:
        """Percent of the deals that entered this stage and went further; None when none entered."""
        return round(self.advanced * 100 / self.entered) if self.entered else None


@dataclass
class ProcessFunnel:
    process: SalesProcess
    stages: list[FunnelStage] = field(default_factory=list)  # the open stages, in order
    won: int = 0
    lost: int = 0
    won_amount: Decimal = Decimal(0)
    currencies: list[str] = field(default_factory=list)

    @property
    def win_rate(self) -> int | None:
        closed = self.won + self.lost
        return round(self.won * 100 / closed) if closed else None

    @property
    def open_count(self) -> int:
        return sum(stage.open_count for stage in self.stages)

    @property
    def open_amount(self) -> Decimal:
        return sum((stage.open_amount for stage in self.stages), Decimal(0))


def funnel_deals(viewer: Viewer, processes: list[SalesProcess], filters: FunnelFilters) -> QuerySet[Opportunity]:
    deals = opportunities_in_scope(viewer).filter(process__in=[process.pk for process in processes])
    if filters.unit is not None:
        deals = deals.filter(account__owner_unit__path__startswith=filters.unit.path)
    if filters.owner_id is not None:
        deals = deals.filter(owner_id=filters.owner_id)
    if filters.closing_from:
        deals = deals.filter(expected_close__gte=filters.closing_from)
    if filters.closing_to:
        deals = deals.filter(expected_close__lte=filters.closing_to)
    return deals.order_by()


def _stage_rows(processes: list[SalesProcess]) -> dict[int, dict[int, FunnelStage]]:
    """The open stages of each process, in their order (the stages come prefetched with the process)."""
    return {
        process.pk: {
            stage.pk: FunnelStage(stage=stage)
            for stage in sorted(process.stages.all(), key=lambda stage: stage.position)
            if not stage.outcome
        }
        for process in processes
    }


def funnels(viewer: Viewer, processes: list[SalesProcess], filters: FunnelFilters) -> list[ProcessFunnel]:
    """Every process's funnel in two queries whatever the number of processes and deals: one pass over the
    visible deals grouped by process, stage and currency, and one over their stage changes. Each pass reads
    the viewer's scope once; a query per process and per figure read it up to six times."""
    if not processes:
        return []
    deals = funnel_deals(viewer, processes, filters)
    rows = _stage_rows(processes)
    results = {process.pk: ProcessFunnel(process=process) for process in processes}
    currencies: dict[int, set[str]] = {process.pk: set() for process in processes}

    by_stage = (
        deals.values("process_id", "stage_id", "stage__outcome", "currency")
        .annotate(count=Count("pk"), amount=Sum("amount"))
        .values_list("process_id", "stage_id", "stage__outcome", "currency", "count", "amount")
    )
    for process_id, stage_id, outcome, currency, count, amount in by_stage:
        result, open_rows = results[process_id], rows[process_id]
        currencies[process_id].add(currency)
        if stage_id in open_rows:
            open_rows[stage_id].open_count += count
            open_rows[stage_id].open_amount += amount or Decimal(0)
        elif outcome == "won":
            result.won += count
            result.won_amount += amount or Decimal(0)
        elif outcome == "lost":
            result.lost += count

    # A deal "went further" when a later change took it to a stage placed after this one that is not a loss.
    further = StageChange.objects.filter(
        opportunity_id=OuterRef("opportunity_id"),
        to_stage__position__gt=OuterRef("to_stage__position"),
        at__gte=OuterRef("at"),
    ).exclude(to_stage__outcome="lost")
    open_stage_ids = [stage_id for open_rows in rows.values() for stage_id in open_rows]
    entered = (
        StageChange.objects.filter(opportunity__in=deals.values("pk"), to_stage_id__in=open_stage_ids)
        .order_by()
        .values("to_stage__process_id", "to_stage_id")
        .annotate(
            entered=Count("opportunity_id", distinct=True),
            advanced=Count("opportunity_id", distinct=True, filter=Q(Exists(further))),
        )
        .values_list("to_stage__process_id", "to_stage_id", "entered", "advanced")
    )
    for process_id, stage_id, entered_count, advanced_count in entered:
        rows[process_id][stage_id].entered = entered_count
        rows[process_id][stage_id].advanced = advanced_count

    for process in processes:
        result = results[process.pk]
        result.currencies = sorted(currencies[process.pk])
        result.stages = list(rows[process.pk].values())
    return [results[process.pk] for process in processes]
