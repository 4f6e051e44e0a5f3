"""Reads of accounts, always through what the viewer may see."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Exists, IntegerField, OuterRef, Q, QuerySet, Value
from django.db.models.functions import Length, StrIndex
from django.utils import timezone

from irontriangle.accounts.credit_code import is_valid as is_credit_code
from irontriangle.accounts.credit_code import normalise as normalise_code
from irontriangle.accounts.models import (
    Account,
    AccountTeamMember,
    CustomerInfo,
    OwnershipRequest,
    PurchaseDriver,
    TeamRole,
)
from irontriangle.common.access import Viewer, get_visible, ids_union
from irontriangle.common.pagination import Page, keyset_page
from irontriangle.common.restricted import require_queryable

SORTS = {"name", "-name", "updated_at", "-updated_at", "created_at", "-created_at"}


def active_team(today: Any = None) -> Q:
    """Members whose end date (exclusive) has not come yet."""
    today = today or timezone.localdate()
    return Q(ended_on__isnull=True) | Q(ended_on__gt=today)


def account_id_sources(viewer: Viewer) -> list[QuerySet[Any, Any]]:
    """The accounts that are the viewer's own, one indexed source each: owned, or on the team. Soft-deleted
    rows are kept: callers filter the trash themselves. Only called for a signed-in viewer."""
    uid = viewer.user_id or 0
    return [
        Account.all_objects.filter(owner_id=uid).values("pk"),
        AccountTeamMember.objects.filter(active_team(), user_id=uid).values("account_id"),
    ]


def account_scope(viewer: Viewer, *, prefix: str = "") -> Q:
    """The accounts a viewer may see, as a filter usable from any model that points at accounts: their own
    (see `ids_union`) and, for a manager, those owned by a unit at or below theirs."""
    if viewer.read_all or viewer.manages_every_unit:
        return Q()
    if viewer.user_id is None or viewer.external:
        return Q(pk__in=[])
    scope = Q(**{f"{prefix}pk__in": ids_union(*account_id_sources(viewer))})
    if viewer.managed_paths:
        # A test on the joined unit, not a list of ids: a manager sees whole regions (see `managed_deals`).
        scope |= viewer.manager_scope(f"{prefix}owner_unit__path")
    return scope


def accounts_visible(viewer: Viewer) -> QuerySet[Account]:
    if viewer.is_anonymous:
        return Account.objects.none()
    return Account.objects.filter(account_scope(viewer)).select_related("owner_unit", "owner", "parent")


def account_get(viewer: Viewer, pk: Any) -> Account:
    return get_visible(with_triangle(accounts_visible(viewer)).select_related("segment_confirmed_by"), pk)


def driver_get(account: Account, pk: Any) -> PurchaseDriver:
    """A driver of an account the caller already sees; a driver of another account is a 404."""
    return get_visible(PurchaseDriver.objects.filter(account=account).select_related("account"), pk)


def customer_info_get(account: Account, pk: Any) -> CustomerInfo:
    return get_visible(CustomerInfo.objects.filter(account=account).select_related("account"), pk)


TRIANGLE = (TeamRole.AR, TeamRole.SR, TeamRole.FR)


def with_triangle(queryset: QuerySet[Account]) -> QuerySet[Account]:
    """Annotate `has_ar`, `has_sr`, `has_fr`: whether someone currently holds each iron-triangle role."""
    return queryset.annotate(
        **{
            f"has_{role}": Exists(AccountTeamMember.objects.filter(active_team(), account_id=OuterRef("pk"), role=role))
            for role in TRIANGLE
        }
    )


def missing_roles(account: Account) -> list[str]:
    """The iron-triangle roles nobody holds; needs `with_triangle` (or the team prefetched)."""
    return [role for role in TRIANGLE if not getattr(account, f"has_{role}", True)]


@dataclass
class AccountFilters:
    q: str = ""
    segment: str = ""
    tier: str = ""
    matrix_class: str = ""
    coverage: str = ""
    industry: str = ""
    region: str = ""
    owner_unit_code: str = ""
    owner_id: int | None = None
    parent_id: int | None = None
    missing_triangle: bool | None = None
    ka_suggested: bool | None = None
    sort: str = "name"


def accounts_page(viewer: Viewer, filters: AccountFilters, *, cursor: str | None, limit: int) -> Page[Account]:
    require_queryable(viewer, Account, [filters.sort.lstrip("-")], "sort")
    queryset = with_triangle(accounts_visible(viewer))
    if filters.q:
        term = filters.q.strip()
        if is_credit_code(term):
            # A whole, valid credit code names one company: an exact lookup on its unique index, rather
            # than a scan of every name for 18 characters no name contains.
            queryset = queryset.filter(credit_code=normalise_code(term))
        else:
            queryset = queryset.filter(Q(name__icontains=term) | Q(legal_name__icontains=term))
    if filters.segment:
        queryset = queryset.filter(segment=filters.segment)
    if filters.tier:
        queryset = queryset.filter(tier=filters.tier)
    for name in ("matrix_class", "coverage"):
        if getattr(filters, name):
            queryset = queryset.filter(**{name: getattr(filters, name)})
    for name in ("industry", "region"):
        if getattr(filters, name):
            queryset = queryset.filter(**{f"{name}__iexact": getattr(filters, name).strip()})
    if filters.missing_triangle is not None:
        missing = ~Q(has_ar=True) | ~Q(has_sr=True) | ~Q(has_fr=True)
        queryset = queryset.filter(missing if filters.missing_triangle else ~missing)
    if filters.ka_suggested is not None:
        # Proposed as KA by a profile rule and not yet settled by a person.
        pending = ~Q(ka_rule="") & Q(segment_confirmed_at__isnull=True)
        queryset = queryset.filter(pending if filters.ka_suggested else ~pending)
    if filters.owner_unit_code:
        # A unit's accounts include those of the units below it.
        queryset = queryset.filter(
            Q(owner_unit__code=filters.owner_unit_code)
            | Q(owner_unit__path__startswith=_unit_path(filters.owner_unit_code))
        )
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


def _unit_path(code: str) -> str:
    from irontriangle.org.models import OrgUnit

    unit = OrgUnit.objects.filter(code=code).only("path").first()
    return unit.path if unit else "\x00no-such-unit"


# --- KA suggestion ---------------------------------------------------------------------------------


@dataclass
class KaSuggestion:
    rule: str
    label: str
    reasons: list[str]
    pending: bool


def ka_suggestion(account: Account, rules: list[Any] | None = None) -> KaSuggestion | None:
    """Which KA profile matched, why, and whether a person still has to settle the segment."""
    from irontriangle.accounts import profiling
    from irontriangle.accounts.models import KaProfileRule

    if not account.ka_rule:
        return None
    rule = next((r for r in rules or [] if r.code == account.ka_rule), None)
    if rule is None:
        rule = KaProfileRule.objects.filter(code=account.ka_rule).first()
    if rule is None:
        return None
    confirmed = account.segment_confirmed_at is not None
    return KaSuggestion(
        rule=rule.code,
        label=str(rule.get_code_display()),
        reasons=profiling.explain_rule(rule, account),
        pending=not confirmed,
    )


# --- intelligence -----------------------------------------------------------------------------------


@dataclass
class DriverLine:
    driver: PurchaseDriver
    contribution: Decimal


@dataclass
class DriverEstimate:
    lines: list[DriverLine]
    total: Decimal | None


def account_drivers(account: Account) -> list[PurchaseDriver]:
    return list(PurchaseDriver.objects.filter(account=account).order_by("id"))


def drivers_estimate(account: Account, drivers: list[PurchaseDriver] | None = None) -> DriverEstimate:
    """Potential as the sum of driver volume × conversion factor, line by line so it can be explained."""
    drivers = account_drivers(account) if drivers is None else drivers
    lines = [DriverLine(driver, driver.contribution) for driver in drivers]
    total = sum((line.contribution for line in lines), Decimal("0.00")) if lines else None
    return DriverEstimate(lines=lines, total=total)


def account_information(account: Account, kind: str = "") -> list[CustomerInfo]:
    queryset = CustomerInfo.objects.filter(account=account)
    if kind:
        queryset = queryset.filter(kind=kind)
    return list(queryset.order_by("-recorded_on", "-id")[:200])


# --- trees ------------------------------------------------------------------------------------------


@dataclass
class TreeNode:
    account: Account
    depth: int
    rolled_up_potential: Decimal | None
    descendants: int


def account_tree(viewer: Viewer, account: Account, *, limit: int = 500) -> tuple[list[Account], list[TreeNode]]:
    """The visible ancestors of an account, and its visible subtree in depth-first order with each node's
    potential rolled up over its visible descendants (what a person cannot see never adds to a total)."""
    ancestor_ids = [int(part) for part in account.tree_path.strip("/").split("/")[:-1] if part]
    # One query for both: an ancestor's path is a prefix of the account's, so it sorts first.
    rows = list(
        accounts_visible(viewer)
        .filter(Q(pk__in=ancestor_ids) | Q(tree_path__startswith=account.tree_path))
        .order_by("tree_path")[: limit + len(ancestor_ids)]
    )
    ancestors_by_id = {row.pk: row for row in rows if row.pk in ancestor_ids}
    ancestors = [ancestors_by_id[pk] for pk in ancestor_ids if pk in ancestors_by_id]
    subtree = [row for row in rows if row.pk not in ancestors_by_id][:limit]
    base_depth = account.tree_path.count("/")
    # Each node adds itself to every node on its path within the subtree: one pass, however deep.
    totals: dict[int, Decimal | None] = {node.pk: None for node in subtree}
    below: dict[int, int] = {node.pk: -1 for node in subtree}
    for node in subtree:
        for part in node.tree_path.strip("/").split("/"):
            holder = int(part)
            if holder not in totals:
                continue
            below[holder] += 1
            if node.potential is not None:
                totals[holder] = (totals[holder] or Decimal("0.00")) + node.potential
    nodes = [
        TreeNode(
            account=node,
            depth=node.tree_path.count("/") - base_depth,
            rolled_up_potential=totals[node.pk],
            descendants=below[node.pk],
        )
        for node in subtree
    ]
    return ancestors, nodes


# --- duplicates -------------------------------------------------------------------------------------


@dataclass
class Duplicate:
    account: Account
    match: str  # "credit_code", "name" or "similar_name"
    visible: bool


def account_duplicates(
    viewer: Viewer, *, name: str = "", credit_code: str = "", exclude_id: int | None = None, limit: int = 10
) -> list[Duplicate]:
    """Accounts that are probably the one about to be created. Matches the viewer cannot see are reported
    too (that is the point: two units must not both own one customer), with no more than name and unit."""
    from irontriangle.accounts.credit_code import normalise
    from irontriangle.accounts.profiling import name_key

    found: dict[int, Duplicate] = {}
    visible_ids: set[int] = set()
    code = normalise(credit_code or "")
    key = name_key(name or "")
    base = Account.objects.select_related("owner_unit")
    if exclude_id is not None:
        base = base.exclude(pk=exclude_id)
    candidates: list[tuple[str, QuerySet[Account]]] = []
    if code:
        candidates.append(("credit_code", base.filter(credit_code=code)))
    if key:
        candidates.append(("name", base.filter(name_key=key)))
        if len(key) >= 4:
            # One name inside the other: "华东电信" and "中国电信华东分公司" style near-misses.
            contained = base.annotate(
                inside=StrIndex(Value(key), "name_key", output_field=IntegerField()), key_length=Length("name_key")
            ).filter(Q(name_key__contains=key) | Q(inside__gt=0, key_length__gte=4))
            candidates.append(("similar_name", contained))
    for match, queryset in candidates:
        for account in queryset.order_by("name", "pk")[:limit]:
            found.setdefault(account.pk, Duplicate(account=account, match=match, visible=False))
    if found:
        visible_ids = set(accounts_visible(viewer).filter(pk__in=found).values_list("pk", flat=True))
    for duplicate in found.values():
        duplicate.visible = duplicate.account.pk in visible_ids
    return list(found.values())[:limit]


# --- ownership --------------------------------------------------------------------------------------


def ownership_scope(viewer: Viewer) -> Q:
    if viewer.middle_office or viewer.read_all:
        return Q()
    if viewer.user_id is None:
        return Q(pk__in=[])
    return (
        Q(requested_by_id=viewer.user_id)
        | Q(account__owner_id=viewer.user_id)
        | viewer.manager_scope("from_unit__path")
        | viewer.manager_scope("to_unit__path")
    )


def ownership_requests_visible(viewer: Viewer) -> QuerySet[OwnershipRequest]:
    if viewer.is_anonymous:
        return OwnershipRequest.objects.none()
    return OwnershipRequest.objects.filter(ownership_scope(viewer), account__deleted_at__isnull=True).select_related(
        "account", "from_unit", "to_unit", "requested_by", "decided_by", "new_owner"
    )


def ownership_request_get(viewer: Viewer, pk: Any) -> OwnershipRequest:
    return get_visible(ownership_requests_visible(viewer), pk)


def ownership_requests_page(
    viewer: Viewer, *, status: str = "", account_id: int | None = None, cursor: str | None, limit: int
) -> Page[OwnershipRequest]:
    queryset = ownership_requests_visible(viewer)
    if status:
        queryset = queryset.filter(status=status)
    if account_id is not None:
        queryset = queryset.filter(account_id=account_id)
    return keyset_page(queryset, order="-created_at", cursor=cursor, limit=limit)


def account_ownership_history(account: Account) -> list[OwnershipRequest]:
    """Every request about an account the viewer already sees: its ownership story belongs to it."""
    return list(
        account.ownership_requests.select_related("from_unit", "to_unit", "requested_by", "decided_by").order_by(
            "-created_at"
        )[:50]
    )
