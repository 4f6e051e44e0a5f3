"""The navigation's ownership-requests badge."""

from __future__ import annotations

from typing import Any

from django import template

from irontriangle.accounts import selectors
from irontriangle.accounts.models import OwnershipStatus

register = template.Library()


@register.simple_tag
def ownership_pending_count(viewer: Any) -> int:
    """What waits for the middle office: one count query, and only for the people who decide."""
    if viewer is None or not getattr(viewer, "middle_office", False):
        return 0
    return selectors.ownership_requests_visible(viewer).filter(status=OwnershipStatus.PENDING).count()
