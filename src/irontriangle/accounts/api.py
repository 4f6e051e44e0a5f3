"""`/accounts`: thin handlers over the account selectors and services."""

from __future__ import annotations

from typing import Annotated, Any

from django.http import HttpRequest, HttpResponse
from ninja import Query, Router, Schema, Status
from pydantic import Field

from irontriangle.accounts import selectors, services
from irontriangle.accounts.models import Coverage, MatrixClass, Segment, Tier
from irontriangle.accounts.profiling import enabled_rules
from irontriangle.accounts.schemas import (
    COMPUTED_FIELDS,
    NULLABLE_PATCH_FIELDS,
    AccountIn,
    AccountOut,
    AccountPatch,
    DuplicateOut,
    HistoryOut,
    SegmentConfirmIn,
    TeamMemberIn,
    TeamMemberOut,
    TreeNodeOut,
    TreeOut,
    account_out,
    refuse_computed,
    team_member_out,
)
from irontriangle.common.apitools import ErrorOut, Id, ListOut, SafeStr, actor, expected_version, viewer
from irontriangle.common.errors import VersionConflict
from irontriangle.common.history import history_of
from irontriangle.common.pagination import DEFAULT_LIMIT, MAX_LIMIT

router = Router(tags=["accounts"])

ERRORS: dict[int, type[Schema]] = {401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut}


class AccountListFilters(Schema):
    q: Annotated[SafeStr, Field(max_length=200)] = ""
    segment: Segment | None = None
    tier: Tier | None = None
    matrix_class: MatrixClass | None = None
    coverage: Coverage | None = None
    industry: Annotated[SafeStr, Field(max_length=100)] = ""
    region: Annotated[SafeStr, Field(max_length=100)] = ""
    owner_unit_code: Annotated[SafeStr, Field(max_length=50)] = ""
    owner_id: Id | None = None
    parent_id: Id | None = None
    missing_triangle: bool | None = None
    ka_suggested: bool | None = None
    sort: Annotated[str, Field(pattern=r"^-?(name|updated_at|created_at)$")] = "name"
    limit: Annotated[int, Field(ge=1, le=MAX_LIMIT)] = DEFAULT_LIMIT
    cursor: Annotated[SafeStr, Field(max_length=500)] | None = None


@router.get("/accounts", response={200: ListOut[AccountOut], **ERRORS})
def list_accounts(request: HttpRequest, filters: Query[AccountListFilters]) -> Any:
    who = viewer(request)
    page = selectors.accounts_page(
        who,
        selectors.AccountFilters(
            q=filters.q,
            segment=filters.segment or "",
            tier=filters.tier or "",
            matrix_class=filters.matrix_class or "",
            coverage=filters.coverage or "",
            industry=filters.industry,
            region=filters.region,
            owner_unit_code=filters.owner_unit_code,
            owner_id=filters.owner_id,
            parent_id=filters.parent_id,
            missing_triangle=filters.missing_triangle,
            ka_suggested=filters.ka_suggested,
            sort=filters.sort,
        ),
        cursor=filters.cursor,
        limit=filters.limit,
    )
    rules = enabled_rules()
    return {"items": [account_out(who, account, rules) for account in page.items], "next_cursor": page.next_cursor}


@router.get("/accounts/duplicates", response={200: list[DuplicateOut], **ERRORS})
def account_duplicates(
    request: HttpRequest,
    name: Annotated[SafeStr, Field(max_length=200)] = "",
    credit_code: Annotated[SafeStr, Field(max_length=18)] = "",
    exclude_id: Id | None = None,
) -> Any:
    """Likely duplicates before creating an account: same credit code, same or contained normalised name.
    Accounts the caller cannot see are listed with their name and owner unit only, so the conflict can be
    raised with the middle office (`POST /ownership-requests`) instead of creating a second record."""
    who = viewer(request)
    return [
        {
            "id": found.account.pk,
            "name": found.account.name,
            "match": found.match,
            "visible": found.visible,
            "owner_unit_code": found.account.owner_unit.code,
            "owner_unit_name": found.account.owner_unit.label,
            "credit_code": found.account.credit_code if found.visible else None,
        }
        for found in selectors.account_duplicates(who, name=name, credit_code=credit_code, exclude_id=exclude_id)
    ]


@router.post("/accounts", response={201: AccountOut, **ERRORS})
def create_account(request: HttpRequest, payload: AccountIn) -> Any:
    who = viewer(request)
    data = refuse_computed(payload.model_dump(), None)
    account = services.account_create(viewer=who, actor=actor(request), data=data)
    return Status(201, account_out(who, selectors.account_get(who, account.pk)))


@router.get("/accounts/{account_id}", response={200: AccountOut, **ERRORS})
def get_account(request: HttpRequest, account_id: Id) -> Any:
    who = viewer(request)
    return account_out(who, selectors.account_get(who, account_id))


@router.patch("/accounts/{account_id}", response={200: AccountOut, **ERRORS})
def update_account(request: HttpRequest, account_id: Id, payload: AccountPatch) -> Any:
    who = viewer(request)
    account = selectors.account_get(who, account_id)
    sent = payload.model_dump(exclude_unset=True)
    if any(name in sent for name in COMPUTED_FIELDS):
        refuse_computed(sent, account_out(who, account).model_dump(mode="json"))
    version = expected_version(request, sent.pop("version", None))
    data = {key: value for key, value in sent.items() if value is not None or key in NULLABLE_PATCH_FIELDS}
    try:
        services.account_update(viewer=who, actor=actor(request), account=account, data=data, version=version)
    except VersionConflict as conflict:
        # The refused client gets the current state to merge against.
        conflict.current = account_out(who, selectors.account_get(who, account_id)).model_dump(mode="json")
        raise
    return account_out(who, selectors.account_get(who, account_id))


@router.post("/accounts/{account_id}/confirm-segment", response={200: AccountOut, **ERRORS})
def confirm_segment(request: HttpRequest, account_id: Id, payload: SegmentConfirmIn) -> Any:
    """A person settles the segment (KA or SMB) the KA profile rules proposed; recorded in the history."""
    who = viewer(request)
    account = selectors.account_get(who, account_id)
    services.account_confirm_segment(
        viewer=who, actor=actor(request), account=account, segment=payload.segment, reason=payload.reason
    )
    return account_out(who, selectors.account_get(who, account_id))


@router.get("/accounts/{account_id}/tree", response={200: TreeOut, **ERRORS})
def account_tree(request: HttpRequest, account_id: Id) -> Any:
    """The account's visible ancestors and subtree, each node with its potential rolled up over its
    visible descendants."""
    who = viewer(request)
    account = selectors.account_get(who, account_id)
    ancestors, nodes = selectors.account_tree(who, account)
    return {
        "ancestors": [_node(ancestor, 0, ancestor.potential, 0) for ancestor in ancestors],
        "nodes": [_node(n.account, n.depth, n.rolled_up_potential, n.descendants) for n in nodes],
    }


def _node(account: Any, depth: int, rolled_up: Any, descendants: int) -> TreeNodeOut:
    return TreeNodeOut(
        id=account.pk,
        name=account.name,
        parent_id=account.parent_id,
        depth=depth,
        segment=account.segment,
        tier=account.tier or None,
        potential=account.potential,
        rolled_up_potential=rolled_up,
        descendants=descendants,
    )


@router.delete("/accounts/{account_id}", response={204: None, **ERRORS})
def delete_account(request: HttpRequest, account_id: Id) -> Any:
    who = viewer(request)
    account = selectors.account_get(who, account_id)
    services.account_delete(viewer=who, actor=actor(request), account=account)
    return HttpResponse(status=204)


@router.get("/accounts/{account_id}/history", response={200: list[HistoryOut], **ERRORS})
def account_history(
    request: HttpRequest, account_id: Id, limit: Annotated[int, Field(ge=1, le=MAX_LIMIT)] = DEFAULT_LIMIT
) -> Any:
    """The newest changes first, `limit` of them."""
    who = viewer(request)
    account = selectors.account_get(who, account_id)
    return [
        {
            "at": entry.at,
            "kind": entry.kind,
            "user_id": entry.user_id,
            "user_name": entry.user_name,
            "changes": [
                {"field": change.field, "old": _scalar(change.old), "new": _scalar(change.new)}
                for change in entry.changes
            ],
        }
        for entry in history_of(account, who, limit=limit)
    ]


def _scalar(value: Any) -> Any:
    return value if value is None or isinstance(value, (bool, int, float, str)) else str(value)


@router.get("/accounts/{account_id}/team", response={200: list[TeamMemberOut], **ERRORS})
def account_team(request: HttpRequest, account_id: Id) -> Any:
    account = selectors.account_get(viewer(request), account_id)
    return [team_member_out(member) for member in selectors.account_team(account)]


@router.post("/accounts/{account_id}/team", response={201: TeamMemberOut, **ERRORS})
def add_team_member(request: HttpRequest, account_id: Id, payload: TeamMemberIn) -> Any:
    who = viewer(request)
    account = selectors.account_get(who, account_id)
    member = services.team_member_add(
        viewer=who,
        actor=actor(request),
        account=account,
        user_id=payload.user_id,
        role=payload.role,
        is_primary=payload.is_primary,
        started_on=payload.started_on,
    )
    return Status(201, team_member_out(member))


@router.delete("/accounts/{account_id}/team/{member_id}", response={204: None, **ERRORS})
def remove_team_member(request: HttpRequest, account_id: Id, member_id: Id) -> Any:
    who = viewer(request)
    account = selectors.account_get(who, account_id)
    services.team_member_remove(viewer=who, actor=actor(request), account=account, member_id=member_id)
    return HttpResponse(status=204)
