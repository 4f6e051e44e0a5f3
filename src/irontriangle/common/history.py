"""Field history (old → new) of business records, with restricted fields kept out."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, cast

from django.db import models

from irontriangle.common.access import Viewer
from irontriangle.common.restricted import hidden_fields

_KIND = {"+": "created", "~": "changed", "-": "removed"}


@dataclass
class Change:
    field: str
    label: str
    old: Any
    new: Any


@dataclass
class HistoryEntry:
    at: datetime
    kind: str
    user_id: int | None
    user_name: str
    reason: str
    changes: list[Change] = field(default_factory=list)


def _display(model_field: models.Field, value: Any) -> Any:
    choices = getattr(model_field, "flatchoices", None)
    if choices and value not in (None, ""):
        return str(dict(choices).get(value, value))
    return value


def history_of(record: Any, viewer: Viewer, *, display: bool = False, limit: int | None = None) -> list[HistoryEntry]:
    """Newest first. `display` turns enum codes into localised labels for the web page."""
    hidden = hidden_fields(viewer, record) | set(getattr(record, "HISTORY_HIDDEN_FIELDS", ()))
    # The newest `limit` entries, plus the one before them to diff the oldest shown entry against.
    newest = record.history.select_related("history_user").order_by("-history_date", "-history_id")
    rows = list(newest[: limit + 1] if limit else newest)
    rows.reverse()
    entries: list[HistoryEntry] = []
    previous = None
    for row in rows:
        changes: list[Change] = []
        if previous is not None:
            delta = row.diff_against(previous)
            for change in delta.changes:
                if change.field in hidden:
                    continue
                model_field = cast(models.Field, record._meta.get_field(change.field))
                old, new = change.old, change.new
                if display:
                    old, new = _display(model_field, old), _display(model_field, new)
                changes.append(Change(change.field, str(model_field.verbose_name), old, new))
        user = row.history_user
        entries.append(
            HistoryEntry(
                at=row.history_date,
                kind=_KIND.get(row.history_type, "changed"),
                user_id=user.pk if user else None,
                user_name=(user.display_name or user.username) if user else "",
                reason=row.history_change_reason or "",
                changes=changes,
            )
        )
        previous = row
    if limit and len(rows) > limit:
        entries = entries[1:]  # the extra row only served as the base of the first diff
    entries.reverse()
    return entries
