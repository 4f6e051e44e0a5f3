"""Writes of interactions (general relationships) and organisational activities."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from irontriangle.accounts.models import Account
from irontriangle.accounts.selectors import accounts_visible, can_edit_account
from irontriangle.common.access import Viewer
from irontriangle.common.errors import FieldError, Forbidden, InvalidInput
from irontriangle.common.services import check_version, lock_for_update, record_soft_delete, save_versioned, validate
from irontriangle.notifications.services import event_emit
from irontriangle.org.models import User
from irontriangle.relationships.models import Contact, Interaction, OrgActivity
from irontriangle.relationships.search import search_text_of

INTERACTION_FIELDS = ("kind", "occurred_at", "minutes", "next_steps", "opportunity_id")
ORG_ACTIVITY_FIELDS = ("kind", "occurred_on", "title", "outcome", "key_projects", "exclusive", "valid_until")
TEXT_FIELDS = {"minutes", "next_steps", "title", "outcome", "key_projects"}
MAX_PEOPLE = 50


def visible_account(viewer: Viewer, account_id: Any, *, field: str = "account_id") -> Account:
    """An account named in a request body: unknown and invisible read alike, as invalid input."""
    account = accounts_visible(viewer).filter(pk=account_id).first() if isinstance(account_id, int) else None
    if account is None:
        raise InvalidInput.single(field, "unknown_account", _("Unknown account."))
    return account


def _people(
    account: Account, contact_ids: list[int] | None, participant_ids: list[int] | None
) -> tuple[list[Contact] | None, list[User] | None]:
    errors: list[FieldError] = []
    contacts = users = None
    if contact_ids is not None:
        wanted = set(contact_ids)
        contacts = list(Contact.objects.filter(account=account, pk__in=wanted).order_by("name", "pk"))
        if len(wanted) > MAX_PEOPLE or len(contacts) != len(wanted):
            errors.append(
                FieldError("contact_ids", "unknown_contact", _("Every contact met must be a contact of this account."))
            )
    if participant_ids is not None:
        wanted = set(participant_ids)
        users = list(User.objects.filter(is_active=True, pk__in=wanted).order_by("username"))
        if len(wanted) > MAX_PEOPLE or len(users) != len(wanted):
            errors.append(FieldError("participant_ids", "unknown_user", _("Unknown user among the participants.")))
    if errors:
        raise InvalidInput(errors)
    return contacts, users


def _assign(record: Any, fields: tuple[str, ...], data: dict[str, Any]) -> None:
    for name in fields:
        if name in data:
            value = data[name]
            setattr(record, name, "" if value is None and name in TEXT_FIELDS else value)


def _check_when(interaction: Interaction) -> None:
    if interaction.occurred_at and interaction.occurred_at > timezone.now() + timedelta(days=1):
        raise InvalidInput.single(
            "occurred_at", "in_future", _("An interaction is logged once it has happened, not before.")
        )


def _check_opportunity(viewer: Viewer, account: Account, data: dict[str, Any]) -> None:
    """The deal a visit served must be one the caller sees, on the same account."""
    from irontriangle.pipeline.models import Opportunity
    from irontriangle.pipeline.selectors import opportunity_scope

    pk = data.get("opportunity_id")
    if pk is None:
        return
    opportunity = Opportunity.objects.filter(opportunity_scope(viewer), pk=pk).first()
    if opportunity is None:
        raise InvalidInput.single("opportunity_id", "unknown_opportunity", _("Unknown opportunity."))
    if opportunity.account_id != account.pk:
        raise InvalidInput.single("opportunity_id", "other_account", _("The opportunity belongs to another account."))


def _refresh_deals(*opportunity_ids: int | None) -> None:
    """Contacts met on a deal's visits decide its single-threaded checklist item and risk."""
    from irontriangle.pipeline import checklist
    from irontriangle.pipeline.models import Opportunity

    for opportunity in Opportunity.objects.filter(pk__in=[pk for pk in opportunity_ids if pk]).select_related(
        "stage", "process", "lead"
    ):
        checklist.refresh(opportunity)


def _require_editor(viewer: Viewer, account: Account) -> None:
    if not can_edit_account(viewer, account):
        raise Forbidden()


@transaction.atomic
def interaction_create(*, viewer: Viewer, actor: User, data: dict[str, Any]) -> Interaction:
    account = visible_account(viewer, data.get("account_id"))
    _require_editor(viewer, account)
    _check_opportunity(viewer, account, data)
    contacts, users = _people(account, data.get("contact_ids") or [], data.get("participant_ids") or [])
    # Whoever logs a visit without naming anyone went themselves.
    users = users or [actor]
    interaction = Interaction(account=account, logged_by=actor)
    _assign(interaction, INTERACTION_FIELDS, data)
    if interaction.occurred_at is None:
        interaction.occurred_at = timezone.now()
    _check_when(interaction)
    interaction.search_text = search_text_of(interaction, [c.name for c in contacts or []], [u.label for u in users])
    validate(interaction)
    interaction._history_user = actor  # type: ignore[attr-defined]
    interaction.save()
    interaction.contacts.set(contacts or [])
    interaction.participants.set(users)
    _refresh_deals(interaction.opportunity_id)
    event_emit(
        kind="interaction.logged",
        subject=interaction,
        actor=actor,
        data={"account_id": account.pk, "kind": interaction.kind, "occurred_at": interaction.occurred_at.isoformat()},
    )
    return interaction


@transaction.atomic
def interaction_update(
    *, viewer: Viewer, actor: User, interaction: Interaction, data: dict[str, Any], version: int | None
) -> Interaction:
    _require_editor(viewer, interaction.account)
    current = lock_for_update(interaction)
    check_version(current, version)
    deal_before = current.opportunity_id
    if "account_id" in data and data["account_id"] != current.account_id:
        current.account = visible_account(viewer, data["account_id"])
        _require_editor(viewer, current.account)
        if "contact_ids" not in data:
            data["contact_ids"] = []
        if "opportunity_id" not in data:
            data["opportunity_id"] = None
    _check_opportunity(viewer, current.account, data)
    contacts, users = _people(current.account, data.get("contact_ids"), data.get("participant_ids"))
    _assign(current, INTERACTION_FIELDS, data)
    _check_when(current)
    contacts = contacts if contacts is not None else list(current.contacts.all())
    users = users if users is not None else list(current.participants.all())
    current.search_text = search_text_of(current, [c.name for c in contacts], [u.label for u in users])
    save_versioned(current, actor=actor)
    current.contacts.set(contacts)
    current.participants.set(users or [current.logged_by])
    _refresh_deals(deal_before, current.opportunity_id)
    event_emit(
        kind="interaction.updated",
        subject=current,
        actor=actor,
        data={"account_id": current.account_id, "changed": sorted(data)},
    )
    return current


@transaction.atomic
def interaction_delete(*, viewer: Viewer, actor: User, interaction: Interaction) -> None:
    _require_editor(viewer, interaction.account)
    record_soft_delete(interaction, actor=actor)
    _refresh_deals(interaction.opportunity_id)
    event_emit(
        kind="interaction.deleted", subject=interaction, actor=actor, data={"account_id": interaction.account_id}
    )


@transaction.atomic
def org_activity_create(*, viewer: Viewer, actor: User, data: dict[str, Any]) -> OrgActivity:
    account = visible_account(viewer, data.get("account_id"))
    _require_editor(viewer, account)
    contacts, users = _people(account, data.get("contact_ids") or [], data.get("participant_ids") or [])
    activity = OrgActivity(account=account, logged_by=actor)
    _assign(activity, ORG_ACTIVITY_FIELDS, data)
    validate(activity)
    activity._history_user = actor  # type: ignore[attr-defined]
    activity.save()
    activity.contacts.set(contacts or [])
    activity.participants.set(users or [actor])
    event_emit(
        kind="org_activity.logged",
        subject=activity,
        actor=actor,
        data={"account_id": account.pk, "kind": activity.kind, "occurred_on": activity.occurred_on.isoformat()},
    )
    return activity


@transaction.atomic
def org_activity_update(
    *, viewer: Viewer, actor: User, activity: OrgActivity, data: dict[str, Any], version: int | None
) -> OrgActivity:
    _require_editor(viewer, activity.account)
    current = lock_for_update(activity)
    check_version(current, version)
    contacts, users = _people(current.account, data.get("contact_ids"), data.get("participant_ids"))
    _assign(current, ORG_ACTIVITY_FIELDS, data)
    save_versioned(current, actor=actor)
    if contacts is not None:
        current.contacts.set(contacts)
    if users is not None:
        current.participants.set(users or [current.logged_by])
    event_emit(kind="org_activity.updated", subject=current, actor=actor, data={"account_id": current.account_id})
    return current


@transaction.atomic
def org_activity_delete(*, viewer: Viewer, actor: User, activity: OrgActivity) -> None:
    _require_editor(viewer, activity.account)
    record_soft_delete(activity, actor=actor)
    event_emit(kind="org_activity.deleted", subject=activity, actor=actor, data={"account_id": activity.account_id})
