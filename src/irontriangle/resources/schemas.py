"""API shapes of the resources domain (API.md `/resource-pool`, `/resource-requests`, `/partners`,
`/deal-registrations`)."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Annotated, Any, Literal

from django.utils import timezone
from ninja import Schema
from pydantic import Field

from irontriangle.common.apitools import Id, Money, SafeStr
from irontriangle.resources.capacity import Candidate, candidate_out
from irontriangle.resources.models import (
    DealRegistration,
    Partner,
    PartnerContact,
    PartnerMeeting,
    PartnerTier,
    PartnerType,
    RequestKind,
    Resource,
    ResourceRequest,
    SupportTier,
)
from irontriangle.resources.priority import factor_label, priority_parts
from irontriangle.resources.services.registrations import state_of

ShortText = Annotated[SafeStr, Field(max_length=200)]
LongText = Annotated[SafeStr, Field(max_length=5000)]
Tag = Annotated[SafeStr, Field(max_length=60)]
Tags = Annotated[list[Tag], Field(max_length=30)]
Tier = Literal["tier1", "tier2", "tier3"]
Kind = Literal["solution_design", "poc", "bid_writing", "expert", "executive_sponsor", "partner"]
PType = Literal["isv", "si", "distributor", "ecommerce", "consultancy"]
PTier = Literal["platinum", "gold", "silver", "registered"]
Hours = Annotated[int, Field(ge=1, le=2000)]
Capacity = Annotated[int, Field(ge=0, le=168)]
UnitCode = Annotated[SafeStr, Field(max_length=50)]

assert set(SupportTier.values) == {"tier1", "tier2", "tier3"}
assert set(RequestKind.values) == set(Kind.__args__)  # type: ignore[attr-defined]
assert set(PartnerType.values) == set(PType.__args__)  # type: ignore[attr-defined]
assert set(PartnerTier.values) == set(PTier.__args__)  # type: ignore[attr-defined]


# --- pool --------------------------------------------------------------------------------------------


class ResourceIn(Schema):
    user_id: Id | None = None
    partner_id: Id | None = None
    name: ShortText = ""
    unit_code: UnitCode | None = None
    skills: Tags = []
    product_lines: Tags = []
    region: Annotated[SafeStr, Field(max_length=100)] = ""
    support_tier: Tier
    weekly_capacity_hours: Capacity
    is_executive: bool = False
    is_active: bool = True


class ResourcePatch(Schema):
    version: int | None = None
    name: ShortText | None = None
    unit_code: UnitCode | None = None
    skills: Tags | None = None
    product_lines: Tags | None = None
    region: Annotated[SafeStr, Field(max_length=100)] | None = None
    support_tier: Tier | None = None
    weekly_capacity_hours: Capacity | None = None
    is_executive: bool | None = None
    is_active: bool | None = None


class ResourceOut(Schema):
    id: int
    name: str
    user_id: int | None
    partner_id: int | None
    unit_code: str
    unit: str
    skills: list[str]
    product_lines: list[str]
    region: str
    support_tier: str
    weekly_capacity_hours: int
    is_executive: bool
    is_active: bool
    load_hours: Decimal
    available_hours: Decimal
    utilisation: Decimal
    version: int


def resource_out(resource: Resource, load: Decimal) -> dict[str, Any]:
    from irontriangle.resources.capacity import percent

    capacity = Decimal(resource.weekly_capacity_hours)
    return {
        "id": resource.pk,
        "name": resource.label,
        "user_id": resource.user_id,
        "partner_id": resource.partner_id,
        "unit_code": resource.unit.code,
        "unit": resource.unit.label,
        "skills": resource.skills,
        "product_lines": resource.product_lines,
        "region": resource.region,
        "support_tier": resource.support_tier,
        "weekly_capacity_hours": resource.weekly_capacity_hours,
        "is_executive": resource.is_executive,
        "is_active": resource.is_active,
        "load_hours": load,
        "available_hours": max(Decimal("0"), capacity - load),
        "utilisation": percent(load, capacity),
        "version": resource.version,
    }


# --- requests ------------------------------------------------------------------------------------------


class RequestIn(Schema):
    opportunity_id: Id
    kind: Kind
    skills: Tags = []
    hours: Hours
    needed_by: date
    success_criteria: Annotated[SafeStr, Field(max_length=5000)] = ""
    notes: LongText = ""


class RequestPatch(Schema):
    version: int | None = None
    skills: Tags | None = None
    hours: Hours | None = None
    needed_by: date | None = None
    success_criteria: LongText | None = None
    notes: LongText | None = None


class AssignIn(Schema):
    resource_id: Id
    starts_on: date | None = None
    ends_on: date | None = None


class DeclineIn(Schema):
    reason: Annotated[SafeStr, Field(max_length=2000)]


class DoneIn(Schema):
    outcome: LongText = ""


class PriorityPartOut(Schema):
    factor: str
    label: str
    points: int
    max_points: int
    basis: str


class CandidateOut(Schema):
    resource_id: int
    name: str
    user_id: int | None
    partner_id: int | None
    unit: str
    region: str
    score: int
    skills_matched: list[str]
    region_match: bool
    weekly_capacity_hours: int
    load_hours: Decimal
    available_hours: Decimal
    needed_per_week: Decimal
    has_capacity: bool


class AssignmentOut(Schema):
    resource_id: int
    name: str
    user_id: int | None
    starts_on: date
    ends_on: date
    hours_per_week: Decimal
    is_active: bool


class RequestOut(Schema):
    id: int
    opportunity_id: int
    opportunity: str
    account_id: int
    account: str
    kind: str
    skills: list[str]
    hours: int
    needed_by: date
    success_criteria: str
    notes: str
    status: str
    requested_by_id: int
    requested_by: str
    priority: int
    priority_parts: list[PriorityPartOut]
    routed_tier: str
    pool_unit: str | None
    answer_due_at: datetime
    answered_at: datetime | None
    overdue: bool
    escalation_level: int
    decline_reason: str
    done_at: datetime | None
    outcome: str
    assignment: AssignmentOut | None
    proposed: list[CandidateOut] | None
    created_at: datetime
    version: int


def request_out(request: ResourceRequest, proposed: list[Candidate] | None = None) -> dict[str, Any]:
    opportunity = request.opportunity
    parts = priority_parts(opportunity)
    assignment = getattr(request, "assignment", None) if request.status != "requested" else None
    return {
        "id": request.pk,
        "opportunity_id": opportunity.pk,
        "opportunity": opportunity.name,
        "account_id": opportunity.account_id,
        "account": opportunity.account.name,
        "kind": request.kind,
        "skills": request.skills,
        "hours": request.hours,
        "needed_by": request.needed_by,
        "success_criteria": request.success_criteria,
        "notes": request.notes,
        "status": request.status,
        "requested_by_id": request.requested_by_id,
        "requested_by": request.requested_by.label,
        "priority": request.priority,
        "priority_parts": [
            {
                "factor": part.factor,
                "label": factor_label(part.factor),
                "points": part.points,
                "max_points": part.max_points,
                "basis": part.basis,
            }
            for part in parts
        ],
        "routed_tier": request.routed_tier,
        "pool_unit": request.pool_unit.label if request.pool_unit is not None else None,
        "answer_due_at": request.answer_due_at,
        "answered_at": request.answered_at,
        "overdue": request.status == "requested" and request.answer_due_at < timezone.now(),
        "escalation_level": request.escalation_level,
        "decline_reason": request.decline_reason,
        "done_at": request.done_at,
        "outcome": request.outcome,
        "assignment": None
        if assignment is None
        else {
            "resource_id": assignment.resource_id,
            "name": assignment.resource.label,
            "user_id": assignment.user_id,
            "starts_on": assignment.starts_on,
            "ends_on": assignment.ends_on,
            "hours_per_week": assignment.hours_per_week,
            "is_active": assignment.is_active,
        },
        "proposed": None if proposed is None else [candidate_out(c) for c in proposed],
        "created_at": request.created_at,
        "version": request.version,
    }


class RequestEventOut(Schema):
    at: datetime
    kind: str
    level: int
    actor: str
    unit: str
    notified: list[int]
    note: str


# --- partners ------------------------------------------------------------------------------------------


class PartnerIn(Schema):
    name: Annotated[SafeStr, Field(min_length=1, max_length=200)]
    name_en: ShortText = ""
    type: PType
    tier: PTier
    capabilities: Tags = []
    regions: Tags = []
    website: ShortText = ""
    notes: LongText = ""
    manager_id: Id | None = None


class PartnerPatch(Schema):
    version: int | None = None
    name: Annotated[SafeStr, Field(min_length=1, max_length=200)] | None = None
    name_en: ShortText | None = None
    type: PType | None = None
    tier: PTier | None = None
    capabilities: Tags | None = None
    regions: Tags | None = None
    website: ShortText | None = None
    notes: LongText | None = None
    manager_id: Id | None = None


class PartnerContactIn(Schema):
    name: Annotated[SafeStr, Field(min_length=1, max_length=100)]
    title: Annotated[SafeStr, Field(max_length=100)] = ""
    phone: Annotated[SafeStr, Field(max_length=50)] = ""
    email: Annotated[SafeStr, Field(max_length=254)] = ""
    is_primary: bool = False


class PartnerContactOut(Schema):
    id: int
    name: str
    title: str
    phone: str
    email: str
    is_primary: bool


class PartnerUserIn(Schema):
    username: Annotated[SafeStr, Field(min_length=1, max_length=150)]
    password: Annotated[str, Field(min_length=1, max_length=128)]
    display_name: ShortText = ""
    email: Annotated[SafeStr, Field(max_length=254)] = ""


class PartnerUserOut(Schema):
    user_id: int
    username: str
    display_name: str


class PartnerOut(Schema):
    id: int
    name: str
    name_en: str
    type: str
    tier: str
    capabilities: list[str]
    regions: list[str]
    website: str
    notes: str
    manager_id: int | None
    manager: str | None
    version: int


def partner_out(partner: Partner) -> dict[str, Any]:
    return {
        "id": partner.pk,
        "name": partner.name,
        "name_en": partner.name_en,
        "type": partner.type,
        "tier": partner.tier,
        "capabilities": partner.capabilities,
        "regions": partner.regions,
        "website": partner.website,
        "notes": partner.notes,
        "manager_id": partner.manager_id,
        "manager": partner.manager.label if partner.manager is not None else None,
        "version": partner.version,
    }


def contact_out(contact: PartnerContact) -> dict[str, Any]:
    return {f: getattr(contact, f) for f in ("id", "name", "title", "phone", "email", "is_primary")}


class MeetingIn(Schema):
    occurred_on: date
    subject: Annotated[SafeStr, Field(min_length=1, max_length=200)]
    opportunity_id: Id | None = None
    participant_ids: Annotated[list[Id], Field(max_length=50)] = []
    partner_participants: Annotated[SafeStr, Field(max_length=300)] = ""
    minutes: LongText = ""
    next_steps: LongText = ""


class MeetingOut(Schema):
    id: int
    occurred_on: date
    subject: str
    opportunity_id: int | None
    participants: list[str]
    partner_participants: str
    minutes: str
    next_steps: str


def meeting_out(meeting: PartnerMeeting) -> dict[str, Any]:
    return {
        "id": meeting.pk,
        "occurred_on": meeting.occurred_on,
        "subject": meeting.subject,
        "opportunity_id": meeting.opportunity_id,
        "participants": [user.label for user in meeting.participants.all()],
        "partner_participants": meeting.partner_participants,
        "minutes": meeting.minutes,
        "next_steps": meeting.next_steps,
    }


# --- deal registrations ---------------------------------------------------------------------------------


class RegistrationIn(Schema):
    partner_id: Id | None = None
    unit_code: UnitCode | None = None
    account_id: Id | None = None
    customer_name: ShortText = ""
    project: Annotated[SafeStr, Field(min_length=1, max_length=200)]
    opportunity_id: Id | None = None
    estimated_amount: Money | None = None
    currency: Annotated[SafeStr, Field(min_length=3, max_length=3)] | None = None
    expires_on: date | None = None
    notes: LongText = ""


class DecideIn(Schema):
    note: Annotated[SafeStr, Field(max_length=2000)] = ""
    account_id: Id | None = None
    opportunity_id: Id | None = None


class RejectIn(Schema):
    reason: Annotated[SafeStr, Field(max_length=2000)]


class RegistrationOut(Schema):
    id: int
    partner_id: int | None
    partner: str | None
    unit: str | None
    account_id: int | None
    customer_name: str
    project: str
    opportunity_id: int | None
    estimated_amount: Decimal | None
    currency: str
    expires_on: date
    status: str
    state: str
    live: bool
    notes: str
    registered_by: str
    decision_note: str
    decided_at: datetime | None
    created_at: datetime
    version: int


def registration_out(registration: DealRegistration, *, external: bool = False) -> dict[str, Any]:
    state = state_of(registration)
    return {
        "id": registration.pk,
        "partner_id": registration.partner_id,
        "partner": registration.partner.label if registration.partner is not None else None,
        "unit": registration.unit.label if registration.unit is not None else None,
        # A partner's login learns no account ids: it named the customer, and sees that name.
        "account_id": None if external else registration.account_id,
        "customer_name": registration.customer_name,
        "project": registration.project,
        "opportunity_id": registration.opportunity_id,
        "estimated_amount": registration.estimated_amount,
        "currency": registration.currency,
        "expires_on": registration.expires_on,
        "status": registration.status,
        "state": state,
        "live": state in ("submitted", "approved"),
        "notes": registration.notes,
        "registered_by": registration.registered_by.label,
        "decision_note": registration.decision_note,
        "decided_at": registration.decided_at,
        "created_at": registration.created_at,
        "version": registration.version,
    }
