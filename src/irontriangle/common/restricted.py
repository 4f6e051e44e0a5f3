"""Restricted fields: values only some people may see (cost, margin, bonus).

A field is registered with a rule `(viewer, record) -> bool`. With a record, the rule answers for
that record (the AR and SR of this deal); with `None`, it answers for every record at once, which is
what filtering, sorting and aggregating need: a viewer who cannot see the field on every row may not
use it to order or narrow a list, or the order would leak the values.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from django.db import models
from django.utils.translation import gettext as _

from irontriangle.common.access import Viewer
from irontriangle.common.errors import FieldError, InvalidInput

Rule = Callable[[Viewer, Any], bool]

_RULES: dict[type[models.Model], dict[str, Rule]] = {}


def restrict(model: type[models.Model], field_name: str, rule: Rule) -> None:
    model._meta.get_field(field_name)  # fail at start-up on a typo, not silently at run time
    _RULES.setdefault(model, {})[field_name] = rule


def unrestrict(model: type[models.Model], field_name: str) -> None:
    _RULES.get(model, {}).pop(field_name, None)


def restricted_fields(model: type[models.Model]) -> dict[str, Rule]:
    return _RULES.get(model, {})


def can_see(viewer: Viewer, record: Any, field_name: str) -> bool:
    rule = _RULES.get(type(record), {}).get(field_name)
    return rule is None or rule(viewer, record)


def hidden_fields(viewer: Viewer, record: models.Model) -> set[str]:
    return {name for name, rule in restricted_fields(type(record)).items() if not rule(viewer, record)}


def redact(viewer: Viewer, record: models.Model, data: dict[str, Any]) -> dict[str, Any]:
    """The same dict with every field the viewer may not see on this record set to None."""
    for name in hidden_fields(viewer, record):
        if name in data:
            data[name] = None
    return data


def require_queryable(viewer: Viewer, model: type[models.Model], field_names: Iterable[str], param: str) -> None:
    """Refuse a filter or sort on a field the viewer may not see on every row."""
    rules = restricted_fields(model)
    errors = [
        FieldError(param, "restricted_field", _("You may not filter or sort by %(field)s.") % {"field": name})
        for name in field_names
        if name in rules and not rules[name](viewer, None)
    ]
    if errors:
        raise InvalidInput(errors)
