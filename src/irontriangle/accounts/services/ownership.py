"""Ownership of accounts (seed 004): one owner unit; claims and transfers decided by the middle office."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import Permission
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from irontriangle.accounts.models import (
    Account,
    AccountTeamMember,
    OwnershipKind,
    OwnershipRequest,
    OwnershipStatus,
    TeamRole,
)
from irontriangle.accounts.selectors import active_team, can_edit_account
from irontriangle.common.access import Viewer
from irontriangle.common.errors import Conflict, FieldError, Forbidden, InvalidInput, NotFound
from irontriangle.common.services import lock_for_update, save_versioned
from irontriangle.notifications.messages import bilingual
from irontriangle.notifications.services import event_emit
from irontriangle.org.models import Membership, OrgUnit, UnitSegment, User


class OwnershipPending(Conflict):
    code = "ownership_pending"

    def default_detail(self) -> str:
        return _("A request to move this account to that unit is already waiting for a decision.")


class AlreadyDecided(Conflict):
    code = "already_decided"

    def default_detail(self) -> str:
        return _("This request has already been decided.")


def middle_office_user_ids() -> set[int]:
    """Who decides ownership: members of the sales-operations units and holders of the permission."""
    # The same rule as `Viewer.middle_office`, asked of all users at once.
    who = Q(memberships__unit__segment=UnitSegment.OPS) | Q(is_superuser=True)
    permission = Permission.objects.filter(codename="arbitrate_ownership", content_type__app_label="org").first()
    if permission is not None:
        who |= Q(user_permissions=permission) | Q(groups__permissions=permission)
    return set(User.objects.filter(who, is_active=True).values_list("pk", flat=True))


def _unit_manager_ids(*units: OrgUnit) -> set[int]:
    return set(
        Membership.objects.filter(unit__in=units, is_manager=True, user__is_active=True).values_list(
            "user_id", flat=True
        )
    )


def _link(request: OwnershipRequest) -> str:
    return f"/ownership-requests/{request.pk}/"


@transaction.atomic
def ownership_request_create(
    *,
    viewer: Viewer,
    actor: User,
    account_id: Any,
    unit_code: str,
    reason: str,
    new_owner_id: int | None = None,
    claim: bool = False,
) -> OwnershipRequest:
    """A claim (a unit asks for an account another unit owns) or a transfer (the owner side hands it over).

    A claim may name an account the requester cannot see: that is how the SMB rep who found a KA-owned
    customer in the duplicate check raises the conflict. It reveals nothing the duplicate check did not.
    """
    if viewer.is_anonymous:
        raise Forbidden()
    account = Account.objects.select_related("owner_unit").filter(pk=account_id).first()
    if account is None:
        raise NotFound()
    errors: list[FieldError] = []
    reason = (reason or "").strip()
    if not reason:
        errors.append(FieldError("reason", "required", _("Say why the account should move.")))
    unit = OrgUnit.objects.filter(code=unit_code or "").first()
    # A lead or deal raised from another unit is a claim even when its author sits on the account team.
    owner_side = not claim and can_edit_account(viewer, account)
    kind = OwnershipKind.TRANSFER if owner_side else OwnershipKind.CLAIM
    if unit is None:
        errors.append(FieldError("unit_code", "unknown_unit", _("Unknown org unit.")))
    elif unit.pk == account.owner_unit_id:
        errors.append(FieldError("unit_code", "already_owner", _("This unit already owns the account.")))
    elif kind == OwnershipKind.CLAIM and not (
        viewer.is_admin or unit.pk in viewer.unit_ids or viewer.manages_path(unit.path)
    ):
        errors.append(FieldError("unit_code", "not_your_unit", _("You may claim accounts only for your own units.")))
    new_owner = None
    if new_owner_id is not None:
        new_owner = User.objects.filter(pk=new_owner_id, is_active=True).first()
        if new_owner is None:
            errors.append(FieldError("new_owner_id", "unknown_user", _("Unknown user.")))
        elif unit is not None and not new_owner.memberships.filter(unit__path__startswith=unit.path).exists():
            errors.append(FieldError("new_owner_id", "not_in_unit", _("The new owner must belong to that unit.")))
    if errors:
        raise InvalidInput(errors)
    assert unit is not None
    if OwnershipRequest.objects.filter(account=account, to_unit=unit, status=OwnershipStatus.PENDING).exists():
        raise OwnershipPending()
    request = OwnershipRequest(
        account=account,
        kind=kind,
        from_unit=account.owner_unit,
        to_unit=unit,
        new_owner=new_owner,
        requested_by=actor,
        reason=reason,
    )
    request._history_user = actor  # type: ignore[attr-defined]
    request.save()
    recipients = middle_office_user_ids() | {account.owner_id or 0} | _unit_manager_ids(account.owner_unit)
    event_emit(
        kind="ownership.requested",
        subject=request,
        actor=actor,
        data={"account_id": account.pk, "kind": kind, "from_unit": account.owner_unit.code, "to_unit": unit.code},
        recipient_ids=recipients,
        message=bilingual(
            lambda: (
                _("%(user)s asks to move %(name)s from %(from)s to %(to)s")
                % {"user": actor.label, "name": account.name, "from": account.owner_unit.label, "to": unit.label}
            ),
            _link(request),
        ),
    )
    return request


@transaction.atomic
def ownership_request_decide(
    *, viewer: Viewer, actor: User, request: OwnershipRequest, approve: bool, reason: str
) -> OwnershipRequest:
    if not viewer.middle_office:
        raise Forbidden()
    current = (
        OwnershipRequest.objects.select_for_update()
        .select_related("account", "from_unit", "to_unit")
        .get(pk=request.pk)
    )
    if current.status != OwnershipStatus.PENDING:
        raise AlreadyDecided()
    reason = (reason or "").strip()
    if not reason:
        raise InvalidInput.single("reason", "required", _("Give the reason for the decision."))
    account = lock_for_update(current.account)
    if approve and account.owner_unit_id != current.from_unit_id:
        # The account moved since the request was made; the request no longer describes a real choice.
        raise Conflict(_("The account's owner unit changed since this request was made."))
    previous_owner_id = account.owner_id
    current.status = OwnershipStatus.APPROVED if approve else OwnershipStatus.REJECTED
    current.decided_by = actor
    current.decided_at = timezone.now()
    current.decision_reason = reason
    current._history_user = actor  # type: ignore[attr-defined]
    current.save()
    if approve:
        _move_account(account, current, actor)
    recipients = {current.requested_by_id, previous_owner_id or 0, account.owner_id or 0} | _unit_manager_ids(
        current.from_unit, current.to_unit
    )
    event_emit(
        kind="ownership.decided",
        subject=current,
        actor=actor,
        data={
            "account_id": account.pk,
            "approved": approve,
            "from_unit": current.from_unit.code,
            "to_unit": current.to_unit.code,
            "reason": reason,
        },
        recipient_ids=recipients,
        message=bilingual(
            lambda: (
                (
                    _("Approved: %(name)s moves from %(from)s to %(to)s")
                    if approve
                    else _("Rejected: %(name)s stays with %(from)s")
                )
                % {"name": account.name, "from": current.from_unit.label, "to": current.to_unit.label}
            ),
            _link(current),
        ),
    )
    return current


def _move_account(account: Account, request: OwnershipRequest, actor: User) -> None:
    """The account changes unit; the new owner becomes primary AR and the former owner's AR role ends."""
    new_owner = request.new_owner
    if (
        new_owner is None
        and request.requested_by.memberships.filter(unit__path__startswith=request.to_unit.path).exists()
    ):
        new_owner = request.requested_by
    previous_owner_id = account.owner_id
    account.owner_unit = request.to_unit
    account.owner = new_owner
    save_versioned(account, actor=actor, reason=f"ownership request {request.pk}")
    today = timezone.localdate()
    if previous_owner_id and previous_owner_id != account.owner_id:
        for member in account.team_members.filter(active_team(), user_id=previous_owner_id, role=TeamRole.AR):
            member.ended_on = today
            member.is_primary = False
            member._history_user = actor  # type: ignore[attr-defined]
            member.save()
    if new_owner is not None:
        account.team_members.filter(active_team(), role=TeamRole.AR, is_primary=True).exclude(user=new_owner).update(
            is_primary=False
        )
        member, _created = AccountTeamMember.objects.update_or_create(
            account=account,
            user=new_owner,
            role=TeamRole.AR,
            defaults={"is_primary": True, "ended_on": None, "started_on": today},
        )


@transaction.atomic
def ownership_request_withdraw(*, viewer: Viewer, actor: User, request: OwnershipRequest) -> OwnershipRequest:
    if request.requested_by_id != viewer.user_id:
        raise Forbidden()
    current = OwnershipRequest.objects.select_for_update().get(pk=request.pk)
    if current.status != OwnershipStatus.PENDING:
        raise AlreadyDecided()
    current.status = OwnershipStatus.WITHDRAWN
    current.decided_at = timezone.now()
    current.decided_by = actor
    current._history_user = actor  # type: ignore[attr-defined]
    current.save()
    event_emit(kind="ownership.withdrawn", subject=current, actor=actor, data={"account_id": current.account_id})
    return current
