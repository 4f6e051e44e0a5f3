"""The relationship / performance / evidence checklist of a contract (seed 003, 情理法).

Where the records can tell, they decide and nobody ticks; the rest is ticked by a person with a note.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.utils.translation import gettext_lazy as _

from irontriangle.collections.models import Contract, EvidenceKind
from irontriangle.relationships.models import Interaction, Stance


@dataclass(frozen=True)
class ContractItem:
    key: str
    duty: str  # relationship / performance / evidence
    label: Any
    automatic: bool


ITEMS = [
    ContractItem("visited_since_signing", "relationship", _("Customer visited since signing"), True),
    ContractItem("decision_chain", "relationship", _("Delivery decision chain named for every milestone"), True),
    ContractItem("no_opponent_signs", "relationship", _("No sign-off contact opposes us"), True),
    ContractItem("fr_named", "performance", _("FR responsible for delivery named"), True),
    ContractItem("delivered", "performance", _("Delivery recorded"), True),
    ContractItem("accepted", "performance", _("Acceptance recorded"), True),
    ContractItem("issues_closed", "performance", _("Delivery issues closed with the customer"), False),
    ContractItem("contract_archived", "evidence", _("Signed contract archived"), True),
    ContractItem("evidence_complete", "evidence", _("Evidence complete for every milestone due"), True),
    ContractItem("correspondence_kept", "evidence", _("Collection correspondence kept"), False),
]
ITEM_KEYS = {item.key: item for item in ITEMS}
DUTIES = [
    ("relationship", _("Relationship (情)")),
    ("performance", _("Performance (理)")),
    ("evidence", _("Evidence (法)")),
]


@dataclass
class ItemState:
    item: ContractItem
    done: bool
    note: str = ""
    by: str = ""


def _facts(contract: Contract, today: date) -> dict[str, bool]:
    """Needs `contract_detail` (milestones with sign-offs and evidence prefetched)."""
    milestones = list(contract.milestones.all())
    sign_offs = [sign_off for milestone in milestones for sign_off in milestone.sign_offs.all()]
    due = [m for m in milestones if m.due is not None and m.due <= today]
    return {
        "visited_since_signing": Interaction.objects.filter(
            account_id=contract.account_id, occurred_at__date__gte=contract.signed_on
        ).exists(),
        "decision_chain": bool(milestones) and all(milestone.sign_offs.all() for milestone in milestones),
        "no_opponent_signs": bool(sign_offs)
        and all(sign_off.contact.stance != Stance.OPPONENT for sign_off in sign_offs),
        "fr_named": contract.fr_id is not None,
        "delivered": contract.delivered_on is not None,
        "accepted": contract.accepted_on is not None,
        "contract_archived": any(e.kind == EvidenceKind.CONTRACT for e in getattr(contract, "contract_evidence", [])),
        "evidence_complete": all(m.evidence_present >= m.evidence_needed for m in due),
    }


def contract_checklist(contract: Contract, today: date) -> list[ItemState]:
    facts = _facts(contract, today)
    ticks = {tick.key: tick for tick in contract.ticks.all()}
    states = []
    for item in ITEMS:
        if item.automatic:
            states.append(ItemState(item, facts[item.key]))
            continue
        tick = ticks.get(item.key)
        done = bool(tick and tick.done)
        states.append(ItemState(item, done, tick.note if tick else "", str(tick.by) if tick and done else ""))
    return states
