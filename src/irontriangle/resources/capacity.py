"""Load, availability and matching.

An assignment spreads its hours evenly over the calendar weeks it touches, from its start to its end;
a person's load in a week is the sum of the assignments that touch that week, and what is left of their
weekly capacity is their availability. Utilisation = load ÷ capacity.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db.models import Q, QuerySet

from irontriangle.resources.models import Assignment, RequestKind, Resource, ResourceRequest, ServeWith


def week_start(day: date) -> date:
    return day - timedelta(days=day.weekday())


def weeks_between(start: date, end: date) -> int:
    """The calendar weeks (Monday to Sunday) a stretch of days touches, at least one: the load of each
    week then adds up to exactly the hours asked for, whichever weekday the work starts on."""
    return max(1, (week_start(end) - week_start(start)).days // 7 + 1)


def spread(hours: int, start: date, end: date) -> Decimal:
    return (Decimal(hours) / weeks_between(start, end)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def loads(resource_ids: list[int], week: date) -> dict[int, Decimal]:
    """Committed hours per resource in the week starting `week`."""
    if not resource_ids:
        return {}
    end = week + timedelta(days=6)
    totals: dict[int, Decimal] = defaultdict(Decimal)
    rows = Assignment.objects.filter(resource_id__in=resource_ids, starts_on__lte=end, ends_on__gte=week).values_list(
        "resource_id", "hours_per_week"
    )
    for resource_id, hours in rows:
        totals[resource_id] += hours
    return totals


def percent(part: Decimal, whole: Decimal | int) -> Decimal:
    if not whole:
        return Decimal("0")
    return (Decimal(part) * 100 / Decimal(whole)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


@dataclass
class Candidate:
    resource: Resource
    score: int
    skills_matched: list[str]
    region_match: bool
    load_hours: Decimal
    available_hours: Decimal
    needed_per_week: Decimal
    reasons: list[str] = field(default_factory=list)


def eligible(request: ResourceRequest, rule_serve_with: str | None) -> Q:
    """Which part of the pool can answer: executives for an executive, partners' teams for a partner,
    otherwise the routed tier (and the rule's pool unit, when it names one)."""
    if request.kind == RequestKind.EXECUTIVE_SPONSOR:
        return Q(is_executive=True)
    if request.kind == RequestKind.PARTNER or rule_serve_with == ServeWith.PARTNER:
        scope = Q(partner__isnull=False, support_tier=request.routed_tier)
    else:
        scope = Q(user__isnull=False, support_tier=request.routed_tier)
    if request.pool_unit is not None:
        scope &= Q(unit__path__startswith=request.pool_unit.path)
    return scope


def candidates_for(
    request: ResourceRequest, pool: QuerySet[Resource] | None = None, *, today: date | None = None, limit: int = 5
) -> list[Candidate]:
    """The best available people for a request: those with room in their week first, and among them the
    best score of skills (50), region (25) and room (25)."""
    from irontriangle.resources.models import Resource as ResourceModel

    today = today or date.today()
    serve_with = request.routing_rule.serve_with if request.routing_rule is not None else None
    queryset = (pool if pool is not None else ResourceModel.objects.all()).filter(
        eligible(request, serve_with), is_active=True
    )
    resources = list(queryset.select_related("user", "partner", "unit"))
    return rank(request, resources, loads([r.pk for r in resources], week_start(today)), today=today)[:limit]


def rank(
    request: ResourceRequest, resources: list[Resource], load: dict[int, Decimal], *, today: date
) -> list[Candidate]:
    wanted = [skill.casefold() for skill in request.skills or []]
    region = (request.opportunity.account.region or "").strip().casefold()
    needed = spread(request.hours, today, max(today, request.needed_by))
    ranked: list[Candidate] = []
    for resource in resources:
        held = {skill.casefold(): skill for skill in resource.skills or []}
        matched = [held[skill] for skill in wanted if skill in held]
        region_match = bool(region) and (resource.region or "").strip().casefold() == region
        committed = load.get(resource.pk, Decimal("0"))
        available = max(Decimal("0"), Decimal(resource.weekly_capacity_hours) - committed)
        skill_points = round(50 * len(matched) / len(wanted)) if wanted else 50
        region_points = 25 if region_match else (10 if not resource.region else 0)
        room_points = 25 if available >= needed else int(25 * available / needed) if needed else 25
        ranked.append(
            Candidate(
                resource=resource,
                score=skill_points + region_points + room_points,
                skills_matched=matched,
                region_match=region_match,
                load_hours=committed,
                available_hours=available,
                needed_per_week=needed,
            )
        )
    # Whoever has room for the request comes before whoever has not; then the best score.
    ranked.sort(key=lambda c: (c.available_hours < c.needed_per_week, -c.score, -c.available_hours, c.resource.pk))
    return ranked


def candidate_out(candidate: Candidate) -> dict[str, Any]:
    resource = candidate.resource
    return {
        "resource_id": resource.pk,
        "name": resource.label,
        "user_id": resource.user_id,
        "partner_id": resource.partner_id,
        "unit": resource.unit.label,
        "region": resource.region,
        "score": candidate.score,
        "skills_matched": candidate.skills_matched,
        "region_match": candidate.region_match,
        "weekly_capacity_hours": resource.weekly_capacity_hours,
        "load_hours": candidate.load_hours,
        "available_hours": candidate.available_hours,
        "needed_per_week": candidate.needed_per_week,
        "has_capacity": candidate.available_hours >= candidate.needed_per_week,
    }
