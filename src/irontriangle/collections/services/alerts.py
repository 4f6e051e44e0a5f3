"""The hourly job: milestones coming due and overdue go to the AR and the FR, each once."""

from __future__ import annotations

from datetime import timedelta
from functools import partial

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from irontriangle.collections.models import CollectionSettings, MilestoneAlert, MilestoneStatus, PaymentMilestone
from irontriangle.collections.services.common import announce
from irontriangle.collections.state import state_of, unpaid_q


def collection_settings() -> CollectionSettings:
    settings = CollectionSettings.objects.order_by("pk").first()
    return settings if settings is not None else CollectionSettings.objects.create()


def _text(kind: str, milestone: PaymentMilestone) -> str:
    values = {
        "kind": milestone.get_kind_display(),
        "number": milestone.contract.number,
        "account": milestone.contract.account.name,
        "amount": f"{milestone.outstanding:,.2f}",
        "due": milestone.due.isoformat() if milestone.due else "",
    }
    if kind == "overdue":
        return _("Overdue since %(due)s: %(amount)s of %(kind)s, contract %(number)s (%(account)s)") % values
    return _("Due on %(due)s: %(amount)s of %(kind)s, contract %(number)s (%(account)s)") % values


def _announce_once(milestone: PaymentMilestone, kind: str) -> bool:
    assert milestone.due is not None
    try:
        with transaction.atomic():
            MilestoneAlert.objects.create(milestone=milestone, kind=kind, due=milestone.due)
            announce(
                milestone.contract,
                kind=f"milestone.{kind}",
                actor=None,
                data={"milestone_id": milestone.pk, "due": milestone.due.isoformat() if milestone.due else None},
                title=partial(_text, kind, milestone),
                milestones=(milestone,),
            )
        return True
    except IntegrityError:
        return False  # another process announced it first


def milestone_alerts_run() -> int:
    """Store today's status on every open milestone, and announce the ones newly due soon or overdue.

    Safe from several processes at once: the alert row is the claim.
    """
    today = timezone.localdate()
    ahead = collection_settings().due_soon_days
    candidates = (
        PaymentMilestone.objects.filter(
            unpaid_q(),
            due__isnull=False,
            due__lte=today + timedelta(days=ahead),
            contract__deleted_at__isnull=True,
            dispute_reason="",
        )
        .select_related("contract", "contract__account", "contract__opportunity")
        .order_by("due", "pk")
    )
    sent = 0
    for milestone in candidates.iterator(chunk_size=500):
        state = state_of(milestone, today)
        if state.status != milestone.status:
            PaymentMilestone.all_objects.filter(pk=milestone.pk).update(status=state.status)
            milestone.status = state.status
        kind = "overdue" if state.status == MilestoneStatus.OVERDUE else "due_soon"
        sent += _announce_once(milestone, kind)
    return sent
