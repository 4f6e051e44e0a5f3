"""The relationship risk radar: what threatens an account's relationships, and what to do about it.

Each risk names its record and the action to take. Contact- and account-level risks come from the
contacts and cadences; opportunity-level risks (single-threaded deals, procurement stakeholders nobody
covers) from the open deals, computed for a whole set of accounts in a fixed number of queries.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db.models import Count, F, Min, Q, QuerySet
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from irontriangle.accounts.models import Account, AccountTeamMember
from irontriangle.accounts.selectors import active_team
from irontriangle.common.access import Viewer
from irontriangle.relationships.cadence import org_cadences
from irontriangle.relationships.models import BuyingRole, Contact, ContactStatus, Interaction, Stance
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
    subject_type: str  # "contact", "account" or "opportunity"
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


def _role_labels(roles: list[str]) -> str:
    labels = dict(BuyingRole.choices)
    separator = "、" if (get_language() or "").lower().startswith("zh") else ", "
    return separator.join(str(labels.get(role, role)) for role in roles)


def opportunity_risks(accounts: list[Account]) -> dict[int, list[Risk]]:
    """The risks of the open deals of these accounts, by account id, in at most four queries however many
    deals, contacts and visits there are: single-threaded deals (at most one person met in the visits logged
    against the deal) and procurement steps whose stakeholder roles no active contact holds."""
    from irontriangle.pipeline.models import Opportunity, ProcurementStep

    by_pk = {account.pk: account for account in accounts}
    if not by_pk:
        return {}
    open_deals = Opportunity.objects.filter(account_id__in=by_pk, stage__outcome="")
    deals = list(
        open_deals.order_by("account_id", "name", "pk").values_list(
            "pk", "name", "account_id", "procurement_template_id"
        )
    )
    if not deals:
        return {}
    # Contacts met per deal: one row per deal that has any, with the name of one of them (the only one
    # when the count is 1). Deleted visits and contacts in the trash count for nothing.
    met = {
        row["deal"]: (row["count"], row["name"])
        for row in Interaction.contacts.through.objects.filter(
            interaction__opportunity__in=open_deals,
            interaction__deleted_at__isnull=True,
            contact__deleted_at__isnull=True,
        )
        .values(deal=F("interaction__opportunity_id"))
        .annotate(count=Count("contact_id", distinct=True), name=Min("contact__name"))
        .order_by()
    }
    template_ids = {template for *_rest, template in deals if template}
    steps: dict[int, list[Any]] = {}
    held: dict[int, set[str]] = {}
    if template_ids:
        for step in ProcurementStep.objects.filter(template_id__in=template_ids).order_by("template_id", "position"):
            steps.setdefault(step.template_id, []).append(step)
        following = {account_id for _pk, _name, account_id, template in deals if template}
        # Distinct role lists, not contacts: a crowded account has few combinations of roles.
        for account_id, roles in (
            Contact.objects.filter(account_id__in=following, status=ContactStatus.ACTIVE)
            .values_list("account_id", "buying_roles")
            .order_by()
            .distinct()
        ):
            held.setdefault(account_id, set()).update(role for role in roles.split(",") if role)
    risks: dict[int, list[Risk]] = {}
    for pk, name, account_id, template in deals:
        found = risks.setdefault(account_id, [])
        subject = ("opportunity", pk, account_id, by_pk[account_id].name)
        count, contact = met.get(pk, (0, ""))
        if count <= 1:
            deal = {"deal": name, "contact": contact}
            found.append(
                Risk(
                    "single_threaded",
                    "high",
                    *subject,
                    (
                        _("Only %(contact)s has been met on the deal %(deal)s.")
                        if count
                        else _("Nobody at the customer has been met on the deal %(deal)s yet.")
                    )
                    % deal,
                    _(
                        "Meet more people of the buying centre for %(deal)s (the decision maker, the users, "
                        "procurement and finance) and log the visits against the deal."
                    )
                    % deal,
                )
            )
        for step in steps.get(template, []) if template else []:
            covered = held.get(account_id, set())
            missing = [role for role in BuyingRole.values if role in step.roles and role not in covered]
            if missing:
                values = {"deal": name, "roles": _role_labels(missing), "step": step.name}
                found.append(
                    Risk(
                        "procurement_role_uncovered",
                        "medium",
                        *subject,
                        _("%(deal)s: nobody at the customer is known as %(roles)s for the procurement step “%(step)s”.")
                        % values,
                        _("Find out who acts as %(roles)s in “%(step)s”, add them to the power map and meet them.")
                        % values,
                    )
                )
    return risks


def account_risks(
    account: Account,
    contacts: list[Contact] | None = None,
    *,
    cadences: list[Any] | None = None,
    deal_risks: list[Risk] | None = None,
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
    risks.extend(opportunity_risks([account]).get(account.pk, []) if deal_risks is None else deal_risks)
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
    deal_risks = opportunity_risks(accounts)
    risks: list[Risk] = []
    for account in accounts:
        risks.extend(
            account_risks(
                account,
                contacts_by_account.get(account.pk, []),
                cadences=cadences_by_account.get(account.pk, []),
                deal_risks=deal_risks.get(account.pk, []),
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
