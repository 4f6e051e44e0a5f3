"""Who may see what: the team-based visibility of SPEC §1, shared by every app.

A user sees a record when they are on its team, manage an org unit at or above its owner unit, or
hold the global read permission. Everything else answers 404, exactly like a missing record.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any, TypeVar

from django.core.exceptions import ObjectDoesNotExist
from django.db import models
from django.db.models import Exists, OuterRef, Q

from irontriangle.common.errors import NotFound

M = TypeVar("M", bound=models.Model)

PERM_READ_ALL = "org.read_all_records"
PERM_FINANCIALS = "org.view_financials"
PERM_ARBITRATE = "org.arbitrate_ownership"


@dataclass(frozen=True)
class Viewer:
    """What one user may do, read once per request from their memberships and permissions."""

    user_id: int | None
    is_admin: bool
    read_all: bool
    finance: bool
    middle_office: bool
    unit_ids: frozenset[int]
    managed_unit_ids: frozenset[int]
    managed_paths: tuple[str, ...]
    # A partner's external login: it sees its deal registrations and the deals shared with it, no more.
    external: bool = False
    # A manager of every unit (the head of a one-tree company) sees every account, since each account has
    # an owner unit: the scopes then filter nothing instead of listing every id in the database.
    manages_every_unit: bool = False

    @property
    def is_anonymous(self) -> bool:
        return self.user_id is None

    def manages_path(self, unit_path: str | None) -> bool:
        """True when the unit with this path is one the viewer manages or lies below one."""
        return bool(unit_path) and any(str(unit_path).startswith(path) for path in self.managed_paths)

    def managed_units(self) -> models.QuerySet:
        """Ids of the units at or below the ones the viewer manages: a small set, joined through indexes."""
        from irontriangle.org.models import OrgUnit

        return OrgUnit.objects.filter(self.manager_scope("path")).values("pk")

    def manager_scope(self, path_lookup: str) -> Q:
        """A filter matching rows whose owner unit lies at or below a unit the viewer manages."""
        scope = Q(pk__in=[])
        for path in self.managed_paths:
            scope |= Q(**{f"{path_lookup}__startswith": path})
        return scope


ANONYMOUS = Viewer(None, False, False, False, False, frozenset(), frozenset(), ())


def viewer_of(user: Any) -> Viewer:
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return ANONYMOUS
    cached = getattr(user, "_irontriangle_viewer", None)
    if cached is not None:
        return cached
    from irontriangle.org.models import Membership, OrgUnit, UnitSegment

    if getattr(user, "is_external", False):
        # Whatever flags or permissions an external login was given by mistake, it stays outside.
        viewer = Viewer(user.pk, False, False, False, False, frozenset(), frozenset(), (), external=True)
        user._irontriangle_viewer = viewer
        return viewer
    # Whether a membership's unit holds every unit of the organisation, asked in the same query.
    whole_tree = ~Exists(OrgUnit.objects.exclude(path__startswith=OuterRef("unit__path")))
    memberships = list(
        Membership.objects.filter(user_id=user.pk).select_related("unit").annotate(whole_tree=whole_tree)
    )
    is_admin = bool(user.is_superuser)
    segments = {membership.unit.segment for membership in memberships}
    viewer = Viewer(
        user_id=user.pk,
        is_admin=is_admin,
        read_all=is_admin or user.has_perm(PERM_READ_ALL),
        finance=is_admin or UnitSegment.FINANCE in segments or user.has_perm(PERM_FINANCIALS),
        middle_office=is_admin or UnitSegment.OPS in segments or user.has_perm(PERM_ARBITRATE),
        unit_ids=frozenset(membership.unit_id for membership in memberships),
        managed_unit_ids=frozenset(membership.unit_id for membership in memberships if membership.is_manager),
        managed_paths=tuple(sorted({membership.unit.path for membership in memberships if membership.is_manager})),
    )
    if any(membership.is_manager and membership.whole_tree for membership in memberships):
        viewer = replace(viewer, manages_every_unit=True)
    user._irontriangle_viewer = viewer
    return viewer


def ids_union(*sources: models.QuerySet) -> models.QuerySet:
    """One column of ids drawn from several sources, each served by its own index.

    A scope written as an OR of "owner is me", "a team row names me", "a unit I manage owns it" can be
    served by no index: the database reads every row and tests each branch. The same scope as
    `pk IN (a UNION b UNION c)` lets it fetch each branch through its index and join the small result.
    """
    parts = [source.order_by() for source in sources]
    first, *rest = parts
    return first.union(*rest) if rest else first


def forget_viewer(user: Any) -> None:
    """Drop the cached capabilities after memberships or permissions change."""
    if hasattr(user, "_irontriangle_viewer"):
        del user._irontriangle_viewer


def get_visible(queryset: models.QuerySet[M], pk: Any) -> M:
    """The one way to fetch a record by an id that came from a user: 404 for missing and invisible."""
    try:
        key = int(pk)
        if not 0 < key < 2**63:
            raise NotFound()
        return queryset.get(pk=key)
    except (ObjectDoesNotExist, ValueError, TypeError, OverflowError):
        raise NotFound() from None
