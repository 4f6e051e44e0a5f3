"""Contracts: opened from a deal in its last open stage or won, their trigger events and their milestones."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from irontriangle.collections.models import (
    DEFAULT_EVIDENCE,
    REQUIRABLE_EVIDENCE,
    TRIGGER_FIELDS,
    Contract,
    MilestoneKind,
    MilestoneTemplate,
    PaymentMilestone,
    Trigger,
)
from irontriangle.collections.services.common import announce, refresh_milestone, require_contract_editor, text
from irontriangle.common.access import Viewer
from irontriangle.common.errors import Conflict, FieldError, Forbidden, InvalidInput
from irontriangle.common.money import quantize, split_exactly
from irontriangle.common.services import (
    check_version,
    lock_for_update,
    record_restore,
    record_soft_delete,
    save_versioned,
    validate,
)
from irontriangle.org.models import User
from irontriangle.pipeline import checklist
from irontriangle.pipeline.models import Opportunity, OpportunityRole, Outcome
from irontriangle.pipeline.selectors import can_edit_opportunity

HUNDRED = Decimal("100")


class MilestoneTotal(InvalidInput):
    code = "milestone_total"


def _team_member(opportunity: Opportunity, role: str) -> int | None:
    member = opportunity.team_members.filter(role=role).order_by("pk").first()
    return member.user_id if member else None


def _check_people(data: dict[str, Any], opportunity: Opportunity) -> None:
    """The AR and FR named on a contract must be able to see its deal."""
    from irontriangle.common.access import viewer_of
    from irontriangle.pipeline.selectors import opportunities_visible

    errors = []
    for name in ("ar_id", "fr_id"):
        pk = data.get(name)
        if pk is None:
            continue
        user = User.objects.filter(pk=pk, is_active=True).first()
        if user is None or not opportunities_visible(viewer_of(user)).filter(pk=opportunity.pk).exists():
            errors.append(FieldError(name, "no_access", _("This person cannot see the deal.")))
    if errors:
        raise InvalidInput(errors)


def active_template(code: str) -> MilestoneTemplate:
    template = MilestoneTemplate.objects.filter(code=code, is_active=True).first()
    if template is None:
        raise InvalidInput.single("template", "unknown_template", _("Unknown milestone template."))
    return template


@transaction.atomic
def contract_create(
    *, viewer: Viewer, actor: User, opportunity: Opportunity, data: dict[str, Any], template: str | None = None
) -> Contract:
    """With `template`, its milestones are applied in the same transaction, to be edited afterwards."""
    if not can_edit_opportunity(viewer, opportunity):
        raise Forbidden()
    if opportunity.stage.outcome == Outcome.LOST:
        raise InvalidInput.single("opportunity_id", "opportunity_lost", _("A lost deal has no contract."))
    _check_people(data, opportunity)
    contract = Contract(  # type: ignore[misc]  # the validation below names what is missing
        opportunity=opportunity,
        account=opportunity.account,
        number=text(data.get("number")),
        title=text(data.get("title")) or opportunity.name,
        signed_on=data.get("signed_on"),
        amount=data.get("amount") if data.get("amount") is not None else opportunity.amount,
        currency=text(data.get("currency")) or opportunity.currency,
        payment_terms=text(data.get("payment_terms")),
        ar_id=data.get("ar_id") or _team_member(opportunity, OpportunityRole.AR) or opportunity.owner_id,
        fr_id=data.get("fr_id") or _team_member(opportunity, OpportunityRole.FR),
        notes=text(data.get("notes")),
    )
    _validate_contract(contract)
    contract._history_user = actor  # type: ignore[attr-defined]
    contract.save()
    announce(
        contract,
        kind="contract.created",
        actor=actor,
        data={"number": contract.number, "amount": str(contract.amount)},
        title=lambda: (
            _("Contract %(number)s signed with %(account)s")
            % {"number": contract.number, "account": contract.account.name}
        ),
    )
    if template:
        milestones_replace(viewer=viewer, actor=actor, contract=contract, rows=template_rows(active_template(template)))
    return contract


def _validate_contract(contract: Contract) -> None:
    errors = []
    if contract.amount is not None and contract.amount <= 0:
        errors.append(FieldError("amount", "out_of_range", _("The amount must be above 0.")))
    if contract.number and Contract.objects.filter(number=contract.number).exclude(pk=contract.pk).exists():
        errors.append(FieldError("number", "duplicate", _("Another contract already has this number.")))
    if errors:
        raise InvalidInput(errors)
    validate(contract, exclude=["opportunity", "account"])


EDITABLE = (
    "number",
    "title",
    "signed_on",
    "amount",
    "currency",
    "payment_terms",
    "ar_id",
    "fr_id",
    "delivered_on",
    "accepted_on",
    "warranty_ends_on",
    "notes",
)


@transaction.atomic
def contract_update(
    *, viewer: Viewer, actor: User, contract: Contract, data: dict[str, Any], version: int | None
) -> Contract:
    """Recording delivery, acceptance or the end of warranty fixes the due dates that wait on it; a new
    amount re-divides the milestones by their percents (never below what each has received)."""
    require_contract_editor(viewer, contract)
    current = lock_for_update(contract)
    check_version(current, version)
    _check_people({name: data[name] for name in ("ar_id", "fr_id") if data.get(name)}, current.opportunity)
    old_amount = current.amount
    for name in EDITABLE:
        if name not in data:
            continue
        value = data[name]
        if name in ("number", "title", "payment_terms", "notes", "currency"):
            value = text(value)
        if name in ("number", "signed_on", "amount", "currency") and value in (None, ""):
            raise InvalidInput.single(name, "required", _("This field is required."))
        setattr(current, name, value)
    _validate_contract(current)
    save_versioned(current, actor=actor)
    milestones = list(current.milestones.all())
    if current.amount != old_amount and milestones:
        amounts = split_exactly(current.amount, [milestone.percent for milestone in milestones])
        short = [m for m, amount in zip(milestones, amounts, strict=True) if amount < m.received]
        if short:
            raise InvalidInput.single(
                "amount",
                "below_received",
                _("Milestone %(n)s has already received more than its share of this amount.")
                % {"n": short[0].position},
            )
        for milestone, amount in zip(milestones, amounts, strict=True):
            milestone.amount = amount
    for milestone in milestones:
        _resolve_due(milestone, current)
        milestone._history_user = actor  # type: ignore[attr-defined]
        milestone.save()
        refresh_milestone(milestone)
    announce(current, kind="contract.updated", actor=actor, data={"fields": sorted(data)})
    return current


@transaction.atomic
def contract_delete(*, viewer: Viewer, actor: User, contract: Contract) -> None:
    require_contract_editor(viewer, contract)
    if contract.milestones.filter(received__gt=0).exists():
        raise Conflict(_("Money has been received on this contract; it cannot be deleted."), code="has_payments")
    record_soft_delete(contract, actor=actor)
    checklist.refresh(contract.opportunity)
    announce(contract, kind="contract.deleted", actor=actor, data={})


def contract_restore(*, viewer: Viewer, actor: User, contract: Contract) -> Contract:
    if not viewer.is_admin:
        raise Forbidden()
    if contract.opportunity.deleted_at is not None:
        raise InvalidInput.single("opportunity_id", "opportunity_in_trash", _("Restore the opportunity first."))
    restored = record_restore(contract, actor=actor)
    checklist.refresh(contract.opportunity)
    return restored


# --- milestones --------------------------------------------------------------------------------------


def _resolve_due(milestone: PaymentMilestone, contract: Contract) -> None:
    if milestone.due_on is not None:
        milestone.due = milestone.due_on
        return
    happened = getattr(contract, TRIGGER_FIELDS[Trigger(milestone.trigger)]) if milestone.trigger else None
    milestone.due = happened + timedelta(days=milestone.offset_days) if happened else None


def _row_errors(index: int, row: dict[str, Any], contract: Contract) -> list[FieldError]:
    where = f"milestones.{index}"
    errors = []
    if row.get("kind") not in MilestoneKind.values:
        errors.append(FieldError(f"{where}.kind", "invalid", _("Unknown milestone kind.")))
    if row.get("percent") is None and row.get("amount") is None:
        errors.append(FieldError(f"{where}.percent", "required", _("Give a percent or an amount.")))
    if row.get("percent") is not None and not Decimal("0") < row["percent"] <= HUNDRED:
        errors.append(FieldError(f"{where}.percent", "out_of_range", _("A percent is above 0 and at most 100.")))
    if row.get("amount") is not None and not Decimal("0") < row["amount"] <= contract.amount:
        errors.append(
            FieldError(f"{where}.amount", "out_of_range", _("An amount is above 0 and within the contract amount."))
        )
    if row.get("due_on") is None and not row.get("trigger"):
        errors.append(FieldError(f"{where}.due_on", "required", _("Give a due date or the event it follows.")))
    if row.get("trigger") and row["trigger"] not in Trigger.values:
        errors.append(FieldError(f"{where}.trigger", "invalid", _("Unknown trigger event.")))
    unknown = [kind for kind in row.get("evidence_required") or [] if kind not in REQUIRABLE_EVIDENCE]
    if unknown:
        errors.append(
            FieldError(f"{where}.evidence_required", "invalid", _("Unknown evidence kind: %(k)s") % {"k": unknown[0]})
        )
    return errors


def _amounts(rows: list[dict[str, Any]], total: Decimal) -> list[Decimal]:
    """Amounts as given, or from the percents; percents that make 100 between them share out every cent."""
    if all(row.get("amount") is None for row in rows) and sum(row["percent"] for row in rows) == HUNDRED:
        return split_exactly(total, [row["percent"] for row in rows])
    return [
        row["amount"] if row.get("amount") is not None else quantize(total * row["percent"] / HUNDRED) for row in rows
    ]


def _check_agreement(rows: list[dict[str, Any]], amounts: list[Decimal], total: Decimal) -> None:
    errors = []
    for index, (row, amount) in enumerate(zip(rows, amounts, strict=True)):
        if (
            row.get("percent") is not None
            and row.get("amount") is not None
            and abs(quantize(total * row["percent"] / HUNDRED) - amount) > total * Decimal("0.00005") + Decimal("0.01")
        ):
            errors.append(
                FieldError(
                    f"milestones.{index}.amount",
                    "percent_mismatch",
                    _("The amount is not the given percent of the contract."),
                )
            )
    if errors:
        raise InvalidInput(errors)
    if sum(amounts, Decimal("0")) != total:
        raise MilestoneTotal(
            [
                FieldError(
                    "milestones",
                    "milestone_total",
                    _("The milestones add up to %(sum)s; the contract is %(total)s.")
                    % {"sum": f"{sum(amounts, Decimal('0')):,.2f}", "total": f"{total:,.2f}"},
                )
            ],
            _("The milestones must add up to the contract amount."),
        )


@transaction.atomic
def milestones_replace(
    *, viewer: Viewer, actor: User, contract: Contract, rows: list[dict[str, Any]], version: int | None = None
) -> list[PaymentMilestone]:
    """Replace the schedule. A row with the `id` of a milestone keeps it (and its payments, evidence and
    sign-offs); milestones left out are removed, unless money was received on them."""
    require_contract_editor(viewer, contract)
    current = lock_for_update(contract)
    if version is not None:
        check_version(current, version)
    if not rows:
        raise MilestoneTotal(
            [FieldError("milestones", "milestone_total", _("A contract needs at least one milestone."))]
        )
    errors = [error for index, row in enumerate(rows) for error in _row_errors(index, row, current)]
    existing = {milestone.pk: milestone for milestone in current.milestones.all()}
    for index, row in enumerate(rows):
        if row.get("id") is not None and row["id"] not in existing:
            errors.append(
                FieldError(f"milestones.{index}.id", "unknown_milestone", _("Not a milestone of this contract."))
            )
        if (
            row.get("responsible_id") is not None
            and not User.objects.filter(pk=row["responsible_id"], is_active=True).exists()
        ):
            errors.append(FieldError(f"milestones.{index}.responsible_id", "unknown_user", _("Unknown user.")))
    if errors:
        raise InvalidInput(errors)
    amounts = _amounts(rows, current.amount)
    _check_agreement(rows, amounts, current.amount)
    kept_ids = {row["id"] for row in rows if row.get("id") is not None}
    for pk, milestone in existing.items():
        if pk not in kept_ids:
            if milestone.payments.exists():
                raise Conflict(
                    _("Money was received on a milestone you removed; keep it in the schedule."), code="has_payments"
                )
            milestone.delete()
    saved = []
    for index, (row, amount) in enumerate(zip(rows, amounts, strict=True)):
        milestone = existing.get(row.get("id")) or PaymentMilestone(contract=current)  # type: ignore[arg-type]
        if amount < milestone.received:
            raise InvalidInput.single(
                f"milestones.{index}.amount", "below_received", _("Less than what was already received.")
            )
        milestone.position = index + 1
        milestone.kind = row["kind"]
        milestone.amount = amount
        milestone.percent = (
            row["percent"] if row.get("percent") is not None else quantize(amount * HUNDRED / current.amount)
        )
        milestone.due_on = row.get("due_on")
        milestone.trigger = row.get("trigger") or ""
        milestone.offset_days = row.get("offset_days") or 0
        milestone.responsible_id = row.get("responsible_id") or current.ar_id
        required = row.get("evidence_required")
        milestone.evidence_required = list(
            dict.fromkeys(required if required is not None else DEFAULT_EVIDENCE[row["kind"]])
        )
        milestone.notes = text(row.get("notes"))
        _resolve_due(milestone, current)
        milestone._history_user = actor  # type: ignore[attr-defined]
        milestone.save()
        saved.append(refresh_milestone(milestone))
    save_versioned(current, actor=actor, reason="milestones")
    checklist.refresh(current.opportunity)
    announce(
        current,
        kind="contract.milestones_changed",
        actor=actor,
        data={"milestones": [{"kind": m.kind, "percent": str(m.percent), "amount": str(m.amount)} for m in saved]},
    )
    return saved


def template_rows(template: MilestoneTemplate) -> list[dict[str, Any]]:
    """A template's lines as milestone rows, to save at once or to edit first."""
    return [
        {
            "kind": line.kind,
            "percent": line.percent,
            "trigger": line.trigger,
            "offset_days": line.offset_days,
            "evidence_required": list(DEFAULT_EVIDENCE[MilestoneKind(line.kind)]),
        }
        for line in template.lines.all()
    ]
