"""`/meta/enums` and the trash."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

from django.http import HttpRequest
from django.utils.translation import get_language
from ninja import Router, Schema
from pydantic import Field

from irontriangle.common.apitools import ErrorOut, Id, actor, viewer
from irontriangle.common.enums import registered_enums
from irontriangle.common.trash import trash_get, trash_list, trash_restore

router = Router(tags=["meta"])
ERRORS: dict[int, type[Schema]] = {401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut}


class EnumValue(Schema):
    value: str
    label: str


class EnumsOut(Schema):
    language: str
    enums: dict[str, list[EnumValue]]


@router.get("/meta/enums", response={200: EnumsOut, 401: ErrorOut})
def enums(request: HttpRequest) -> Any:
    """Every enum of the API with labels in the request's language (`Accept-Language`)."""
    return {
        "language": get_language(),
        "enums": {
            name: [{"value": value, "label": str(label)} for value, label in choices.choices]
            for name, choices in registered_enums().items()
        },
    }


class TrashItemOut(Schema):
    kind: str
    kind_label: str
    id: int
    title: str
    deleted_at: datetime
    deleted_by: str


@router.get("/trash", response={200: list[TrashItemOut], **ERRORS}, tags=["trash"])
def list_trash(request: HttpRequest) -> Any:
    """Soft-deleted records of every kind (administrators)."""
    return trash_list(viewer(request))


Kind = Annotated[str, Field(pattern=r"^[a-z_]+\.[a-z_]+$", max_length=100)]


@router.post("/trash/{kind}/{record_id}/restore", response={200: TrashItemOut, **ERRORS}, tags=["trash"])
def restore_from_trash(request: HttpRequest, kind: Kind, record_id: Id) -> Any:
    who = viewer(request)
    record = trash_get(who, kind, record_id)
    deleted_at = record.deleted_at
    restored = trash_restore(who, actor(request), record)
    return {
        "kind": kind,
        "kind_label": str(type(restored)._meta.verbose_name),
        "id": restored.pk,
        "title": str(restored),
        "deleted_at": deleted_at,
        "deleted_by": "",
    }
