"""Who sees cost and margin (SPEC §1): the AR and SR of the deal or its account, the managers above the
account's owner unit, finance and admins. Nobody else, in any list, filter, sort, export or history."""

from __future__ import annotations

from typing import Any

from django.db.models import BooleanField, Exists, ExpressionWrapper, OuterRef, Q, QuerySet, Value

from irontriangle.accounts.models import AccountTeamMember, TeamRole
from irontriangle.accounts.selectors import active_team
from irontriangle.common.access import Viewer
from irontriangle.common.restricted import restrict

PRICE_ROLES = ("ar", "sr")
OPPORTUNITY_FIELDS = ("margin", "margin_percent")
QUOTE_FIELDS = ("cost", "margin", "margin_percent", "below_floor")


def margin_q(viewer: Viewer, prefix: str = "") -> Q:
    """Opportunities (reached through `prefix`) whose margin this viewer may see."""
    from irontriangle.pipeline.models import OpportunityTeamMember

    if viewer.finance:
        return Q()
    if viewer.user_id is None:
        return Q(pk__in=[])
    deal_team = OpportunityTeamMember.objects.filter(
        opportunity_id=OuterRef(f"{prefix}pk"), user_id=viewer.user_id, role__in=PRICE_ROLES
    )
    account_team = AccountTeamMember.objects.filter(
        active_team(),
        account_id=OuterRef(f"{prefix}account_id"),
        user_id=viewer.user_id,
        role__in=(TeamRole.AR, TeamRole.SR),
    )
    return (
        Q(**{f"{prefix}owner_id": viewer.user_id})
        | Q(**{f"{prefix}account__owner_id": viewer.user_id})
        | Q(Exists(deal_team))
        | Q(Exists(account_team))
        | viewer.manager_scope(f"{prefix}account__owner_unit__path")
    )


def with_margin_visibility(queryset: QuerySet[Any], viewer: Viewer, prefix: str = "") -> QuerySet[Any]:
    """Annotate `margin_visible` so that redacting a page of rows costs no query per row."""
    if viewer.finance or viewer.user_id is None:
        # Every row or none: a constant, not an empty condition for the database to puzzle over.
        return queryset.annotate(margin_visible=Value(viewer.finance, output_field=BooleanField()))
    return queryset.annotate(margin_visible=ExpressionWrapper(margin_q(viewer, prefix), output_field=BooleanField()))


def sees_margin(viewer: Viewer, opportunity: Any) -> bool:
    """The rule for one opportunity, or with `None` for every opportunity at once (filters and sorts)."""
    if viewer.finance:
        return True
    if opportunity is None:
        return False
    known = getattr(opportunity, "margin_visible", None)
    if known is not None:
        return bool(known)
    from irontriangle.pipeline.models import Opportunity

    visible = Opportunity.all_objects.filter(margin_q(viewer), pk=opportunity.pk).exists()
    opportunity.margin_visible = visible
    return visible


def _quote_rule(viewer: Viewer, quote: Any) -> bool:
    if quote is None:
        return sees_margin(viewer, None)
    known = getattr(quote, "margin_visible", None)
    if known is not None:
        return bool(known)
    return sees_margin(viewer, quote.opportunity)


def register() -> None:
    from irontriangle.pipeline.models import Opportunity, Quote

    for name in OPPORTUNITY_FIELDS:
        restrict(Opportunity, name, sees_margin)
    for name in QUOTE_FIELDS:
        restrict(Quote, name, _quote_rule)
