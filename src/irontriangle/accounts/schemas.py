"""API shapes of accounts (SPEC §2, API.md `/accounts`)."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Annotated, Any

from django.utils.translation import gettext
from ninja import Schema
from pydantic import Field

from irontriangle.accounts.models import (
    Account,
    AccountTeamMember,
    Coverage,
    CustomerInfo,
    InfoKind,
    KaProfileRule,
    LifecycleStage,
    OwnershipRequest,
    PotentialBasis,
    PurchaseDriver,
    PurchasePattern,
    Segment,
    StrategicFit,
    TeamRole,
    Tier,
)
from irontriangle.accounts.selectors import ka_suggestion, missing_roles
from irontriangle.common.access import Viewer
from irontriangle.common.apitools import Id, Money, SafeStr
from irontriangle.common.errors import FieldError, InvalidInput
from irontriangle.common.restricted import redact

Name = Annotated[SafeStr, Field(min_length=1, max_length=200)]
Short = Annotated[SafeStr, Field(max_length=100)]
Long = Annotated[SafeStr, Field(max_length=300)]
Currency = Annotated[SafeStr, Field(pattern=r"^[A-Z]{3}$")]


COMPUTED_FIELDS = ("matrix_class", "relationship_score", "ka_suggestion")


class ComputedFields(Schema):
    """Derived fields are never written by a client. A client that sends the object back unchanged is
    fine; one that sends a different value gets an error naming the field, not a silent drop."""

    matrix_class: Annotated[Any, Field(json_schema_extra={"readOnly": True})] = None
    relationship_score: Annotated[Any, Field(json_schema_extra={"readOnly": True})] = None
    ka_suggestion: Annotated[Any, Field(json_schema_extra={"readOnly": True})] = None


def refuse_computed(sent: dict[str, Any], current: dict[str, Any] | None) -> dict[str, Any]:
    """Drop the computed fields from a request body, refusing any that would change a value."""
    errors = []
    for name in COMPUTED_FIELDS:
        value = sent.pop(name, None)
        if value is not None and (current is None or value != current.get(name)):
            errors.append(FieldError(name, "read_only", gettext("Read-only: the server computes this field.")))
    if errors:
        raise InvalidInput(errors)
    return sent


class AccountFields(ComputedFields):
    legal_name: Annotated[SafeStr, Field(max_length=200)] = ""
    credit_code: Annotated[SafeStr, Field(max_length=18)] = ""
    parent_id: Id | None = None
    industry: Short = ""
    region: Short = ""
    coverage: Coverage | None = None
    annual_revenue: Money | None = None
    employees: Annotated[int, Field(ge=0, le=2_000_000_000)] | None = None
    website: Long = ""
    address: Long = ""
    segment: Segment = Segment.SMB
    tier: Tier | None = None
    purchase_pattern: PurchasePattern | None = None
    on_vendor_list: bool = False
    lifecycle_stage: LifecycleStage = LifecycleStage.EXPLORING
    strategic_fit: StrategicFit = StrategicFit.NEUTRAL
    cash_flow_customer: bool = False
    potential: Money | None = None
    potential_basis: PotentialBasis = PotentialBasis.MANUAL
    currency: Currency = "CNY"
    owner_unit_code: Annotated[SafeStr, Field(max_length=50)] | None = None
    owner_id: Id | None = None
    external_id: Annotated[SafeStr, Field(max_length=100)] = ""
    listed_in_ranking: bool = False
    high_willingness_to_pay: bool = False


class AccountIn(AccountFields):
    name: Name


class AccountPatch(ComputedFields):
    """Every field optional; only the fields sent change. `version` is the one the client edited."""

    version: Annotated[int, Field(ge=1, le=2**31)] | None = None
    name: Name | None = None
    legal_name: Annotated[SafeStr, Field(max_length=200)] | None = None
    credit_code: Annotated[SafeStr, Field(max_length=18)] | None = None
    parent_id: Id | None = None
    industry: Short | None = None
    region: Short | None = None
    coverage: Coverage | None = None
    annual_revenue: Money | None = None
    employees: Annotated[int, Field(ge=0, le=2_000_000_000)] | None = None
    website: Long | None = None
    address: Long | None = None
    segment: Segment | None = None
    tier: Tier | None = None
    purchase_pattern: PurchasePattern | None = None
    on_vendor_list: bool | None = None
    lifecycle_stage: LifecycleStage | None = None
    strategic_fit: StrategicFit | None = None
    cash_flow_customer: bool | None = None
    potential: Money | None = None
    potential_basis: PotentialBasis | None = None
    currency: Currency | None = None
    owner_unit_code: Annotated[SafeStr, Field(max_length=50)] | None = None
    owner_id: Id | None = None
    external_id: Annotated[SafeStr, Field(max_length=100)] | None = None
    listed_in_ranking: bool | None = None
    high_willingness_to_pay: bool | None = None


# Fields where an explicit null in a PATCH means "clear it" rather than "leave it".
NULLABLE_PATCH_FIELDS = {
    "parent_id",
    "coverage",
    "annual_revenue",
    "employees",
    "tier",
    "purchase_pattern",
    "potential",
    "owner_id",
}


class KaSuggestionOut(Schema):
    segment: str = "ka"
    rule: str
    label: str
    reasons: list[str]
    pending: bool


class AccountOut(Schema):
    id: int
    name: str
    legal_name: str
    credit_code: str
    parent_id: int | None
    industry: str
    region: str
    coverage: str | None
    annual_revenue: Decimal | None
    employees: int | None
    website: str
    address: str
    segment: str
    tier: str | None
    purchase_pattern: str | None
    on_vendor_list: bool
    lifecycle_stage: str
    strategic_fit: str
    cash_flow_customer: bool
    potential: Decimal | None
    potential_basis: str
    currency: str
    owner_unit_code: str
    owner_id: int | None
    external_id: str
    listed_in_ranking: bool
    high_willingness_to_pay: bool
    matrix_class: str
    relationship_score: int
    ka_suggestion: KaSuggestionOut | None
    segment_confirmed_at: datetime | None
    segment_confirmed_by_id: int | None
    missing_roles: list[str]
    version: int
    created_at: datetime
    updated_at: datetime


def _suggestion(account: Account, rules: list[KaProfileRule] | None) -> dict[str, Any] | None:
    suggestion = ka_suggestion(account, rules)
    return None if suggestion is None else {**suggestion.__dict__, "segment": "ka"}


def account_out(viewer: Viewer, account: Account, rules: list[KaProfileRule] | None = None) -> AccountOut:
    """`rules`: the KA profile rules, passed in by lists so that each row does not look them up again."""
    data = {
        "id": account.pk,
        "name": account.name,
        "legal_name": account.legal_name,
        "credit_code": account.credit_code,
        "parent_id": account.parent_id,
        "industry": account.industry,
        "region": account.region,
        "coverage": account.coverage or None,
        "annual_revenue": account.annual_revenue,
        "employees": account.employees,
        "website": account.website,
        "address": account.address,
        "segment": account.segment,
        "tier": account.tier or None,
        "purchase_pattern": account.purchase_pattern or None,
        "on_vendor_list": account.on_vendor_list,
        "lifecycle_stage": account.lifecycle_stage,
        "strategic_fit": account.strategic_fit,
        "cash_flow_customer": account.cash_flow_customer,
        "potential": account.potential,
        "potential_basis": account.potential_basis,
        "currency": account.currency,
        "owner_unit_code": account.owner_unit.code,
        "owner_id": account.owner_id,
        "external_id": account.external_id,
        "listed_in_ranking": account.listed_in_ranking,
        "high_willingness_to_pay": account.high_willingness_to_pay,
        "matrix_class": account.matrix_class,
        "relationship_score": account.relationship_score,
        "ka_suggestion": _suggestion(account, rules),
        "segment_confirmed_at": account.segment_confirmed_at,
        "segment_confirmed_by_id": account.segment_confirmed_by_id,
        "missing_roles": missing_roles(account),
        "version": account.version,
        "created_at": account.created_at,
        "updated_at": account.updated_at,
    }
    return AccountOut(**redact(viewer, account, data))


class TeamMemberIn(Schema):
    user_id: Id
    role: TeamRole
    is_primary: bool = True
    started_on: date | None = None


class TeamMemberOut(Schema):
    id: int
    user_id: int
    display_name: str
    role: str
    is_primary: bool
    started_on: date | None
    ended_on: date | None


def team_member_out(member: AccountTeamMember) -> TeamMemberOut:
    return TeamMemberOut(
        id=member.pk,
        user_id=member.user_id,
        display_name=member.user.label,
        role=member.role,
        is_primary=member.is_primary,
        started_on=member.started_on,
        ended_on=member.ended_on,
    )


class ChangeOut(Schema):
    field: str
    old: str | int | float | bool | datetime | date | Decimal | None
    new: str | int | float | bool | datetime | date | Decimal | None


class HistoryOut(Schema):
    at: datetime
    kind: str
    user_id: int | None
    user_name: str
    # Why, when the change said so: a gate override, a conversion without BANT, an ownership decision.
    reason: str = ""
    changes: list[ChangeOut]


class SegmentConfirmIn(Schema):
    segment: Segment
    reason: Annotated[SafeStr, Field(max_length=500)] = ""


class DuplicateOut(Schema):
    id: int
    name: str
    match: str
    visible: bool
    owner_unit_code: str
    owner_unit_name: str
    credit_code: str | None = None


class TreeNodeOut(Schema):
    id: int
    name: str
    parent_id: int | None
    depth: int
    segment: str
    tier: str | None
    potential: Decimal | None
    rolled_up_potential: Decimal | None
    descendants: int


class TreeOut(Schema):
    ancestors: list[TreeNodeOut]
    nodes: list[TreeNodeOut]


class DriverIn(Schema):
    name: Annotated[SafeStr, Field(min_length=1, max_length=100)]
    volume: Annotated[Decimal, Field(ge=0, max_digits=18, decimal_places=2)]
    unit: Annotated[SafeStr, Field(max_length=40)] = ""
    factor: Annotated[Decimal, Field(ge=0, max_digits=18, decimal_places=4)]
    as_of: date | None = None
    source: Annotated[SafeStr, Field(max_length=200)] = ""


class DriverPatch(Schema):
    version: Annotated[int, Field(ge=1, le=2**31)] | None = None
    name: Annotated[SafeStr, Field(min_length=1, max_length=100)] | None = None
    volume: Annotated[Decimal, Field(ge=0, max_digits=18, decimal_places=2)] | None = None
    unit: Annotated[SafeStr, Field(max_length=40)] | None = None
    factor: Annotated[Decimal, Field(ge=0, max_digits=18, decimal_places=4)] | None = None
    as_of: date | None = None
    source: Annotated[SafeStr, Field(max_length=200)] | None = None


class DriverOut(Schema):
    id: int
    name: str
    volume: Decimal
    unit: str
    factor: Decimal
    contribution: Decimal
    as_of: date | None
    source: str
    version: int


class PotentialOut(Schema):
    potential: Decimal | None
    potential_basis: str
    estimate: Decimal | None
    currency: str
    drivers: list[DriverOut]


def driver_out(driver: PurchaseDriver) -> DriverOut:
    return DriverOut(
        id=driver.pk,
        name=driver.name,
        volume=driver.volume,
        unit=driver.unit,
        factor=driver.factor,
        contribution=driver.contribution,
        as_of=driver.as_of,
        source=driver.source,
        version=driver.version,
    )


class InfoIn(Schema):
    kind: InfoKind
    title: Annotated[SafeStr, Field(min_length=1, max_length=200)]
    detail: Annotated[SafeStr, Field(max_length=5000)] = ""
    recorded_on: date
    source: Annotated[SafeStr, Field(max_length=200)] = ""


class InfoPatch(Schema):
    version: Annotated[int, Field(ge=1, le=2**31)] | None = None
    kind: InfoKind | None = None
    title: Annotated[SafeStr, Field(min_length=1, max_length=200)] | None = None
    detail: Annotated[SafeStr, Field(max_length=5000)] | None = None
    recorded_on: date | None = None
    source: Annotated[SafeStr, Field(max_length=200)] | None = None


class InfoOut(Schema):
    id: int
    kind: str
    title: str
    detail: str
    recorded_on: date
    source: str
    version: int


def info_out(info: CustomerInfo) -> InfoOut:
    return InfoOut(
        id=info.pk,
        kind=info.kind,
        title=info.title,
        detail=info.detail,
        recorded_on=info.recorded_on,
        source=info.source,
        version=info.version,
    )


class OwnershipRequestIn(Schema):
    account_id: Id
    unit_code: Annotated[SafeStr, Field(min_length=1, max_length=50)]
    reason: Annotated[SafeStr, Field(max_length=2000)]
    new_owner_id: Id | None = None


class OwnershipDecisionIn(Schema):
    approve: bool
    reason: Annotated[SafeStr, Field(max_length=2000)]


class OwnershipRequestOut(Schema):
    id: int
    account_id: int
    account_name: str
    kind: str
    from_unit_code: str
    unit_code: str
    new_owner_id: int | None
    requested_by_id: int
    requested_by_name: str
    reason: str
    status: str
    decided_by_id: int | None
    decided_at: datetime | None
    decision_reason: str
    created_at: datetime


def ownership_request_out(request: OwnershipRequest) -> OwnershipRequestOut:
    return OwnershipRequestOut(
        id=request.pk,
        account_id=request.account_id,
        account_name=request.account.name,
        kind=request.kind,
        from_unit_code=request.from_unit.code,
        unit_code=request.to_unit.code,
        new_owner_id=request.new_owner_id,
        requested_by_id=request.requested_by_id,
        requested_by_name=request.requested_by.label,
        reason=request.reason,
        status=request.status,
        decided_by_id=request.decided_by_id,
        decided_at=request.decided_at,
        decision_reason=request.decision_reason,
        created_at=request.created_at,
    )
