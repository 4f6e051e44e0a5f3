"""API shapes of relationships (SPEC §3, API.md `/contacts`, `/interactions`, `/org-activities`, …)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Any

from django.utils.translation import gettext
from ninja import Schema
from pydantic import AfterValidator, Field

from irontriangle.common.apitools import Id, SafeStr
from irontriangle.relationships.models import (
    BuyingRole,
    Contact,
    ContactOwner,
    ContactStatus,
    Interaction,
    InteractionKind,
    Level,
    OrgActivity,
    OrgActivityKind,
    PlanAction,
    PlanStatus,
    RelationshipPlan,
    Stance,
)
from irontriangle.relationships.selectors import has_backup, primary_owner

Name = Annotated[SafeStr, Field(min_length=1, max_length=100)]
Short = Annotated[SafeStr, Field(max_length=100)]
Phone = Annotated[SafeStr, Field(max_length=40)]
Text = Annotated[SafeStr, Field(max_length=20000)]
Email = Annotated[SafeStr, Field(max_length=200)]
Influence = Annotated[int, Field(ge=1, le=5)]
Ids = Annotated[list[Id], Field(max_length=50)]
# Dates a business record can carry; far-off years would only overflow the cadence arithmetic.
Day = Annotated[date, Field(ge=date(1900, 1, 1), le=date(2999, 12, 31))]


def _sane_year(value: datetime) -> datetime:
    if not 1900 <= value.year <= 2999:
        raise ValueError(gettext("The year must be between 1900 and 2999."))
    return value


Moment = Annotated[datetime, AfterValidator(_sane_year)]


class ContactIn(Schema):
    account_id: Id
    name: Name
    title: Short = ""
    department: Short = ""
    reports_to_id: Id | None = None
    phone: Phone = ""
    email: Email = ""
    wechat: Short = ""
    buying_roles: Annotated[list[BuyingRole], Field(max_length=10)] = []
    influence: Influence = 3
    stance: Stance = Stance.NEUTRAL
    intimacy: Level = Level.LOW
    support: Level = Level.LOW
    is_key: bool = False
    status: ContactStatus = ContactStatus.ACTIVE
    status_changed_on: Day | None = None
    status_note: Annotated[SafeStr, Field(max_length=200)] = ""
    notes: Text = ""
    external_id: Short = ""


class ContactPatch(Schema):
    name: Name | None = None
    title: Short | None = None
    department: Short | None = None
    reports_to_id: Id | None = None
    phone: Phone | None = None
    email: Email | None = None
    wechat: Short | None = None
    buying_roles: Annotated[list[BuyingRole], Field(max_length=10)] | None = None
    influence: Influence | None = None
    stance: Stance | None = None
    intimacy: Level | None = None
    support: Level | None = None
    is_key: bool | None = None
    status: ContactStatus | None = None
    status_changed_on: Day | None = None
    status_note: Annotated[SafeStr, Field(max_length=200)] | None = None
    notes: Text | None = None
    external_id: Short | None = None
    version: int | None = None


# Fields a PATCH may set back to null (clearing them); the others ignore an explicit null.
CONTACT_NULLABLE = {"reports_to_id", "status_changed_on"}


class OwnerOut(Schema):
    id: int
    user_id: int
    user_label: str
    is_primary: bool


class ContactOut(Schema):
    id: int
    account_id: int
    account_name: str
    name: str
    title: str
    department: str
    reports_to_id: int | None
    phone: str
    email: str
    wechat: str
    buying_roles: list[str]
    influence: int
    stance: str
    intimacy: str
    support: str
    is_key: bool
    status: str
    status_changed_on: date | None
    status_note: str
    notes: str
    external_id: str
    owners: list[OwnerOut]
    has_backup: bool
    version: int
    created_at: datetime
    updated_at: datetime


def owner_out(owner: ContactOwner) -> dict[str, Any]:
    return {"id": owner.pk, "user_id": owner.user_id, "user_label": owner.user.label, "is_primary": owner.is_primary}


def contact_out(contact: Contact) -> dict[str, Any]:
    """Needs the owners prefetched with their users."""
    return {
        "id": contact.pk,
        "account_id": contact.account_id,
        "account_name": contact.account.name,
        "name": contact.name,
        "title": contact.title,
        "department": contact.department,
        "reports_to_id": contact.reports_to_id,
        "phone": contact.phone,
        "email": contact.email,
        "wechat": contact.wechat,
        "buying_roles": contact.roles,
        "influence": contact.influence,
        "stance": contact.stance,
        "intimacy": contact.intimacy,
        "support": contact.support,
        "is_key": contact.is_key,
        "status": contact.status,
        "status_changed_on": contact.status_changed_on,
        "status_note": contact.status_note,
        "notes": contact.notes,
        "external_id": contact.external_id,
        "owners": [owner_out(owner) for owner in contact.owners.all()],
        "has_backup": has_backup(contact),
        "version": contact.version,
        "created_at": contact.created_at,
        "updated_at": contact.updated_at,
    }


class OwnerIn(Schema):
    user_id: Id
    is_primary: bool = False


# --- power map and nine-grid ------------------------------------------------------------------------


class PowerMapNode(Schema):
    id: int
    name: str
    title: str
    department: str
    reports_to_id: int | None
    buying_roles: list[str]
    influence: int
    stance: str
    intimacy: str
    support: str
    is_key: bool
    status: str
    primary_owner: str | None
    has_backup: bool
    last_met_at: datetime | None


class PowerMapEdge(Schema):
    source: int
    target: int


class PowerMapOut(Schema):
    account_id: int
    nodes: list[PowerMapNode]
    edges: list[PowerMapEdge]
    uncovered_roles: list[str]


def power_map_node(contact: Contact) -> dict[str, Any]:
    owner = primary_owner(contact)
    return {
        "id": contact.pk,
        "name": contact.name,
        "title": contact.title,
        "department": contact.department,
        "reports_to_id": contact.reports_to_id,
        "buying_roles": contact.roles,
        "influence": contact.influence,
        "stance": contact.stance,
        "intimacy": contact.intimacy,
        "support": contact.support,
        "is_key": contact.is_key,
        "status": contact.status,
        "primary_owner": owner.user.label if owner else None,
        "has_backup": has_backup(contact),
        "last_met_at": getattr(contact, "last_met_at", None),
    }


class GridContact(Schema):
    id: int
    name: str
    title: str
    stance: str
    influence: int


class GridCellOut(Schema):
    intimacy: str
    support: str
    action: str
    contacts: list[GridContact]


class RiskOut(Schema):
    kind: str
    severity: str
    subject_type: str
    subject_id: int
    account_id: int
    account_name: str
    message: str
    action: str


# --- plans ------------------------------------------------------------------------------------------


class PlanIn(Schema):
    goal: Annotated[SafeStr, Field(min_length=1, max_length=300)]
    target_intimacy: Level
    target_support: Level
    target_stance: Stance
    due_on: Day | None = None


class PlanPatch(Schema):
    goal: Annotated[SafeStr, Field(min_length=1, max_length=300)] | None = None
    target_intimacy: Level | None = None
    target_support: Level | None = None
    target_stance: Stance | None = None
    due_on: Day | None = None
    status: PlanStatus | None = None
    version: int | None = None


class ActionIn(Schema):
    title: Annotated[SafeStr, Field(min_length=1, max_length=300)]
    owner_id: Id | None = None
    due_on: Day | None = None
    done_on: Day | None = None


class ActionPatch(Schema):
    title: Annotated[SafeStr, Field(min_length=1, max_length=300)] | None = None
    owner_id: Id | None = None
    due_on: Day | None = None
    done_on: Day | None = None
    version: int | None = None


class ActionOut(Schema):
    id: int
    title: str
    owner_id: int | None
    owner_label: str | None
    due_on: date | None
    done_on: date | None
    version: int


class PlanOut(Schema):
    id: int
    contact_id: int
    goal: str
    start_intimacy: str
    start_support: str
    start_stance: str
    current_intimacy: str
    current_support: str
    current_stance: str
    target_intimacy: str
    target_support: str
    target_stance: str
    due_on: date | None
    status: str
    progress: int
    actions: list[ActionOut]
    version: int


def action_out(action: PlanAction) -> dict[str, Any]:
    return {
        "id": action.pk,
        "title": action.title,
        "owner_id": action.owner_id,
        "owner_label": action.owner.label if action.owner else None,
        "due_on": action.due_on,
        "done_on": action.done_on,
        "version": action.version,
    }


def plan_out(plan: RelationshipPlan) -> dict[str, Any]:
    from irontriangle.relationships.progress import plan_progress

    contact = plan.contact
    return {
        "id": plan.pk,
        "contact_id": plan.contact_id,
        "goal": plan.goal,
        "start_intimacy": plan.start_intimacy,
        "start_support": plan.start_support,
        "start_stance": plan.start_stance,
        "current_intimacy": contact.intimacy,
        "current_support": contact.support,
        "current_stance": contact.stance,
        "target_intimacy": plan.target_intimacy,
        "target_support": plan.target_support,
        "target_stance": plan.target_stance,
        "due_on": plan.due_on,
        "status": plan.status,
        "progress": plan_progress(plan),
        "actions": [action_out(action) for action in plan.actions.all()],
        "version": plan.version,
    }


# --- interactions and organisational activities -----------------------------------------------------


class InteractionIn(Schema):
    kind: InteractionKind = InteractionKind.VISIT
    occurred_at: Moment | None = None
    account_id: Id
    contact_ids: Ids = []
    participant_ids: Ids = []
    opportunity_id: Id | None = None
    minutes: Text = ""
    next_steps: Text = ""


class InteractionPatch(Schema):
    kind: InteractionKind | None = None
    occurred_at: Moment | None = None
    account_id: Id | None = None
    contact_ids: Ids | None = None
    participant_ids: Ids | None = None
    opportunity_id: Id | None = None
    minutes: Text | None = None
    next_steps: Text | None = None
    version: int | None = None


class PersonRef(Schema):
    id: int
    name: str


class InteractionOut(Schema):
    id: int
    kind: str
    occurred_at: datetime
    account_id: int
    account_name: str
    contact_ids: list[int]
    contacts: list[PersonRef]
    participant_ids: list[int]
    participants: list[PersonRef]
    opportunity_id: int | None
    minutes: str
    next_steps: str
    logged_by_id: int
    version: int
    created_at: datetime


def interaction_out(interaction: Interaction) -> dict[str, Any]:
    contacts = list(interaction.contacts.all())
    participants = list(interaction.participants.all())
    return {
        "id": interaction.pk,
        "kind": interaction.kind,
        "occurred_at": interaction.occurred_at,
        "account_id": interaction.account_id,
        "account_name": interaction.account.name,
        "contact_ids": [contact.pk for contact in contacts],
        "contacts": [{"id": contact.pk, "name": contact.name} for contact in contacts],
        "participant_ids": [user.pk for user in participants],
        "participants": [{"id": user.pk, "name": user.label} for user in participants],
        "opportunity_id": interaction.opportunity_id,
        "minutes": interaction.minutes,
        "next_steps": interaction.next_steps,
        "logged_by_id": interaction.logged_by_id,
        "version": interaction.version,
        "created_at": interaction.created_at,
    }


class OrgActivityIn(Schema):
    kind: OrgActivityKind
    account_id: Id
    occurred_on: Day
    title: Annotated[SafeStr, Field(max_length=200)] = ""
    participant_ids: Ids = []
    contact_ids: Ids = []
    outcome: Text = ""
    key_projects: Text = ""
    exclusive: bool = False
    valid_until: Day | None = None


class OrgActivityPatch(Schema):
    kind: OrgActivityKind | None = None
    occurred_on: Day | None = None
    title: Annotated[SafeStr, Field(max_length=200)] | None = None
    participant_ids: Ids | None = None
    contact_ids: Ids | None = None
    outcome: Text | None = None
    key_projects: Text | None = None
    exclusive: bool | None = None
    valid_until: Day | None = None
    version: int | None = None


class OrgActivityOut(Schema):
    id: int
    kind: str
    account_id: int
    account_name: str
    occurred_on: date
    title: str
    participant_ids: list[int]
    participants: list[PersonRef]
    contact_ids: list[int]
    outcome: str
    key_projects: str
    exclusive: bool
    valid_until: date | None
    version: int


def org_activity_out(activity: OrgActivity) -> dict[str, Any]:
    participants = list(activity.participants.all())
    return {
        "id": activity.pk,
        "kind": activity.kind,
        "account_id": activity.account_id,
        "account_name": activity.account.name,
        "occurred_on": activity.occurred_on,
        "title": activity.title,
        "participant_ids": [user.pk for user in participants],
        "participants": [{"id": user.pk, "name": user.label} for user in participants],
        "contact_ids": [contact.pk for contact in activity.contacts.all()],
        "outcome": activity.outcome,
        "key_projects": activity.key_projects,
        "exclusive": activity.exclusive,
        "valid_until": activity.valid_until,
        "version": activity.version,
    }


class OrgCadenceOut(Schema):
    kind: str
    kind_label: str
    per_year: int
    last_on: date | None
    count_last_year: int
    due_on: date
    overdue: bool


# --- cadence and evaluation -------------------------------------------------------------------------


class PersonCadenceOut(Schema):
    user_id: int
    user_label: str
    unit_code: str
    visits: int
    target: int
    below_target: bool
    trend: list[int]


class UnitCadenceOut(Schema):
    unit_code: str
    unit_name: str
    people: int
    visits: int
    average: float
    on_target: int
    below_target: bool
    trend: list[float]


class VisitCadenceOut(Schema):
    week: date
    target: int
    weeks: list[date]
    people: list[PersonCadenceOut]
    units: list[UnitCadenceOut]


class EvaluationItemOut(Schema):
    key: str
    label: str
    done: bool
    evidence: str


class EvaluationOut(Schema):
    account_id: int
    year: int
    score: int
    checked: int
    items: list[EvaluationItemOut]
    results: dict[str, int]
    notes: str
    version: int | None


class EvaluationIn(Schema):
    strategy_set: bool | None = None
    plan_made: bool | None = None
    information_maintained: bool | None = None
    key_relationships_owned: bool | None = None
    strategic_agreement: bool | None = None
    satisfaction_survey: bool | None = None
    contact_activities_standardised: bool | None = None
    voice_of_customer_closed: bool | None = None
    executive_minutes_timely: bool | None = None
    notes: Text | None = None
    version: int | None = None
