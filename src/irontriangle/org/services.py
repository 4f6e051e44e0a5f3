"""Writes for the organisation: units, users, memberships, tokens."""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Sequence
from datetime import timedelta
from typing import Any

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from irontriangle.common.errors import FieldError, InvalidInput
from irontriangle.common.services import validate
from irontriangle.org.models import ApiToken, Membership, OrgUnit, UnitSegment, User

TOKEN_PREFIX = "it_"
# Writing last_used_at on every request would turn every read into a write; a minute is precise enough.
TOKEN_TOUCH_INTERVAL = timedelta(minutes=1)


def _units_by_code(codes: Sequence[str], field: str) -> dict[str, OrgUnit]:
    units = {unit.code: unit for unit in OrgUnit.objects.filter(code__in=list(codes))}
    missing = [code for code in codes if code not in units]
    if missing:
        raise InvalidInput(
            [FieldError(field, "unknown_unit", _("Unknown org unit: %(code)s") % {"code": code}) for code in missing]
        )
    return units


@transaction.atomic
def unit_create(*, code: str, name: str, segment: str, parent_code: str | None = None, name_en: str = "") -> OrgUnit:
    parent = _units_by_code([parent_code], "parent_code")[parent_code] if parent_code else None
    if OrgUnit.objects.filter(code=code).exists():
        raise InvalidInput.single("code", "taken", _("An org unit with this code already exists."))
    if segment not in UnitSegment.values:
        raise InvalidInput.single("segment", "invalid_choice", _("Unknown segment: %(value)s") % {"value": segment})
    unit = OrgUnit(code=code, name=name, name_en=name_en, segment=segment, parent=parent, path="/")
    validate(unit, exclude=["path"])
    unit.save()
    unit.path = f"{parent.path if parent else '/'}{unit.pk}/"
    unit.save(update_fields=["path"])
    return unit


@transaction.atomic
def unit_move(*, unit: OrgUnit, new_parent: OrgUnit | None) -> OrgUnit:
    """Re-hang a unit and everything below it; access below follows at once."""
    if new_parent is not None and new_parent.path.startswith(unit.path):
        raise InvalidInput.single("parent_code", "cycle", _("A unit cannot be moved below itself."))
    old_path = unit.path
    new_path = f"{new_parent.path if new_parent else '/'}{unit.pk}/"
    unit.parent = new_parent
    unit.save(update_fields=["parent"])
    for node in OrgUnit.objects.filter(path__startswith=old_path):
        node.path = new_path + node.path[len(old_path) :]
        node.save(update_fields=["path"])
    unit.refresh_from_db()
    return unit


def new_user(*, username: str, password: str, display_name: str = "", email: str = "", **flags: Any) -> User:
    """An unsaved user with its password set, once the username is free and the password strong enough;
    every way of making a login (colleague or partner) goes through it."""
    errors: list[FieldError] = []
    if not username:
        errors.append(FieldError("username", "required", _("This field is required.")))
    elif User.objects.filter(username__iexact=username).exists():
        errors.append(FieldError("username", "taken", _("This username is taken.")))
    candidate = User(username=username, email=email, display_name=display_name, **flags)
    try:
        validate_password(password, candidate)
    except ValidationError as exc:
        errors.extend(FieldError("password", "weak_password", message) for message in exc.messages)
    if errors:
        raise InvalidInput(errors)
    candidate.set_password(password)
    validate(candidate, exclude=["password"])
    return candidate


@transaction.atomic
def user_create(
    *,
    username: str,
    password: str,
    display_name: str = "",
    email: str = "",
    is_admin: bool = False,
    unit_codes: Sequence[str] = (),
    manager_of: Sequence[str] = (),
    primary_unit_code: str | None = None,
) -> User:
    candidate = new_user(
        username=username, password=password, display_name=display_name, email=email, is_staff=is_admin
    )
    candidate.is_superuser = is_admin
    all_codes = list(dict.fromkeys([*unit_codes, *manager_of]))
    units = _units_by_code(list(dict.fromkeys(unit_codes)), "unit_codes")
    units.update(_units_by_code([code for code in dict.fromkeys(manager_of) if code not in units], "manager_of"))
    candidate.save()
    primary = primary_unit_code or (all_codes[0] if all_codes else None)
    if primary and primary not in units:
        raise InvalidInput.single("primary_unit_code", "unknown_unit", _("The primary unit must be one of the units."))
    for code in all_codes:
        Membership.objects.create(
            user=candidate, unit=units[code], is_primary=code == primary, is_manager=code in manager_of
        )
    return candidate


@transaction.atomic
def membership_set(*, user: User, unit: OrgUnit, is_manager: bool = False, is_primary: bool = False) -> Membership:
    if is_primary:
        Membership.objects.filter(user=user, is_primary=True).exclude(unit=unit).update(is_primary=False)
    membership, _created = Membership.objects.update_or_create(
        user=user, unit=unit, defaults={"is_manager": is_manager, "is_primary": is_primary}
    )
    return membership


def _hash(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


def token_create(*, user: User, name: str = "") -> tuple[ApiToken, str]:
    """A new token; the raw value is returned once and never stored."""
    raw = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(user=user, name=name[:100], prefix=raw[:12], key_hash=_hash(raw))
    return token, raw


TOKEN_NAME_MAX = 100
# A person needs a handful of tokens (a laptop, a script, a BI tool); hundreds would only be leaks.
TOKEN_ACTIVE_LIMIT = 50


@transaction.atomic
def token_issue(*, user: User, name: str) -> tuple[ApiToken, str]:
    """A token a person makes for themselves: named, so that they can tell it apart later, and counted."""
    label = name.strip()
    if not label:
        raise InvalidInput.single("name", "required", _("Give the token a name, so that you recognise it later."))
    if len(label) > TOKEN_NAME_MAX:
        raise InvalidInput.single(
            "name", "too_long", _("A token name has at most %(limit)d characters.") % {"limit": TOKEN_NAME_MAX}
        )
    if ApiToken.objects.filter(user=user, revoked_at__isnull=True).count() >= TOKEN_ACTIVE_LIMIT:
        raise InvalidInput.single(
            "name",
            "too_many",
            _("You already have %(limit)d active tokens. Revoke one you no longer use first.")
            % {"limit": TOKEN_ACTIVE_LIMIT},
        )
    return token_create(user=user, name=label)


def token_revoke(*, token: ApiToken) -> ApiToken:
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
    return token


def token_authenticate(raw: str) -> User | None:
    if not raw.startswith(TOKEN_PREFIX) or len(raw) > 200:
        return None
    token = (
        ApiToken.objects.select_related("user")
        .filter(key_hash=_hash(raw), revoked_at__isnull=True, user__is_active=True)
        .first()
    )
    if token is None:
        return None
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at > TOKEN_TOUCH_INTERVAL:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.user
