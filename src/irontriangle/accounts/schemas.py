"""API shapes of accounts (SPEC §2, API.md `/accounts`)."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Annotated

from ninja import Schema
from pydantic import Field

from irontriangle.accounts.models import (
    Account,
    AccountTeamMember,
    Coverage,
    LifecycleStage,
    PurchasePattern,
    Segment,
    StrategicFit,
    TeamRole,
    Tier,
)
from irontriangle.common.access import Viewer
from irontriangle.common.apitools import Id, Money, SafeStr
from irontriangle.common.restricted import redact

Name = Annotated[SafeStr, Field(min_length=1, max_length=200)]
Short = Annotated[SafeStr, Field(max_length=100)]
Long = Annotated[SafeStr, Field(max_length=300)]
Currency = Annotated[SafeStr, Field(pattern=r"^[A-Z]{3}$")]


class AccountFields(Schema):
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
    currency: Currency = "CNY"
    owner_unit_code: Annotated[SafeStr, Field(max_length=50)] | None = None
    owner_id: Id | None = None


class AccountIn(AccountFields):
    name: Name


class AccountPatch(Schema):
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
    currency: Currency | None = None
    owner_unit_code: Annotated[SafeStr, Field(max_length=50)] | None = None
    owner_id: Id | None = None


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
    currency: str
    owner_unit_code: str
    owner_id: int | None
    version: int
    created_at: datetime
    updated_at: datetime


def account_out(viewer: Viewer, account: Account) -> AccountOut:
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
        "currency": account.currency,
        "owner_unit_code": account.owner_unit.code,
        "owner_id": account.owner_id,
        "version": account.version,
        "created_at": account.created_at,
        "updated_at": account.updated_at,
    }
    return AccountOut(**redact(viewer, account, data))


class TeamMemberIn(Schema):
    user_id: Id
    role: TeamRole
    is_primary: bool = True


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
    old: str | int | float | bool | None
    new: str | int | float | bool | None


class HistoryOut(Schema):
    at: datetime
    kind: str
    user_id: int | None
    user_name: str
    changes: list[ChangeOut]
