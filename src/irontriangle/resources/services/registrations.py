"""Deal registration: a partner (or a unit) claims an account's project and is protected for a window.

Seed 002 and SPEC §6: registration prevents channel conflict, hidden and diverted orders. While a
registration is live (submitted or approved, and its window not over) nobody else can register the same
customer and project; once the window ends, or it is withdrawn or rejected, the project is free again.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from datetime import date, timedelta
from typing import Any

from django.db import connection, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from irontriangle.accounts.models import Account
from irontriangle.common.access import Viewer
from irontriangle.common.errors import Conflict, FieldError, Forbidden, InvalidInput
from irontriangle.common.services import lock_for_update, save_versioned, validate
from irontriangle.org.models import OrgUnit, User
from irontriangle.pipeline.models import Opportunity, OpportunityRole, OpportunityTeamMember
from irontriangle.resources.models import (
    LIVE_REGISTRATION,
    DealRegistration,
    Partner,
    PartnerUser,
    RegistrationStatus,
    ResourceSettings,
)
from irontriangle.resources.selectors import can_decide_registration
from irontriangle.resources.services.common import tell, text


def normalise(value: str) -> str:
    """Case, width, spaces and punctuation do not make another project: "CRM 二期" is "ｃｒｍ二期"."""
    folded = unicodedata.normalize("NFKC", value).casefold()
    return re.sub(r"[\W_]+", "", folded)


def window_days() -> int:
    settings = ResourceSettings.objects.order_by("pk").first()
    return settings.registration_window_days if settings is not None else 90


def live_q(today: date) -> Q:
    return Q(status__in=LIVE_REGISTRATION, expires_on__gte=today)


def is_live(registration: DealRegistration, today: date | None = None) -> bool:
    today = today or timezone.localdate()
    return registration.status in LIVE_REGISTRATION and registration.expires_on >= today


def state_of(registration: DealRegistration, today: date | None = None) -> str:
    """The status, with `expired` for a live one whose window has ended."""
    today = today or timezone.localdate()
    if registration.status in LIVE_REGISTRATION and registration.expires_on < today:
        return "expired"
    return registration.status


def _serialise(customer_key: str) -> None:
    """Two registrations of one customer at the same moment must not both pass the check: PostgreSQL takes
    a transaction-scoped advisory lock on the customer; SQLite already runs one writer at a time."""
    if connection.vendor == "postgresql":
        key = int.from_bytes(hashlib.sha256(customer_key.encode()).digest()[:8], "big", signed=True)
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [key])


def _match_account(name: str) -> Account | None:
    """A partner names its customer; an account of exactly that name (or legal name) is the same customer."""
    if not name:
        return None
    return Account.objects.filter(Q(name__iexact=name) | Q(legal_name__iexact=name)).order_by("pk").first()


def _conflict(registration: DealRegistration, today: date) -> DealRegistration | None:
    same_project = Q(customer_key=registration.customer_key, project_key=registration.project_key)
    if registration.opportunity_id:
        same_project |= Q(opportunity_id=registration.opportunity_id)
    return (
        DealRegistration.objects.filter(live_q(today), same_project)
        .exclude(pk=registration.pk)
        .order_by("expires_on")
        .first()
    )


def _refuse(existing: DealRegistration) -> None:
    raise Conflict(
        _(
            "This project of this customer is already registered and protected until %(date)s. "
            "It can be registered again after that date."
        )
        % {"date": existing.expires_on.isoformat()},
        code="registration_conflict",
    )


@transaction.atomic
def registration_create(
    *,
    viewer: Viewer,
    actor: User,
    data: dict[str, Any],
    partner: Partner | None = None,
    unit: OrgUnit | None = None,
    account: Account | None = None,
    opportunity: Opportunity | None = None,
) -> DealRegistration:
    """`partner`, `unit`, `account` and `opportunity` come already resolved through what the caller sees."""
    today = timezone.localdate()
    errors: list[FieldError] = []
    if viewer.external:
        link = PartnerUser.objects.filter(user_id=viewer.user_id or 0).select_related("partner").first()
        if link is None or (partner is not None and partner.pk != link.partner_id):
            errors.append(FieldError("partner_id", "unknown_partner", _("Unknown partner.")))
        partner, unit = (link.partner if link else None), None
    elif (partner is None) == (unit is None):
        errors.append(FieldError("partner_id", "partner_or_unit", _("Register for a partner or for a unit.")))
    if opportunity is not None:
        if account is not None and opportunity.account_id != account.pk:
            errors.append(FieldError("opportunity_id", "other_account", _("This deal belongs to another account.")))
        account = account or opportunity.account
    customer_name = text(data.get("customer_name")) or (account.name if account else "")
    if account is None and not viewer.external and not customer_name:
        errors.append(FieldError("account_id", "required", _("Name the customer.")))
    if viewer.external and not customer_name:
        errors.append(FieldError("customer_name", "required", _("Name the customer.")))
    project = text(data.get("project"))
    if not normalise(project):
        errors.append(FieldError("project", "required", _("Name the project.")))
    longest = today + timedelta(days=window_days())
    expires_on = data.get("expires_on") or longest
    if not isinstance(expires_on, date) or expires_on <= today:
        errors.append(FieldError("expires_on", "in_past", _("The protection must end after today.")))
    elif expires_on > longest:
        errors.append(
            FieldError(
                "expires_on",
                "too_long",
                _("A registration protects for at most %(days)s days (until %(date)s).")
                % {"days": window_days(), "date": longest.isoformat()},
            )
        )
    amount = data.get("estimated_amount")
    if amount is not None and amount < 0:
        errors.append(FieldError("estimated_amount", "negative", _("The amount cannot be negative.")))
    if errors:
        raise InvalidInput(errors)
    if account is None and viewer.external:
        account = _match_account(customer_name)
    customer_key = f"account:{account.pk}" if account is not None else f"name:{normalise(customer_name)}"
    _serialise(customer_key)
    registration = DealRegistration(
        partner=partner,
        unit=unit,
        account=account,
        customer_name=customer_name[:200],
        project=project,
        project_key=normalise(project)[:200],
        customer_key=customer_key[:220],
        opportunity=opportunity,
        estimated_amount=amount,
        currency=text(data.get("currency")) or "CNY",
        expires_on=expires_on,
        notes=text(data.get("notes")),
        registered_by=actor,
    )
    existing = _conflict(registration, today)
    if existing is not None:
        _refuse(existing)
    validate(registration, exclude=["partner", "unit", "account", "opportunity", "registered_by"])
    registration._history_user = actor  # type: ignore[attr-defined]
    registration.save()
    manager_id = partner.manager_id if partner is not None else None
    tell(
        registration,
        kind="deal_registration.submitted",
        actor=actor,
        data={"registration_id": registration.pk, "partner_id": getattr(partner, "pk", None)},
        recipients={manager_id, account.owner_id if account else None},
        title=lambda: (
            _("Deal registration: %(who)s registered %(project)s at %(customer)s until %(date)s")
            % {
                "who": partner.label if partner is not None else (unit.label if unit else ""),
                "project": project,
                "customer": customer_name,
                "date": expires_on.isoformat(),
            }
        ),
        link=f"/registrations/{registration.pk}/",
    )
    return registration


def _share_with_partner(registration: DealRegistration, actor: User) -> None:
    """An approved registration on a deal shares the deal with the partner's logins."""
    if registration.partner_id is None or registration.opportunity_id is None:
        return
    already = set(
        OpportunityTeamMember.objects.filter(
            opportunity_id=registration.opportunity_id, role=OpportunityRole.PARTNER
        ).values_list("user_id", flat=True)
    )
    for user_id in PartnerUser.objects.filter(partner_id=registration.partner_id).values_list("user_id", flat=True):
        if user_id not in already:
            member = OpportunityTeamMember(
                opportunity_id=registration.opportunity_id, user_id=user_id, role=OpportunityRole.PARTNER
            )
            member._history_user = actor  # type: ignore[attr-defined]
            member.save()


@transaction.atomic
def registration_decide(
    *,
    viewer: Viewer,
    actor: User,
    registration: DealRegistration,
    approve: bool,
    note: str = "",
    account: Account | None = None,
    opportunity: Opportunity | None = None,
) -> DealRegistration:
    if not can_decide_registration(viewer, registration):
        raise Forbidden(_("Registrations are decided by the channel manager and the middle office."))
    current = lock_for_update(registration)
    if state_of(current) != RegistrationStatus.SUBMITTED:
        raise Conflict(_("Only a submitted registration inside its window can be decided."), code="invalid_status")
    note = text(note)
    if not approve and not note:
        raise InvalidInput.single("reason", "required", _("Say why the registration is rejected."))
    if approve:
        if opportunity is not None:
            account = account or opportunity.account
            if opportunity.account_id != account.pk:
                raise InvalidInput.single("opportunity_id", "other_account", _("This deal belongs to another account."))
            current.opportunity = opportunity
        if account is not None and current.account_id != account.pk:
            current.account = account
            current.customer_key = f"account:{account.pk}"
            _serialise(current.customer_key)
            existing = _conflict(current, timezone.localdate())
            if existing is not None:
                _refuse(existing)
    current.status = RegistrationStatus.APPROVED if approve else RegistrationStatus.REJECTED
    current.decided_by = actor
    current.decided_at = timezone.now()
    current.decision_note = note
    save_versioned(current, actor=actor)
    if approve:
        _share_with_partner(current, actor)
    recipients = {current.registered_by_id}
    if current.partner_id:
        recipients |= set(PartnerUser.objects.filter(partner_id=current.partner_id).values_list("user_id", flat=True))
    tell(
        current,
        kind="deal_registration.approved" if approve else "deal_registration.rejected",
        actor=actor,
        data={"registration_id": current.pk, "note": note},
        recipients=recipients,
        title=lambda: (
            (
                _("Registration approved: %(project)s at %(customer)s, protected until %(date)s")
                if approve
                else _("Registration rejected: %(project)s at %(customer)s")
            )
            % {"project": current.project, "customer": current.customer_name, "date": current.expires_on.isoformat()}
        ),
        link=f"/registrations/{current.pk}/",
    )
    return current


@transaction.atomic
def registration_withdraw(*, viewer: Viewer, actor: User, registration: DealRegistration) -> DealRegistration:
    """The registrant gives the project up before the window ends; it is free for others at once."""
    mine = registration.registered_by_id == viewer.user_id or (
        viewer.external
        and registration.partner_id is not None
        and PartnerUser.objects.filter(user_id=viewer.user_id or 0, partner_id=registration.partner_id).exists()
    )
    if not (mine or can_decide_registration(viewer, registration)):
        raise Forbidden()
    current = lock_for_update(registration)
    if state_of(current) not in LIVE_REGISTRATION:
        raise Conflict(_("Only a live registration can be withdrawn."), code="invalid_status")
    current.status = RegistrationStatus.WITHDRAWN
    return save_versioned(current, actor=actor)
