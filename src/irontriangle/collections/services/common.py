"""What the collection writes share: the edit check, keeping a milestone's stored figures right, and
the announcement to the people who collect."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.db.models import Sum
from django.utils import timezone

from irontriangle.collections.models import Contract, Evidence, Payment, PaymentMilestone
from irontriangle.collections.selectors import can_edit_contract
from irontriangle.collections.state import state_of
from irontriangle.common.access import Viewer
from irontriangle.common.errors import Forbidden
from irontriangle.notifications.messages import bilingual
from irontriangle.notifications.services import event_emit


def require_contract_editor(viewer: Viewer, contract: Contract) -> None:
    if not can_edit_contract(viewer, contract):
        raise Forbidden()


def text(value: Any) -> str:
    return "" if value is None else str(value).strip()


def collectors_of(contract: Contract, *milestones: PaymentMilestone) -> set[int]:
    """Seed 000: the AR owns collection, the FR owns the collection cycle; plus whoever a milestone names."""
    ids = {pk for pk in (contract.ar_id, contract.fr_id, contract.opportunity.owner_id) if pk}
    ids |= {milestone.responsible_id for milestone in milestones if milestone.responsible_id}
    return ids


def refresh_milestone(milestone: PaymentMilestone) -> PaymentMilestone:
    """Recount received money and evidence, and store the status they make today."""
    received = Payment.objects.filter(milestone=milestone).aggregate(total=Sum("amount"))["total"] or 0
    required = set(milestone.evidence_required or [])
    present = set(
        Evidence.objects.filter(milestone=milestone, removed_at__isnull=True, kind__in=required).values_list(
            "kind", flat=True
        )
    )
    milestone.received = received
    milestone.evidence_needed = len(required)
    milestone.evidence_present = len(present & required)
    milestone.status = state_of(milestone, timezone.localdate()).status
    PaymentMilestone.all_objects.filter(pk=milestone.pk).update(
        received=milestone.received,
        evidence_needed=milestone.evidence_needed,
        evidence_present=milestone.evidence_present,
        status=milestone.status,
    )
    return milestone


def announce(
    contract: Contract,
    *,
    kind: str,
    actor: Any,
    data: dict[str, Any],
    title: Callable[[], str] | None = None,
    milestones: tuple[PaymentMilestone, ...] = (),
) -> None:
    event_emit(
        kind=kind,
        subject=contract,
        actor=actor,
        data={"contract_id": contract.pk, "opportunity_id": contract.opportunity_id, **data},
        recipient_ids=collectors_of(contract, *milestones) if title else (),
        message=bilingual(title, link=f"/contracts/{contract.pk}/") if title else None,
    )
