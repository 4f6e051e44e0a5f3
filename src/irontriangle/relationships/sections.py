"""What the account 360 page's relationships tab shows: the power map, the nine-grid, the risk radar and the
organisational cadence. Reads only, from the same selectors as the API's power map and nine-grid."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from irontriangle.accounts.models import Account
from irontriangle.relationships import risks, selectors
from irontriangle.relationships.cadence import org_cadences
from irontriangle.relationships.models import LEVEL_ORDER, BuyingRole, Contact, ContactStatus, Level, Stance

# Top row first: high support at the top, high intimacy on the right.
GRID_ROWS = (Level.HIGH, Level.MEDIUM, Level.LOW)
GRID_COLUMNS = (Level.LOW, Level.MEDIUM, Level.HIGH)
INACTIVE = (ContactStatus.MOVED, ContactStatus.LEFT)


def _last_met(contact: Contact) -> str:
    last = getattr(contact, "last_met_at", None)
    return date_format(timezone.localtime(last).date(), "SHORT_DATE_FORMAT") if last else ""


def power_map_chart(account: Account, chart: selectors.PowerMap) -> dict[str, Any]:
    """The power map as the chart script draws it: one box per contact, lines of who reports to whom."""
    ids = {contact.pk for contact in chart.nodes}
    stances = dict(Stance.choices)
    statuses = dict(ContactStatus.choices)
    nodes = []
    for contact in chart.nodes:
        owner = selectors.primary_owner(contact)
        nodes.append(
            {
                "id": contact.pk,
                "name": contact.name,
                "title": contact.title,
                "department": contact.department,
                "parent": contact.reports_to_id if contact.reports_to_id in ids else None,
                "roles": contact.get_roles_display(),
                "stance": contact.stance,
                "stance_label": str(stances.get(contact.stance, contact.stance)),
                "influence": contact.influence,
                "intimacy": contact.get_intimacy_display(),
                "support": contact.get_support_display(),
                "key": contact.is_key,
                "status": contact.status,
                "status_label": str(statuses.get(contact.status, contact.status)),
                "inactive": contact.status in INACTIVE,
                "owner": owner.user.label if owner else "",
                "no_backup": contact.is_key and not selectors.has_backup(contact),
                "last_met": _last_met(contact),
                "url": reverse("contacts:contact-detail", args=[contact.pk]),
            }
        )
    return {
        "account": account.name,
        "nodes": nodes,
        "labels": {
            "title": pgettext("job", "Title"),
            "department": _("Department"),
            "roles": _("Buying roles"),
            "stance": _("Stance"),
            "influence": _("Influence"),
            "intimacy": _("Intimacy"),
            "support": _("Support"),
            "owner": _("Owner"),
            "last_met": _("Last met"),
            "status": _("Status"),
            "no_backup": _("No backup owner"),
            "open": _("Click to open the contact"),
        },
    }


def uncovered_roles(contacts: list[Contact]) -> tuple[list[str], list[str]]:
    """(core roles, other roles) nobody active on the map holds, as labels."""
    held = {role for contact in contacts if contact.status == ContactStatus.ACTIVE for role in contact.roles}
    labels = dict(BuyingRole.choices)
    core = [str(labels[role]) for role in risks.CORE_ROLES if role not in held]
    others = [str(label) for role, label in BuyingRole.choices if role not in held and role not in risks.CORE_ROLES]
    return core, others


def grid_rows(cells: list[selectors.GridCell]) -> list[dict[str, Any]]:
    by_place = {(cell.intimacy, cell.support): cell for cell in cells}
    labels = dict(Level.choices)
    return [
        {
            "support": labels[support],
            # (cell, warmth 0–4): the background runs from cold bottom left to warm top right.
            "cells": [
                (by_place[(intimacy, support)], LEVEL_ORDER[intimacy] + LEVEL_ORDER[support])
                for intimacy in GRID_COLUMNS
            ],
        }
        for support in GRID_ROWS
    ]


# The tab draws at most this many people (key people first); the contact list pages through the rest.
MAP_LIMIT = 200


def relationships_section(account: Account, *, can_edit: bool) -> dict[str, Any]:
    chart = selectors.power_map(account, limit=MAP_LIMIT)
    contacts = chart.nodes
    total = selectors.account_contact_count(account) if len(contacts) >= MAP_LIMIT else len(contacts)
    today = timezone.localdate()
    cadences = org_cadences([account], today)
    core_uncovered, other_uncovered = uncovered_roles(contacts)
    labels = dict(Level.choices)
    return {
        "account": account,
        "can_edit": can_edit,
        "total": total,
        "truncated": total > len(contacts),
        "contacts": [
            (contact, selectors.primary_owner(contact), contact.is_key and not selectors.has_backup(contact))
            for contact in contacts
        ],
        "chart": power_map_chart(account, chart),
        "core_uncovered": core_uncovered,
        "other_uncovered": other_uncovered,
        "grid": grid_rows(selectors.nine_grid(account, contacts)),
        "grid_columns": [labels[level] for level in GRID_COLUMNS],
        "key_count": sum(1 for contact in contacts if contact.is_key),
        "risks": risks.account_risks(account, contacts, cadences=cadences, today=today),
        "cadences": [(cadence, cadence.overdue(today)) for cadence in cadences],
        "new_contact_url": reverse("contacts:contact-create") + f"?account={account.pk}",
    }
