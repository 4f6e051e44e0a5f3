"""Writes of relationship plans and their actions, and of the yearly relationship evaluation."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from irontriangle.accounts.models import Account
from irontriangle.common.access import Viewer
from irontriangle.common.errors import Conflict, InvalidInput
from irontriangle.common.services import check_version, lock_for_update, record_soft_delete, save_versioned, validate
from irontriangle.notifications.services import event_emit
from irontriangle.org.models import User
from irontriangle.relationships.models import (
    EVALUATION_ITEMS,
    Contact,
    PlanAction,
    PlanStatus,
    RelationshipEvaluation,
    RelationshipPlan,
)
from irontriangle.relationships.services.contacts import require_editor

PLAN_FIELDS = ("goal", "target_intimacy", "target_support", "target_stance", "due_on", "status")
ACTION_FIELDS = ("title", "owner_id", "due_on", "done_on")
EVALUATION_FIELDS = (*(key for key, _label in EVALUATION_ITEMS), "notes")


def _assign(record: Any, fields: tuple[str, ...], data: dict[str, Any]) -> None:
    for name in fields:
        if name in data:
            value = data[name]
            setattr(record, name, "" if value is None and name == "notes" else value)


def _check_owner(data: dict[str, Any]) -> None:
    owner_id = data.get("owner_id")
    if owner_id is not None and not User.objects.filter(pk=owner_id, is_active=True).exists():
        raise InvalidInput.single("owner_id", "unknown_user", _("Unknown user."))


def _plan_event(plan: RelationshipPlan, actor: User) -> None:
    event_emit(
        kind="relationship_plan.changed",
        subject=plan,
        actor=actor,
        data={"contact_id": plan.contact_id, "account_id": plan.contact.account_id, "status": plan.status},
    )


@transaction.atomic
def plan_create(*, viewer: Viewer, actor: User, contact: Contact, data: dict[str, Any]) -> RelationshipPlan:
    require_editor(viewer, contact.account)
    if RelationshipPlan.objects.filter(contact=contact, status=PlanStatus.ACTIVE).exists():
        raise Conflict(_("This contact already has an active plan: update it or close it first."), code="plan_active")
    plan = RelationshipPlan(
        contact=contact,
        start_intimacy=contact.intimacy,
        start_support=contact.support,
        start_stance=contact.stance,
        target_intimacy=contact.intimacy,
        target_support=contact.support,
        target_stance=contact.stance,
    )
    _assign(plan, PLAN_FIELDS, {**data, "status": PlanStatus.ACTIVE})
    validate(plan)
    plan._history_user = actor  # type: ignore[attr-defined]
    plan.save()
    _plan_event(plan, actor)
    return plan


@transaction.atomic
def plan_update(
    *, viewer: Viewer, actor: User, plan: RelationshipPlan, data: dict[str, Any], version: int | None
) -> RelationshipPlan:
    require_editor(viewer, plan.contact.account)
    current = lock_for_update(plan)
    check_version(current, version)
    reopening = data.get("status") == PlanStatus.ACTIVE and current.status != PlanStatus.ACTIVE
    if reopening and RelationshipPlan.objects.filter(contact_id=current.contact_id, status=PlanStatus.ACTIVE).exists():
        raise Conflict(_("This contact already has an active plan: update it or close it first."), code="plan_active")
    _assign(current, PLAN_FIELDS, data)
    save_versioned(current, actor=actor)
    _plan_event(current, actor)
    return current


@transaction.atomic
def plan_delete(*, viewer: Viewer, actor: User, plan: RelationshipPlan) -> None:
    require_editor(viewer, plan.contact.account)
    record_soft_delete(plan, actor=actor)
    _plan_event(plan, actor)


@transaction.atomic
def plan_action_add(*, viewer: Viewer, actor: User, plan: RelationshipPlan, data: dict[str, Any]) -> PlanAction:
    require_editor(viewer, plan.contact.account)
    _check_owner(data)
    action = PlanAction(plan=plan)
    _assign(action, ACTION_FIELDS, data)
    validate(action)
    action._history_user = actor  # type: ignore[attr-defined]
    action.save()
    _plan_event(plan, actor)
    return action


@transaction.atomic
def plan_action_update(
    *, viewer: Viewer, actor: User, action: PlanAction, data: dict[str, Any], version: int | None
) -> PlanAction:
    require_editor(viewer, action.plan.contact.account)
    _check_owner(data)
    current = lock_for_update(action)
    check_version(current, version)
    _assign(current, ACTION_FIELDS, data)
    save_versioned(current, actor=actor)
    _plan_event(action.plan, actor)
    return current


@transaction.atomic
def plan_action_delete(*, viewer: Viewer, actor: User, action: PlanAction) -> None:
    require_editor(viewer, action.plan.contact.account)
    record_soft_delete(action, actor=actor)
    _plan_event(action.plan, actor)


@transaction.atomic
def evaluation_save(
    *, viewer: Viewer, actor: User, account: Account, year: int, data: dict[str, Any], version: int | None
) -> RelationshipEvaluation:
    """Create the year's evaluation, or update it when the caller edited the current version."""
    require_editor(viewer, account)
    record = RelationshipEvaluation.objects.select_for_update().filter(account=account, year=year).first()
    if record is None:
        record = RelationshipEvaluation(account=account, year=year)
        _assign(record, EVALUATION_FIELDS, data)
        validate(record)
        record._history_user = actor  # type: ignore[attr-defined]
        record.save()
    else:
        check_version(record, version)
        _assign(record, EVALUATION_FIELDS, data)
        save_versioned(record, actor=actor)
    event_emit(
        kind="relationship_evaluation.saved",
        subject=record,
        actor=actor,
        data={"account_id": account.pk, "year": year, "score": record.score},
    )
    return record
