"""Writes of the collections domain (SPEC §7)."""

from irontriangle.collections.services.alerts import collection_settings, milestone_alerts_run
from irontriangle.collections.services.chain import (
    collection_action_log,
    contract_tick,
    sign_off_add,
    sign_off_remove,
    sign_off_update,
)
from irontriangle.collections.services.contracts import (
    MilestoneTotal,
    active_template,
    contract_create,
    contract_delete,
    contract_restore,
    contract_update,
    milestones_replace,
    template_rows,
)
from irontriangle.collections.services.evidence import evidence_open, evidence_remove, evidence_upload
from irontriangle.collections.services.payments import (
    Overpayment,
    milestone_dispute,
    milestone_invoice,
    milestone_resolve,
    payment_record,
    payment_restore,
    payment_reverse,
)

__all__ = [
    "MilestoneTotal",
    "Overpayment",
    "active_template",
    "collection_action_log",
    "collection_settings",
    "contract_create",
    "contract_delete",
    "contract_restore",
    "contract_tick",
    "contract_update",
    "evidence_open",
    "evidence_remove",
    "evidence_upload",
    "milestone_alerts_run",
    "milestone_dispute",
    "milestone_invoice",
    "milestone_resolve",
    "milestones_replace",
    "payment_record",
    "payment_restore",
    "payment_reverse",
    "sign_off_add",
    "sign_off_remove",
    "sign_off_update",
    "template_rows",
]
