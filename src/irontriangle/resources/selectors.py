"""Reads of the pool, requests, partners and registrations, always through what the viewer may see."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from django.db.models import Q, QuerySet

from irontriangle.common.access import Viewer, get_visible
from irontriangle.pipeline.selectors import opportunity_scope
from irontriangle.resources.models import (
    DealRegistration,
    Partner,
    PartnerMeeting,
    PartnerUser,
    Resource,
    ResourceRequest,
)

# --- the pool ------------------------------------------------------------------------------------------


def pool_visible(viewer: Viewer) -> QuerySet[Resource]:
    """The pool is the company's shared directory of presales help: every internal user may browse it."""
    if viewer.is_anonymous or viewer.external:
        return Resource.objects.none()
    return Resource.objects.select_related("user", "partner", "unit")


def resource_get(viewer: Viewer, pk: Any) -> Resource:
    return get_visible(pool_visible(viewer), pk)


def can_manage_unit(viewer: Viewer, unit_path: str | None) -> bool:
    """Who runs a part of the pool: its unit's managers (and those above), the middle office, admins."""
    return viewer.is_admin or viewer.middle_office or viewer.manages_path(unit_path)


@dataclass
class PoolFilters:
    q: str = ""
    support_tier: str = ""
    unit_code: str = ""
    skill: str = ""
    partner_id: int | None = None
    active: bool | None = None


def filtered_pool(viewer: Viewer, filters: PoolFilters) -> QuerySet[Resource]:
    queryset = pool_visible(viewer)
    if filters.q:
        queryset = queryset.filter(
            Q(name__icontains=filters.q)
            | Q(user__display_name__icontains=filters.q)
            | Q(user__username__icontains=filters.q)
            | Q(partner__name__icontains=filters.q)
        )
    if filters.support_tier:
        queryset = queryset.filter(support_tier=filters.support_tier)
    if filters.unit_code:
        queryset = queryset.filter(unit__code=filters.unit_code)
    if filters.partner_id:
        queryset = queryset.filter(partner_id=filters.partner_id)
    if filters.active is not None:
        queryset = queryset.filter(is_active=filters.active)
    if filters.skill:
        # Skills are a short JSON list; matching the quoted value inside the text works on both engines.
        # SQLite keeps the list as JSON text with non-ASCII letters escaped ("\u7f51…"): match that form too.
        queryset = queryset.filter(
            Q(skills__icontains=f'"{filters.skill}') | Q(skills__icontains=json.dumps(filters.skill)[:-1])
        )
    return queryset


# --- requests ------------------------------------------------------------------------------------------


def request_scope(viewer: Viewer) -> Q:
    """Requests of deals the viewer sees, the ones they raised or serve, and those of pool units they run."""
    if viewer.read_all or viewer.middle_office:
        return Q()
    if viewer.user_id is None or viewer.external:
        return Q(pk__in=[])
    return (
        opportunity_scope(viewer, prefix="opportunity__")
        | Q(requested_by_id=viewer.user_id)
        | Q(assignment__user_id=viewer.user_id)
        | viewer.manager_scope("pool_unit__path")
        | viewer.manager_scope("assignment__resource__unit__path")
    )


def requests_visible(viewer: Viewer) -> QuerySet[ResourceRequest]:
    if viewer.is_anonymous or viewer.external:
        return ResourceRequest.objects.none()
    return ResourceRequest.objects.filter(request_scope(viewer), opportunity__deleted_at__isnull=True).select_related(
        "opportunity",
        "opportunity__account",
        "opportunity__account__owner_unit",
        "opportunity__stage",
        "requested_by",
        "pool_unit",
        "assignment",
        "assignment__resource",
        "assignment__resource__user",
        "assignment__resource__partner",
    )


def request_get(viewer: Viewer, pk: Any) -> ResourceRequest:
    return get_visible(requests_visible(viewer), pk)


def escalation_unit_path(request: ResourceRequest) -> str | None:
    unit = request.pool_unit or request.opportunity.account.owner_unit
    return unit.path if unit is not None else None


def can_answer(viewer: Viewer, request: ResourceRequest) -> bool:
    """Assigning or declining is the pool's call: the managers of the pool unit (or, when the rule names
    none, of the account's owner unit), the middle office and admins."""
    return can_manage_unit(viewer, escalation_unit_path(request))


def can_close(viewer: Viewer, request: ResourceRequest) -> bool:
    """The person serving, the one who asked, the deal's editors and the pool's managers close a request."""
    from irontriangle.pipeline.selectors import can_edit_opportunity

    assignment = getattr(request, "assignment", None)
    if viewer.user_id in (request.requested_by_id, getattr(assignment, "user_id", None)):
        return True
    return can_answer(viewer, request) or can_edit_opportunity(viewer, request.opportunity)


@dataclass
class RequestFilters:
    status: str = ""
    kind: str = ""
    opportunity_id: int | None = None
    routed_tier: str = ""
    pool_unit_code: str = ""
    assigned_to_me: bool = False
    requested_by_me: bool = False
    open: bool | None = None


def filtered_requests(viewer: Viewer, filters: RequestFilters) -> QuerySet[ResourceRequest]:
    queryset = requests_visible(viewer)
    if filters.status:
        queryset = queryset.filter(status=filters.status)
    if filters.kind:
        queryset = queryset.filter(kind=filters.kind)
    if filters.opportunity_id:
        queryset = queryset.filter(opportunity_id=filters.opportunity_id)
    if filters.routed_tier:
        queryset = queryset.filter(routed_tier=filters.routed_tier)
    if filters.pool_unit_code:
        queryset = queryset.filter(pool_unit__code=filters.pool_unit_code)
    if filters.assigned_to_me:
        queryset = queryset.filter(assignment__user_id=viewer.user_id or 0)
    if filters.requested_by_me:
        queryset = queryset.filter(requested_by_id=viewer.user_id)
    if filters.open is not None:
        open_statuses = ("requested", "assigned")
        queryset = (
            queryset.filter(status__in=open_statuses) if filters.open else queryset.exclude(status__in=open_statuses)
        )
    return queryset


def queue_for(viewer: Viewer) -> QuerySet[ResourceRequest]:
    """Open requests the viewer may answer, the most important first (the pool manager's queue)."""
    queryset = requests_visible(viewer).filter(status="requested")
    if not (viewer.is_admin or viewer.middle_office):
        queryset = queryset.filter(
            viewer.manager_scope("pool_unit__path")
            | (Q(pool_unit__isnull=True) & viewer.manager_scope("opportunity__account__owner_unit__path"))
        )
    return queryset.order_by("-priority", "needed_by", "pk")


# --- partners ------------------------------------------------------------------------------------------


def partner_of(viewer: Viewer) -> Partner | None:
    """The partner an external login speaks for."""
    if not viewer.external:
        return None
    link = PartnerUser.objects.filter(user_id=viewer.user_id or 0).select_related("partner").first()
    return link.partner if link is not None and link.partner.deleted_at is None else None


def partners_visible(viewer: Viewer) -> QuerySet[Partner]:
    if viewer.is_anonymous:
        return Partner.objects.none()
    queryset = Partner.objects.select_related("manager")
    if viewer.external:
        return queryset.filter(users__user_id=viewer.user_id or 0)
    return queryset


def partner_get(viewer: Viewer, pk: Any) -> Partner:
    return get_visible(partners_visible(viewer), pk)


def can_manage_partner(viewer: Viewer, partner: Partner | None = None) -> bool:
    if viewer.external or viewer.user_id is None:
        return False
    if viewer.is_admin or viewer.middle_office:
        return True
    return partner is not None and partner.manager_id == viewer.user_id


def meetings_of(partner: Partner) -> QuerySet[PartnerMeeting]:
    return partner.meetings.select_related("opportunity", "created_by").prefetch_related("participants")


# --- deal registrations ---------------------------------------------------------------------------------


def registration_scope(viewer: Viewer) -> Q:
    from irontriangle.accounts.selectors import account_scope

    if viewer.user_id is None:
        return Q(pk__in=[])
    if viewer.external:
        return Q(partner__users__user_id=viewer.user_id)
    if viewer.read_all or viewer.middle_office:
        return Q()
    return (
        account_scope(viewer, prefix="account__")
        | Q(registered_by_id=viewer.user_id)
        | Q(partner__manager_id=viewer.user_id)
        | viewer.manager_scope("unit__path")
    )


def registrations_visible(viewer: Viewer) -> QuerySet[DealRegistration]:
    if viewer.is_anonymous:
        return DealRegistration.objects.none()
    return DealRegistration.objects.filter(registration_scope(viewer)).select_related(
        "partner", "unit", "account", "opportunity", "registered_by", "decided_by"
    )


def registration_get(viewer: Viewer, pk: Any) -> DealRegistration:
    return get_visible(registrations_visible(viewer), pk)


def can_decide_registration(viewer: Viewer, registration: DealRegistration) -> bool:
    """The channel manager of the partner, the middle office (who arbitrates conflicts) and admins."""
    if viewer.external or viewer.user_id is None:
        return False
    if viewer.is_admin or viewer.middle_office:
        return True
    if registration.partner is not None and registration.partner.manager_id == viewer.user_id:
        return True
    account = registration.account
    return account is not None and viewer.manages_path(account.owner_unit.path)
