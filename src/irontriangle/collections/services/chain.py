"""The customer's delivery decision chain, collection actions and the manual checklist ticks."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from irontriangle.collections.checklist import ITEM_KEYS
from irontriangle.collections.models import (
    ActionKind,
    CollectionAction,
    Contract,
    ContractTick,
    PaymentMilestone,
    SignOff,
    SignOffRole,
)
from irontriangle.collections.services.common import announce, require_contract_editor, text
from irontriangle.common.access import Viewer
from irontriangle.common.errors import Conflict, FieldError, InvalidInput, NotFound
from irontriangle.org.models import User
from irontriangle.relationships.models import Contact


def _account_contact(contract: Contract, contact_id: Any, field: str = "contact_id") -> Contact:
    """A contact of the contract's own account; anyone else is unknown (the caller may see the contract)."""
    contact = Contact.objects.filter(pk=contact_id, account_id=contract.account_id).first() if contact_id else None
    if contact is None:
        raise InvalidInput.single(field, "unknown_contact", _("Not a contact of this account."))
    return contact


@transaction.atomic
def sign_off_add(*, viewer: Viewer, actor: User, milestone: PaymentMilestone, data: dict[str, Any]) -> SignOff:
    contract = milestone.contract
    require_contract_editor(viewer, contract)
    contact = _account_contact(contract, data.get("contact_id"))
    role = data.get("role")
    if role not in SignOffRole.values:
        raise InvalidInput.single("role", "invalid", _("Unknown sign-off role."))
    sign_off = SignOff(
        milestone=milestone, contact=contact, role=role, signed_on=data.get("signed_on"), notes=text(data.get("notes"))
    )
    sign_off._history_user = actor  # type: ignore[attr-defined]
    try:
        with transaction.atomic():
            sign_off.save()
    except IntegrityError:
        raise Conflict(_("This person already signs in this role."), code="duplicate") from None
    announce(contract, kind="contract.decision_chain_changed", actor=actor, data={"milestone_id": milestone.pk})
    return sign_off


@transaction.atomic
def sign_off_update(*, viewer: Viewer, actor: User, sign_off: SignOff, signed_on: date | None, notes: str) -> SignOff:
    require_contract_editor(viewer, sign_off.milestone.contract)
    sign_off.signed_on = signed_on
    sign_off.notes = text(notes)
    sign_off._history_user = actor  # type: ignore[attr-defined]
    sign_off.save()
    return sign_off


@transaction.atomic
def sign_off_remove(*, viewer: Viewer, actor: User, milestone: PaymentMilestone, sign_off_id: int) -> None:
    contract = milestone.contract
    require_contract_editor(viewer, contract)
    sign_off = milestone.sign_offs.filter(pk=sign_off_id).first()
    if sign_off is None:
        raise NotFound()
    sign_off._history_user = actor  # type: ignore[attr-defined]
    sign_off.delete()
    announce(contract, kind="contract.decision_chain_changed", actor=actor, data={"milestone_id": milestone.pk})


@transaction.atomic
def collection_action_log(*, viewer: Viewer, actor: User, contract: Contract, data: dict[str, Any]) -> CollectionAction:
    require_contract_editor(viewer, contract)
    errors = []
    if data.get("kind") not in ActionKind.values:
        errors.append(FieldError("kind", "invalid", _("Unknown action kind.")))
    occurred_on = data.get("occurred_on") or timezone.localdate()
    if occurred_on > timezone.localdate():
        errors.append(FieldError("occurred_on", "in_future", _("Log an action once it happened.")))
    if not text(data.get("outcome")):
        errors.append(FieldError("outcome", "required", _("What came of it?")))
    milestone = None
    if data.get("milestone_id"):
        milestone = contract.milestones.filter(pk=data["milestone_id"]).first()
        if milestone is None:
            errors.append(FieldError("milestone_id", "unknown_milestone", _("Not a milestone of this contract.")))
    if errors:
        raise InvalidInput(errors)
    contact = _account_contact(contract, data["contact_id"]) if data.get("contact_id") else None
    action = CollectionAction(
        contract=contract,
        milestone=milestone,
        kind=data["kind"],
        occurred_on=occurred_on,
        contact=contact,
        outcome=text(data.get("outcome")),
        promised_on=data.get("promised_on"),
        actor=actor,
    )
    action._history_user = actor  # type: ignore[attr-defined]
    action.save()
    announce(
        contract,
        kind="collection_action.logged",
        actor=actor,
        data={"action_id": action.pk, "kind": action.kind, "milestone_id": getattr(milestone, "pk", None)},
    )
    return action


@transaction.atomic
def contract_tick(*, viewer: Viewer, actor: User, contract: Contract, key: str, done: bool, note: str) -> ContractTick:
    require_contract_editor(viewer, contract)
    item = ITEM_KEYS.get(key)
    if item is None:
        raise NotFound()
    if item.automatic:
        raise InvalidInput.single(
            "done", "checked_by_system", _("This item follows the records; it cannot be ticked by hand.")
        )
    note = text(note)
    if done and not note:
        raise InvalidInput.single("note", "required", _("Say what shows it is done."))
    tick, _created = ContractTick.objects.get_or_create(
        contract=contract, key=key, defaults={"done": done, "note": note, "by": actor}
    )
    tick.done, tick.note, tick.by = done, note, actor
    tick._history_user = actor  # type: ignore[attr-defined]
    tick.save()
    announce(contract, kind="contract.checklist_changed", actor=actor, data={"key": key, "done": done})
    return tick
