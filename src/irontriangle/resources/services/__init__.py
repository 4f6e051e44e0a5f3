"""Writes of the resources app; everything else imports from here."""

from irontriangle.resources.services.escalation import escalations_run
from irontriangle.resources.services.partners import (
    partner_contact_add,
    partner_create,
    partner_delete,
    partner_meeting_create,
    partner_update,
    partner_user_create,
)
from irontriangle.resources.services.pool import resource_create, resource_delete, resource_update
from irontriangle.resources.services.registrations import (
    registration_create,
    registration_decide,
    registration_withdraw,
)
from irontriangle.resources.services.requests import (
    request_assign,
    request_create,
    request_decline,
    request_delete,
    request_done,
    request_update,
)

__all__ = [
    "escalations_run",
    "partner_contact_add",
    "partner_create",
    "partner_delete",
    "partner_meeting_create",
    "partner_update",
    "partner_user_create",
    "registration_create",
    "registration_decide",
    "registration_withdraw",
    "request_assign",
    "request_create",
    "request_decline",
    "request_delete",
    "request_done",
    "request_update",
    "resource_create",
    "resource_delete",
    "resource_update",
]
