"""Writes of the relationships domain. Every caller (API, web, import, demo, tests) goes through these."""

from irontriangle.relationships.services.activity import (
    interaction_create,
    interaction_delete,
    interaction_update,
    org_activity_create,
    org_activity_delete,
    org_activity_update,
    visible_account,
)
from irontriangle.relationships.services.alerts import cadence_alerts_run
from irontriangle.relationships.services.contacts import (
    CONTACT_FIELDS,
    contact_create,
    contact_delete,
    contact_owner_add,
    contact_owner_remove,
    contact_restore,
    contact_update,
)
from irontriangle.relationships.services.planning import (
    evaluation_save,
    plan_action_add,
    plan_action_delete,
    plan_action_update,
    plan_create,
    plan_delete,
    plan_update,
)

__all__ = [
    "CONTACT_FIELDS",
    "cadence_alerts_run",
    "contact_create",
    "contact_delete",
    "contact_owner_add",
    "contact_owner_remove",
    "contact_restore",
    "contact_update",
    "evaluation_save",
    "interaction_create",
    "interaction_delete",
    "interaction_update",
    "org_activity_create",
    "org_activity_delete",
    "org_activity_update",
    "plan_action_add",
    "plan_action_delete",
    "plan_action_update",
    "plan_create",
    "plan_delete",
    "plan_update",
    "visible_account",
]
