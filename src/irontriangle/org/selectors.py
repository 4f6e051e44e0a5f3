"""Reads for the organisation. The directory (units and people) is visible to every signed-in user."""

from __future__ import annotations

from django.db.models import Prefetch, QuerySet

from irontriangle.common.access import Viewer
from irontriangle.org.models import ApiToken, Membership, OrgUnit, User


def units_visible(viewer: Viewer) -> QuerySet[OrgUnit]:
    return OrgUnit.objects.select_related("parent").order_by("path")


def users_visible(viewer: Viewer) -> QuerySet[User]:
    return User.objects.filter(is_active=True).prefetch_related(
        Prefetch("memberships", queryset=Membership.objects.select_related("unit"))
    )


def user_memberships(user: User) -> list[Membership]:
    return list(Membership.objects.filter(user=user).select_related("unit").order_by("-is_primary", "unit__path"))


def tokens_of(user: User) -> QuerySet[ApiToken]:
    return ApiToken.objects.filter(user=user).order_by("-created_at")
