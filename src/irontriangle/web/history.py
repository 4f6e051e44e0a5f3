"""History made readable: references shown by name instead of by id, and only names the viewer may see."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from django.utils.translation import gettext as _

from irontriangle.accounts.selectors import accounts_visible
from irontriangle.common.access import Viewer
from irontriangle.common.history import Change, HistoryEntry
from irontriangle.org.selectors import units_visible, users_visible
from irontriangle.web.lookups import unit_label

# History field -> how to name the ids it holds. One query per kind, whatever the number of entries.
_REFERENCES = {
    "owner_unit": "unit",
    "owner": "user",
    "deleted_by": "user",
    "segment_confirmed_by": "user",
    "parent": "account",
}


def _names(viewer: Viewer, kind: str, ids: set[int]) -> dict[int, str]:
    if kind == "unit":
        return {unit.pk: unit_label(unit) for unit in units_visible(viewer).filter(pk__in=ids)}
    if kind == "user":
        return {user.pk: user.label for user in users_visible(viewer).prefetch_related(None).filter(pk__in=ids)}
    return dict(accounts_visible(viewer).filter(pk__in=ids).values_list("pk", "name"))


def readable_history(viewer: Viewer, entries: list[HistoryEntry]) -> list[HistoryEntry]:
    wanted: dict[str, set[int]] = {}
    for entry in entries:
        for change in entry.changes:
            kind = _REFERENCES.get(change.field)
            if kind:
                wanted.setdefault(kind, set()).update(v for v in (change.old, change.new) if isinstance(v, int))
    names = {kind: _names(viewer, kind, ids) for kind, ids in wanted.items() if ids}

    def name(change: Change, value: Any) -> Any:
        kind = _REFERENCES.get(change.field)
        if kind is None or value is None:
            return value
        # An id the viewer may not see is shown as a placeholder, never as the hidden name.
        return names.get(kind, {}).get(value, _("(not visible to you)"))

    return [
        replace(
            entry,
            changes=[replace(c, old=name(c, c.old), new=name(c, c.new)) for c in entry.changes],
        )
        for entry in entries
    ]
