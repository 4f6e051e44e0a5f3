"""`/accounts/{id}/potential`, `/drivers` and `/information`: the intelligence behind an account's potential."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from ninja import Router, Status

from irontriangle.accounts import selectors, services
from irontriangle.accounts.api import ERRORS
from irontriangle.accounts.schemas import (
    DriverIn,
    DriverOut,
    DriverPatch,
    InfoIn,
    InfoOut,
    InfoPatch,
    PotentialOut,
    driver_out,
    info_out,
)
from irontriangle.common.apitools import Id, actor, expected_version, viewer

router = Router(tags=["accounts"])


@router.get("/accounts/{account_id}/potential", response={200: PotentialOut, **ERRORS})
def account_potential(request: HttpRequest, account_id: Id) -> Any:
    """The potential with its explanation: each purchase driver's volume × factor and their sum."""
    account = selectors.account_get(viewer(request), account_id)
    estimate = selectors.drivers_estimate(account)
    return {
        "potential": account.potential,
        "potential_basis": account.potential_basis,
        "estimate": estimate.total,
        "currency": account.currency,
        "drivers": [driver_out(line.driver) for line in estimate.lines],
    }


@router.post("/accounts/{account_id}/drivers", response={201: DriverOut, **ERRORS})
def add_driver(request: HttpRequest, account_id: Id, payload: DriverIn) -> Any:
    who = viewer(request)
    account = selectors.account_get(who, account_id)
    driver = services.driver_create(viewer=who, actor=actor(request), account=account, data=payload.model_dump())
    return Status(201, driver_out(driver))


@router.patch("/accounts/{account_id}/drivers/{driver_id}", response={200: DriverOut, **ERRORS})
def update_driver(request: HttpRequest, account_id: Id, driver_id: Id, payload: DriverPatch) -> Any:
    who = viewer(request)
    driver = selectors.driver_get(selectors.account_get(who, account_id), driver_id)
    sent = payload.model_dump(exclude_unset=True)
    version = expected_version(request, sent.pop("version", None))
    data = {key: value for key, value in sent.items() if value is not None or key == "as_of"}
    driver = services.driver_update(viewer=who, actor=actor(request), driver=driver, data=data, version=version)
    return driver_out(driver)


@router.delete("/accounts/{account_id}/drivers/{driver_id}", response={204: None, **ERRORS})
def delete_driver(request: HttpRequest, account_id: Id, driver_id: Id) -> Any:
    who = viewer(request)
    driver = selectors.driver_get(selectors.account_get(who, account_id), driver_id)
    services.driver_delete(viewer=who, actor=actor(request), driver=driver)
    return HttpResponse(status=204)


@router.get("/accounts/{account_id}/information", response={200: list[InfoOut], **ERRORS})
def list_information(request: HttpRequest, account_id: Id, kind: str = "") -> Any:
    """Production, equipment and business information, newest first."""
    account = selectors.account_get(viewer(request), account_id)
    return [info_out(info) for info in selectors.account_information(account, kind[:20])]


@router.post("/accounts/{account_id}/information", response={201: InfoOut, **ERRORS})
def add_information(request: HttpRequest, account_id: Id, payload: InfoIn) -> Any:
    who = viewer(request)
    account = selectors.account_get(who, account_id)
    info = services.customer_info_create(viewer=who, actor=actor(request), account=account, data=payload.model_dump())
    return Status(201, info_out(info))


@router.patch("/accounts/{account_id}/information/{info_id}", response={200: InfoOut, **ERRORS})
def update_information(request: HttpRequest, account_id: Id, info_id: Id, payload: InfoPatch) -> Any:
    who = viewer(request)
    info = selectors.customer_info_get(selectors.account_get(who, account_id), info_id)
    sent = payload.model_dump(exclude_unset=True)
    version = expected_version(request, sent.pop("version", None))
    data = {key: value for key, value in sent.items() if value is not None}
    info = services.customer_info_update(viewer=who, actor=actor(request), info=info, data=data, version=version)
    return info_out(info)


@router.delete("/accounts/{account_id}/information/{info_id}", response={204: None, **ERRORS})
def delete_information(request: HttpRequest, account_id: Id, info_id: Id) -> Any:
    who = viewer(request)
    info = selectors.customer_info_get(selectors.account_get(who, account_id), info_id)
    services.customer_info_delete(viewer=who, actor=actor(request), info=info)
    return HttpResponse(status=204)
