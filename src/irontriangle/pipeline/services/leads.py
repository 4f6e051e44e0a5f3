"""Writes of leads: capture, qualify with BANT and SPIN, follow up, convert or disqualify."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from irontriangle.accounts.models import Account
from irontriangle.accounts.selectors import account_scope
from irontriangle.common.access import Viewer
from irontriangle.common.errors import FieldError, Forbidden, InvalidInput
from irontriangle.common.services import (
    check_version,
    lock_for_update,
    record_restore,
    record_soft_delete,
    save_versioned,
    validate,
)
from irontriangle.notifications.messages import bilingual
from irontriangle.notifications.services import event_emit
from irontriangle.org.models import User
from irontriangle.pipeline.models import BANT, SPIN, Lead, LeadFollowUp, LeadStatus, Opportunity
from irontriangle.pipeline.services.common import BantIncomplete, primary_unit_of, raise_ownership_conflict, text
from irontriangle.relationships.models import Contact

PLAIN = (
    "name",
    "source",
    "scenario",
    "segment",
    "company_name",
    "contact_name",
    "estimated_amount",
    "currency",
    "notes",
)
TEXT_FIELDS = {"company_name", "contact_name", "notes", "disqualified_reason"}
# The states a person sets by hand; `converted` comes only from converting.
SETTABLE_STATUS = {LeadStatus.NEW, LeadStatus.WORKING, LeadStatus.QUALIFIED, LeadStatus.DISQUALIFIED}


def can_edit_lead(viewer: Viewer, lead: Lead) -> bool:
    return viewer.is_admin or lead.owner_id == viewer.user_id or viewer.manages_path(lead.owner_unit.path)


def _require_editor(viewer: Viewer, lead: Lead) -> None:
    if not can_edit_lead(viewer, lead):
        raise Forbidden()


def _assign(viewer: Viewer, lead: Lead, data: dict[str, Any], errors: list[FieldError]) -> None:
    for name in PLAIN:
        if name in data:
            value = data[name]
            setattr(lead, name, ("" if value is None else value) if name in TEXT_FIELDS else value)
    bant = data.get("bant") or {}
    for letter in BANT:
        if bant.get(letter) is not None:
            setattr(lead, f"bant_{letter}", bant[letter])
        if f"{letter}_evidence" in (data.get("bant_evidence") or {}):
            setattr(lead, f"{letter}_evidence", text(data["bant_evidence"][f"{letter}_evidence"]))
    spin = data.get("spin") or {}
    for part in SPIN:
        if part in spin:
            setattr(lead, f"spin_{part}", text(spin[part]))
    if "status" in data and data["status"] is not None:
        if data["status"] not in SETTABLE_STATUS:
            errors.append(FieldError("status", "convert_instead", _("A lead becomes converted only by converting it.")))
        else:
            lead.status = data["status"]
    if "disqualified_reason" in data:
        lead.disqualified_reason = text(data["disqualified_reason"])
    if "account_id" in data:
        pk = data["account_id"]
        account = Account.objects.filter(account_scope(viewer), pk=pk).first() if pk else None
        if pk and account is None:
            errors.append(FieldError("account_id", "unknown_account", _("Unknown account.")))
        lead.account = account
        if account is not None and "segment" not in data:
            lead.segment = account.segment
    if "contact_id" in data:
        pk = data["contact_id"]
        contact = Contact.objects.filter(pk=pk, account_id=lead.account_id).first() if pk and lead.account_id else None
        if pk and contact is None:
            errors.append(
                FieldError("contact_id", "unknown_contact", _("The contact must belong to the lead's account."))
            )
        lead.contact = contact
    if "owner_id" in data and data["owner_id"] is not None:
        owner = User.objects.filter(pk=data["owner_id"], is_active=True).first()
        if owner is None:
            errors.append(FieldError("owner_id", "unknown_user", _("Unknown user.")))
        else:
            lead.owner = owner
    if lead.status == LeadStatus.DISQUALIFIED and not lead.disqualified_reason:
        errors.append(FieldError("disqualified_reason", "required", _("Say why the lead is disqualified.")))


@transaction.atomic
def lead_create(*, viewer: Viewer, actor: User, data: dict[str, Any]) -> Lead:
    if viewer.is_anonymous:
        raise Forbidden()
    lead = Lead(owner=actor)
    errors: list[FieldError] = []
    _assign(viewer, lead, data, errors)
    unit = primary_unit_of(lead.owner)
    if unit is None:
        errors.append(FieldError("owner_id", "no_unit", _("The owner belongs to no org unit.")))
    if errors:
        raise InvalidInput(errors)
    lead.owner_unit = unit
    if not lead.account_id and not lead.company_name:
        raise InvalidInput.single("account_id", "required", _("Name the account or the company."))
    validate(lead)
    lead._history_user = actor  # type: ignore[attr-defined]
    lead.save()
    event_emit(
        kind="lead.created",
        subject=lead,
        actor=actor,
        data={"name": lead.name, "account_id": lead.account_id},
        recipient_ids=[lead.owner_id],
        message=bilingual(lambda: _("New lead for you: %(name)s") % {"name": lead.name}, link=f"/leads/{lead.pk}/"),
    )
    if lead.account is not None:
        raise_ownership_conflict(viewer=viewer, actor=actor, account=lead.account, what=_("A lead"))
    return lead


@transaction.atomic
def lead_update(*, viewer: Viewer, actor: User, lead: Lead, data: dict[str, Any], version: int | None) -> Lead:
    _require_editor(viewer, lead)
    current = lock_for_update(lead)
    check_version(current, version)
    if current.status == LeadStatus.CONVERTED:
        raise InvalidInput.single("status", "converted", _("A converted lead is kept as it was; edit the opportunity."))
    errors: list[FieldError] = []
    account_before = current.account_id
    _assign(viewer, current, data, errors)
    if errors:
        raise InvalidInput(errors)
    if current.owner_id != lead.owner_id:
        current.owner_unit = primary_unit_of(current.owner) or current.owner_unit
    save_versioned(current, actor=actor)
    event_emit(kind="lead.updated", subject=current, actor=actor, data={"name": current.name})
    if current.account is not None and current.account_id != account_before:
        raise_ownership_conflict(viewer=viewer, actor=actor, account=current.account, what=_("A lead"))
    return current


@transaction.atomic
def lead_follow_up_add(*, viewer: Viewer, actor: User, lead: Lead, data: dict[str, Any]) -> LeadFollowUp:
    _require_editor(viewer, lead)
    follow_up = LeadFollowUp(
        lead=lead,
        kind=data.get("kind") or "call",
        occurred_on=data.get("occurred_on") or timezone.localdate(),
        note=text(data.get("note")),
        next_step=text(data.get("next_step")),
        next_on=data.get("next_on"),
        author=actor,
    )
    validate(follow_up, exclude=["lead", "author"])
    follow_up._history_user = actor  # type: ignore[attr-defined]
    follow_up.save()
    if lead.status == LeadStatus.NEW:
        # Following a lead up is working it.
        Lead.objects.filter(pk=lead.pk).update(status=LeadStatus.WORKING, updated_at=timezone.now())
    return follow_up


@transaction.atomic
def lead_convert(
    *, viewer: Viewer, actor: User, lead: Lead, override_reason: str = "", name: str = "", amount: Any = None
) -> Opportunity:
    """BANT all confirmed opens the opportunity; otherwise only a manager, with a reason, may."""
    from irontriangle.pipeline.services.opportunities import opportunity_create

    _require_editor(viewer, lead)
    current = lock_for_update(lead)
    if current.status == LeadStatus.CONVERTED:
        raise InvalidInput.single("status", "converted", _("This lead has already been converted."))
    if current.status == LeadStatus.DISQUALIFIED:
        raise InvalidInput.single("status", "disqualified", _("A disqualified lead cannot be converted."))
    if current.account is None:
        raise InvalidInput.single("account_id", "required", _("Link the lead to an account before converting it."))
    missing = current.missing_bant
    override_reason = text(override_reason)
    if missing and not override_reason:
        raise BantIncomplete(missing)
    if missing and not (viewer.is_admin or viewer.manages_path(current.owner_unit.path)):
        raise Forbidden(_("Only a manager of the lead's unit can convert it without BANT confirmed."))
    opportunity = opportunity_create(
        viewer=viewer,
        actor=actor,
        account=current.account,
        data={
            "name": text(name) or current.name,
            "amount": amount if amount is not None else current.estimated_amount,
            "currency": current.currency,
            "lead_source": current.source,
        },
        lead=current,
    )
    current.status = LeadStatus.CONVERTED
    current.converted_at = timezone.now()
    current.conversion_override_reason = override_reason if missing else ""
    save_versioned(
        current,
        actor=actor,
        reason=(
            _("Converted without BANT (%(missing)s): %(reason)s")
            % {"missing": ", ".join(missing), "reason": override_reason}
        )
        if missing
        else "",
    )
    event_emit(
        kind="lead.converted",
        subject=current,
        actor=actor,
        data={"opportunity_id": opportunity.pk, "override": bool(missing), "missing": missing},
    )
    return opportunity


@transaction.atomic
def lead_delete(*, viewer: Viewer, actor: User, lead: Lead) -> None:
    _require_editor(viewer, lead)
    record_soft_delete(lead, actor=actor)


@transaction.atomic
def lead_restore(*, viewer: Viewer, actor: User, lead: Lead) -> Lead:
    if not viewer.is_admin:
        raise Forbidden()
    return record_restore(lead, actor=actor)
