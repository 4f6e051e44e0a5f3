"""The sales funnel (SPEC §5, §12): open deals per stage, conversion between stages, win rate.

Every figure is aggregated in SQL over the deals the viewer may see (`opportunities_visible`), a few
queries per process whatever the number of deals. Conversion comes from the stage changes: of the deals
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
from irontriangle.pipeline.selectors import opportunities_visible


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


def funnel_deals(viewer: Viewer, process: SalesProcess, filters: FunnelFilters) -> QuerySet[Opportunity]:
    deals = opportunities_visible(viewer).filter(process=process)
    if filters.unit is not None:
        deals = deals.filter(account__owner_unit__path__startswith=filters.unit.path)
    if filters.owner_id is not None:
        deals = deals.filter(owner_id=filters.owner_id)
    if filters.closing_from:
        deals = deals.filter(expected_close__gte=filters.closing_from)
    if filters.closing_to:
        deals = deals.filter(expected_close__lte=filters.closing_to)
    return deals


def process_funnel(viewer: Viewer, process: SalesProcess, filters: FunnelFilters) -> ProcessFunnel:
    """One process's funnel in three queries (the stages come prefetched with the process)."""
    stages = sorted(process.stages.all(), key=lambda stage: stage.position)
    deals = funnel_deals(viewer, process, filters)
    result = ProcessFunnel(process=process)
    rows = {stage.pk: FunnelStage(stage=stage) for stage in stages if not stage.outcome}

    by_stage = (
        deals.order_by()
        .values("stage_id", "stage__outcome")
        .annotate(count=Count("pk"), amount=Sum("amount"))
        .values_list("stage_id", "stage__outcome", "count", "amount")
    )
    for stage_id, outcome, count, amount in by_stage:
        if stage_id in rows:
            rows[stage_id].open_count = count
            rows[stage_id].open_amount = amount or Decimal(0)
        elif outcome == "won":
            result.won += count
            result.won_amount += amount or Decimal(0)
        elif outcome == "lost":
            result.lost += count
    result.currencies = sorted(set(deals.order_by().values_list("currency", flat=True).distinct()))

    # A deal "went further" when a later change took it to a stage placed after this one that is not a loss.
    further = StageChange.objects.filter(
        opportunity_id=OuterRef("opportunity_id"),
        to_stage__position__gt=OuterRef("to_stage__position"),
        at__gte=OuterRef("at"),
    ).exclude(to_stage__outcome="lost")
    entered = (
        StageChange.objects.filter(opportunity__in=deals.order_by().values("pk"), to_stage_id__in=list(rows))
        .order_by()
        .values("to_stage_id")
        .annotate(
            entered=Count("opportunity_id", distinct=True),
            advanced=Count("opportunity_id", distinct=True, filter=Q(Exists(further))),
        )
        .values_list("to_stage_id", "entered", "advanced")
    )
    for stage_id, entered_count, advanced_count in entered:
        rows[stage_id].entered = entered_count
        rows[stage_id].advanced = advanced_count
    result.stages = [rows[stage.pk] for stage in stages if stage.pk in rows]
    return result


def funnels(viewer: Viewer, processes: list[SalesProcess], filters: FunnelFilters) -> list[ProcessFunnel]:
    return [process_funnel(viewer, process, filters) for process in processes]
