"""Seed 002's tiered support: which tier, which part of the pool and which SLA a request gets."""

from __future__ import annotations

from datetime import datetime, timedelta

from irontriangle.pipeline.models import Opportunity, ProjectType
from irontriangle.resources.defaults import ensure_defaults
from irontriangle.resources.models import RoutingRule, SlaRule, SupportTier

# When no rule matches (an administrator removed them all), the project type alone decides the tier.
FALLBACK_TIER = {
    ProjectType.COMPANY_LED: SupportTier.TIER1,
    ProjectType.PARTNER_LED: SupportTier.TIER2,
    ProjectType.STANDARD_PRODUCT: SupportTier.TIER3,
}


def rule_for(opportunity: Opportunity) -> RoutingRule | None:
    ensure_defaults()
    for rule in RoutingRule.objects.filter(is_active=True, project_type=opportunity.project_type).select_related(
        "pool_unit"
    ):
        if opportunity.amount >= rule.min_amount and (rule.max_amount is None or opportunity.amount < rule.max_amount):
            return rule
    return None


def tier_for(opportunity: Opportunity, rule: RoutingRule | None) -> str:
    if rule is not None:
        return rule.tier
    return str(FALLBACK_TIER.get(ProjectType(opportunity.project_type), SupportTier.TIER1))


def sla_hours(kind: str) -> int:
    rule = SlaRule.objects.filter(kind=kind).first()
    if rule is None:
        ensure_defaults()
        rule = SlaRule.objects.filter(kind=kind).first()
    return rule.answer_within_hours if rule is not None else 24


def answer_due(kind: str, raised_at: datetime) -> datetime:
    return raised_at + timedelta(hours=sla_hours(kind))
