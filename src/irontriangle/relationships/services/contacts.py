"""Writes of contacts and their relationship owners."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from irontriangle.accounts import profiling
from irontriangle.accounts.models import Account
from irontriangle.accounts.selectors import account_scope, can_edit_account, concerned_user_ids
from irontriangle.common.access import Viewer, viewer_of
from irontriangle.common.errors import FieldError, Forbidden, InvalidInput, NotFound
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
from irontriangle.relationships.models import BuyingRole, Contact, ContactOwner, ContactStatus, Interaction
from irontriangle.relationships.search import search_text_of
from irontriangle.relationships.selectors import would_cycle

CONTACT_FIELDS = (
    "name",
    "title",
    "department",
    "reports_to_id",
    "phone",
    "email",
    "wechat",
    "buying_roles",
    "influence",
    "stance",
    "intimacy",
    "support",
    "is_key",
    "status",
    "status_changed_on",
    "status_note",
    "notes",
    "external_id",
)
TEXT_FIELDS = {"title", "department", "phone", "email", "wechat", "status_note", "notes", "external_id"}
# The statuses that take a person away from where the power map shows them.
DRIFT = (ContactStatus.MOVED, ContactStatus.LEFT)


def require_editor(viewer: Viewer, account: Account) -> None:
    if not can_edit_account(viewer, account):
        raise Forbidden()


def buying_roles_value(roles: Any) -> str:
    """A list of role codes (or a comma-separated string) as the stored, sorted, de-duplicated text."""
    if roles is None:
        return ""
    items = [part.strip() for part in roles.split(",")] if isinstance(roles, str) else [str(r).strip() for r in roles]
    items = [item for item in items if item]
    unknown = [item for item in items if item not in BuyingRole.values]
    if unknown:
        raise InvalidInput.single(
            "buying_roles",
            "invalid_choice",
            _("Unknown buying role: %(value)s") % {"value": ", ".join(unknown)},
        )
    order = {code: index for index, code in enumerate(BuyingRole.values)}
    return ",".join(sorted(set(items), key=order.__getitem__))


def _assign(contact: Contact, data: dict[str, Any]) -> None:
    for name in CONTACT_FIELDS:
        if name not in data:
            continue
        value = data[name]
        if name == "buying_roles":
            value = buying_roles_value(value)
        elif name in TEXT_FIELDS and value is None:
            value = ""
        setattr(contact, name, value)


def _check_reports_to(viewer: Viewer, contact: Contact) -> None:
    if not contact.reports_to_id:
        return
    manager = Contact.objects.filter(pk=contact.reports_to_id).first()
    # A contact of an account the caller cannot see reads as unknown: the answer must not reveal that it exists.
    if manager is None or (
        manager.account_id != contact.account_id
        and not Account.objects.filter(account_scope(viewer), pk=manager.account_id).exists()
    ):
        raise InvalidInput.single("reports_to_id", "unknown_contact", _("Unknown contact."))
    if manager.account_id != contact.account_id:
        raise InvalidInput.single(
            "reports_to_id",
            "other_account",
            _("A contact can only report to a contact of the same account."),
        )
    if contact.pk and would_cycle(contact, manager):
        raise InvalidInput.single(
            "reports_to_id", "cycle", _("This reporting line would make a circle: pick someone above, not below.")
        )


def _check_status(contact: Contact, previous_status: str | None) -> None:
    if contact.status != previous_status and contact.status != ContactStatus.ACTIVE and not contact.status_changed_on:
        contact.status_changed_on = timezone.localdate()
    if contact.status == ContactStatus.ACTIVE and previous_status not in (None, ContactStatus.ACTIVE):
        contact.status_changed_on = contact.status_changed_on or timezone.localdate()


def refresh_account_strength(account: Account, actor: User) -> None:
    """Contacts drive the account's relationship strength and with it the customer matrix, and the
    power-map and procurement items of its open deals' checklists."""
    from irontriangle.pipeline import checklist

    checklist.refresh_account(account.pk)
    current = lock_for_update(account)
    before = (current.relationship_score, current.matrix_class)
    profiling.refresh_derived(current)
    if (current.relationship_score, current.matrix_class) != before:
        save_versioned(current, actor=actor, reason="contacts")


def _owner_ids(contact: Contact) -> set[int]:
    return set(ContactOwner.objects.filter(contact=contact).values_list("user_id", flat=True))


def _announce_drift(contact: Contact, actor: User) -> None:
    """Seed 000: a key person who moves or leaves puts the opportunity at risk; the owners must know."""
    recipients = _owner_ids(contact) | concerned_user_ids(contact.account)
    left = contact.status == ContactStatus.LEFT
    event_emit(
        kind="contact.status_changed",
        subject=contact,
        actor=actor,
        data={
            "account_id": contact.account_id,
            "name": contact.name,
            "status": contact.status,
            "status_changed_on": contact.status_changed_on.isoformat() if contact.status_changed_on else None,
        },
        recipient_ids=recipients,
        message=bilingual(
            lambda: (
                (_("%(name)s (%(account)s) has left the customer") if left else _("%(name)s (%(account)s) has moved"))
                % {"name": contact.name, "account": contact.account.name}
            ),
            link=f"/contacts/{contact.pk}/",
        ),
    )


@transaction.atomic
def contact_create(*, viewer: Viewer, actor: User, account: Account, data: dict[str, Any]) -> Contact:
    require_editor(viewer, account)
    contact = Contact(account=account)
    _assign(contact, data)
    _check_reports_to(viewer, contact)
    _check_status(contact, None)
    validate(contact)
    contact._history_user = actor  # type: ignore[attr-defined]
    contact.save()
    refresh_account_strength(account, actor)
    event_emit(
        kind="contact.created", subject=contact, actor=actor, data={"account_id": account.pk, "name": contact.name}
    )
    return contact


@transaction.atomic
def contact_update(
    *, viewer: Viewer, actor: User, contact: Contact, data: dict[str, Any], version: int | None
) -> Contact:
    require_editor(viewer, contact.account)
    current = lock_for_update(contact)
    check_version(current, version)
    before = {name: getattr(current, name) for name in CONTACT_FIELDS}
    _assign(current, data)
    _check_reports_to(viewer, current)
    _check_status(current, before["status"])
    save_versioned(current, actor=actor)
    changed = sorted(name for name in CONTACT_FIELDS if getattr(current, name) != before[name])
    if "name" in changed:
        _refresh_search_text(current)
    if changed:
        refresh_account_strength(current.account, actor)
        event_emit(
            kind="contact.updated",
            subject=current,
            actor=actor,
            data={"account_id": current.account_id, "name": current.name, "changed": changed},
        )
    if "status" in changed and current.status in DRIFT and (current.is_key or before["is_key"]):
        _announce_drift(current, actor)
    return current


def _refresh_search_text(contact: Contact) -> None:
    """A renamed contact is found under the new name in the minutes that mention them."""
    for interaction in (
        Interaction.objects.filter(contacts=contact)
        .select_related("account")
        .prefetch_related("contacts", "participants")
    ):
        text = search_text_of(
            interaction,
            [person.name for person in interaction.contacts.all()],
            [person.label for person in interaction.participants.all()],
        )
        Interaction.all_objects.filter(pk=interaction.pk).update(search_text=text)


@transaction.atomic
def contact_delete(*, viewer: Viewer, actor: User, contact: Contact) -> None:
    require_editor(viewer, contact.account)
    record_soft_delete(contact, actor=actor)
    # Whoever reported to them now reports to nobody on the map, rather than to a person in the trash.
    Contact.objects.filter(reports_to=contact).update(reports_to=None)
    refresh_account_strength(contact.account, actor)
    event_emit(
        kind="contact.deleted",
        subject=contact,
        actor=actor,
        data={"account_id": contact.account_id, "name": contact.name},
    )


@transaction.atomic
def contact_restore(*, viewer: Viewer, actor: User, contact: Contact) -> Contact:
    if not viewer.is_admin:
        raise Forbidden()
    if contact.account.deleted_at is not None:
        raise InvalidInput.single("account_id", "account_in_trash", _("Restore the account first."))
    restored = record_restore(contact, actor=actor)
    refresh_account_strength(restored.account, actor)
    return restored


# --- relationship owners ----------------------------------------------------------------------------


def _can_see_account(user: User, account: Account) -> bool:
    return Account.objects.filter(account_scope(viewer_of(user)), pk=account.pk).exists()


@transaction.atomic
def contact_owner_add(
    *, viewer: Viewer, actor: User, contact: Contact, user_id: int, is_primary: bool = False
) -> ContactOwner:
    require_editor(viewer, contact.account)
    user = User.objects.filter(pk=user_id, is_active=True).first()
    errors: list[FieldError] = []
    if user is None:
        errors.append(FieldError("user_id", "unknown_user", _("Unknown user.")))
    elif not _can_see_account(user, contact.account):
        errors.append(
            FieldError(
                "user_id",
                "no_access",
                _("%(user)s cannot see this account: add them to the account team first.") % {"user": user.label},
            )
        )
    if errors:
        raise InvalidInput(errors)
    assert user is not None
    if is_primary:
        # The new primary takes over; the former primary stays on as a backup.
        ContactOwner.objects.filter(contact=contact, is_primary=True).exclude(user=user).update(is_primary=False)
    owner, created = ContactOwner.objects.get_or_create(contact=contact, user=user, defaults={"is_primary": is_primary})
    if not created and owner.is_primary != is_primary:
        owner.is_primary = is_primary
        owner._history_user = actor  # type: ignore[attr-defined]
        owner.save(update_fields=["is_primary"])
    event_emit(
        kind="contact.owners_changed",
        subject=contact,
        actor=actor,
        data={"account_id": contact.account_id, "name": contact.name, "user_id": user.pk, "is_primary": is_primary},
        recipient_ids=[user.pk],
        message=bilingual(
            lambda: (
                (
                    _("You now own the relationship with %(name)s (%(account)s)")
                    if is_primary
                    else _("You are now the backup owner of the relationship with %(name)s (%(account)s)")
                )
                % {"name": contact.name, "account": contact.account.name}
            ),
            link=f"/contacts/{contact.pk}/",
        ),
    )
    return owner


@transaction.atomic
def contact_owner_remove(*, viewer: Viewer, actor: User, contact: Contact, owner_id: int) -> None:
    require_editor(viewer, contact.account)
    owner = ContactOwner.objects.filter(contact=contact, pk=owner_id).first()
    if owner is None:
        raise NotFound()
    owner._history_user = actor  # type: ignore[attr-defined]
    owner.delete()
    event_emit(
        kind="contact.owners_changed",
        subject=contact,
        actor=actor,
        data={"account_id": contact.account_id, "name": contact.name, "removed_user_id": owner.user_id},
    )
