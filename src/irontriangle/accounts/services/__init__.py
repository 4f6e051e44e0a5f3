"""Writes of the accounts domain. Every caller (API, web, import, CLI, tests) goes through these."""

from irontriangle.accounts.services.accounts import (
    EDITABLE_FIELDS,
    account_confirm_segment,
    account_create,
    account_delete,
    account_restore,
    account_update,
    team_member_add,
    team_member_remove,
)
from irontriangle.accounts.services.configuration import matrix_settings_update, profile_rule_update
from irontriangle.accounts.services.intelligence import (
    customer_info_create,
    customer_info_delete,
    customer_info_update,
    driver_create,
    driver_delete,
    driver_update,
)
from irontriangle.accounts.services.ownership import (
    ownership_request_create,
    ownership_request_decide,
    ownership_request_withdraw,
)

__all__ = [
    "EDITABLE_FIELDS",
    "account_confirm_segment",
    "account_create",
    "account_delete",
    "account_restore",
    "account_update",
    "customer_info_create",
    "customer_info_delete",
    "customer_info_update",
    "driver_create",
    "driver_delete",
    "driver_update",
    "matrix_settings_update",
    "ownership_request_create",
    "ownership_request_decide",
    "ownership_request_withdraw",
    "profile_rule_update",
    "team_member_add",
    "team_member_remove",
]
