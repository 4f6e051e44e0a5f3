"""API shapes of the collections domain (API.md `/contracts`, `/milestones`, `/payments`, `/battle-map`)."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Annotated, Any

from ninja import Schema
from pydantic import Field

from irontriangle.collections.checklist import ItemState
from irontriangle.collections.models import (
    ActionKind,
    CollectionAction,
    Contract,
    Evidence,
    EvidenceKind,
    MilestoneKind,
    Payment,
    PaymentMilestone,
    SignOff,
    SignOffRole,
    Trigger,
)
from irontriangle.collections.state import BUCKET_LABELS
from irontriangle.common.apitools import Id, Money, SafeStr

Percent = Annotated[Decimal, Field(gt=0, le=100, max_digits=5, decimal_places=2)]
ShortText = Annotated[SafeStr, Field(max_length=200)]
LongText = Annotated[SafeStr, Field(max_length=5000)]


class ContractIn(Schema):
    opportunity_id: Id
    number: Annotated[SafeStr, Field(min_length=1, max_length=60)]
    title: ShortText = ""
    signed_on: date
    amount: Money | None = None
    currency: Annotated[SafeStr, Field(min_length=3, max_length=3)] | None = None
    payment_terms: LongText = ""
    ar_id: Id | None = None
    fr_id: Id | None = None
    notes: LongText = ""
    template: Annotated[SafeStr, Field(max_length=40)] | None = None


class ContractPatch(Schema):
    number: Annotated[SafeStr, Field(min_length=1, max_length=60)] | None = None
    title: ShortText | None = None
    signed_on: date | None = None
    amount: Money | None = None
    currency: Annotated[SafeStr, Field(min_length=3, max_length=3)] | None = None
    payment_terms: LongText | None = None
    ar_id: Id | None = None
    fr_id: Id | None = None
    delivered_on: date | None = None
    accepted_on: date | None = None
    warranty_ends_on: date | None = None
    notes: LongText | None = None
    version: int | None = None


class MilestoneIn(Schema):
    id: Id | None = None
    kind: MilestoneKind
    percent: Percent | None = None
    amount: Money | None = None
    due_on: date | None = None
    trigger: Trigger | None = None
    offset_days: Annotated[int, Field(ge=0, le=3650)] = 0
    evidence_required: list[EvidenceKind] | None = None
    responsible_id: Id | None = None
    notes: LongText = ""


class MilestonesIn(Schema):
    milestones: Annotated[list[MilestoneIn], Field(max_length=50)]
    version: int | None = None


class TemplateApplyIn(Schema):
    template: Annotated[SafeStr, Field(min_length=1, max_length=40)]
    version: int | None = None


class MilestoneOut(Schema):
    id: int
    contract_id: int
    position: int
    kind: str
    percent: Decimal
    amount: Decimal
    due_on: date | None
    trigger: str
    offset_days: int
    due: date | None
    responsible_id: int | None
    evidence_required: list[str]
    evidence_present: int
    evidence_needed: int
    evidence_complete: bool
    received: Decimal
    outstanding: Decimal
    status: str
    ageing_bucket: str | None
    invoiced_on: date | None
    invoice_number: str
    dispute_reason: str
    disputed_on: date | None
    notes: str
    version: int


def milestone_out(milestone: PaymentMilestone) -> dict[str, Any]:
    """Needs a milestone read through a selector (state annotated)."""
    return {
        "id": milestone.pk,
        "contract_id": milestone.contract_id,
        "position": milestone.position,
        "kind": milestone.kind,
        "percent": milestone.percent,
        "amount": milestone.amount,
        "due_on": milestone.due_on,
        "trigger": milestone.trigger,
        "offset_days": milestone.offset_days,
        "due": milestone.due,
        "responsible_id": milestone.responsible_id,
        "evidence_required": list(milestone.evidence_required or []),
        "evidence_present": milestone.evidence_present,
        "evidence_needed": milestone.evidence_needed,
        "evidence_complete": milestone.evidence_present >= milestone.evidence_needed,
        "received": milestone.received,
        "outstanding": milestone.outstanding_amount,  # type: ignore[attr-defined]
        "status": milestone.current_status,  # type: ignore[attr-defined]
        "ageing_bucket": milestone.bucket or None,  # type: ignore[attr-defined]
        "invoiced_on": milestone.invoiced_on,
        "invoice_number": milestone.invoice_number,
        "dispute_reason": milestone.dispute_reason,
        "disputed_on": milestone.disputed_on,
        "notes": milestone.notes,
        "version": milestone.version,
    }


class ContractOut(Schema):
    id: int
    opportunity_id: int
    account_id: int
    account_name: str
    number: str
    title: str
    signed_on: date
    amount: Decimal
    currency: str
    payment_terms: str
    ar_id: int | None
    fr_id: int | None
    delivered_on: date | None
    accepted_on: date | None
    warranty_ends_on: date | None
    notes: str
    down_payment_ratio: Decimal | None
    version: int
    created_at: datetime
    updated_at: datetime


def contract_out(contract: Contract) -> dict[str, Any]:
    from irontriangle.collections.measures import down_payment_ratio

    down = getattr(contract, "down_payment", None)
    return {
        "id": contract.pk,
        "opportunity_id": contract.opportunity_id,
        "account_id": contract.account_id,
        "account_name": contract.account.name,
        "number": contract.number,
        "title": contract.title,
        "signed_on": contract.signed_on,
        "amount": contract.amount,
        "currency": contract.currency,
        "payment_terms": contract.payment_terms,
        "ar_id": contract.ar_id,
        "fr_id": contract.fr_id,
        "delivered_on": contract.delivered_on,
        "accepted_on": contract.accepted_on,
        "warranty_ends_on": contract.warranty_ends_on,
        "notes": contract.notes,
        "down_payment_ratio": down_payment_ratio(contract.amount, down) if down is not None else None,
        "version": contract.version,
        "created_at": contract.created_at,
        "updated_at": contract.updated_at,
    }


class PaymentIn(Schema):
    milestone_id: Id
    amount: Money
    received_on: date
    reference: Annotated[SafeStr, Field(max_length=100)] = ""
    is_overpayment: bool = False
    notes: LongText = ""


class PaymentOut(Schema):
    id: int
    milestone_id: int
    contract_id: int
    amount: Decimal
    received_on: date
    reference: str
    is_overpayment: bool
    notes: str
    recorded_by_id: int
    created_at: datetime


def payment_out(payment: Payment) -> dict[str, Any]:
    return {
        "id": payment.pk,
        "milestone_id": payment.milestone_id,
        "contract_id": payment.milestone.contract_id,
        "amount": payment.amount,
        "received_on": payment.received_on,
        "reference": payment.reference,
        "is_overpayment": payment.is_overpayment,
        "notes": payment.notes,
        "recorded_by_id": payment.recorded_by_id,
        "created_at": payment.created_at,
    }


class InvoiceIn(Schema):
    invoiced_on: date
    invoice_number: Annotated[SafeStr, Field(max_length=60)] = ""


class DisputeIn(Schema):
    reason: Annotated[SafeStr, Field(max_length=2000)] = ""


class ResolveIn(Schema):
    note: Annotated[SafeStr, Field(max_length=2000)] = ""


class EvidenceOut(Schema):
    id: int
    contract_id: int
    milestone_id: int | None
    kind: str
    name: str
    content_type: str
    size: int
    sha256: str
    notes: str
    uploaded_by_id: int
    uploaded_at: datetime
    download_url: str


def evidence_out(evidence: Evidence) -> dict[str, Any]:
    return {
        "id": evidence.pk,
        "contract_id": evidence.contract_id,
        "milestone_id": evidence.milestone_id,
        "kind": evidence.kind,
        "name": evidence.original_name,
        "content_type": evidence.content_type,
        "size": evidence.size,
        "sha256": evidence.sha256,
        "notes": evidence.notes,
        "uploaded_by_id": evidence.uploaded_by_id,
        "uploaded_at": evidence.uploaded_at,
        "download_url": f"/api/v1/evidence/{evidence.pk}/download",
    }


class SignOffIn(Schema):
    contact_id: Id
    role: SignOffRole
    signed_on: date | None = None
    notes: ShortText = ""


class SignOffPatch(Schema):
    signed_on: date | None = None
    notes: ShortText = ""


class SignOffOut(Schema):
    id: int
    milestone_id: int
    contact_id: int
    contact_name: str
    contact_title: str
    stance: str
    role: str
    signed_on: date | None
    notes: str


def sign_off_out(sign_off: SignOff) -> dict[str, Any]:
    return {
        "id": sign_off.pk,
        "milestone_id": sign_off.milestone_id,
        "contact_id": sign_off.contact_id,
        "contact_name": sign_off.contact.name,
        "contact_title": sign_off.contact.title,
        "stance": sign_off.contact.stance,
        "role": sign_off.role,
        "signed_on": sign_off.signed_on,
        "notes": sign_off.notes,
    }


class ActionIn(Schema):
    kind: ActionKind
    occurred_on: date | None = None
    milestone_id: Id | None = None
    contact_id: Id | None = None
    outcome: Annotated[SafeStr, Field(max_length=5000)] = ""
    promised_on: date | None = None


class ActionOut(Schema):
    id: int
    contract_id: int
    milestone_id: int | None
    kind: str
    occurred_on: date
    contact_id: int | None
    outcome: str
    promised_on: date | None
    actor_id: int


def action_out(action: CollectionAction) -> dict[str, Any]:
    return {
        "id": action.pk,
        "contract_id": action.contract_id,
        "milestone_id": action.milestone_id,
        "kind": action.kind,
        "occurred_on": action.occurred_on,
        "contact_id": action.contact_id,
        "outcome": action.outcome,
        "promised_on": action.promised_on,
        "actor_id": action.actor_id,
    }


class CheckItemOut(Schema):
    key: str
    duty: str
    label: str
    automatic: bool
    done: bool
    note: str


def check_item_out(state: ItemState) -> dict[str, Any]:
    return {
        "key": state.item.key,
        "duty": state.item.duty,
        "label": str(state.item.label),
        "automatic": state.item.automatic,
        "done": state.done,
        "note": state.note,
    }


class TickIn(Schema):
    done: bool = True
    note: ShortText = ""


class BattleRowOut(Schema):
    contract_id: int
    contract_number: str
    account_id: int
    account_name: str
    ar_id: int | None
    fr_id: int | None
    currency: str
    milestone_id: int
    kind: str
    due: date | None
    amount: Decimal
    received: Decimal
    outstanding: Decimal
    evidence_complete: bool
    status: str
    ageing_bucket: str | None


def battle_row_out(milestone: PaymentMilestone) -> dict[str, Any]:
    contract = milestone.contract
    return {
        "contract_id": contract.pk,
        "contract_number": contract.number,
        "account_id": contract.account_id,
        "account_name": contract.account.name,
        "ar_id": contract.ar_id,
        "fr_id": contract.fr_id,
        "currency": contract.currency,
        "milestone_id": milestone.pk,
        "kind": milestone.kind,
        "due": milestone.due,
        "amount": milestone.amount,
        "received": milestone.received,
        "outstanding": milestone.outstanding_amount,  # type: ignore[attr-defined]
        "evidence_complete": milestone.evidence_present >= milestone.evidence_needed,
        "status": milestone.current_status,  # type: ignore[attr-defined]
        "ageing_bucket": milestone.bucket or None,  # type: ignore[attr-defined]
    }


class BattleTotalsOut(Schema):
    rows: int
    amount: Decimal
    received: Decimal
    outstanding: Decimal


class BattleMapOut(Schema):
    items: list[BattleRowOut]
    next_cursor: str | None
    totals: BattleTotalsOut


BUCKET_CHOICES = tuple(BUCKET_LABELS)
