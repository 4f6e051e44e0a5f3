"""Reads of relationships, always through the accounts the viewer may see."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from django.db.models import Case, Exists, Max, OuterRef, Prefetch, Q, QuerySet, Value, When, prefetch_related_objects
from django.utils import timezone, translation

from irontriangle.accounts.models import Account
from irontriangle.accounts.selectors import account_scope
from irontriangle.common.access import Viewer, get_visible
from irontriangle.common.pagination import Page, keyset_page
from irontriangle.relationships.models import (
    Contact,
    ContactOwner,
    ContactStatus,
    Interaction,
    Level,
    NineGridCell,
    OrgActivity,
    PlanAction,
    RelationshipPlan,
    RelationshipSettings,
)
from irontriangle.relationships.search import matching_interactions

# Active plans first, then the closed ones (achieved or dropped) newest first.
ACTIVE_FIRST = Case(When(status="active", then=Value(0)), default=Value(1)).asc()
LEVELS = (Level.LOW, Level.MEDIUM, Level.HIGH)


def relationship_settings() -> RelationshipSettings:
    settings, _created = RelationshipSettings.objects.get_or_create(pk=1)
    return settings


# --- contacts ---------------------------------------------------------------------------------------


def role_q(role: str, prefix: str = "") -> Q:
    """Contacts holding a buying role: a whole token of the comma-separated list."""
    name = f"{prefix}buying_roles"
    return (
        Q(**{name: role})
        | Q(**{f"{name}__startswith": f"{role},"})
        | Q(**{f"{name}__contains": f",{role},"})
        | Q(**{f"{name}__endswith": f",{role}"})
    )


def contacts_visible(viewer: Viewer) -> QuerySet[Contact]:
    if viewer.is_anonymous:
        return Contact.objects.none()
    return Contact.objects.filter(
        account_scope(viewer, prefix="account__"), account__deleted_at__isnull=True
    ).select_related("account", "account__owner_unit", "reports_to")


def contact_get(viewer: Viewer, pk: Any) -> Contact:
    return get_visible(contacts_visible(viewer), pk)


def contact_get_with_owners(viewer: Viewer, pk: Any) -> Contact:
    """One contact with its owners and their users, in two queries (what `contact_out` needs)."""
    return get_visible(contacts_visible(viewer).prefetch_related(_owners_prefetch()), pk)


@dataclass
class ContactFilters:
    q: str = ""
    account_id: int | None = None
    role: str = ""
    stance: str = ""
    intimacy: str = ""
    support: str = ""
    status: str = ""
    is_key: bool | None = None
    no_backup: bool | None = None
    sort: str = "name"


def _backup_exists() -> Exists:
    # A correlated EXISTS, not a COUNT over a join: the latter groups every visible contact before a
    # page of 50 can be cut from them.
    return Exists(ContactOwner.objects.filter(contact_id=OuterRef("pk"), is_primary=False))


def contacts_page(viewer: Viewer, filters: ContactFilters, *, cursor: str | None, limit: int) -> Page[Contact]:
    queryset = contacts_visible(viewer)
    if filters.q:
        term = filters.q.strip()
        queryset = queryset.filter(
            Q(name__icontains=term)
            | Q(title__icontains=term)
            | Q(department__icontains=term)
            | Q(phone__icontains=term)
            | Q(email__icontains=term)
        )
    if filters.account_id is not None:
        queryset = queryset.filter(account_id=filters.account_id)
    if filters.role:
        queryset = queryset.filter(role_q(filters.role))
    for name in ("stance", "intimacy", "support", "status"):
        if getattr(filters, name):
            queryset = queryset.filter(**{name: getattr(filters, name)})
    if filters.is_key is not None:
        queryset = queryset.filter(is_key=filters.is_key)
    if filters.no_backup is not None:
        queryset = queryset.filter(~_backup_exists() if filters.no_backup else _backup_exists())
    return keyset_page(queryset.prefetch_related(_owners_prefetch()), order=filters.sort, cursor=cursor, limit=limit)


def _owners_prefetch() -> Prefetch:
    return Prefetch("owners", queryset=ContactOwner.objects.select_related("user").order_by("-is_primary", "id"))


def contacts_with_owners(queryset: QuerySet[Contact]) -> QuerySet[Contact]:
    """Contacts with their owners and the last time someone met them, key people first, then by influence."""
    return (
        queryset.select_related("reports_to")
        .prefetch_related(_owners_prefetch())
        .annotate(last_met_at=Max("interactions__occurred_at", filter=Q(interactions__deleted_at__isnull=True)))
        .order_by("-is_key", "-influence", "name", "id")
    )


def account_contacts(account: Account, *, limit: int | None = None) -> list[Contact]:
    """`limit` keeps a page fast on an account with thousands of contacts: key people come first."""
    queryset = contacts_with_owners(Contact.objects.filter(account=account))
    return list(queryset[:limit] if limit else queryset)


def account_contact_count(account: Account) -> int:
    """For an account the caller already sees."""
    return Contact.objects.filter(account=account).count()


def contact_owners(contact: Contact) -> list[ContactOwner]:
    return list(contact.owners.select_related("user").order_by("-is_primary", "id"))


def has_backup(contact: Contact) -> bool:
    """Needs the owners prefetched (account_contacts, contacts_page)."""
    return any(not owner.is_primary for owner in contact.owners.all())


def primary_owner(contact: Contact) -> ContactOwner | None:
    return next((owner for owner in contact.owners.all() if owner.is_primary), None)


def would_cycle(contact: Contact, manager: Contact) -> bool:
    """True when `manager` already reports, directly or not, to `contact`."""
    seen: set[int] = set()
    current: Contact | None = manager
    while current is not None and current.pk not in seen:
        if current.pk == contact.pk:
            return True
        seen.add(current.pk)
        current = Contact.objects.filter(pk=current.reports_to_id).first() if current.reports_to_id else None
    return False


# --- power map and nine-grid ------------------------------------------------------------------------


@dataclass
class PowerMap:
    nodes: list[Contact]
    edges: list[tuple[int, int]]


def power_map(account: Account, *, limit: int | None = None) -> PowerMap:
    contacts = account_contacts(account, limit=limit)
    ids = {contact.pk for contact in contacts}
    edges = [(contact.reports_to_id, contact.pk) for contact in contacts if contact.reports_to_id in ids]
    return PowerMap(nodes=contacts, edges=edges)  # type: ignore[arg-type]


@dataclass
class GridCell:
    intimacy: str
    support: str
    action: str
    contacts: list[Contact] = field(default_factory=list)


DEFAULT_NINE_GRID = {
    ("low", "low"): (
        "Start from scratch: find a sponsor who can introduce us, learn the person's agenda.",
        "从零开始:找能引荐的人,了解对方的关注点。",
    ),
    ("low", "medium"): (
        "Turn professional respect into personal trust: regular one-to-one meetings, small favours.",
        "把专业认可变成个人信任:定期一对一沟通,用心的小事。",
    ),
    ("low", "high"): (
        "Protect the support: involve the person in solution design and thank them personally.",
        "守住支持:请对方参与方案设计,并当面致谢。",
    ),
    ("medium", "low"): (
        "Understand the objection: map the pain chain and show value for the person's career.",
        "弄清顾虑:梳理痛苦链,展示对其职业成功的价值。",
    ),
    ("medium", "medium"): (
        "Deepen both: joint work on the customer's business problems, executive visits.",
        "双向加深:围绕客户经营难题共同工作,安排高层互访。",
    ),
    ("medium", "high"): (
        "Grow intimacy: share industry insight, invite to exhibitions and site tours.",
        "提升亲密度:分享行业洞察,邀请参加展会和参观。",
    ),
    ("high", "low"): (
        "Friendship without support: find what blocks them at work and solve it with the solution.",
        "关系好但不支持:找出其工作上的阻碍,用方案帮其解决。",
    ),
    ("high", "medium"): (
        "Ask for more: involve them in defining requirements and in the decision process.",
        "争取更多:请其参与需求定义和决策流程。",
    ),
    ("high", "high"): (
        "Keep and leverage: make them a guide, keep a backup owner, never take them for granted.",
        "维护并借力:发展为向导,配备备份负责人,不可掉以轻心。",
    ),
}


def nine_grid_actions() -> dict[tuple[str, str], NineGridCell]:
    cells = {(cell.intimacy, cell.support): cell for cell in NineGridCell.objects.all()}
    if not cells:
        # An empty table means the configuration was never installed (a flushed database): install it.
        for (intimacy, support), (english, chinese) in DEFAULT_NINE_GRID.items():
            NineGridCell.objects.get_or_create(
                intimacy=intimacy, support=support, defaults={"action_en": english, "action_zh": chinese}
            )
        cells = {(cell.intimacy, cell.support): cell for cell in NineGridCell.objects.all()}
    return cells


def action_text(cell: NineGridCell | None) -> str:
    if cell is None:
        return ""
    language = translation.get_language() or "en"
    return cell.action_zh if language.lower().startswith("zh") else cell.action_en


def nine_grid(account: Account, contacts: list[Contact] | None = None) -> list[GridCell]:
    """Key contacts placed by intimacy × support, high support and high intimacy top right."""
    actions = nine_grid_actions()
    cells: dict[tuple[str, str], GridCell] = {
        (intimacy, support): GridCell(intimacy, support, action_text(actions.get((intimacy, support))))
        for intimacy in LEVELS
        for support in LEVELS
    }
    if contacts is None:
        # Only key people are placed; an account with thousands of contacts has a few dozen of them.
        contacts = list(contacts_with_owners(Contact.objects.filter(account=account, is_key=True)))
    for contact in contacts:
        # Someone who left the customer is no relationship to manage any more (the risk radar hands them over).
        if contact.is_key and contact.status != ContactStatus.LEFT:
            cells[(contact.intimacy, contact.support)].contacts.append(contact)
    return list(cells.values())


# --- relationship plans -----------------------------------------------------------------------------


def plans_of(contact: Contact) -> list[RelationshipPlan]:
    return list(
        contact.plans.prefetch_related(
            Prefetch("actions", queryset=PlanAction.objects.select_related("owner").order_by("due_on", "id"))
        ).order_by(ACTIVE_FIRST, "-created_at")
    )


def plan_get(contact: Contact, pk: Any) -> RelationshipPlan:
    return get_visible(RelationshipPlan.objects.filter(contact=contact).select_related("contact"), pk)


def plan_action_get(plan: RelationshipPlan, pk: Any) -> PlanAction:
    return get_visible(PlanAction.objects.filter(plan=plan).select_related("plan", "plan__contact"), pk)


# --- interactions -----------------------------------------------------------------------------------


def interactions_visible(viewer: Viewer) -> QuerySet[Interaction]:
    if viewer.is_anonymous:
        return Interaction.objects.none()
    return Interaction.objects.filter(
        account_scope(viewer, prefix="account__"), account__deleted_at__isnull=True
    ).select_related("account", "logged_by")


def _interaction_prefetches() -> tuple[Prefetch, Prefetch]:
    from irontriangle.org.models import User

    return (
        Prefetch("contacts", queryset=Contact.objects.order_by("name", "id")),
        Prefetch("participants", queryset=User.objects.order_by("username")),
    )


def interaction_get(viewer: Viewer, pk: Any) -> Interaction:
    queryset = interactions_visible(viewer).select_related("opportunity__stage")
    return get_visible(queryset.prefetch_related(*_interaction_prefetches()), pk)


@dataclass
class InteractionFilters:
    q: str = ""
    account_id: int | None = None
    contact_id: int | None = None
    participant_id: int | None = None
    opportunity_id: int | None = None
    kind: str = ""
    since: Any = None
    until: Any = None
    sort: str = "-occurred_at"


def interactions_page(
    viewer: Viewer, filters: InteractionFilters, *, cursor: str | None, limit: int
) -> Page[Interaction]:
    queryset = interactions_visible(viewer)
    if filters.q.strip():
        queryset = matching_interactions(queryset, filters.q)
    if filters.account_id is not None:
        queryset = queryset.filter(account_id=filters.account_id)
    if filters.contact_id is not None:
        queryset = queryset.filter(contacts__id=filters.contact_id)
    if filters.participant_id is not None:
        queryset = queryset.filter(participants__id=filters.participant_id)
    if filters.opportunity_id is not None:
        queryset = queryset.filter(opportunity_id=filters.opportunity_id)
    if filters.kind:
        queryset = queryset.filter(kind=filters.kind)
    if filters.since is not None:
        queryset = queryset.filter(occurred_at__date__gte=filters.since)
    if filters.until is not None:
        queryset = queryset.filter(occurred_at__date__lte=filters.until)
    if filters.q.strip() and filters.sort == "-occurred_at":
        page = _recent_matches(queryset, cursor=cursor, limit=limit)
        if page is not None:
            return page
    queryset = queryset.prefetch_related(*_interaction_prefetches())
    return keyset_page(queryset, order=filters.sort, cursor=cursor, limit=limit)


# How far back a search looks first, newest first. The viewer's accounts may hold 50,000 interactions
# and a common word ("tender") matches one minute in forty; looked for in the last month only, the rows
# to test are a twentieth of that. One window, so a search for a rare word costs one query more.
SEARCH_WINDOW = timedelta(days=31)


def _recent_matches(queryset: QuerySet[Interaction], *, cursor: str | None, limit: int) -> Page[Interaction] | None:
    """The page of the last month's matches when it holds more than a page, or None.

    Rows outside the window are all older than the rows inside it, so when the window holds more than
    `limit` matches after the cursor, its first page is the first page of the whole result."""
    recent = queryset.filter(occurred_at__gte=timezone.now() - SEARCH_WINDOW)
    page = keyset_page(recent, order="-occurred_at", cursor=cursor, limit=limit)
    if not page.next_cursor:
        return None
    prefetch_related_objects(page.items, *_interaction_prefetches())
    return page


# --- organisational activities ----------------------------------------------------------------------


def org_activities_visible(viewer: Viewer) -> QuerySet[OrgActivity]:
    if viewer.is_anonymous:
        return OrgActivity.objects.none()
    return OrgActivity.objects.filter(
        account_scope(viewer, prefix="account__"), account__deleted_at__isnull=True
    ).select_related("account", "logged_by")


def org_activity_get(viewer: Viewer, pk: Any) -> OrgActivity:
    from irontriangle.org.models import User

    return get_visible(
        org_activities_visible(viewer).prefetch_related(
            Prefetch("participants", queryset=User.objects.order_by("username")),
            Prefetch("contacts", queryset=Contact.objects.order_by("name", "id")),
        ),
        pk,
    )


@dataclass
class OrgActivityFilters:
    account_id: int | None = None
    kind: str = ""
    since: Any = None
    until: Any = None
    sort: str = "-occurred_on"


def org_activities_page(
    viewer: Viewer, filters: OrgActivityFilters, *, cursor: str | None, limit: int
) -> Page[OrgActivity]:
    from irontriangle.org.models import User

    queryset = org_activities_visible(viewer)
    if filters.account_id is not None:
        queryset = queryset.filter(account_id=filters.account_id)
    if filters.kind:
        queryset = queryset.filter(kind=filters.kind)
    if filters.since is not None:
        queryset = queryset.filter(occurred_on__gte=filters.since)
    if filters.until is not None:
        queryset = queryset.filter(occurred_on__lte=filters.until)
    queryset = queryset.prefetch_related(
        Prefetch("participants", queryset=User.objects.order_by("username")),
        Prefetch("contacts", queryset=Contact.objects.order_by("name", "id")),
    )
    return keyset_page(queryset, order=filters.sort, cursor=cursor, limit=limit)
