"""Keyset pagination: pages cost the same at row 50 and at row 5,000,000."""

from __future__ import annotations

import base64
import binascii
import json
from dataclasses import dataclass
from typing import Any, Generic, TypeVar, cast

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext as _

from irontriangle.common.errors import InvalidInput

T = TypeVar("T", bound=models.Model)
P = TypeVar("P")

MAX_LIMIT = 200
DEFAULT_LIMIT = 50


@dataclass
class Page(Generic[P]):
    items: list[P]
    next_cursor: str | None


def _encode(order: str, value: str | None, pk: int) -> str:
    raw = json.dumps([order, value, pk], separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def _decode(cursor: str, order: str, field: models.Field) -> tuple[Any, int]:
    bad = InvalidInput.single("cursor", "invalid_cursor", _("The cursor is not valid for this list."))
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        saved_order, value, pk = json.loads(base64.urlsafe_b64decode(padded.encode()))
        if saved_order != order or not isinstance(pk, int) or not isinstance(value, str | None):
            raise bad
        if value is None and not field.null:
            raise bad
        return (None if value is None else field.to_python(value)), pk
    except (ValueError, TypeError, binascii.Error, ValidationError, UnicodeDecodeError):
        raise bad from None


def keyset_page(queryset: models.QuerySet[T], *, order: str, cursor: str | None, limit: int) -> Page[T]:
    """One page ordered by `order` (`-` for descending) with the primary key as tie-break.

    Rows whose value is empty (a nullable field) come last in either direction.
    """
    if not 1 <= limit <= MAX_LIMIT:
        raise InvalidInput.single(
            "limit", "out_of_range", _("limit must be between 1 and %(max)s.") % {"max": MAX_LIMIT}
        )
    descending = order.startswith("-")
    name = order.lstrip("-")
    field = cast(models.Field, queryset.model._meta.get_field(name))
    sign = "-" if descending else ""
    if field.null:
        column = F(name).desc(nulls_last=True) if descending else F(name).asc(nulls_last=True)
        queryset = queryset.order_by(column, f"{sign}pk")
    else:
        queryset = queryset.order_by(f"{sign}{name}", f"{sign}pk")
    if cursor:
        value, pk = _decode(cursor, order, field)
        after = "lt" if descending else "gt"
        if value is None:
            queryset = queryset.filter(Q(**{f"{name}__isnull": True, f"pk__{after}": pk}))
        else:
            later = Q(**{f"{name}__{after}": value}) | Q(**{name: value, f"pk__{after}": pk})
            if field.null:
                later |= Q(**{f"{name}__isnull": True})
            else:
                # The same rows, plus a plain range the planner can walk the (field, id) index with; without
                # it SQLite sorts every visible row to find a deep page.
                later &= Q(**{f"{name}__{after}e": value})
            queryset = queryset.filter(later)
    rows = _page_rows(queryset, limit + 1)
    next_cursor = None
    if len(rows) > limit:
        rows = rows[:limit]
        last = rows[-1]
        raw = getattr(last, field.attname)
        next_cursor = _encode(order, None if raw is None else field.value_to_string(last), last.pk)
    return Page(items=rows, next_cursor=next_cursor)


def _page_rows(queryset: models.QuerySet[T], count: int) -> list[T]:
    """The page's ids chosen by the filter and order alone, then those rows with everything they show, in
    one statement. Joined only for display (stage, owner, unit...), the tables otherwise lead SQLite's
    planner to sort every visible row before it can cut the page; the ids subquery walks the order's index.
    The statement is wide: PostgreSQL is told to reorder joins of that many tables (settings.py)."""
    ids = queryset.values("pk")[:count]
    return list(queryset.filter(pk__in=ids))
