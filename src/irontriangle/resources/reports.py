"""Reports of the pool and the requests (SPEC §6): utilisation per person, unit and tier; requests by
status and age; fulfilment, SLA and time to assign, overall and per tier; double counting; executive
involvement. The API and the reports page read the same functions."""

from __future__ import annotations

import statistics
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any

from django.db.models import Count, Q, Sum
from django.utils import timezone

from irontriangle.common.access import Viewer
from irontriangle.pipeline.models import OpportunityRole, OpportunityTeamMember
from irontriangle.pipeline.selectors import opportunities_visible
from irontriangle.resources.capacity import percent, week_start
from irontriangle.resources.models import (
    Assignment,
    DoubleCount,
    RequestKind,
    RequestStatus,
    Resource,
    SupportTier,
)
from irontriangle.resources.selectors import pool_visible, requests_visible

CENT = Decimal("0.01")

# --- utilisation -----------------------------------------------------------------------------------------


@dataclass
class UtilisationRow:
    key: str
    label: str
    capacity_hours: Decimal  # over the whole period
    load_hours: Decimal
    weekly_load: list[Decimal]
    unit: str = ""
    tier: str = ""
    resource_id: int | None = None

    @property
    def utilisation(self) -> Decimal:
        return percent(self.load_hours, self.capacity_hours)

    @property
    def available_hours(self) -> Decimal:
        return max(Decimal("0"), self.capacity_hours - self.load_hours)


@dataclass
class Utilisation:
    weeks: list[date]
    people: list[UtilisationRow]
    units: list[UtilisationRow]
    tiers: list[UtilisationRow]
    total: UtilisationRow


def _weekly_loads(resource_ids: list[int], weeks: list[date]) -> dict[int, list[Decimal]]:
    first, last = weeks[0], weeks[-1] + timedelta(days=6)
    loads: dict[int, list[Decimal]] = defaultdict(lambda: [Decimal("0")] * len(weeks))
    rows = Assignment.objects.filter(resource_id__in=resource_ids, starts_on__lte=last, ends_on__gte=first).values_list(
        "resource_id", "starts_on", "ends_on", "hours_per_week"
    )
    for resource_id, starts_on, ends_on, hours in rows:
        for index, week in enumerate(weeks):
            if starts_on <= week + timedelta(days=6) and ends_on >= week:
                loads[resource_id][index] += hours
    return loads


def _sum_rows(key: str, label: str, rows: list[UtilisationRow], width: int, **extra: Any) -> UtilisationRow:
    return UtilisationRow(
        key=key,
        label=label,
        capacity_hours=sum((row.capacity_hours for row in rows), Decimal("0")),
        load_hours=sum((row.load_hours for row in rows), Decimal("0")),
        weekly_load=[sum((row.weekly_load[i] for row in rows), Decimal("0")) for i in range(width)],
        **extra,
    )


def utilisation(viewer: Viewer, *, start: date | None = None, weeks: int = 1, unit_code: str = "") -> Utilisation:
    """Load ÷ capacity of every active pool resource over `weeks` weeks from the week of `start`."""
    first = week_start(start or timezone.localdate())
    week_list = [first + timedelta(weeks=i) for i in range(max(1, min(weeks, 26)))]
    pool = pool_visible(viewer).filter(is_active=True)
    if unit_code:
        pool = pool.filter(unit__code=unit_code)
    resources: list[Resource] = list(pool.order_by("unit__path", "pk"))
    loads = _weekly_loads([r.pk for r in resources], week_list)
    people = []
    for resource in resources:
        weekly = loads.get(resource.pk, [Decimal("0")] * len(week_list))
        people.append(
            UtilisationRow(
                key=str(resource.pk),
                label=resource.label,
                capacity_hours=Decimal(resource.weekly_capacity_hours * len(week_list)),
                load_hours=sum(weekly, Decimal("0")),
                weekly_load=list(weekly),
                unit=resource.unit.label,
                tier=resource.support_tier,
                resource_id=resource.pk,
            )
        )
    by_unit: dict[str, list[UtilisationRow]] = defaultdict(list)
    by_tier: dict[str, list[UtilisationRow]] = defaultdict(list)
    for row in people:
        by_unit[row.unit].append(row)
        by_tier[row.tier].append(row)
    width = len(week_list)
    units = [_sum_rows(name, name, rows, width) for name, rows in by_unit.items()]
    tiers = [
        _sum_rows(tier, str(SupportTier(tier).label), by_tier[tier], width, tier=tier)
        for tier in SupportTier.values
        if tier in by_tier
    ]
    return Utilisation(week_list, people, units, tiers, _sum_rows("all", "", people, width))


# --- requests ----------------------------------------------------------------------------------------------

AGE_BUCKETS: list[tuple[str, int, int | None]] = [("lt_1d", 0, 1), ("1_3d", 1, 3), ("3_7d", 3, 7), ("gt_7d", 7, None)]


@dataclass
class RequestMeasures:
    key: str
    raised: int = 0
    by_status: dict[str, int] = field(default_factory=dict)
    answered: int = 0
    fulfilled: int = 0
    within_sla: int = 0
    escalated: int = 0
    hours_to_assign: list[float] = field(default_factory=list)
    open_by_age: dict[str, int] = field(default_factory=dict)

    @property
    def fulfilment_rate(self) -> Decimal | None:
        return percent(Decimal(self.fulfilled), self.answered) if self.answered else None

    @property
    def sla_rate(self) -> Decimal | None:
        return percent(Decimal(self.within_sla), self.answered) if self.answered else None

    @property
    def median_hours_to_assign(self) -> Decimal | None:
        if not self.hours_to_assign:
            return None
        return Decimal(str(round(statistics.median(self.hours_to_assign), 1)))


def _age_bucket(raised: datetime, now: datetime) -> str:
    days = (now - raised).total_seconds() / 86400
    for key, low, high in AGE_BUCKETS:
        if days >= low and (high is None or days < high):
            return key
    return AGE_BUCKETS[-1][0]


def request_measures(viewer: Viewer, *, days: int = 90, now: datetime | None = None) -> dict[str, RequestMeasures]:
    """`all` and one entry per tier, over the requests raised in the last `days` days plus every open one."""
    now = now or timezone.now()
    since = now - timedelta(days=days)
    rows = (
        requests_visible(viewer)
        .filter(Q(created_at__gte=since) | Q(status=RequestStatus.REQUESTED) | Q(status=RequestStatus.ASSIGNED))
        .values_list("routed_tier", "status", "created_at", "answered_at", "answer_due_at", "escalation_level")
    )
    measures = {"all": RequestMeasures("all"), **{tier: RequestMeasures(tier) for tier in SupportTier.values}}
    for key in measures.values():
        key.by_status = dict.fromkeys(RequestStatus.values, 0)
        key.open_by_age = {bucket: 0 for bucket, _low, _high in AGE_BUCKETS}
    for tier, status, created_at, answered_at, due_at, level in rows:
        for target in (measures["all"], measures[tier]):
            target.raised += 1
            target.by_status[status] += 1
            target.escalated += level > 0
            if status == RequestStatus.REQUESTED:
                target.open_by_age[_age_bucket(created_at, now)] += 1
            if answered_at is not None:
                target.answered += 1
                target.within_sla += answered_at <= due_at
                if status in (RequestStatus.ASSIGNED, RequestStatus.DONE):
                    target.fulfilled += 1
                    target.hours_to_assign.append((answered_at - created_at).total_seconds() / 3600)
    return measures


# --- double counting and executives ------------------------------------------------------------------------


@dataclass
class DoubleCountRow:
    unit: str
    deals: int
    open_amount: Decimal
    won_amount: Decimal


def double_counting(viewer: Viewer) -> list[DoubleCountRow]:
    """双算: what each serving unit counts in its own results, on deals the viewer may see."""
    visible = opportunities_visible(viewer).values("pk")
    # A serving unit's managers see what their unit counts, even on deals they do not otherwise see.
    rows = (
        DoubleCount.objects.filter(
            Q(opportunity_id__in=visible) | viewer.manager_scope("unit__path"), opportunity__deleted_at__isnull=True
        )
        .values("unit__name", "unit__name_en")
        .annotate(
            deals=Count("opportunity", distinct=True),
            open_amount=Sum("opportunity__amount", filter=Q(opportunity__stage__outcome="")),
            won_amount=Sum("opportunity__amount", filter=Q(opportunity__stage__outcome="won")),
        )
        .order_by("unit__name")
    )
    from django.utils.translation import get_language

    english = not (get_language() or "en").startswith("zh")
    return [
        DoubleCountRow(
            unit=(row["unit__name_en"] if english and row["unit__name_en"] else row["unit__name"]),
            deals=row["deals"],
            open_amount=Decimal(row["open_amount"] or 0).quantize(CENT),
            won_amount=Decimal(row["won_amount"] or 0).quantize(CENT),
        )
        for row in rows
    ]


@dataclass
class ExecutiveRow:
    account_id: int
    account: str
    opportunities: int
    sponsors_on_team: int
    requests: int
    requests_served: int


def executive_involvement(viewer: Viewer) -> list[ExecutiveRow]:
    """Seed 000 and 002: bring executives early. Per account: deals with an executive sponsor on the team,
    and asks for an executive to join a customer meeting (and how many were served)."""
    deals = opportunities_visible(viewer)
    sponsors = (
        OpportunityTeamMember.objects.filter(opportunity__in=deals.values("pk"), role=OpportunityRole.EXECUTIVE_SPONSOR)
        .values("opportunity__account_id", "opportunity__account__name")
        .annotate(n=Count("opportunity", distinct=True))
    )
    asks = (
        requests_visible(viewer)
        .filter(kind=RequestKind.EXECUTIVE_SPONSOR)
        .values("opportunity__account_id", "opportunity__account__name")
        .annotate(n=Count("pk"), served=Count("pk", filter=Q(status__in=(RequestStatus.ASSIGNED, RequestStatus.DONE))))
    )
    table: dict[int, dict[str, int]] = defaultdict(lambda: {"sponsors": 0, "requests": 0, "served": 0})
    # Named from the rows themselves: a pool manager sees the asks, not always the deals behind them.
    names: dict[int, str] = {}
    for row in sponsors:
        names[row["opportunity__account_id"]] = row["opportunity__account__name"]
        table[row["opportunity__account_id"]]["sponsors"] = row["n"]
    for row in asks:
        names[row["opportunity__account_id"]] = row["opportunity__account__name"]
        table[row["opportunity__account_id"]]["requests"] = row["n"]
        table[row["opportunity__account_id"]]["served"] = row["served"]
    if not table:
        return []
    accounts = {
        row["account_id"]: row
        for row in deals.filter(account_id__in=list(table))
        .values("account_id", "account__name")
        .annotate(n=Count("pk"))
    }
    rows = [
        ExecutiveRow(
            account_id=pk,
            account=names.get(pk, ""),
            opportunities=accounts[pk]["n"] if pk in accounts else 0,
            sponsors_on_team=values["sponsors"],
            requests=values["requests"],
            requests_served=values["served"],
        )
        for pk, values in table.items()
    ]
    return sorted(rows, key=lambda row: (-(row.sponsors_on_team + row.requests), row.account))
