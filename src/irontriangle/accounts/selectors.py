"""Reads of accounts, always through what the viewer may see."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from irontriangle.accounts.models import Account, AccountTeamMember
from irontriangle.common.access import Viewer, get_visible
from irontriangle.common.pagination import Page, keyset_page
from irontriangle.common.restricted import require_queryable

SORTS = {"name", "-name", "updated_at", "-updated_at", "created_at", "-created_at"}


def active_team(today: Any = None) -> Q:
    """Members whose end date (exclusive) has not come yet."""
    today = today or timezone.localdate()
    return Q(ended_on__isnull=True) | Q(ended_on__gt=today)


def account_scope(viewer: Viewer, *, prefix: str = "") -> Q:
    """The accounts a viewer may see, as a filter usable from any model that points at accounts."""
    if viewer.read_all:
        return Q()
    if viewer.user_id is None:
        return Q(pk__in=[])
    on_team = AccountTeamMember.objects.filter(
        active_team(), account_id=OuterRef(f"{prefix}pk"), user_id=viewer.user_id
    )
    return (
        Q(**{f"{prefix}owner_id": viewer.user_id})
        | Q(Exists(on_team))
        | viewer.manager_scope(f"{prefix}owner_unit__path")
    )


def accounts_visible(viewer: Viewer) -> QuerySet[Account]:
    if viewer.is_anonymous:
        return Account.objects.none()
    return Account.objects.filter(account_scope(viewer)).select_related("owner_unit", "owner", "parent")


def account_get(viewer: Viewer, pk: Any) -> Account:
    return get_visible(accounts_visible(viewer), pk)


@dataclass
class AccountFilters:
    q: str = ""
    segment: str = ""
    tier: str = ""
    owner_unit_code: str = ""
    owner_id: int | None = None
    parent_id: int | None = None
    sort: str = "name"


def accounts_page(viewer: Viewer, filters: AccountFilters, *, cursor: str | None, limit: int) -> Page[Account]:
    require_queryable(viewer, Account, [filters.sort.lstrip("-")], "sort")
    queryset = accounts_visible(viewer)
    if filters.q:
        term = filters.q.strip()
        queryset = queryset.filter(
            Q(name__icontains=term) | Q(legal_name__icontains=term) | Q(credit_code__iexact=term.upper())
        )
    if filters.segment:
        queryset = queryset.filter(segment=filters.segment)
    if filters.tier:
        queryset = queryset.filter(tier=filters.tier)
    if filters.owner_unit_code:
        queryset = queryset.filter(owner_unit__code=filters.owner_unit_code)
    if filters.owner_id is not None:
        queryset = queryset.filter(owner_id=filters.owner_id)
    if filters.parent_id is not None:
        queryset = queryset.filter(parent_id=filters.parent_id)
    return keyset_page(queryset, order=filters.sort, cursor=cursor, limit=limit)


def account_team(account: Account) -> list[AccountTeamMember]:
    return list(account.team_members.filter(active_team()).select_related("user").order_by("role", "-is_primary", "id"))


def is_on_team(viewer: Viewer, account: Account) -> bool:
    return viewer.user_id is not None and account.team_members.filter(active_team(), user_id=viewer.user_id).exists()


def can_edit_account(viewer: Viewer, account: Account) -> bool:
    if viewer.is_admin or account.owner_id == viewer.user_id:
        return True
    if viewer.manages_path(account.owner_unit.path):
        return True
    return is_on_team(viewer, account)


def can_delete_account(viewer: Viewer, account: Account) -> bool:
    return viewer.is_admin or account.owner_id == viewer.user_id or viewer.manages_path(account.owner_unit.path)


def concerned_user_ids(account: Account) -> set[int]:
    """Whom a change of this account concerns: its owner and its active team."""
    ids = set(account.team_members.filter(active_team()).values_list("user_id", flat=True))
    if account.owner_id:
        ids.add(account.owner_id)
    return ids
