"""`/ownership-requests`: claims and transfers of accounts, decided by the middle office."""

from __future__ import annotations

from typing import Annotated, Any

from django.http import HttpRequest
from ninja import Query, Router, Schema, Status
from pydantic import Field

from irontriangle.accounts import selectors, services
from irontriangle.accounts.api import ERRORS
from irontriangle.accounts.models import OwnershipStatus
from irontriangle.accounts.schemas import (
    OwnershipDecisionIn,
    OwnershipRequestIn,
    OwnershipRequestOut,
    ownership_request_out,
)
from irontriangle.common.apitools import Id, ListOut, SafeStr, actor, viewer
from irontriangle.common.pagination import DEFAULT_LIMIT, MAX_LIMIT

router = Router(tags=["ownership"])


class OwnershipFilters(Schema):
    status: OwnershipStatus | None = None
    account_id: Id | None = None
    limit: Annotated[int, Field(ge=1, le=MAX_LIMIT)] = DEFAULT_LIMIT
    cursor: Annotated[SafeStr, Field(max_length=500)] | None = None


@router.get("/ownership-requests", response={200: ListOut[OwnershipRequestOut], **ERRORS})
def list_requests(request: HttpRequest, filters: Query[OwnershipFilters]) -> Any:
    """The requests the caller made, concern their units or accounts, or (middle office) all of them."""
    page = selectors.ownership_requests_page(
        viewer(request),
        status=filters.status or "",
        account_id=filters.account_id,
        cursor=filters.cursor,
        limit=filters.limit,
    )
    return {"items": [ownership_request_out(item) for item in page.items], "next_cursor": page.next_cursor}


@router.post("/ownership-requests", response={201: OwnershipRequestOut, **ERRORS})
def create_request(request: HttpRequest, payload: OwnershipRequestIn) -> Any:
    """Claim an account for one of your units, or (owner side) ask to transfer it to another unit."""
    created = services.ownership_request_create(
        viewer=viewer(request),
        actor=actor(request),
        account_id=payload.account_id,
        unit_code=payload.unit_code,
        reason=payload.reason,
        new_owner_id=payload.new_owner_id,
    )
    return Status(201, ownership_request_out(selectors.ownership_request_get(viewer(request), created.pk)))


@router.get("/ownership-requests/{request_id}", response={200: OwnershipRequestOut, **ERRORS})
def get_request(request: HttpRequest, request_id: Id) -> Any:
    return ownership_request_out(selectors.ownership_request_get(viewer(request), request_id))


@router.post("/ownership-requests/{request_id}/decide", response={200: OwnershipRequestOut, **ERRORS})
def decide_request(request: HttpRequest, request_id: Id, payload: OwnershipDecisionIn) -> Any:
    """Middle office only: approve (the account moves to the unit) or reject, always with a reason."""
    who = viewer(request)
    found = selectors.ownership_request_get(who, request_id)
    services.ownership_request_decide(
        viewer=who, actor=actor(request), request=found, approve=payload.approve, reason=payload.reason
    )
    return ownership_request_out(selectors.ownership_request_get(who, request_id))


@router.post("/ownership-requests/{request_id}/withdraw", response={200: OwnershipRequestOut, **ERRORS})
def withdraw_request(request: HttpRequest, request_id: Id) -> Any:
    who = viewer(request)
    found = selectors.ownership_request_get(who, request_id)
    services.ownership_request_withdraw(viewer=who, actor=actor(request), request=found)
    return ownership_request_out(selectors.ownership_request_get(who, request_id))
