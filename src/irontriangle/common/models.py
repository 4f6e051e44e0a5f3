"""The base every business record stands on: timestamps, a version, soft delete and field history."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


class AliveManager(models.Manager):
    """Hides records in the trash; `all_objects` still reaches them for the trash and restore."""

    def get_queryset(self) -> models.QuerySet:
        return super().get_queryset().filter(deleted_at__isnull=True)


class BusinessModel(models.Model):
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    # Optimistic locking: every accepted write bumps it; a write that names an older one is refused.
    version = models.PositiveIntegerField(_("version"), default=1)
    deleted_at = models.DateTimeField(_("deleted at"), null=True, blank=True, db_index=True)
    deleted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = AliveManager()
    all_objects = models.Manager()
    history = HistoricalRecords(inherit=True, excluded_fields=["updated_at"])

    # Fields that history shows nobody: bookkeeping, not business facts.
    HISTORY_HIDDEN_FIELDS = frozenset({"updated_at", "version"})

    class Meta:
        abstract = True
        base_manager_name = "all_objects"

    @property
    def is_deleted(self) -> bool:
        return self.deleted_at is not None

    def validate_constraints(self, exclude: Any = None) -> None:
        from irontriangle.common.checks import validate_constraints

        validate_constraints(self, exclude)
