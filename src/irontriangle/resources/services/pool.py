"""Keeping the pool: who is in it, what they can do, where, at which tier, with how many hours a week."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from irontriangle.common.access import Viewer
from irontriangle.common.errors import FieldError, Forbidden, InvalidInput
from irontriangle.common.services import check_version, lock_for_update, record_soft_delete, save_versioned, validate
from irontriangle.org.models import Membership, OrgUnit, User
from irontriangle.resources.models import Partner, Resource, SupportTier
from irontriangle.resources.selectors import can_manage_unit
from irontriangle.resources.services.common import tags, text

EDITABLE = (
    "name",
    "skills",
    "product_lines",
    "region",
    "support_tier",
    "weekly_capacity_hours",
    "is_executive",
    "is_active",
)


def _fields(resource: Resource, data: dict[str, Any], errors: list[FieldError]) -> None:
    for name in ("skills", "product_lines"):
        if name in data:
            setattr(resource, name, tags(data[name], name, errors))
    for name in ("name", "region"):
        if name in data:
            setattr(resource, name, text(data[name]))
    if "support_tier" in data:
        if data["support_tier"] not in SupportTier.values:
            errors.append(FieldError("support_tier", "invalid_choice", _("Choose tier 1, 2 or 3.")))
        else:
            resource.support_tier = data["support_tier"]
    if "weekly_capacity_hours" in data:
        hours = data["weekly_capacity_hours"]
        if not isinstance(hours, int) or not 0 <= hours <= 168:
            errors.append(FieldError("weekly_capacity_hours", "out_of_range", _("A week has 0 to 168 hours.")))
        else:
            resource.weekly_capacity_hours = hours
    for name in ("is_executive", "is_active"):
        if name in data and data[name] is not None:
            setattr(resource, name, bool(data[name]))


def _unit(data: dict[str, Any], user: User | None, errors: list[FieldError]) -> OrgUnit | None:
    code = data.get("unit_code")
    if code:
        unit = OrgUnit.objects.filter(code=code).first()
        if unit is None:
            errors.append(FieldError("unit_code", "unknown_unit", _("Unknown unit.")))
        return unit
    if user is not None:
        membership = Membership.objects.filter(user=user).select_related("unit").order_by("-is_primary").first()
        if membership is not None:
            return membership.unit
    errors.append(FieldError("unit_code", "required", _("Say which unit runs this part of the pool.")))
    return None


@transaction.atomic
def resource_create(
    *, viewer: Viewer, actor: User, data: dict[str, Any], user: User | None = None, partner: Partner | None = None
) -> Resource:
    errors: list[FieldError] = []
    if (user is None) == (partner is None):
        errors.append(FieldError("user_id", "person_or_partner", _("Name either a person or a partner.")))
    if user is not None and (user.is_external or not user.is_active):
        errors.append(FieldError("user_id", "not_internal", _("Only active colleagues join the pool as people.")))
    if user is not None and Resource.objects.filter(user=user).exists():
        errors.append(FieldError("user_id", "already_in_pool", _("This person is already in the pool.")))
    unit = _unit(data, user, errors)
    resource = Resource(user=user, partner=partner, unit=unit)
    for name in ("support_tier", "weekly_capacity_hours"):
        if data.get(name) is None:
            errors.append(FieldError(name, "required", _("This field is required.")))
    _fields(resource, data, errors)
    if errors:
        raise InvalidInput(errors)
    assert unit is not None
    if not can_manage_unit(viewer, unit.path):
        raise Forbidden(_("Only the unit's managers add to its part of the pool."))
    validate(resource, exclude=["user", "partner", "unit"])
    resource._history_user = actor  # type: ignore[attr-defined]
    resource.save()
    return resource


@transaction.atomic
def resource_update(
    *, viewer: Viewer, actor: User, resource: Resource, data: dict[str, Any], version: int | None
) -> Resource:
    if not can_manage_unit(viewer, resource.unit.path):
        raise Forbidden()
    current = lock_for_update(resource)
    check_version(current, version)
    errors: list[FieldError] = []
    if data.get("unit_code"):
        unit = _unit(data, None, errors)
        if unit is not None and not can_manage_unit(viewer, unit.path):
            raise Forbidden()
        if unit is not None:
            current.unit = unit
    _fields(current, data, errors)
    if errors:
        raise InvalidInput(errors)
    return save_versioned(current, actor=actor)


def resource_delete(*, viewer: Viewer, actor: User, resource: Resource) -> None:
    if not can_manage_unit(viewer, resource.unit.path):
        raise Forbidden()
    record_soft_delete(resource, actor=actor)
