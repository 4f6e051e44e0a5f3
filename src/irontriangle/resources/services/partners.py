"""Partners, their contacts, their external logins and the meetings held with them."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from irontriangle.common.access import Viewer
from irontriangle.common.errors import FieldError, Forbidden, InvalidInput
from irontriangle.common.services import check_version, lock_for_update, record_soft_delete, save_versioned, validate
from irontriangle.org.models import User
from irontriangle.org.services import new_user
from irontriangle.pipeline.models import Opportunity
from irontriangle.resources.models import (
    Partner,
    PartnerContact,
    PartnerMeeting,
    PartnerTier,
    PartnerType,
    PartnerUser,
)
from irontriangle.resources.selectors import can_manage_partner
from irontriangle.resources.services.common import tags, text


def _fields(partner: Partner, data: dict[str, Any], errors: list[FieldError]) -> None:
    for name in ("name", "name_en", "website", "notes"):
        if name in data:
            setattr(partner, name, text(data[name]))
    if "type" in data:
        if data["type"] not in PartnerType.values:
            errors.append(FieldError("type", "invalid_choice", _("Choose the kind of partner.")))
        else:
            partner.type = data["type"]
    if "tier" in data:
        if data["tier"] not in PartnerTier.values:
            errors.append(FieldError("tier", "invalid_choice", _("Choose the partner's tier.")))
        else:
            partner.tier = data["tier"]
    for name in ("capabilities", "regions"):
        if name in data:
            setattr(partner, name, tags(data[name], name, errors))
    if "manager_id" in data:
        manager_id = data["manager_id"]
        manager = User.objects.filter(pk=manager_id, is_active=True, is_external=False).first() if manager_id else None
        if manager_id and manager is None:
            errors.append(FieldError("manager_id", "unknown_user", _("Unknown colleague.")))
        partner.manager = manager
    if not partner.name:
        errors.append(FieldError("name", "required", _("The partner needs a name.")))
    elif Partner.objects.filter(name=partner.name).exclude(pk=partner.pk).exists():
        errors.append(FieldError("name", "taken", _("A partner of this name exists already.")))


@transaction.atomic
def partner_create(*, viewer: Viewer, actor: User, data: dict[str, Any]) -> Partner:
    if not can_manage_partner(viewer):
        raise Forbidden(_("Partners are kept by the middle office and the channel managers."))
    partner = Partner()
    errors: list[FieldError] = []
    for name in ("type", "tier"):
        if not data.get(name):
            errors.append(FieldError(name, "required", _("This field is required.")))
    _fields(partner, data, errors)
    if errors:
        raise InvalidInput(errors)
    if partner.manager is None and not viewer.external:
        partner.manager = actor
    validate(partner)
    partner._history_user = actor  # type: ignore[attr-defined]
    partner.save()
    return partner


@transaction.atomic
def partner_update(
    *, viewer: Viewer, actor: User, partner: Partner, data: dict[str, Any], version: int | None
) -> Partner:
    if not can_manage_partner(viewer, partner):
        raise Forbidden()
    current = lock_for_update(partner)
    check_version(current, version)
    errors: list[FieldError] = []
    _fields(current, data, errors)
    if errors:
        raise InvalidInput(errors)
    return save_versioned(current, actor=actor)


def partner_delete(*, viewer: Viewer, actor: User, partner: Partner) -> None:
    if not can_manage_partner(viewer, partner):
        raise Forbidden()
    record_soft_delete(partner, actor=actor)


@transaction.atomic
def partner_contact_add(*, viewer: Viewer, actor: User, partner: Partner, data: dict[str, Any]) -> PartnerContact:
    if not can_manage_partner(viewer, partner):
        raise Forbidden()
    contact = PartnerContact(partner=partner, **{k: text(data.get(k)) for k in ("name", "title", "phone", "email")})
    contact.is_primary = bool(data.get("is_primary"))
    if not contact.name:
        raise InvalidInput.single("name", "required", _("The contact needs a name."))
    validate(contact, exclude=["partner"])
    if contact.is_primary:
        PartnerContact.objects.filter(partner=partner, is_primary=True).update(is_primary=False)
    contact._history_user = actor  # type: ignore[attr-defined]
    contact.save()
    return contact


@transaction.atomic
def partner_user_create(*, viewer: Viewer, actor: User, partner: Partner, data: dict[str, Any]) -> PartnerUser:
    """An external login for the partner's people: its registrations and the deals shared with it only."""
    if not can_manage_partner(viewer, partner):
        raise Forbidden()
    user = new_user(
        username=text(data.get("username")),
        password=str(data.get("password") or ""),
        display_name=text(data.get("display_name")),
        email=text(data.get("email")),
        is_external=True,
    )
    user._history_user = actor  # type: ignore[attr-defined]
    user.save()
    return PartnerUser.objects.create(user=user, partner=partner)


@transaction.atomic
def partner_meeting_create(
    *,
    viewer: Viewer,
    actor: User,
    partner: Partner,
    data: dict[str, Any],
    opportunity: Opportunity | None = None,
) -> PartnerMeeting:
    if viewer.external:
        raise Forbidden()
    errors: list[FieldError] = []
    occurred_on = data.get("occurred_on")
    if not isinstance(occurred_on, date):
        errors.append(FieldError("occurred_on", "required", _("Give the meeting's date.")))
    elif occurred_on > timezone.localdate():
        errors.append(FieldError("occurred_on", "in_future", _("Record a meeting once it has taken place.")))
    subject = text(data.get("subject"))
    if not subject:
        errors.append(FieldError("subject", "required", _("Give the meeting a subject.")))
    participant_ids = [pk for pk in data.get("participant_ids") or [] if isinstance(pk, int)]
    participants = list(User.objects.filter(pk__in=participant_ids, is_active=True, is_external=False))
    if len(participants) != len(set(participant_ids)):
        errors.append(FieldError("participant_ids", "unknown_user", _("Unknown colleague.")))
    if errors:
        raise InvalidInput(errors)
    assert isinstance(occurred_on, date)
    meeting = PartnerMeeting(
        partner=partner,
        occurred_on=occurred_on,
        subject=subject,
        opportunity=opportunity,
        partner_participants=text(data.get("partner_participants")),
        minutes=text(data.get("minutes")),
        next_steps=text(data.get("next_steps")),
        created_by=actor,
    )
    validate(meeting, exclude=["partner", "opportunity", "created_by"])
    meeting._history_user = actor  # type: ignore[attr-defined]
    meeting.save()
    meeting.participants.set(participants or [actor])
    return meeting
