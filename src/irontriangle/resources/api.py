"""`/resource-pool`, `/resource-requests`, `/partners`, `/deal-registrations` and `/resource-reports`."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Annotated, Any, Literal

from django.db.models import Q
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema, Status
from pydantic import Field

from irontriangle.accounts.api import ERRORS
from irontriangle.accounts.models import Account
from irontriangle.accounts.schemas import HistoryOut
from irontriangle.accounts.selectors import accounts_visible
from irontriangle.common.apitools import Id, ListOut, SafeStr, actor, expected_version, viewer
from irontriangle.common.errors import InvalidInput
from irontriangle.common.history import history_of
from irontriangle.common.pagination import DEFAULT_LIMIT, MAX_LIMIT, keyset_page
from irontriangle.org.models import OrgUnit
from irontriangle.org.selectors import users_visible
from irontriangle.pipeline.models import Opportunity
from irontriangle.pipeline.selectors import opportunities_visible
from irontriangle.resources import reports, selectors, services
from irontriangle.resources.capacity import candidates_for, loads, week_start
from irontriangle.resources.schemas import (
    AssignIn,
    DecideIn,
    DeclineIn,
    DoneIn,
    Kind,
    MeetingIn,
    MeetingOut,
    PartnerContactIn,
    PartnerContactOut,
    PartnerIn,
    PartnerOut,
    PartnerPatch,
    PartnerUserIn,
    PartnerUserOut,
    PTier,
    PType,
    RegistrationIn,
    RegistrationOut,
    RejectIn,
    RequestEventOut,
    RequestIn,
    RequestOut,
    RequestPatch,
    ResourceIn,
    ResourceOut,
    ResourcePatch,
    Tier,
    contact_out,
    meeting_out,
    partner_out,
    registration_out,
    request_out,
    resource_out,
)

router = Router(tags=["resources"])

Cursor = Annotated[SafeStr, Field(max_length=500)]
Limit = Annotated[int, Field(ge=1, le=MAX_LIMIT)]
Search = Annotated[SafeStr, Field(max_length=100)]


def _opportunity(request: HttpRequest, pk: int | None, *, arbitrate: bool = False) -> Any:
    """A deal the caller sees; for a registration, the middle office (who arbitrates) matches any."""
    if pk is None:
        return None
    who = viewer(request)
    scope = Opportunity.objects.all() if arbitrate and who.middle_office else opportunities_visible(who)
    found = scope.filter(pk=pk).first()
    if found is None:
        raise InvalidInput.single("opportunity_id", "unknown_opportunity", _("Unknown opportunity."))
    return found


def _account(request: HttpRequest, pk: int | None) -> Any:
    """An account the caller sees; the middle office, who arbitrates channel conflicts, matches any."""
    if pk is None:
        return None
    who = viewer(request)
    scope = Account.objects.all() if who.middle_office else accounts_visible(who)
    found = scope.filter(pk=pk).first()
    if found is None:
        raise InvalidInput.single("account_id", "unknown_account", _("Unknown account."))
    return found


# --- the pool ----------------------------------------------------------------------------------------


class PoolFiltersIn(Schema):
    q: Search = ""
    support_tier: Tier | None = None
    unit_code: Annotated[SafeStr, Field(max_length=50)] = ""
    skill: Annotated[SafeStr, Field(max_length=60)] = ""
    partner_id: Id | None = None
    active: bool | None = None
    limit: Limit = DEFAULT_LIMIT
    cursor: Cursor | None = None


def _resource_out(resource: Any) -> dict[str, Any]:
    week = week_start(timezone.localdate())
    return resource_out(resource, loads([resource.pk], week).get(resource.pk, Decimal("0")))


@router.get("/resource-pool", response={200: ListOut[ResourceOut], **ERRORS})
def list_pool(request: HttpRequest, filters: Query[PoolFiltersIn]) -> Any:
    """The pool with this week's load and availability of each entry."""
    data = filters.model_dump()
    limit, cursor = data.pop("limit"), data.pop("cursor")
    data["support_tier"] = data["support_tier"] or ""
    queryset = selectors.filtered_pool(viewer(request), selectors.PoolFilters(**data))
    page = keyset_page(queryset, order="id", cursor=cursor, limit=limit)
    week_load = loads([r.pk for r in page.items], week_start(timezone.localdate()))
    return {
        "items": [resource_out(r, week_load.get(r.pk, Decimal("0"))) for r in page.items],
        "next_cursor": page.next_cursor,
    }


@router.post("/resource-pool", response={201: ResourceOut, **ERRORS})
def create_resource(request: HttpRequest, payload: ResourceIn) -> Any:
    """A person (`user_id`) or a partner's presales team (`partner_id`); `unit_code` defaults to the
    person's primary unit. Only that unit's managers, the middle office and admins add to it."""
    data = payload.model_dump()
    who = viewer(request)
    user = partner = None
    if data.get("user_id"):
        user = users_visible(who).filter(pk=data["user_id"]).first()
        if user is None:
            raise InvalidInput.single("user_id", "unknown_user", _("Unknown colleague."))
    if data.get("partner_id"):
        partner = selectors.partners_visible(who).filter(pk=data["partner_id"]).first()
        if partner is None:
            raise InvalidInput.single("partner_id", "unknown_partner", _("Unknown partner."))
    resource = services.resource_create(viewer=who, actor=actor(request), data=data, user=user, partner=partner)
    return Status(201, _resource_out(selectors.resource_get(who, resource.pk)))


@router.get("/resource-pool/{resource_id}", response={200: ResourceOut, **ERRORS})
def get_resource(request: HttpRequest, resource_id: Id) -> Any:
    return _resource_out(selectors.resource_get(viewer(request), resource_id))


@router.patch("/resource-pool/{resource_id}", response={200: ResourceOut, **ERRORS})
def update_resource(request: HttpRequest, resource_id: Id, payload: ResourcePatch) -> Any:
    who = viewer(request)
    resource = selectors.resource_get(who, resource_id)
    sent = payload.model_dump(exclude_unset=True)
    version = expected_version(request, sent.pop("version", None))
    services.resource_update(viewer=who, actor=actor(request), resource=resource, data=sent, version=version)
    return _resource_out(selectors.resource_get(who, resource_id))


@router.delete("/resource-pool/{resource_id}", response={204: None, **ERRORS})
def delete_resource(request: HttpRequest, resource_id: Id) -> Any:
    who = viewer(request)
    services.resource_delete(viewer=who, actor=actor(request), resource=selectors.resource_get(who, resource_id))
    return Status(204, None)


# --- requests -------------------------------------------------------------------------------------------


class RequestFiltersIn(Schema):
    status: Literal["requested", "assigned", "declined", "done"] | None = None
    kind: Kind | None = None
    opportunity_id: Id | None = None
    routed_tier: Tier | None = None
    pool_unit_code: Annotated[SafeStr, Field(max_length=50)] = ""
    assigned_to_me: bool = False
    requested_by_me: bool = False
    open: bool | None = None
    sort: Literal["-priority", "priority", "needed_by", "-needed_by", "-created_at", "created_at"] = "-priority"
    limit: Limit = DEFAULT_LIMIT
    cursor: Cursor | None = None


def _request_out(request: HttpRequest, pk: int, *, propose: bool = True) -> dict[str, Any]:
    who = viewer(request)
    resource_request = selectors.request_get(who, pk)
    proposed = None
    if propose and resource_request.status == "requested":
        proposed = candidates_for(resource_request, selectors.pool_visible(who), today=timezone.localdate())
    return request_out(resource_request, proposed)


@router.get("/resource-requests", response={200: ListOut[RequestOut], **ERRORS})
def list_requests(request: HttpRequest, filters: Query[RequestFiltersIn]) -> Any:
    """Requests the caller may see, the most important first. `proposed` is given on a single request."""
    data = filters.model_dump()
    limit, cursor, sort = data.pop("limit"), data.pop("cursor"), data.pop("sort")
    for name in ("status", "kind", "routed_tier"):
        data[name] = data[name] or ""
    queryset = selectors.filtered_requests(viewer(request), selectors.RequestFilters(**data))
    page = keyset_page(queryset, order=sort, cursor=cursor, limit=limit)
    return {"items": [request_out(item) for item in page.items], "next_cursor": page.next_cursor}


@router.post("/resource-requests", response={201: RequestOut, **ERRORS})
def create_request(request: HttpRequest, payload: RequestIn) -> Any:
    """Call for fire from a deal the caller is on: routed to a tier and a part of the pool by the routing
    rules, prioritised from the deal's value, the account's tier and the stage, with proposed matches."""
    data = payload.model_dump()
    opportunity = _opportunity(request, data.pop("opportunity_id"))
    created = services.request_create(viewer=viewer(request), actor=actor(request), opportunity=opportunity, data=data)
    return Status(201, _request_out(request, created.pk))


@router.get("/resource-requests/{request_id}", response={200: RequestOut, **ERRORS})
def get_request(request: HttpRequest, request_id: Id) -> Any:
    return _request_out(request, request_id)


@router.patch("/resource-requests/{request_id}", response={200: RequestOut, **ERRORS})
def update_request(request: HttpRequest, request_id: Id, payload: RequestPatch) -> Any:
    who = viewer(request)
    sent = payload.model_dump(exclude_unset=True)
    version = expected_version(request, sent.pop("version", None))
    services.request_update(
        viewer=who, actor=actor(request), request=selectors.request_get(who, request_id), data=sent, version=version
    )
    return _request_out(request, request_id)


@router.delete("/resource-requests/{request_id}", response={204: None, **ERRORS})
def delete_request(request: HttpRequest, request_id: Id) -> Any:
    who = viewer(request)
    services.request_delete(viewer=who, actor=actor(request), request=selectors.request_get(who, request_id))
    return Status(204, None)


@router.post("/resource-requests/{request_id}/assign", response={200: RequestOut, **ERRORS})
def assign_request(request: HttpRequest, request_id: Id, payload: AssignIn) -> Any:
    """The pool's manager answers with a resource; the person then sees the deal until the request is done."""
    who = viewer(request)
    resource_request = selectors.request_get(who, request_id)
    resource = selectors.pool_visible(who).filter(pk=payload.resource_id).first()
    if resource is None:
        raise InvalidInput.single("resource_id", "unknown_resource", _("Unknown resource."))
    services.request_assign(
        viewer=who,
        actor=actor(request),
        request=resource_request,
        resource=resource,
        starts_on=payload.starts_on,
        ends_on=payload.ends_on,
    )
    return _request_out(request, request_id)


@router.post("/resource-requests/{request_id}/decline", response={200: RequestOut, **ERRORS})
def decline_request(request: HttpRequest, request_id: Id, payload: DeclineIn) -> Any:
    who = viewer(request)
    services.request_decline(
        viewer=who, actor=actor(request), request=selectors.request_get(who, request_id), reason=payload.reason
    )
    return _request_out(request, request_id)


@router.post("/resource-requests/{request_id}/done", response={200: RequestOut, **ERRORS})
def done_request(request: HttpRequest, request_id: Id, payload: DoneIn | None = None) -> Any:
    who = viewer(request)
    services.request_done(
        viewer=who,
        actor=actor(request),
        request=selectors.request_get(who, request_id),
        outcome=payload.outcome if payload else "",
    )
    return _request_out(request, request_id, propose=False)


@router.get("/resource-requests/{request_id}/events", response={200: list[RequestEventOut], **ERRORS})
def request_events(request: HttpRequest, request_id: Id) -> Any:
    """The request's story: raised, escalations (level, unit, who was told), the answer, done."""
    resource_request = selectors.request_get(viewer(request), request_id)
    return [
        {
            "at": event.at,
            "kind": event.kind,
            "level": event.level,
            "actor": event.actor.label if event.actor is not None else "",
            "unit": event.unit.label if event.unit is not None else "",
            "notified": event.notified,
            "note": event.note,
        }
        for event in resource_request.events.select_related("actor", "unit")
    ]


@router.get("/resource-requests/{request_id}/history", response={200: list[HistoryOut], **ERRORS})
def request_history(request: HttpRequest, request_id: Id) -> Any:
    return history_of(selectors.request_get(viewer(request), request_id), viewer(request))


# --- partners --------------------------------------------------------------------------------------------


class PartnerFiltersIn(Schema):
    q: Search = ""
    type: PType | None = None
    tier: PTier | None = None
    limit: Limit = DEFAULT_LIMIT
    cursor: Cursor | None = None


@router.get("/partners", response={200: ListOut[PartnerOut], **ERRORS})
def list_partners(request: HttpRequest, filters: Query[PartnerFiltersIn]) -> Any:
    queryset = selectors.partners_visible(viewer(request))
    if filters.q:
        queryset = queryset.filter(Q(name__icontains=filters.q) | Q(name_en__icontains=filters.q))
    if filters.type:
        queryset = queryset.filter(type=filters.type)
    if filters.tier:
        queryset = queryset.filter(tier=filters.tier)
    page = keyset_page(queryset, order="name", cursor=filters.cursor, limit=filters.limit)
    return {"items": [partner_out(p) for p in page.items], "next_cursor": page.next_cursor}


@router.post("/partners", response={201: PartnerOut, **ERRORS})
def create_partner(request: HttpRequest, payload: PartnerIn) -> Any:
    who = viewer(request)
    partner = services.partner_create(viewer=who, actor=actor(request), data=payload.model_dump())
    return Status(201, partner_out(selectors.partner_get(who, partner.pk)))


@router.get("/partners/{partner_id}", response={200: PartnerOut, **ERRORS})
def get_partner(request: HttpRequest, partner_id: Id) -> Any:
    return partner_out(selectors.partner_get(viewer(request), partner_id))


@router.patch("/partners/{partner_id}", response={200: PartnerOut, **ERRORS})
def update_partner(request: HttpRequest, partner_id: Id, payload: PartnerPatch) -> Any:
    who = viewer(request)
    sent = payload.model_dump(exclude_unset=True)
    version = expected_version(request, sent.pop("version", None))
    partner = selectors.partner_get(who, partner_id)
    services.partner_update(viewer=who, actor=actor(request), partner=partner, data=sent, version=version)
    return partner_out(selectors.partner_get(who, partner_id))


@router.delete("/partners/{partner_id}", response={204: None, **ERRORS})
def delete_partner(request: HttpRequest, partner_id: Id) -> Any:
    who = viewer(request)
    services.partner_delete(viewer=who, actor=actor(request), partner=selectors.partner_get(who, partner_id))
    return Status(204, None)


@router.get("/partners/{partner_id}/contacts", response={200: list[PartnerContactOut], **ERRORS})
def list_partner_contacts(request: HttpRequest, partner_id: Id) -> Any:
    return [contact_out(c) for c in selectors.partner_get(viewer(request), partner_id).contacts.all()]


@router.post("/partners/{partner_id}/contacts", response={201: PartnerContactOut, **ERRORS})
def add_partner_contact(request: HttpRequest, partner_id: Id, payload: PartnerContactIn) -> Any:
    who = viewer(request)
    partner = selectors.partner_get(who, partner_id)
    contact = services.partner_contact_add(viewer=who, actor=actor(request), partner=partner, data=payload.model_dump())
    return Status(201, contact_out(contact))


@router.get("/partners/{partner_id}/users", response={200: list[PartnerUserOut], **ERRORS})
def list_partner_users(request: HttpRequest, partner_id: Id) -> Any:
    partner = selectors.partner_get(viewer(request), partner_id)
    return [
        {"user_id": link.user_id, "username": link.user.username, "display_name": link.user.display_name}
        for link in partner.users.select_related("user").order_by("user__username")
    ]


@router.post("/partners/{partner_id}/users", response={201: PartnerUserOut, **ERRORS})
def add_partner_user(request: HttpRequest, partner_id: Id, payload: PartnerUserIn) -> Any:
    """An external login for the partner's people: it sees the partner's registrations and the deals
    shared with it, and every other address answers 404."""
    who = viewer(request)
    partner = selectors.partner_get(who, partner_id)
    link = services.partner_user_create(viewer=who, actor=actor(request), partner=partner, data=payload.model_dump())
    return Status(
        201, {"user_id": link.user_id, "username": link.user.username, "display_name": link.user.display_name}
    )


@router.get("/partners/{partner_id}/meetings", response={200: list[MeetingOut], **ERRORS})
def list_partner_meetings(request: HttpRequest, partner_id: Id) -> Any:
    return [meeting_out(m) for m in selectors.meetings_of(selectors.partner_get(viewer(request), partner_id))]


@router.post("/partners/{partner_id}/meetings", response={201: MeetingOut, **ERRORS})
def add_partner_meeting(request: HttpRequest, partner_id: Id, payload: MeetingIn) -> Any:
    who = viewer(request)
    partner = selectors.partner_get(who, partner_id)
    data = payload.model_dump()
    opportunity = _opportunity(request, data.pop("opportunity_id"))
    meeting = services.partner_meeting_create(
        viewer=who, actor=actor(request), partner=partner, data=data, opportunity=opportunity
    )
    return Status(201, meeting_out(selectors.meetings_of(partner).get(pk=meeting.pk)))


# --- deal registrations ---------------------------------------------------------------------------------


class RegistrationFiltersIn(Schema):
    partner_id: Id | None = None
    account_id: Id | None = None
    status: Literal["submitted", "approved", "rejected", "withdrawn"] | None = None
    live: bool | None = None
    q: Search = ""
    limit: Limit = DEFAULT_LIMIT
    cursor: Cursor | None = None


def _registration_out(request: HttpRequest, pk: int) -> dict[str, Any]:
    who = viewer(request)
    return registration_out(selectors.registration_get(who, pk), external=who.external)


@router.get("/deal-registrations", response={200: ListOut[RegistrationOut], **ERRORS})
def list_registrations(request: HttpRequest, filters: Query[RegistrationFiltersIn]) -> Any:
    from irontriangle.resources.services.registrations import live_q

    who = viewer(request)
    queryset = selectors.registrations_visible(who)
    if filters.partner_id:
        queryset = queryset.filter(partner_id=filters.partner_id)
    if filters.account_id and not who.external:
        queryset = queryset.filter(account_id=filters.account_id)
    if filters.status:
        queryset = queryset.filter(status=filters.status)
    if filters.live is not None:
        live = live_q(timezone.localdate())
        queryset = queryset.filter(live) if filters.live else queryset.exclude(live)
    if filters.q:
        queryset = queryset.filter(Q(project__icontains=filters.q) | Q(customer_name__icontains=filters.q))
    page = keyset_page(queryset, order="-created_at", cursor=filters.cursor, limit=filters.limit)
    return {
        "items": [registration_out(r, external=who.external) for r in page.items],
        "next_cursor": page.next_cursor,
    }


@router.post("/deal-registrations", response={201: RegistrationOut, **ERRORS})
def create_registration(request: HttpRequest, payload: RegistrationIn) -> Any:
    """Register an account's project for a partner (or a unit). While a registration of the same customer
    and project is live, another is refused with 409 `registration_conflict`; a partner's login registers
    for its own partner and names the customer in `customer_name`."""
    who = viewer(request)
    data = payload.model_dump()
    partner = unit = account = opportunity = None
    if data.get("partner_id"):
        partner = selectors.partners_visible(who).filter(pk=data["partner_id"]).first()
        if partner is None:
            raise InvalidInput.single("partner_id", "unknown_partner", _("Unknown partner."))
    if data.get("unit_code") and not who.external:
        unit = OrgUnit.objects.filter(code=data["unit_code"], pk__in=who.unit_ids | who.managed_unit_ids).first()
        if unit is None:
            raise InvalidInput.single("unit_code", "unknown_unit", _("Register for a unit you belong to."))
    if not who.external:
        account = _account(request, data.get("account_id"))
        opportunity = _opportunity(request, data.get("opportunity_id"), arbitrate=True)
    elif data.get("account_id") or data.get("opportunity_id"):
        field = "account_id" if data.get("account_id") else "opportunity_id"
        raise InvalidInput.single(field, "not_for_partners", _("Name the customer instead."))
    registration = services.registration_create(
        viewer=who,
        actor=actor(request),
        data=data,
        partner=partner,
        unit=unit,
        account=account,
        opportunity=opportunity,
    )
    return Status(201, _registration_out(request, registration.pk))


@router.get("/deal-registrations/{registration_id}", response={200: RegistrationOut, **ERRORS})
def get_registration(request: HttpRequest, registration_id: Id) -> Any:
    return _registration_out(request, registration_id)


@router.post("/deal-registrations/{registration_id}/approve", response={200: RegistrationOut, **ERRORS})
def approve_registration(request: HttpRequest, registration_id: Id, payload: DecideIn) -> Any:
    """The channel manager (or the middle office) confirms the claim, matching the account and the deal;
    a deal named here is shared with the partner's logins."""
    who = viewer(request)
    services.registration_decide(
        viewer=who,
        actor=actor(request),
        registration=selectors.registration_get(who, registration_id),
        approve=True,
        note=payload.note,
        account=_account(request, payload.account_id),
        opportunity=_opportunity(request, payload.opportunity_id, arbitrate=True),
    )
    return _registration_out(request, registration_id)


@router.post("/deal-registrations/{registration_id}/reject", response={200: RegistrationOut, **ERRORS})
def reject_registration(request: HttpRequest, registration_id: Id, payload: RejectIn) -> Any:
    who = viewer(request)
    services.registration_decide(
        viewer=who,
        actor=actor(request),
        registration=selectors.registration_get(who, registration_id),
        approve=False,
        note=payload.reason,
    )
    return _registration_out(request, registration_id)


@router.post("/deal-registrations/{registration_id}/withdraw", response={200: RegistrationOut, **ERRORS})
def withdraw_registration(request: HttpRequest, registration_id: Id) -> Any:
    who = viewer(request)
    services.registration_withdraw(
        viewer=who, actor=actor(request), registration=selectors.registration_get(who, registration_id)
    )
    return _registration_out(request, registration_id)


# --- reports --------------------------------------------------------------------------------------------


class UtilisationRowOut(Schema):
    key: str
    label: str
    unit: str
    tier: str
    resource_id: int | None
    capacity_hours: Any
    load_hours: Any
    available_hours: Any
    utilisation: Any
    weekly_load: list[Any]


class UtilisationOut(Schema):
    weeks: list[date]
    people: list[UtilisationRowOut]
    units: list[UtilisationRowOut]
    tiers: list[UtilisationRowOut]
    total: UtilisationRowOut


def _row(row: reports.UtilisationRow) -> dict[str, Any]:
    return {
        "key": row.key,
        "label": row.label,
        "unit": row.unit,
        "tier": row.tier,
        "resource_id": row.resource_id,
        "capacity_hours": row.capacity_hours,
        "load_hours": row.load_hours,
        "available_hours": row.available_hours,
        "utilisation": row.utilisation,
        "weekly_load": row.weekly_load,
    }


@router.get("/resource-reports/utilisation", response={200: UtilisationOut, **ERRORS})
def utilisation_report(
    request: HttpRequest,
    start: date | None = None,
    weeks: Annotated[int, Field(ge=1, le=26)] = 1,
    unit_code: Annotated[SafeStr, Field(max_length=50)] = "",
) -> Any:
    """Load ÷ capacity per person, unit and tier, over `weeks` weeks from the week of `start` (Monday)."""
    if start is not None and abs((start - timezone.localdate()).days) > 3660:
        raise InvalidInput.single("start", "out_of_range", _("Choose a week within ten years of today."))
    report = reports.utilisation(viewer(request), start=start, weeks=weeks, unit_code=unit_code)
    return {
        "weeks": report.weeks,
        "people": [_row(r) for r in report.people],
        "units": [_row(r) for r in report.units],
        "tiers": [_row(r) for r in report.tiers],
        "total": _row(report.total),
    }


class RequestMeasuresOut(Schema):
    key: str
    raised: int
    by_status: dict[str, int]
    open_by_age: dict[str, int]
    answered: int
    fulfilled: int
    fulfilment_rate: Any
    within_sla: int
    sla_rate: Any
    escalated: int
    median_hours_to_assign: Any


@router.get("/resource-reports/requests", response={200: list[RequestMeasuresOut], **ERRORS})
def requests_report(request: HttpRequest, days: Annotated[int, Field(ge=1, le=3660)] = 90) -> Any:
    """Requests by status and age, fulfilment rate, answers within SLA, escalations and the median hours
    to assign: `all` first, then per tier."""
    measures = reports.request_measures(viewer(request), days=days)
    return [
        {
            "key": m.key,
            "raised": m.raised,
            "by_status": m.by_status,
            "open_by_age": m.open_by_age,
            "answered": m.answered,
            "fulfilled": m.fulfilled,
            "fulfilment_rate": m.fulfilment_rate,
            "within_sla": m.within_sla,
            "sla_rate": m.sla_rate,
            "escalated": m.escalated,
            "median_hours_to_assign": m.median_hours_to_assign,
        }
        for m in measures.values()
    ]


class DoubleCountOut(Schema):
    unit: str
    deals: int
    open_amount: Any
    won_amount: Any


@router.get("/resource-reports/double-counting", response={200: list[DoubleCountOut], **ERRORS})
def double_counting_report(request: HttpRequest) -> Any:
    """双算: per serving unit, the deals it counts in its own results beside the sales splits."""
    return [vars(row) for row in reports.double_counting(viewer(request))]


class ExecutiveOut(Schema):
    account_id: int
    account: str
    opportunities: int
    sponsors_on_team: int
    requests: int
    requests_served: int


@router.get("/resource-reports/executive-involvement", response={200: list[ExecutiveOut], **ERRORS})
def executive_report(request: HttpRequest) -> Any:
    return [vars(row) for row in reports.executive_involvement(viewer(request))]
