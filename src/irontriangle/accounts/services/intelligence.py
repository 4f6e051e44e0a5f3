"""Writes of account intelligence: purchase drivers (potential) and dated customer information."""

from __future__ import annotations

from typing import Any, TypeVar

from django.db import transaction

from irontriangle.accounts import profiling
from irontriangle.accounts.models import Account, CustomerInfo, PotentialBasis, PurchaseDriver
from irontriangle.accounts.selectors import can_edit_account, drivers_estimate
from irontriangle.common.access import Viewer
from irontriangle.common.errors import Forbidden
from irontriangle.common.models import BusinessModel
from irontriangle.common.services import check_version, lock_for_update, record_soft_delete, save_versioned, validate
from irontriangle.notifications.services import event_emit
from irontriangle.org.models import User

DRIVER_FIELDS = ("name", "volume", "unit", "factor", "as_of", "source")
INFO_FIELDS = ("kind", "title", "detail", "recorded_on", "source")

R = TypeVar("R", bound=BusinessModel)


def _require_editor(viewer: Viewer, account: Account) -> None:
    if not can_edit_account(viewer, account):
        raise Forbidden()


def _assign(record: BusinessModel, fields: tuple[str, ...], data: dict[str, Any]) -> None:
    for name in fields:
        if name in data:
            value = data[name]
            setattr(record, name, "" if value is None and name in ("unit", "source", "detail") else value)


def _create(record: R, fields: tuple[str, ...], data: dict[str, Any], actor: User) -> R:
    _assign(record, fields, data)
    validate(record)
    record._history_user = actor  # type: ignore[attr-defined]
    record.save()
    return record


def _update(record: R, fields: tuple[str, ...], data: dict[str, Any], actor: User, version: int | None) -> R:
    current = lock_for_update(record)
    check_version(current, version)
    _assign(current, fields, data)
    return save_versioned(current, actor=actor)


def _changed(kind: str, account: Account, actor: User, record: BusinessModel) -> None:
    # Integrations hear about intelligence; people see it on the account page, not in their bell.
    event_emit(kind=kind, subject=account, actor=actor, data={"name": account.name, "record_id": record.pk})


def _refresh_potential(account: Account, actor: User) -> None:
    """Drivers feed the potential only when the account's potential is set to follow them."""
    current = lock_for_update(account)
    if current.potential_basis != PotentialBasis.DRIVERS:
        return
    total = drivers_estimate(current).total
    if total == current.potential:
        return
    current.potential = total
    profiling.refresh_derived(current)
    save_versioned(current, actor=actor, reason="purchase drivers")


@transaction.atomic
def driver_create(*, viewer: Viewer, actor: User, account: Account, data: dict[str, Any]) -> PurchaseDriver:
    _require_editor(viewer, account)
    driver = _create(PurchaseDriver(account=account), DRIVER_FIELDS, data, actor)
    _refresh_potential(account, actor)
    _changed("account.intelligence_changed", account, actor, driver)
    return driver


@transaction.atomic
def driver_update(
    *, viewer: Viewer, actor: User, driver: PurchaseDriver, data: dict[str, Any], version: int | None
) -> PurchaseDriver:
    _require_editor(viewer, driver.account)
    driver = _update(driver, DRIVER_FIELDS, data, actor, version)
    _refresh_potential(driver.account, actor)
    _changed("account.intelligence_changed", driver.account, actor, driver)
    return driver


@transaction.atomic
def driver_delete(*, viewer: Viewer, actor: User, driver: PurchaseDriver) -> None:
    _require_editor(viewer, driver.account)
    record_soft_delete(driver, actor=actor)
    _refresh_potential(driver.account, actor)
    _changed("account.intelligence_changed", driver.account, actor, driver)


@transaction.atomic
def customer_info_create(*, viewer: Viewer, actor: User, account: Account, data: dict[str, Any]) -> CustomerInfo:
    _require_editor(viewer, account)
    info = _create(CustomerInfo(account=account), INFO_FIELDS, data, actor)
    _changed("account.intelligence_changed", account, actor, info)
    return info


@transaction.atomic
def customer_info_update(
    *, viewer: Viewer, actor: User, info: CustomerInfo, data: dict[str, Any], version: int | None
) -> CustomerInfo:
    _require_editor(viewer, info.account)
    info = _update(info, INFO_FIELDS, data, actor, version)
    _changed("account.intelligence_changed", info.account, actor, info)
    return info


@transaction.atomic
def customer_info_delete(*, viewer: Viewer, actor: User, info: CustomerInfo) -> None:
    _require_editor(viewer, info.account)
    record_soft_delete(info, actor=actor)
    _changed("account.intelligence_changed", info.account, actor, info)
