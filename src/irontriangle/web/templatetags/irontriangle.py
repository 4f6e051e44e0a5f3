"""Template filters of the web app."""

from __future__ import annotations

from typing import Any

from django import template

from irontriangle.web import lookups

register = template.Library()


@register.filter
def unit_name(unit: Any) -> str:
    return lookups.unit_label(unit) if unit is not None else ""


@register.filter
def person(user: Any) -> str:
    return user.label if user is not None else ""


@register.filter
def field_value(value: Any) -> Any:
    """A history value for display: booleans as ticks, empties as a dash."""
    if value is True:
        return "✓"
    if value is False:
        return "✗"
    if value in (None, ""):
        return "—"
    return value
