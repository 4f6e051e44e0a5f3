"""Administrator changes to the KA profile rules and the customer matrix: each re-classifies every account."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from irontriangle.accounts import profiling
from irontriangle.accounts.models import KaProfileRule, MatrixSettings
from irontriangle.common.access import Viewer
from irontriangle.common.errors import Forbidden
from irontriangle.common.services import validate
from irontriangle.notifications.services import event_emit
from irontriangle.org.models import User

MATRIX_FIELDS = ("potential_threshold", "strength_threshold")
RULE_FIELDS = (
    "enabled",
    "priority",
    "coverage",
    "min_annual_revenue",
    "requires_region",
    "requires_ranking",
    "requires_high_willingness",
)


def _apply(record: Any, fields: tuple[str, ...], data: dict[str, Any], actor: User) -> list[str]:
    changed = []
    for name in fields:
        if name in data and getattr(record, name) != data[name]:
            setattr(record, name, data[name])
            changed.append(name)
    if changed:
        validate(record)
        record._history_user = actor
        record.save()
    return changed


@transaction.atomic
def matrix_settings_update(*, viewer: Viewer, actor: User, data: dict[str, Any]) -> MatrixSettings:
    if not viewer.is_admin:
        raise Forbidden()
    settings = profiling.matrix_settings()
    changed = _apply(settings, MATRIX_FIELDS, data, actor)
    if changed:
        count = profiling.reclassify_all()
        event_emit(
            kind="configuration.changed", subject=settings, actor=actor, data={"changed": changed, "accounts": count}
        )
    return settings


@transaction.atomic
def profile_rule_update(*, viewer: Viewer, actor: User, rule: KaProfileRule, data: dict[str, Any]) -> KaProfileRule:
    if not viewer.is_admin:
        raise Forbidden()
    changed = _apply(rule, RULE_FIELDS, data, actor)
    if changed:
        count = profiling.reclassify_all()
        event_emit(
            kind="configuration.changed",
            subject=rule,
            actor=actor,
            data={"rule": rule.code, "changed": changed, "accounts": count},
        )
    return rule
