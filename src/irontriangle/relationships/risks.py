"""The relationship risk radar: what threatens an account's relationships, and what to do about it.

Each risk names its record and the action to take. Opportunity-level risks (single-threaded deals)
join in Step 4 by adding their own finder to `account_risks`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from irontriangle.accounts.models import Account, AccountTeamMember
from irontriangle.accounts.selectors import active_team
from irontriangle.common.access import Viewer
from irontriangle.relationships.cadence import org_cadences
from irontriangle.relationships.models import BuyingRole, Contact, ContactStatus, Stance
from irontriangle.relationships.selectors import (
    account_contacts,
    contacts_with_owners,
    has_backup,
    primary_owner,
    relationship_settings,
)

# The buying roles without which nobody can say who decides and who pays.
CORE_ROLES = (BuyingRole.DECISION_MAKER, BuyingRole.ECONOMIC_BUYER)
MAX_ACCOUNTS = 500


@dataclass(frozen=True)
class Risk:
    kind: str
    severity: str  # "high" or "medium"
    subject_type: str  # "contact" or "account"
    subject_id: int
    account_id: int
    account_name: str
    message: str
    action: str


def _contact_risks(account: Account, contact: Contact, stale_days: int, today: date) -> list[Risk]:
    risks: list[Risk] = []

    def add(kind: str, severity: str, message: str, action: str) -> None:
        risks.append(Risk(kind, severity, "contact", contact.pk, account.pk, account.name, message, action))

    name = {"name": contact.name}
    if contact.is_key and contact.status in (ContactStatus.MOVED, ContactStatus.LEFT):
        left = contact.status == ContactStatus.LEFT
        add(
            "contact_left" if left else "contact_moved",
            "high",
            (_("Key contact %(name)s has left the customer.") if left else _("Key contact %(name)s has moved.")) % name,
            _("Find who takes over from %(name)s, update the power map and hand the relationship over.") % name,
        )
        return risks
    if contact.status != ContactStatus.ACTIVE:
        return risks
    if contact.is_key:
        if primary_owner(contact) is None:
            add(
                "no_owner",
                "high",
                _("Key contact %(name)s has no relationship owner.") % name,
                _("Name a primary owner and a backup for %(name)s.") % name,
            )
        elif not has_backup(contact):
            add(
                "no_backup",
                "medium",
                _("Key contact %(name)s has no backup owner.") % name,
                _("Name a backup owner for %(name)s, so the relationship survives a change in the team.") % name,
            )
        last_met = getattr(contact, "last_met_at", None)
        if last_met is None:
            add(
                "not_met",
                "medium",
                _("Key contact %(name)s has no meeting on record.") % name,
                _("Plan a visit to %(name)s and log it.") % name,
            )
        else:
            days = (today - timezone.localtime(last_met).date()).days
            if days > stale_days:
                add(
                    "not_met",
                    "medium",
                    _("Key contact %(name)s was last met %(days)s days ago.") % {**name, "days": days},
                    _("Plan a visit to %(name)s and log it.") % name,
                )
    if contact.stance == Stance.OPPONENT and BuyingRole.DECISION_MAKER in contact.roles:
        add(
            "opponent_decision_maker",
            "high",
            _("Decision maker %(name)s opposes us.") % name,
            _("Make a relationship plan to move %(name)s from opponent to supporter.") % name,
        )
    return risks


def account_risks(
    account: Account,
    contacts: list[Contact] | None = None,
    *,
    cadences: list[Any] | None = None,
    stale_days: int | None = None,
    today: date | None = None,
) -> list[Risk]:
    today = today or timezone.localdate()
    stale_days = stale_days if stale_days is not None else relationship_settings().key_contact_stale_days
    contacts = account_contacts(account) if contacts is None else contacts
    risks: list[Risk] = []
    for contact in contacts:
        risks.extend(_contact_risks(account, contact, stale_days, today))
    if contacts:
        held = {role for contact in contacts if contact.status == ContactStatus.ACTIVE for role in contact.roles}
        labels = dict(BuyingRole.choices)
        for role in CORE_ROLES:
            if role not in held:
                label = {"role": labels[role]}
                risks.append(
                    Risk(
                        "role_uncovered",
                        "medium",
                        "account",
                        account.pk,
                        account.pk,
                        account.name,
                        _("Nobody on the power map is the %(role)s.") % label,
                        _("Find out who the %(role)s is and add them to the power map.") % label,
                    )
                )
    for cadence in org_cadences([account], today) if cadences is None else cadences:
        if cadence.account.pk == account.pk and cadence.overdue(today):
            risks.append(
                Risk(
                    "org_cadence_overdue",
                    "medium",
                    "account",
                    account.pk,
                    account.pk,
                    account.name,
                    _("%(kind)s overdue since %(due)s (target %(per_year)s a year).")
                    % {"kind": cadence.kind_label, "due": cadence.due_on.isoformat(), "per_year": cadence.per_year},
                    _("Schedule a %(kind)s with %(name)s.")
                    % {"kind": cadence.kind_label.lower(), "name": account.name},
                )
            )
    return sorted(risks, key=lambda risk: (risk.severity != "high", risk.kind, risk.message))


def actionable_accounts(viewer: Viewer) -> QuerySet[Account]:
    """The accounts whose risks a person can act on: those they own, work on, or whose unit they manage.
    Reading everything (finance, global read) is not acting on it."""
    if viewer.is_anonymous:
        return Account.objects.none()
    queryset = Account.objects.select_related("owner_unit", "owner").order_by("name", "pk")
    if viewer.is_admin:
        return queryset
    user_id = int(viewer.user_id or 0)
    on_team = AccountTeamMember.objects.filter(active_team(), user_id=user_id).values("account_id")
    return queryset.filter(Q(owner_id=viewer.user_id) | Q(pk__in=on_team) | viewer.manager_scope("owner_unit__path"))


def risks_for_viewer(viewer: Viewer, *, kind: str = "", today: date | None = None) -> list[Risk]:
    """Every relationship risk on the accounts a person can act on, most severe first."""
    today = today or timezone.localdate()
    accounts = list(actionable_accounts(viewer)[:MAX_ACCOUNTS])
    if not accounts:
        return []
    stale_days = relationship_settings().key_contact_stale_days
    cadences_by_account: dict[int, list[Any]] = {}
    for cadence in org_cadences(accounts, today):
        cadences_by_account.setdefault(cadence.account.pk, []).append(cadence)
    contacts_by_account = _contacts_by_account(accounts)
    risks: list[Risk] = []
    for account in accounts:
        risks.extend(
            account_risks(
                account,
                contacts_by_account.get(account.pk, []),
                cadences=cadences_by_account.get(account.pk, []),
                stale_days=stale_days,
                today=today,
            )
        )
    if kind:
        risks = [risk for risk in risks if risk.kind == kind]
    return sorted(risks, key=lambda risk: (risk.severity != "high", risk.account_name, risk.kind))


def _contacts_by_account(accounts: list[Account]) -> dict[int, list[Contact]]:
    grouped: dict[int, list[Contact]] = {}
    for contact in contacts_with_owners(Contact.objects.filter(account__in=accounts)):
        grouped.setdefault(contact.account_id, []).append(contact)
    return grouped
