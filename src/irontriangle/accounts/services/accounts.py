"""Writes for accounts and their teams. Each one validates, saves, audits and emits in one transaction."""

from __future__ import annotations

from datetime import date
from typing import Any, cast

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import Value
from django.db.models.functions import Concat, Substr
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from irontriangle.accounts import profiling
from irontriangle.accounts.credit_code import normalise
from irontriangle.accounts.models import Account, AccountTeamMember, PotentialBasis, TeamRole
from irontriangle.accounts.selectors import (
    account_scope,
    active_team,
    can_delete_account,
    can_edit_account,
    concerned_user_ids,
    drivers_estimate,
)
from irontriangle.common.access import Viewer
from irontriangle.common.errors import FieldError, Forbidden, InvalidInput, NotFound
from irontriangle.common.restricted import restricted_fields
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
from irontriangle.org.models import OrgUnit, User

# Fields a client writes directly; the others are set by the service (owner_unit by code).
EDITABLE_FIELDS = (
    "name",
    "legal_name",
    "credit_code",
    "industry",
    "region",
    "coverage",
    "annual_revenue",
    "employees",
    "website",
    "address",
    "segment",
    "tier",
    "purchase_pattern",
    "on_vendor_list",
    "lifecycle_stage",
    "strategic_fit",
    "cash_flow_customer",
    "potential",
    "potential_basis",
    "currency",
    "external_id",
    "listed_in_ranking",
    "high_willingness_to_pay",
)


TEAM_ADDED = gettext_noop("%(user)s added %(member)s to the team of %(name)s")
TEAM_REMOVED = gettext_noop("%(user)s removed %(member)s from the team of %(name)s")


def _link(account: Account) -> str:
    return f"/accounts/{account.pk}/"


def _resolve_references(viewer: Viewer, account: Account, data: dict[str, Any]) -> None:
    """Turn `owner_unit_code`, `owner_id` and `parent_id` into objects, refusing what the viewer may not use."""
    errors: list[FieldError] = []
    # A client may send the whole object back: values that did not change need no new permission.
    data = dict(data)
    if account.pk:
        if "owner_unit_code" in data and account.owner_unit_id and data["owner_unit_code"] == account.owner_unit.code:
            del data["owner_unit_code"]
        if "owner_id" in data and data["owner_id"] == account.owner_id:
            del data["owner_id"]
        if "parent_id" in data and data["parent_id"] == account.parent_id:
            del data["parent_id"]
    if "owner_unit_code" in data:
        unit = OrgUnit.objects.filter(code=data["owner_unit_code"] or "").first()
        if unit is None:
            errors.append(FieldError("owner_unit_code", "unknown_unit", _("Unknown org unit.")))
        elif not (viewer.is_admin or unit.pk in viewer.unit_ids or viewer.manages_path(unit.path)):
            errors.append(
                FieldError("owner_unit_code", "not_your_unit", _("You may only give accounts to your own units."))
            )
        else:
            account.owner_unit = unit
    if "owner_id" in data:
        owner_id = data["owner_id"]
        owner = User.objects.filter(pk=owner_id, is_active=True).first() if owner_id is not None else None
        if owner_id is not None and owner is None:
            errors.append(FieldError("owner_id", "unknown_user", _("Unknown user.")))
        else:
            account.owner = owner
    if "parent_id" in data:
        parent_id = data["parent_id"]
        if parent_id is None:
            account.parent = None
        else:
            parent = Account.objects.filter(account_scope(viewer), pk=parent_id).first()
            if parent is None:
                errors.append(FieldError("parent_id", "unknown_account", _("Unknown parent account.")))
            elif account.pk and _is_descendant_or_self(parent, account):
                errors.append(FieldError("parent_id", "cycle", _("An account cannot sit below itself.")))
            else:
                account.parent = parent
    if errors:
        raise InvalidInput(errors)


def _is_descendant_or_self(candidate: Account, account: Account) -> bool:
    # The materialised path answers without walking the parents one query at a time.
    return bool(account.tree_path) and candidate.tree_path.startswith(account.tree_path)


def _check_credit_code(account: Account) -> None:
    account.credit_code = normalise(account.credit_code or "")
    if not account.credit_code:
        return
    clash = Account.all_objects.filter(credit_code=account.credit_code).exclude(pk=account.pk).first()
    if clash is not None:
        message = (
            _("An account in the trash already has this credit code; ask an administrator to restore it.")
            if clash.deleted_at
            else _("Another account already has this credit code.")
        )
        raise InvalidInput.single("credit_code", "duplicate", message)


def _check_external_id(account: Account) -> None:
    account.external_id = (account.external_id or "").strip()
    if (
        account.external_id
        and Account.all_objects.filter(external_id=account.external_id).exclude(pk=account.pk).exists()
    ):
        raise InvalidInput.single("external_id", "duplicate", _("Another account already has this external id."))


def _apply_potential_basis(account: Account, data: dict[str, Any]) -> None:
    """A potential typed by hand wins over the drivers' estimate, unless the client asks for the estimate."""
    if "potential" in data and "potential_basis" not in data:
        account.potential_basis = PotentialBasis.MANUAL
    if account.potential_basis == PotentialBasis.DRIVERS:
        account.potential = drivers_estimate(account).total if account.pk else None


def _set_tree_path(account: Account) -> None:
    """Write the account's path, and re-root its whole subtree when it moved."""
    old = account.tree_path
    parent_path = account.parent.tree_path if account.parent_id and account.parent else "/"
    new = f"{parent_path}{account.pk}/"
    if old == new:
        return
    account.tree_path = new
    Account.all_objects.filter(pk=account.pk).update(tree_path=new)
    if old:
        Account.all_objects.filter(tree_path__startswith=old).exclude(pk=account.pk).update(
            tree_path=Concat(Value(new), Substr("tree_path", len(old) + 1))
        )


def _assign(account: Account, data: dict[str, Any]) -> None:
    errors: list[FieldError] = []
    for name in EDITABLE_FIELDS:
        if name in data:
            value = data[name]
            field = cast(models.Field, Account._meta.get_field(name))
            if value is None and not field.null:
                value = "" if field.empty_strings_allowed else field.get_default()
            try:
                # Typed now, so that derived values (matrix, KA rule) compare numbers, not text.
                setattr(account, name, field.to_python(value))
            except ValidationError as exc:
                errors.extend(FieldError(name, "invalid", message) for message in exc.messages)
    if errors:
        raise InvalidInput(errors)


@transaction.atomic
def account_create(*, viewer: Viewer, actor: User, data: dict[str, Any]) -> Account:
    if viewer.is_anonymous:
        raise Forbidden()
    account = Account()
    data = dict(data)
    if not data.get("owner_unit_code"):
        primary = actor.memberships.filter(is_primary=True).select_related("unit").first()
        if primary is None:
            raise InvalidInput.single(
                "owner_unit_code", "required", _("Name the owner unit; you belong to no unit to default to.")
            )
        data["owner_unit_code"] = primary.unit.code
    if data.get("owner_id") is None:  # the API sends every field, an absent owner as None
        data["owner_id"] = actor.pk
    _assign(account, data)
    _resolve_references(viewer, account, data)
    if account.owner_id != actor.pk and not (viewer.read_all or viewer.manages_path(account.owner_unit.path)):
        # The creator would lose sight of the account at once; handing accounts over is for managers.
        raise InvalidInput.single(
            "owner_id", "not_allowed", _("You may name another owner only for a unit you manage.")
        )
    _check_credit_code(account)
    _check_external_id(account)
    _apply_potential_basis(account, data)
    profiling.refresh_derived(account)
    validate(account)
    if account.segment == "ka":
        # KA is never the default: whoever creates an account as KA has made the call.
        account.segment_confirmed_at = timezone.now()
        account.segment_confirmed_by = actor
    account._history_user = actor  # type: ignore[attr-defined]
    account.save()
    _set_tree_path(account)
    if account.owner_id:
        AccountTeamMember.objects.create(account=account, user_id=account.owner_id, role=TeamRole.AR, is_primary=True)
    event_emit(
        kind="account.created",
        subject=account,
        actor=actor,
        data={"name": account.name},
        recipient_ids=concerned_user_ids(account),
        message=bilingual(lambda: _("New account %(name)s") % {"name": account.name}, _link(account)),
    )
    return account


@transaction.atomic
def account_update(
    *, viewer: Viewer, actor: User, account: Account, data: dict[str, Any], version: int | None
) -> Account:
    current = lock_for_update(account)
    if not can_edit_account(viewer, current):
        raise Forbidden()
    check_version(current, version)
    before = {name: getattr(current, name) for name in (*EDITABLE_FIELDS, "owner_unit_id", "owner_id", "parent_id")}
    _assign(current, data)
    _resolve_references(viewer, current, data)
    _check_credit_code(current)
    _check_external_id(current)
    _apply_potential_basis(current, data)
    if "segment" in data and data["segment"] != before["segment"]:
        # A person choosing the segment is the confirmation the KA profile rules ask for.
        current.segment_confirmed_at = timezone.now()
        current.segment_confirmed_by = actor
    changed = [name for name, old in before.items() if getattr(current, name) != old]
    if not changed:
        return current
    profiling.refresh_derived(current)
    save_versioned(current, actor=actor)
    if "parent_id" in changed:
        _set_tree_path(current)
    # Events travel to webhooks and notifications: restricted values (cost, margin) never ride along.
    restricted = restricted_fields(Account)
    changes = {
        name.removesuffix("_id") if name.endswith("_id") else name: [
            _plain(before[name]),
            _plain(getattr(current, name)),
        ]
        for name in changed
        if name not in restricted
    }
    event_emit(
        kind="account.updated",
        subject=current,
        actor=actor,
        data={"name": current.name, "changes": changes},
        recipient_ids=concerned_user_ids(current),
        message=bilingual(
            lambda: (
                _("%(user)s updated account %(name)s: %(fields)s")
                % {
                    "user": actor.label,
                    "name": current.name,
                    "fields": ", ".join(_label(name) for name in changed),
                }
            ),
            _link(current),
        ),
    )
    return current


@transaction.atomic
def account_confirm_segment(
    *, viewer: Viewer, actor: User, account: Account, segment: str, reason: str = ""
) -> Account:
    """A person settles the segment the KA profile rules proposed (or keeps SMB against them); audited."""
    current = lock_for_update(account)
    if not can_edit_account(viewer, current):
        raise Forbidden()
    if segment not in ("ka", "smb"):
        raise InvalidInput.single("segment", "invalid_choice", _("Unknown segment: %(value)s") % {"value": segment})
    previous = current.segment
    current.segment = segment
    current.segment_confirmed_at = timezone.now()
    current.segment_confirmed_by = actor
    profiling.refresh_derived(current)
    save_versioned(current, actor=actor, reason=reason[:100])
    event_emit(
        kind="account.segment_confirmed",
        subject=current,
        actor=actor,
        data={
            "name": current.name,
            "segment": segment,
            "previous": previous,
            "rule": current.ka_rule,
            "reason": reason,
        },
        recipient_ids=concerned_user_ids(current),
        message=bilingual(
            lambda: (
                _("%(user)s confirmed %(name)s as %(segment)s")
                % {"user": actor.label, "name": current.name, "segment": segment.upper()}
            ),
            _link(current),
        ),
    )
    return current


def _label(name: str) -> str:
    return str(cast(models.Field, Account._meta.get_field(name)).verbose_name)


def _plain(value: Any) -> Any:
    if hasattr(value, "pk"):
        return value.pk
    if value is None or isinstance(value, (bool, int, str)):
        return value
    return str(value)


@transaction.atomic
def account_delete(*, viewer: Viewer, actor: User, account: Account) -> Account:
    if not can_delete_account(viewer, account):
        raise Forbidden()
    recipients = concerned_user_ids(account)
    deleted = record_soft_delete(account, actor=actor)
    event_emit(
        kind="account.deleted",
        subject=deleted,
        actor=actor,
        data={"name": deleted.name},
        recipient_ids=recipients,
        message=bilingual(
            lambda: _("%(user)s moved account %(name)s to the trash") % {"user": actor.label, "name": deleted.name}
        ),
    )
    return deleted


@transaction.atomic
def account_restore(*, viewer: Viewer, actor: User, account: Account) -> Account:
    if not viewer.is_admin:
        raise Forbidden()
    restored = record_restore(account, actor=actor)
    event_emit(
        kind="account.restored",
        subject=restored,
        actor=actor,
        data={"name": restored.name},
        recipient_ids=concerned_user_ids(restored),
        message=bilingual(
            lambda: _("Account %(name)s was restored from the trash") % {"name": restored.name}, _link(restored)
        ),
    )
    return restored


@transaction.atomic
def team_member_add(
    *,
    viewer: Viewer,
    actor: User,
    account: Account,
    user_id: int,
    role: str,
    is_primary: bool = True,
    started_on: date | None = None,
) -> AccountTeamMember:
    if not can_edit_account(viewer, account):
        raise Forbidden()
    errors: list[FieldError] = []
    user = User.objects.filter(pk=user_id, is_active=True).first()
    if user is None:
        errors.append(FieldError("user_id", "unknown_user", _("Unknown user.")))
    if role not in TeamRole.values:
        errors.append(FieldError("role", "invalid_choice", _("Unknown role: %(value)s") % {"value": role}))
    if errors:
        raise InvalidInput(errors)
    if account.team_members.filter(active_team(), user=user, role=role).exists():
        raise InvalidInput.single("user_id", "already_member", _("This person already holds this role."))
    if is_primary:
        # The new primary takes over; the former primary stays on as backup.
        account.team_members.filter(active_team(), role=role, is_primary=True).update(is_primary=False)
    member, _created = AccountTeamMember.objects.update_or_create(
        account=account,
        user=user,
        role=role,
        defaults={"is_primary": is_primary, "ended_on": None, "started_on": started_on or timezone.localdate()},
    )
    member._history_user = actor  # type: ignore[attr-defined]
    _team_event(actor, account, TEAM_ADDED, member)
    return member


@transaction.atomic
def team_member_remove(*, viewer: Viewer, actor: User, account: Account, member_id: int) -> None:
    if not can_edit_account(viewer, account):
        raise Forbidden()
    member = account.team_members.filter(active_team(), pk=member_id).select_related("user").first()
    if member is None:
        raise NotFound()
    recipients = concerned_user_ids(account)
    # Ended, not deleted: the team's history (who served when) is part of the account's record.
    member.ended_on = timezone.localdate()
    member.is_primary = False
    member._history_user = actor  # type: ignore[attr-defined]
    member.save()
    _team_event(actor, account, TEAM_REMOVED, member, recipients)


def _team_event(
    actor: User, account: Account, template: str, member: AccountTeamMember, recipients: set[int] | None = None
) -> None:
    event_emit(
        kind="account.team_changed",
        subject=account,
        actor=actor,
        data={"member_user_id": member.user_id, "role": member.role},
        recipient_ids=(recipients or concerned_user_ids(account)) | {member.user_id},
        message=bilingual(
            lambda: _(template) % {"user": actor.label, "member": member.user.label, "name": account.name},
            _link(account),
        ),
    )
