"""Reads of leads, opportunities and what hangs off them, always through what the viewer may see."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet
from django.utils.translation import gettext as _

from irontriangle.accounts.models import Account
from irontriangle.accounts.selectors import account_id_sources, account_scope
from irontriangle.common.access import Viewer, get_visible, ids_union
from irontriangle.common.errors import InvalidInput
from irontriangle.common.pagination import Page, keyset_page
from irontriangle.common.restricted import require_queryable
from irontriangle.pipeline.defaults import ensure_processes
from irontriangle.pipeline.margins import PRICE_ROLES, with_margin_visibility
from irontriangle.pipeline.models import (
    Lead,
    Opportunity,
    OpportunityRole,
    OpportunityTeamMember,
    Quote,
    ReviewItem,
    ReviewMeeting,
    SalesProcess,
    Split,
    Stage,
)

# --- opportunities -----------------------------------------------------------------------------------


def opportunity_id_sources(viewer: Viewer) -> list[QuerySet[Any, Any]]:
    """The deals that are the viewer's own, one indexed source each (see `ids_union`): those of their own
    accounts, and those whose owner, team, splits or presales assignment names them or, for a manager, a
    split held by a unit they manage. Soft-deleted deals are kept: callers filter the trash themselves."""
    from irontriangle.resources.models import Assignment

    uid = viewer.user_id or 0  # only called for a signed-in viewer
    if viewer.external:
        # A partner's login sees the deals it was explicitly shared on, as a partner member of the team.
        shared = OpportunityTeamMember.objects.filter(user_id=uid, role=OpportunityRole.PARTNER)
        return [shared.values("opportunity_id")]
    deals = Opportunity.all_objects
    sources: list[QuerySet[Any, Any]] = [
        deals.filter(account_id__in=source).values("pk") for source in account_id_sources(viewer)
    ]
    sources += [
        deals.filter(owner_id=uid).values("pk"),
        OpportunityTeamMember.objects.filter(user_id=uid).values("opportunity_id"),
        Split.objects.filter(user_id=uid).values("opportunity_id"),
        # Presales people assigned through a request see the deal they serve, while the assignment runs.
        Assignment.objects.filter(user_id=uid, is_active=True).values("request__opportunity_id"),
    ]
    if viewer.managed_paths:
        # A unit holding a split brings the deal before that unit's managers.
        sources.append(Split.objects.filter(unit_id__in=viewer.managed_units()).values("opportunity_id"))
    return sources


def managed_deals(viewer: Viewer, prefix: str = "") -> Q:
    """For a manager: deals of accounts owned by a unit they manage, or led by such a unit. A test on the
    row, not a list of ids: a regional manager sees tens of thousands of deals, and a page ordered by date
    finds its 50 sooner by walking the order's index than by listing them all first."""
    return viewer.manager_scope(f"{prefix}account__owner_unit__path") | viewer.manager_scope(f"{prefix}lead_unit__path")


def opportunity_scope(viewer: Viewer, *, prefix: str = "") -> Q:
    """Deals a viewer may see: those of accounts they see, plus those whose team or splits name them."""
    if viewer.read_all or viewer.manages_every_unit:
        return Q()
    if viewer.user_id is None:
        return Q(pk__in=[])
    scope = Q(**{f"{prefix}pk__in": ids_union(*opportunity_id_sources(viewer))})
    if viewer.managed_paths and not viewer.external:
        scope |= managed_deals(viewer, prefix)
    return scope


def opportunities_in_scope(viewer: Viewer) -> QuerySet[Opportunity]:
    """The deals a viewer may see, bare: for aggregates, which must not carry the joins a page needs."""
    if viewer.is_anonymous:
        return Opportunity.objects.none()
    return Opportunity.objects.filter(opportunity_scope(viewer), account__deleted_at__isnull=True)


def opportunities_visible(viewer: Viewer) -> QuerySet[Opportunity]:
    queryset = opportunities_in_scope(viewer).select_related(
        "account", "account__owner_unit", "process", "stage", "owner", "lead_unit"
    )
    return with_margin_visibility(queryset, viewer)


def opportunity_get(viewer: Viewer, pk: Any) -> Opportunity:
    return get_visible(opportunities_visible(viewer).select_related("lead", "procurement_template"), pk)


def can_edit_opportunity(viewer: Viewer, opportunity: Opportunity) -> bool:
    """The owner, the deal's iron triangle, the account's editors and the managers above may change it."""
    from irontriangle.accounts.selectors import can_edit_account

    if viewer.user_id is None:
        return False
    if opportunity.owner_id == viewer.user_id or viewer.is_admin:
        return True
    if opportunity.team_members.filter(
        user_id=viewer.user_id, role__in=(OpportunityRole.AR, OpportunityRole.SR, OpportunityRole.FR)
    ).exists():
        return True
    return can_edit_account(viewer, opportunity.account)


def is_manager_of(viewer: Viewer, opportunity: Opportunity) -> bool:
    """A manager above the account's owner unit (or the lead unit): who may override a gate or a floor."""
    if viewer.is_admin:
        return True
    paths = [opportunity.account.owner_unit.path]
    if opportunity.lead_unit is not None:
        paths.append(opportunity.lead_unit.path)
    return any(viewer.manages_path(path) for path in paths)


def holds_role(viewer: Viewer, opportunity: Opportunity, *roles: str) -> bool:
    return (
        viewer.user_id is not None and opportunity.team_members.filter(user_id=viewer.user_id, role__in=roles).exists()
    )


OPPORTUNITY_SORTS = {
    f"{sign}{name}"
    for sign in ("", "-")
    for name in (
        "name",
        "amount",
        "probability",
        "checklist_score",
        "expected_close",
        "updated_at",
        "created_at",
        "margin",
        "margin_percent",
    )
}


@dataclass
class OpportunityFilters:
    q: str = ""
    account_id: int | None = None
    process: str = ""
    stage: str = ""
    status: str = ""  # open / won / lost
    forecast_category: str = ""
    owner_id: int | None = None
    mine: bool = False
    closing_from: date | None = None
    closing_to: date | None = None
    min_amount: Any = None
    min_margin_percent: Any = None
    sort: str = "-updated_at"


def filtered_opportunities(viewer: Viewer, filters: OpportunityFilters) -> QuerySet[Opportunity]:
    used = [filters.sort.lstrip("-")] + (["margin_percent"] if filters.min_margin_percent is not None else [])
    require_queryable(viewer, Opportunity, used, "sort" if filters.min_margin_percent is None else "min_margin_percent")
    queryset = opportunities_visible(viewer)
    if filters.q:
        term = filters.q.strip()
        queryset = queryset.filter(Q(name__icontains=term) | Q(account__name__icontains=term))
    if filters.account_id is not None:
        queryset = queryset.filter(account_id=filters.account_id)
    if filters.process:
        queryset = queryset.filter(process__code=filters.process)
    if filters.stage:
        queryset = queryset.filter(stage__code=filters.stage)
    if filters.status == "open":
        queryset = queryset.filter(stage__outcome="")
    elif filters.status in ("won", "lost"):
        queryset = queryset.filter(stage__outcome=filters.status)
    if filters.forecast_category:
        queryset = queryset.filter(forecast_category=filters.forecast_category)
    if filters.owner_id is not None:
        queryset = queryset.filter(owner_id=filters.owner_id)
    if filters.mine and viewer.user_id:
        queryset = queryset.filter(
            Q(owner_id=viewer.user_id)
            | Q(Exists(OpportunityTeamMember.objects.filter(opportunity_id=OuterRef("pk"), user_id=viewer.user_id)))
        )
    if filters.closing_from:
        queryset = queryset.filter(expected_close__gte=filters.closing_from)
    if filters.closing_to:
        queryset = queryset.filter(expected_close__lte=filters.closing_to)
    if filters.min_amount is not None:
        queryset = queryset.filter(amount__gte=filters.min_amount)
    if filters.min_margin_percent is not None:
        queryset = queryset.filter(margin_percent__gte=filters.min_margin_percent)
    return queryset


def opportunities_page(
    viewer: Viewer, filters: OpportunityFilters, *, cursor: str | None, limit: int
) -> Page[Opportunity]:
    return keyset_page(filtered_opportunities(viewer, filters), order=filters.sort, cursor=cursor, limit=limit)


def opportunity_team(opportunity: Opportunity) -> list[OpportunityTeamMember]:
    return list(opportunity.team_members.select_related("user").order_by("role", "id"))


def concerned_user_ids(opportunity: Opportunity) -> set[int]:
    """Whom a change of the deal concerns: its owner, its team and the people holding a split."""
    ids = set(opportunity.team_members.values_list("user_id", flat=True))
    ids |= {pk for pk in opportunity.splits.values_list("user_id", flat=True) if pk}
    ids.add(opportunity.owner_id)
    return ids


def account_opportunities(viewer: Viewer, account: Account, *, limit: int = 50) -> list[Opportunity]:
    return list(opportunities_visible(viewer).filter(account=account).order_by("stage__outcome", "-updated_at")[:limit])


# --- processes ---------------------------------------------------------------------------------------


def processes() -> list[SalesProcess]:
    ensure_processes()
    return list(
        SalesProcess.objects.filter(is_active=True).prefetch_related(
            Prefetch("stages", queryset=Stage.objects.order_by("position"))
        )
    )


def process_for_segment(segment: str) -> SalesProcess | None:
    ensure_processes()
    return SalesProcess.objects.filter(is_active=True, segment=segment).order_by("code").first()


def first_stage(process: SalesProcess) -> Stage:
    stage = process.stages.filter(outcome="", is_optional=False).order_by("position").first()
    if stage is None:
        raise InvalidInput.single("process", "no_stage", _("This sales process has no open stage."))
    return stage


# --- quotes ------------------------------------------------------------------------------------------


def quotes_visible(viewer: Viewer) -> QuerySet[Quote]:
    if viewer.is_anonymous:
        return Quote.objects.none()
    queryset = Quote.objects.filter(
        opportunity_scope(viewer, prefix="opportunity__"),
        opportunity__deleted_at__isnull=True,
        opportunity__account__deleted_at__isnull=True,
    ).select_related(
        "opportunity",
        "opportunity__account",
        "opportunity__account__owner_unit",
        "sr_approved_by",
        "manager_approved_by",
    )
    return with_margin_visibility(queryset, viewer, prefix="opportunity__").prefetch_related("lines")


def quote_get(viewer: Viewer, pk: Any) -> Quote:
    return get_visible(quotes_visible(viewer), pk)


QUOTE_SORTS = {
    f"{sign}{name}" for sign in ("", "-") for name in ("created_at", "updated_at", "total", "margin", "margin_percent")
}


def quotes_page(
    viewer: Viewer, *, opportunity_id: int | None, status: str, sort: str, cursor: str | None, limit: int
) -> Page[Quote]:
    require_queryable(viewer, Quote, [sort.lstrip("-")], "sort")
    queryset = quotes_visible(viewer)
    if opportunity_id is not None:
        queryset = queryset.filter(opportunity_id=opportunity_id)
    if status:
        queryset = queryset.filter(status=status)
    return keyset_page(queryset, order=sort, cursor=cursor, limit=limit)


def is_price_holder(viewer: Viewer, opportunity: Opportunity) -> bool:
    return holds_role(viewer, opportunity, *PRICE_ROLES)


# --- leads -------------------------------------------------------------------------------------------


def lead_scope(viewer: Viewer) -> Q:
    if viewer.read_all:
        return Q()
    if viewer.user_id is None:
        return Q(pk__in=[])
    return (
        Q(owner_id=viewer.user_id)
        | viewer.manager_scope("owner_unit__path")
        | (Q(account__isnull=False) & account_scope(viewer, prefix="account__"))
    )


def leads_visible(viewer: Viewer) -> QuerySet[Lead]:
    if viewer.is_anonymous:
        return Lead.objects.none()
    return Lead.objects.filter(lead_scope(viewer)).select_related("account", "owner", "owner_unit", "contact")


def lead_get(viewer: Viewer, pk: Any) -> Lead:
    return get_visible(leads_visible(viewer).select_related("opportunity"), pk)


@dataclass
class LeadFilters:
    q: str = ""
    status: str = ""
    source: str = ""
    scenario: str = ""
    segment: str = ""
    owner_id: int | None = None
    account_id: int | None = None
    sort: str = "-updated_at"


LEAD_SORTS = {f"{sign}{name}" for sign in ("", "-") for name in ("name", "updated_at", "created_at")}


def filtered_leads(viewer: Viewer, filters: LeadFilters) -> QuerySet[Lead]:
    queryset = leads_visible(viewer)
    if filters.q:
        term = filters.q.strip()
        queryset = queryset.filter(
            Q(name__icontains=term) | Q(company_name__icontains=term) | Q(account__name__icontains=term)
        )
    for name in ("status", "source", "scenario", "segment"):
        if getattr(filters, name):
            queryset = queryset.filter(**{name: getattr(filters, name)})
    if filters.owner_id is not None:
        queryset = queryset.filter(owner_id=filters.owner_id)
    if filters.account_id is not None:
        queryset = queryset.filter(account_id=filters.account_id)
    return queryset


def leads_page(viewer: Viewer, filters: LeadFilters, *, cursor: str | None, limit: int) -> Page[Lead]:
    return keyset_page(filtered_leads(viewer, filters), order=filters.sort, cursor=cursor, limit=limit)


# --- reviews -----------------------------------------------------------------------------------------


def reviews_visible(viewer: Viewer) -> QuerySet[ReviewMeeting]:
    """Meetings the viewer chaired or joined, or held by a unit they manage or belong to."""
    if viewer.is_anonymous:
        return ReviewMeeting.objects.none()
    queryset = ReviewMeeting.objects.select_related("unit", "chair")
    if viewer.read_all:
        return queryset
    joined = ReviewMeeting.participants.through.objects.filter(
        reviewmeeting_id=OuterRef("pk"), user_id=viewer.user_id or 0
    )
    return queryset.filter(
        Q(chair_id=viewer.user_id)
        | Q(Exists(joined))
        | Q(unit_id__in=viewer.unit_ids)
        | viewer.manager_scope("unit__path")
    )


def _visible_items(viewer: Viewer) -> Prefetch:
    """Each meeting's items as `visible_items`, only the deals this viewer may see."""
    visible = Opportunity.objects.filter(opportunity_scope(viewer))
    return Prefetch(
        "items",
        queryset=ReviewItem.objects.filter(opportunity__in=visible, opportunity__deleted_at__isnull=True)
        .select_related("opportunity", "opportunity__account", "opportunity__stage", "owner")
        .order_by("id"),
        to_attr="visible_items",
    )


def reviews_page(viewer: Viewer, *, cursor: str | None, limit: int) -> Page[ReviewMeeting]:
    queryset = reviews_visible(viewer).prefetch_related("participants", _visible_items(viewer))
    return keyset_page(queryset, order="-held_on", cursor=cursor, limit=limit)


def review_get(viewer: Viewer, pk: Any) -> ReviewMeeting:
    return get_visible(reviews_visible(viewer).prefetch_related("participants", _visible_items(viewer)), pk)


def review_items(viewer: Viewer, meeting: ReviewMeeting) -> list[ReviewItem]:
    """Only the reviewed deals this viewer may see: a meeting does not open the others."""
    visible = Opportunity.objects.filter(opportunity_scope(viewer))
    return list(
        meeting.items.filter(opportunity__in=visible, opportunity__deleted_at__isnull=True)
        .select_related("opportunity", "opportunity__account", "opportunity__stage", "owner")
        .order_by("id")
    )
