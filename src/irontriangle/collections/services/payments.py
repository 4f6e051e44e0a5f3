"""Money received against milestones, invoices sent, and disputes."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from irontriangle.collections.models import Payment, PaymentMilestone
from irontriangle.collections.services.common import announce, refresh_milestone, require_contract_editor, text
from irontriangle.common.access import Viewer
from irontriangle.common.errors import FieldError, Forbidden, InvalidInput
from irontriangle.common.services import lock_for_update, record_restore, record_soft_delete, save_versioned
from irontriangle.org.models import User


class Overpayment(InvalidInput):
    code = "overpayment"


def _money(amount: Decimal) -> str:
    return f"{amount:,.2f}"


@transaction.atomic
def payment_record(*, viewer: Viewer, actor: User, milestone: PaymentMilestone, data: dict[str, Any]) -> Payment:
    """More than the milestone still expects is refused unless the caller says it is an over-payment."""
    contract = milestone.contract
    require_contract_editor(viewer, contract)
    current = lock_for_update(milestone)  # two people recording at once must not both fit the same gap
    amount: Decimal | None = data.get("amount")
    received_on: date | None = data.get("received_on")
    errors = []
    if amount is None or amount <= 0:
        errors.append(FieldError("amount", "out_of_range", _("The amount must be above 0.")))
    if received_on is None:
        errors.append(FieldError("received_on", "required", _("When was the money received?")))
    elif received_on > timezone.localdate():
        errors.append(FieldError("received_on", "in_future", _("Money cannot be received in the future.")))
    if errors:
        raise InvalidInput(errors)
    assert amount is not None and received_on is not None
    outstanding = max(current.amount - current.received, Decimal("0"))
    overpaying = amount > outstanding
    if overpaying and not data.get("is_overpayment"):
        raise Overpayment(
            [
                FieldError(
                    "amount",
                    "overpayment",
                    _(
                        "Only %(left)s is outstanding on this milestone; "
                        "record the rest as an over-payment if it is one."
                    )
                    % {"left": _money(outstanding)},
                )
            ],
            _("The payment is more than the milestone's outstanding amount."),
        )
    payment = Payment(
        milestone=current,
        amount=amount,
        received_on=received_on,
        reference=text(data.get("reference")),
        is_overpayment=overpaying,
        notes=text(data.get("notes")),
        recorded_by=actor,
    )
    payment._history_user = actor  # type: ignore[attr-defined]
    payment.full_clean(exclude=["milestone", "recorded_by"])
    payment.save()
    refresh_milestone(current)
    announce(
        contract,
        kind="payment.recorded",
        actor=actor,
        data={"milestone_id": current.pk, "payment_id": payment.pk, "amount": str(amount), "status": current.status},
        title=lambda: (
            _("%(amount)s received on contract %(number)s (%(kind)s)")
            % {"amount": _money(amount), "number": contract.number, "kind": current.get_kind_display()}
        ),
        milestones=(current,),
    )
    return payment


@transaction.atomic
def payment_reverse(*, viewer: Viewer, actor: User, payment: Payment) -> None:
    """A payment booked in error goes to the trash; the milestone's figures follow."""
    milestone = payment.milestone
    require_contract_editor(viewer, milestone.contract)
    lock_for_update(milestone)
    record_soft_delete(payment, actor=actor)
    refresh_milestone(milestone)
    announce(
        milestone.contract,
        kind="payment.reversed",
        actor=actor,
        data={"milestone_id": milestone.pk, "payment_id": payment.pk, "amount": str(payment.amount)},
    )


@transaction.atomic
def payment_restore(*, viewer: Viewer, actor: User, payment: Payment) -> Payment:
    """Back from the trash, the money counts again, unless it would now overpay a milestone unsaid."""
    if not viewer.is_admin:
        raise Forbidden()
    milestone = lock_for_update(payment.milestone)
    outstanding = max(milestone.amount - milestone.received, Decimal("0"))
    if payment.amount > outstanding and not payment.is_overpayment:
        raise Overpayment(
            [FieldError("amount", "overpayment", _("The milestone has been paid since; this would overpay it."))],
            _("The payment is more than the milestone's outstanding amount."),
        )
    restored = record_restore(payment, actor=actor)
    refresh_milestone(milestone)
    return restored


@transaction.atomic
def milestone_invoice(
    *, viewer: Viewer, actor: User, milestone: PaymentMilestone, invoiced_on: date | None, invoice_number: str
) -> PaymentMilestone:
    require_contract_editor(viewer, milestone.contract)
    current = lock_for_update(milestone)
    if invoiced_on is None:
        raise InvalidInput.single("invoiced_on", "required", _("When was the invoice sent?"))
    current.invoiced_on = invoiced_on
    current.invoice_number = text(invoice_number)
    save_versioned(current, actor=actor, reason="invoiced")
    refresh_milestone(current)
    announce(
        milestone.contract,
        kind="milestone.invoiced",
        actor=actor,
        data={"milestone_id": current.pk, "invoiced_on": invoiced_on.isoformat()},
    )
    return current


@transaction.atomic
def milestone_dispute(*, viewer: Viewer, actor: User, milestone: PaymentMilestone, reason: str) -> PaymentMilestone:
    require_contract_editor(viewer, milestone.contract)
    current = lock_for_update(milestone)
    reason = text(reason)
    if not reason:
        raise InvalidInput.single("reason", "required", _("Say what the customer disputes."))
    current.dispute_reason = reason
    current.disputed_on = timezone.localdate()
    save_versioned(current, actor=actor, reason=_("Disputed: %(reason)s") % {"reason": reason})
    refresh_milestone(current)
    contract = milestone.contract
    announce(
        contract,
        kind="milestone.disputed",
        actor=actor,
        data={"milestone_id": current.pk, "reason": reason},
        title=lambda: (
            _("The customer disputes %(kind)s of contract %(number)s: %(reason)s")
            % {"kind": current.get_kind_display(), "number": contract.number, "reason": reason}
        ),
        milestones=(current,),
    )
    return current


@transaction.atomic
def milestone_resolve(*, viewer: Viewer, actor: User, milestone: PaymentMilestone, note: str) -> PaymentMilestone:
    require_contract_editor(viewer, milestone.contract)
    current = lock_for_update(milestone)
    if not current.dispute_reason:
        raise InvalidInput.single("milestone_id", "not_disputed", _("This milestone is not disputed."))
    note = text(note)
    if not note:
        raise InvalidInput.single("note", "required", _("Say how the dispute was settled."))
    current.dispute_reason = ""
    current.disputed_on = None
    save_versioned(current, actor=actor, reason=_("Dispute settled: %(note)s") % {"note": note})
    refresh_milestone(current)
    announce(
        milestone.contract,
        kind="milestone.dispute_resolved",
        actor=actor,
        data={"milestone_id": current.pk, "note": note},
    )
    return current
