"""API shapes of the pipeline (SPEC §4, §5; API.md `/leads`, `/opportunities`, `/quotes`)."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Annotated, Any

from ninja import Schema
from pydantic import Field

from irontriangle.common.apitools import Id, Money, SafeStr
from irontriangle.common.restricted import redact
from irontriangle.pipeline.checklist import ItemState
from irontriangle.pipeline.models import (
    BantState,
    FollowUpKind,
    ForecastCategory,
    GuideLevel,
    LeadBasis,
    LeadSource,
    LeadStatus,
    OpportunityRole,
    ProjectType,
    SplitKind,
    Threat,
)
from irontriangle.relationships.schemas import Day

Name = Annotated[SafeStr, Field(min_length=1, max_length=200)]
Short = Annotated[SafeStr, Field(max_length=200)]
Text = Annotated[SafeStr, Field(max_length=20000)]
Reason = Annotated[SafeStr, Field(max_length=2000)]
Currency = Annotated[str, Field(pattern=r"^[A-Za-z]{3}$")]
Percent = Annotated[Decimal, Field(ge=0, le=100, max_digits=5, decimal_places=2)]
Quantity = Annotated[Decimal, Field(gt=0, max_digits=14, decimal_places=2)]
ProcessCode = Annotated[str, Field(pattern=r"^[a-z0-9_-]{1,20}$")]
UnitCode = Annotated[SafeStr, Field(min_length=1, max_length=50)]

# --- leads -------------------------------------------------------------------------------------------


class Bant(Schema):
    budget: BantState | None = None
    authority: BantState | None = None
    need: BantState | None = None
    timeline: BantState | None = None


class BantEvidence(Schema):
    budget_evidence: Text | None = None
    authority_evidence: Text | None = None
    need_evidence: Text | None = None
    timeline_evidence: Text | None = None


class Spin(Schema):
    situation: Text | None = None
    problem: Text | None = None
    implication: Text | None = None
    need_payoff: Text | None = None


class LeadIn(Schema):
    name: Name
    source: LeadSource
    scenario: Annotated[str, Field(pattern=r"^(continuous|occasional)$")]
    segment: Annotated[str, Field(pattern=r"^(ka|smb)$")] | None = None
    account_id: Id | None = None
    company_name: Short = ""
    contact_id: Id | None = None
    contact_name: Short = ""
    owner_id: Id | None = None
    status: LeadStatus | None = None
    estimated_amount: Money | None = None
    currency: Currency = "CNY"
    bant: Bant | None = None
    bant_evidence: BantEvidence | None = None
    spin: Spin | None = None
    notes: Text = ""
    disqualified_reason: Reason = ""


class LeadPatch(Schema):
    name: Name | None = None
    source: LeadSource | None = None
    scenario: Annotated[str, Field(pattern=r"^(continuous|occasional)$")] | None = None
    segment: Annotated[str, Field(pattern=r"^(ka|smb)$")] | None = None
    account_id: Id | None = None
    company_name: Short | None = None
    contact_id: Id | None = None
    contact_name: Short | None = None
    owner_id: Id | None = None
    status: LeadStatus | None = None
    estimated_amount: Money | None = None
    currency: Currency | None = None
    bant: Bant | None = None
    bant_evidence: BantEvidence | None = None
    spin: Spin | None = None
    notes: Text | None = None
    disqualified_reason: Reason | None = None
    version: int | None = None


LEAD_NULLABLE = {"account_id", "contact_id", "estimated_amount"}


class LeadOut(Schema):
    id: int
    name: str
    source: str
    scenario: str
    segment: str
    account_id: int | None
    account_name: str | None
    company_name: str
    contact_id: int | None
    contact_name: str
    owner_id: int
    owner_label: str
    owner_unit_code: str
    status: str
    estimated_amount: Decimal | None
    currency: str
    bant: dict[str, str]
    bant_evidence: dict[str, str]
    missing_bant: list[str]
    spin: dict[str, str]
    notes: str
    disqualified_reason: str
    converted_at: datetime | None
    opportunity_id: int | None
    conversion_override_reason: str
    version: int
    created_at: datetime
    updated_at: datetime


def lead_out(lead: Any) -> dict[str, Any]:
    opportunity = getattr(lead, "opportunity", None) if lead.converted_at else None
    return {
        "id": lead.pk,
        "name": lead.name,
        "source": lead.source,
        "scenario": lead.scenario,
        "segment": lead.segment,
        "account_id": lead.account_id,
        "account_name": lead.account.name if lead.account_id else None,
        "company_name": lead.company_name,
        "contact_id": lead.contact_id,
        "contact_name": lead.contact.name if lead.contact_id else lead.contact_name,
        "owner_id": lead.owner_id,
        "owner_label": lead.owner.label,
        "owner_unit_code": lead.owner_unit.code,
        "status": lead.status,
        "estimated_amount": lead.estimated_amount,
        "currency": lead.currency,
        "bant": {name: getattr(lead, f"bant_{name}") for name in ("budget", "authority", "need", "timeline")},
        "bant_evidence": {
            name: getattr(lead, f"{name}_evidence") for name in ("budget", "authority", "need", "timeline")
        },
        "missing_bant": lead.missing_bant,
        "spin": {
            name: getattr(lead, f"spin_{name}") for name in ("situation", "problem", "implication", "need_payoff")
        },
        "notes": lead.notes,
        "disqualified_reason": lead.disqualified_reason,
        "converted_at": lead.converted_at,
        "opportunity_id": opportunity.pk if opportunity is not None else None,
        "conversion_override_reason": lead.conversion_override_reason,
        "version": lead.version,
        "created_at": lead.created_at,
        "updated_at": lead.updated_at,
    }


class ConvertIn(Schema):
    override_reason: Reason = ""
    name: Short = ""
    amount: Money | None = None


class ConvertOut(Schema):
    opportunity_id: int


class FollowUpIn(Schema):
    kind: FollowUpKind = FollowUpKind.CALL
    occurred_on: Day | None = None
    note: Annotated[SafeStr, Field(min_length=1, max_length=5000)]
    next_step: Text = ""
    next_on: Day | None = None


class FollowUpOut(Schema):
    id: int
    kind: str
    occurred_on: date
    note: str
    next_step: str
    next_on: date | None
    author_id: int
    author_label: str
    created_at: datetime


def follow_up_out(follow_up: Any) -> dict[str, Any]:
    return {
        "id": follow_up.pk,
        "kind": follow_up.kind,
        "occurred_on": follow_up.occurred_on,
        "note": follow_up.note,
        "next_step": follow_up.next_step,
        "next_on": follow_up.next_on,
        "author_id": follow_up.author_id,
        "author_label": follow_up.author.label,
        "created_at": follow_up.created_at,
    }


class ConversionRowOut(Schema):
    dimension: str
    value: str
    leads: int
    converted: int
    rate: float | None


# --- opportunities -----------------------------------------------------------------------------------


class OpportunityIn(Schema):
    account_id: Id
    name: Name
    process: ProcessCode | None = None
    amount: Money = Decimal("0")
    currency: Currency = "CNY"
    expected_close: Day | None = None
    probability: Annotated[int, Field(ge=0, le=100)] | None = None
    forecast_category: ForecastCategory | None = None
    project_type: ProjectType = ProjectType.COMPANY_LED
    lead_source: LeadSource | None = None
    decision_process_notes: Text = ""
    lead_basis: LeadBasis | None = None
    lead_unit_code: UnitCode | None = None
    procurement_template_id: Id | None = None
    external_id: Annotated[SafeStr, Field(max_length=100)] = ""


class OpportunityPatch(Schema):
    name: Name | None = None
    amount: Money | None = None
    currency: Currency | None = None
    expected_close: Day | None = None
    probability: Annotated[int, Field(ge=0, le=100)] | None = None
    forecast_category: ForecastCategory | None = None
    project_type: ProjectType | None = None
    lead_source: LeadSource | None = None
    decision_process_notes: Text | None = None
    win_loss_reason: Text | None = None
    lead_basis: LeadBasis | None = None
    lead_unit_code: UnitCode | None = None
    procurement_template_id: Id | None = None
    owner_id: Id | None = None
    external_id: Annotated[SafeStr, Field(max_length=100)] | None = None
    stage: str | None = None
    process: str | None = None
    version: int | None = None


OPPORTUNITY_NULLABLE = {"expected_close", "lead_unit_code", "procurement_template_id", "lead_source", "lead_basis"}


class OpportunityOut(Schema):
    id: int
    account_id: int
    account_name: str
    name: str
    process: str
    stage: str
    stage_name: str
    is_closed: bool
    outcome: str
    amount: Decimal
    currency: str
    expected_close: date | None
    probability: int
    forecast_category: str
    project_type: str
    lead_source: str
    lead_id: int | None
    owner_id: int
    owner_label: str
    decision_process_notes: str
    win_loss_reason: str
    closed_on: date | None
    lead_basis: str
    lead_unit_code: str | None
    procurement_template_id: int | None
    checklist_done: int
    checklist_total: int
    checklist_score: int
    margin: Decimal | None
    margin_percent: Decimal | None
    external_id: str
    version: int
    created_at: datetime
    updated_at: datetime


def opportunity_out(opportunity: Any, viewer: Any) -> dict[str, Any]:
    data = {
        "id": opportunity.pk,
        "account_id": opportunity.account_id,
        "account_name": opportunity.account.name,
        "name": opportunity.name,
        "process": opportunity.process.code,
        "stage": opportunity.stage.code,
        "stage_name": opportunity.stage.name,
        "is_closed": opportunity.stage.is_closed,
        "outcome": opportunity.stage.outcome,
        "amount": opportunity.amount,
        "currency": opportunity.currency,
        "expected_close": opportunity.expected_close,
        "probability": opportunity.probability,
        "forecast_category": opportunity.forecast_category,
        "project_type": opportunity.project_type,
        "lead_source": opportunity.lead_source,
        "lead_id": opportunity.lead_id,
        "owner_id": opportunity.owner_id,
        "owner_label": opportunity.owner.label,
        "decision_process_notes": opportunity.decision_process_notes,
        "win_loss_reason": opportunity.win_loss_reason,
        "closed_on": opportunity.closed_on,
        "lead_basis": opportunity.lead_basis,
        "lead_unit_code": opportunity.lead_unit.code if opportunity.lead_unit_id else None,
        "procurement_template_id": opportunity.procurement_template_id,
        "checklist_done": opportunity.checklist_done,
        "checklist_total": opportunity.checklist_total,
        "checklist_score": opportunity.checklist_score,
        "margin": opportunity.margin,
        "margin_percent": opportunity.margin_percent,
        "external_id": opportunity.external_id,
        "version": opportunity.version,
        "created_at": opportunity.created_at,
        "updated_at": opportunity.updated_at,
    }
    return redact(viewer, opportunity, data)


class AdvanceIn(Schema):
    to_stage: Annotated[str, Field(pattern=r"^[a-z0-9_-]{1,20}$")] | None = None
    override_reason: Reason = ""
    reason: Reason = ""
    version: int | None = None


class ChecklistItemOut(Schema):
    key: str
    label: str
    required: bool
    done: bool
    stage: str
    tool: str
    automatic: bool
    evidence: str


def item_out(state: ItemState) -> dict[str, Any]:
    return {
        "key": state.key,
        "label": state.label,
        "required": state.required,
        "done": state.done,
        "stage": state.stage,
        "tool": state.tool,
        "automatic": state.automatic,
        "evidence": state.evidence,
    }


class TickIn(Schema):
    done: bool = True
    evidence: Text = ""


class TeamIn(Schema):
    user_id: Id
    role: OpportunityRole


class TeamOut(Schema):
    id: int
    user_id: int
    user_label: str
    role: str
    weight: int | None


class GuideIn(Schema):
    contact_id: Id
    level: GuideLevel
    cost_notes: Text = ""
    notes: Text = ""


class GuideOut(Schema):
    id: int
    contact_id: int
    contact_name: str
    level: str
    cost_notes: str
    notes: str


class CompetitorIn(Schema):
    name: Name
    strengths: Text = ""
    weaknesses: Text = ""
    threat: Threat = Threat.MEDIUM
    strategy: Text = ""


class CompetitorPatch(Schema):
    name: Name | None = None
    strengths: Text | None = None
    weaknesses: Text | None = None
    threat: Threat | None = None
    strategy: Text | None = None


class CompetitorOut(Schema):
    id: int
    name: str
    strengths: str
    weaknesses: str
    threat: str
    strategy: str


class PainIn(Schema):
    contact_id: Id
    pain: Annotated[SafeStr, Field(min_length=1, max_length=5000)]
    cause: Text = ""
    consequence: Text = ""


class PainOut(Schema):
    id: int
    contact_id: int
    contact_name: str
    pain: str
    cause: str
    consequence: str


class SplitIn(Schema):
    unit_code: UnitCode | None = None
    user_id: Id | None = None
    percent: Annotated[Decimal, Field(max_digits=5, decimal_places=2)]
    kind: SplitKind = SplitKind.REVENUE
    agreement_ref: Annotated[SafeStr, Field(max_length=300)] = ""


class SplitOut(Schema):
    id: int
    unit_code: str | None
    user_id: int | None
    holder_label: str
    percent: Decimal
    kind: str
    agreement_ref: str


def split_out(split: Any) -> dict[str, Any]:
    return {
        "id": split.pk,
        "unit_code": split.unit.code if split.unit_id else None,
        "user_id": split.user_id,
        "holder_label": split.unit.label if split.unit_id else split.user.label,
        "percent": split.percent,
        "kind": split.kind,
        "agreement_ref": split.agreement_ref,
    }


# --- quotes ------------------------------------------------------------------------------------------


class QuoteLineIn(Schema):
    product: Name
    quantity: Quantity
    list_price: Money
    discount: Percent = Decimal("0")
    unit_cost: Money = Decimal("0")


class QuoteIn(Schema):
    opportunity_id: Id
    lines: Annotated[list[QuoteLineIn], Field(min_length=1, max_length=200)]
    valid_until: Day | None = None
    notes: Text = ""


class QuotePatch(Schema):
    lines: Annotated[list[QuoteLineIn], Field(min_length=1, max_length=200)] | None = None
    valid_until: Day | None = None
    notes: Text | None = None
    version: int | None = None


class QuoteLineOut(Schema):
    product: str
    quantity: Decimal
    list_price: Decimal
    discount: Decimal
    unit_cost: Decimal | None
    line_total: Decimal


class QuoteOut(Schema):
    id: int
    opportunity_id: int
    reference: str
    number: int
    currency: str
    status: str
    lines: list[QuoteLineOut]
    total: Decimal
    cost: Decimal | None
    margin: Decimal | None
    margin_percent: Decimal | None
    below_floor: bool | None
    valid_until: date | None
    notes: str
    submitted_at: datetime | None
    sr_approved_by_id: int | None
    sr_approved_at: datetime | None
    manager_approved_by_id: int | None
    manager_approved_at: datetime | None
    rejection_reason: str
    version: int
    created_at: datetime
    updated_at: datetime


def quote_out(quote: Any, viewer: Any) -> dict[str, Any]:
    """Needs the lines prefetched. Cost and margin, and each line's unit cost, only for who may see them."""
    from irontriangle.common.restricted import can_see
    from irontriangle.pipeline.services.quotes import line_total

    costs_visible = can_see(viewer, quote, "cost")
    data = {
        "id": quote.pk,
        "opportunity_id": quote.opportunity_id,
        "reference": quote.reference,
        "number": quote.number,
        "currency": quote.currency,
        "status": quote.status,
        "lines": [
            {
                "product": line.product,
                "quantity": line.quantity,
                "list_price": line.list_price,
                "discount": line.discount,
                "unit_cost": line.unit_cost if costs_visible else None,
                "line_total": line_total(line),
            }
            for line in quote.lines.all()
        ],
        "total": quote.total,
        "cost": quote.cost,
        "margin": quote.margin,
        "margin_percent": quote.margin_percent,
        "below_floor": quote.below_floor,
        "valid_until": quote.valid_until,
        "notes": quote.notes,
        "submitted_at": quote.submitted_at,
        "sr_approved_by_id": quote.sr_approved_by_id,
        "sr_approved_at": quote.sr_approved_at,
        "manager_approved_by_id": quote.manager_approved_by_id,
        "manager_approved_at": quote.manager_approved_at,
        "rejection_reason": quote.rejection_reason,
        "version": quote.version,
        "created_at": quote.created_at,
        "updated_at": quote.updated_at,
    }
    return redact(viewer, quote, data)


class RejectIn(Schema):
    reason: Reason


# --- reviews -----------------------------------------------------------------------------------------


class ReviewIn(Schema):
    title: Name
    held_on: Day
    unit_code: UnitCode
    participant_ids: Annotated[list[Id], Field(max_length=100)] = []
    notes: Text = ""


class ReviewItemIn(Schema):
    opportunity_id: Id
    decision: Annotated[SafeStr, Field(min_length=1, max_length=5000)]
    next_actions: Text = ""
    owner_id: Id | None = None
    due_on: Day | None = None


class ReviewItemOut(Schema):
    id: int
    opportunity_id: int
    opportunity_name: str
    decision: str
    next_actions: str
    owner_id: int | None
    due_on: date | None


class ReviewOut(Schema):
    id: int
    title: str
    held_on: date
    unit_code: str
    chair_id: int
    participant_ids: list[int]
    notes: str
    items: list[ReviewItemOut]
    version: int


class ProcessStageOut(Schema):
    code: str
    name: str
    position: int
    probability: int
    forecast_category: str
    outcome: str
    is_optional: bool
    weights: dict[str, int]


class ProcessOut(Schema):
    code: str
    name: str
    segment: str
    stages: list[ProcessStageOut]
