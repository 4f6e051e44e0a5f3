"""What the resource writes share: text clean-up, list fields, and telling people."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from django.db import models
from django.utils.translation import gettext as _

from irontriangle.common.errors import FieldError
from irontriangle.notifications.messages import bilingual
from irontriangle.notifications.services import event_emit

MAX_TAGS = 30
MAX_TAG_LENGTH = 60


def text(value: Any) -> str:
    return "" if value is None else str(value).strip()


def tags(value: Any, field: str, errors: list[FieldError]) -> list[str]:
    """A list of short labels (skills, product lines, regions), trimmed, without blanks or repeats."""
    if value is None:
        return []
    if isinstance(value, str):
        value = [part for chunk in value.split(",") for part in chunk.split("、")]
    if not isinstance(value, list | tuple):
        errors.append(FieldError(field, "invalid", _("Give a list of labels.")))
        return []
    cleaned: list[str] = []
    seen: set[str] = set()
    for item in value:
        label = text(item)
        if not label:
            continue
        if len(label) > MAX_TAG_LENGTH:
            errors.append(
                FieldError(field, "too_long", _("Each label has at most %(n)d characters.") % {"n": MAX_TAG_LENGTH})
            )
            return cleaned
        if label.casefold() not in seen:
            seen.add(label.casefold())
            cleaned.append(label)
    if len(cleaned) > MAX_TAGS:
        errors.append(FieldError(field, "too_many", _("At most %(n)d labels.") % {"n": MAX_TAGS}))
    return cleaned[:MAX_TAGS]


def tell(
    subject: models.Model,
    *,
    kind: str,
    actor: Any,
    data: dict[str, Any],
    recipients: Iterable[int | None],
    title: Callable[[], str],
    link: str,
) -> None:
    event_emit(
        kind=kind,
        subject=subject,
        actor=actor,
        data=data,
        recipient_ids=[pk for pk in recipients if pk],
        message=bilingual(title, link=link),
    )
