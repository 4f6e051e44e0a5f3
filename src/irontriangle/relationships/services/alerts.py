"""The periodic check that announces overdue organisational cadences to the account's people."""

from __future__ import annotations

from functools import partial

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from irontriangle.accounts.models import Account
from irontriangle.accounts.selectors import concerned_user_ids
from irontriangle.notifications.messages import bilingual
from irontriangle.notifications.services import event_emit
from irontriangle.relationships.cadence import OrgCadence, cadence_targets, org_cadences
from irontriangle.relationships.models import CadenceAlert, OrgActivityKind


def _overdue_text(cadence: OrgCadence) -> str:
    return _("%(kind)s with %(name)s is overdue since %(due)s") % {
        "kind": OrgActivityKind(cadence.kind).label,
        "name": cadence.account.name,
        "due": cadence.due_on.isoformat(),
    }


def cadence_alerts_run() -> int:
    """Announce each overdue cadence once (per account, kind and due date); safe from several processes."""
    today = timezone.localdate()
    tiers = list(cadence_targets())
    accounts = list(Account.objects.filter(tier__in=tiers).select_related("owner_unit"))
    sent = 0
    for cadence in org_cadences(accounts, today):
        if not cadence.overdue(today):
            continue
        try:
            with transaction.atomic():
                CadenceAlert.objects.create(account=cadence.account, kind=cadence.kind, due_on=cadence.due_on)
                account = cadence.account
                event_emit(
                    kind="relationship.cadence_overdue",
                    subject=account,
                    actor=None,
                    data={"kind": cadence.kind, "due_on": cadence.due_on.isoformat(), "per_year": cadence.per_year},
                    recipient_ids=concerned_user_ids(account),
                    message=bilingual(
                        partial(_overdue_text, cadence),
                        link=f"/accounts/{account.pk}/?tab=relationships",
                    ),
                )
            sent += 1
        except IntegrityError:
            continue  # another process announced it first
    return sent
