"""The trash: every soft-deleted business record, across apps, for an administrator to restore."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.apps import apps

from irontriangle.common.access import Viewer
from irontriangle.common.errors import Forbidden, NotFound
from irontriangle.common.models import BusinessModel


@dataclass
class TrashItem:
    kind: str
    kind_label: str
    id: int
    title: str
    deleted_at: datetime
    deleted_by: str


def trashable_models() -> dict[str, type[BusinessModel]]:
    return {
        model._meta.label_lower: model
        for model in apps.get_models()
        if issubclass(model, BusinessModel) and not model._meta.abstract
    }


def _require_admin(viewer: Viewer) -> None:
    if not viewer.is_admin:
        raise Forbidden()


def trash_list(viewer: Viewer, *, limit: int = 200) -> list[TrashItem]:
    _require_admin(viewer)
    items: list[TrashItem] = []
    for kind, model in trashable_models().items():
        rows = (
            model.all_objects.filter(deleted_at__isnull=False)
            .select_related("deleted_by")
            .order_by("-deleted_at")[:limit]
        )
        for row in rows:
            who = row.deleted_by
            items.append(
                TrashItem(
                    kind=kind,
                    kind_label=str(model._meta.verbose_name),
                    id=row.pk,
                    title=str(row),
                    deleted_at=row.deleted_at,  # type: ignore[arg-type]
                    deleted_by=(who.display_name or who.username) if who else "",
                )
            )
    items.sort(key=lambda item: item.deleted_at, reverse=True)
    return items[:limit]


def trash_get(viewer: Viewer, kind: str, pk: Any) -> Any:
    if not viewer.is_admin:
        raise NotFound()  # an object route: only administrators see what lies in the trash
    model = trashable_models().get(kind)
    if model is None:
        raise NotFound()
    try:
        return model.all_objects.get(pk=int(pk), deleted_at__isnull=False)
    except (model.DoesNotExist, ValueError, TypeError, OverflowError):
        raise NotFound() from None


# Model-specific restore services (which also notify); a kind without one is restored plainly.
_RESTORERS: dict[str, Any] = {}


def register_restorer(kind: str, restorer: Any) -> None:
    _RESTORERS[kind] = restorer


def trash_restore(viewer: Viewer, actor: Any, record: Any) -> Any:
    _require_admin(viewer)
    from irontriangle.common.services import record_restore

    restorer = _RESTORERS.get(record._meta.label_lower)
    if restorer is not None:
        return restorer(viewer=viewer, actor=actor, record=record)
    return record_restore(record, actor=actor)
