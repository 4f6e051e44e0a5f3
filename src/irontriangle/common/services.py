"""Writes shared by every business model: versioned update, soft delete and restore."""

from __future__ import annotations

from typing import Any, TypeVar

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from irontriangle.common.errors import FieldError, InvalidInput, NotFound, VersionConflict
from irontriangle.common.models import BusinessModel

B = TypeVar("B", bound=BusinessModel)


def invalid_from_validation(exc: ValidationError) -> InvalidInput:
    """Django's model validation errors in the API's error shape, each naming its field."""
    errors: list[FieldError] = []
    if hasattr(exc, "error_dict"):
        for name, field_errors in exc.error_dict.items():
            for error in field_errors:
                message = str(error.message % error.params if error.params else error.message)
                errors.append(FieldError(name if name != "__all__" else "non_field", error.code or "invalid", message))
    else:
        for error in exc.error_list:
            message = str(error.message % error.params if error.params else error.message)
            errors.append(FieldError("non_field", error.code or "invalid", message))
    return InvalidInput(errors)


def validate(instance: models.Model, *, exclude: list[str] | None = None) -> None:
    try:
        instance.full_clean(exclude=exclude)
    except ValidationError as exc:
        raise invalid_from_validation(exc) from None


def lock_for_update(instance: B) -> B:
    """The current row, locked until the transaction ends (row lock on PostgreSQL; SQLite runs
    writers one at a time because transactions begin IMMEDIATE)."""
    try:
        return type(instance).all_objects.select_for_update().get(pk=instance.pk)
    except type(instance).DoesNotExist:
        raise NotFound() from None


def check_version(current: BusinessModel, expected_version: int | None, snapshot: dict[str, Any] | None = None) -> None:
    if expected_version is None:
        raise InvalidInput.single("version", "required", _("The version you edited is required."))
    if current.version != expected_version:
        raise VersionConflict(current_version=current.version, current=snapshot)


def save_versioned(instance: B, *, actor: Any, reason: str = "") -> B:
    """Validate and save with the version bumped and the history row attributed to the actor."""
    validate(instance)
    instance.version += 1
    instance._history_user = actor  # type: ignore[attr-defined]
    if reason:
        instance._change_reason = reason  # type: ignore[attr-defined]
    instance.save()
    return instance


@transaction.atomic
def record_soft_delete(instance: B, *, actor: Any) -> B:
    current = lock_for_update(instance)
    if current.deleted_at is not None:
        raise NotFound()
    current.deleted_at = timezone.now()
    current.deleted_by = actor
    current.version += 1
    current._history_user = actor  # type: ignore[attr-defined]
    current.save()
    return current


@transaction.atomic
def record_restore(instance: B, *, actor: Any) -> B:
    current = lock_for_update(instance)
    if current.deleted_at is None:
        raise InvalidInput.single("id", "not_in_trash", _("This record is not in the trash."))
    current.deleted_at = None
    current.deleted_by = None
    current.version += 1
    current._history_user = actor  # type: ignore[attr-defined]
    current.save()
    return current
