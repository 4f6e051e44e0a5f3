"""Small, bounded look-ups behind the web forms' pickers (parent account, owner, team member, unit)."""

from __future__ import annotations

from django.db.models import Q
from django.utils.translation import get_language

from irontriangle.accounts.selectors import AccountFilters, account_get, accounts_page
from irontriangle.common.access import Viewer
from irontriangle.common.errors import NotFound
from irontriangle.org.models import OrgUnit, User
from irontriangle.org.selectors import units_visible, users_visible

PICKER_LIMIT = 20


def unit_label(unit: OrgUnit) -> str:
    """Units are named in Chinese first; English readers get the English name where there is one."""
    if unit.name_en and not (get_language() or "").startswith("zh"):
        return unit.name_en
    return unit.name


def user_label(user: User) -> str:
    return f"{user.display_name} ({user.username})" if user.display_name else user.username


def account_choices(viewer: Viewer, q: str) -> list[tuple[int, str]]:
    page = accounts_page(viewer, AccountFilters(q=q[:200]), cursor=None, limit=PICKER_LIMIT)
    return [(account.pk, account.name) for account in page.items]


def account_choice(viewer: Viewer, pk: int | None) -> tuple[int, str] | None:
    if not pk:
        return None
    try:
        account = account_get(viewer, pk)
    except NotFound:
        return None
    return account.pk, account.name


def user_choices(viewer: Viewer, q: str) -> list[tuple[int, str]]:
    term = q.strip()[:150]
    people = users_visible(viewer).prefetch_related(None)
    if term:
        people = people.filter(Q(username__icontains=term) | Q(display_name__icontains=term))
    return [(user.pk, user_label(user)) for user in people.order_by("username", "pk")[:PICKER_LIMIT]]


def user_choice(viewer: Viewer, pk: int | None) -> tuple[int, str] | None:
    if not pk:
        return None
    user = users_visible(viewer).prefetch_related(None).filter(pk=pk).first()
    return (user.pk, user_label(user)) if user else None


def owner_unit_choices(viewer: Viewer) -> list[tuple[str, str]]:
    """The units the viewer may give an account to: their own and those below a unit they manage."""
    return [
        (unit.code, unit_label(unit))
        for unit in units_visible(viewer)
        if viewer.is_admin or unit.pk in viewer.unit_ids or viewer.manages_path(unit.path)
    ]


def unit_filter_choices(viewer: Viewer) -> list[tuple[str, str]]:
    """The units a list may be narrowed to: every unit for those who read everything, otherwise the
    viewer's own units and those below the units they manage (where the accounts they see live).
    Indented by depth, in tree order, so that a region's branches read as part of it."""
    units = [
        unit
        for unit in units_visible(viewer)
        if viewer.read_all or unit.pk in viewer.unit_ids or viewer.manages_path(unit.path)
    ]
    top = min((unit.depth for unit in units), default=0)
    indent = "\u00a0\u00a0"  # plain spaces at the start of an option are dropped by browsers
    return [(unit.code, indent * (unit.depth - top) + unit_label(unit)) for unit in units]
