"""`/me`, `/org-units`, `/users`."""

from __future__ import annotations

from typing import Annotated, Any

from django.http import HttpRequest
from ninja import Query, Router, Schema, Status
from pydantic import Field

from irontriangle.common.apitools import ErrorOut, ListOut, RawStr, SafeStr, actor, viewer
from irontriangle.common.errors import Forbidden
from irontriangle.common.pagination import DEFAULT_LIMIT, MAX_LIMIT, keyset_page
from irontriangle.org import selectors, services
from irontriangle.org.models import OrgUnit, UnitSegment, User

router = Router(tags=["organisation"])
ERRORS: dict[int, type[Schema]] = {401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut}

Code = Annotated[SafeStr, Field(min_length=1, max_length=50, pattern=r"^[A-Za-z0-9_-]+$")]


class UnitRef(Schema):
    code: str
    name: str
    segment: str
    is_primary: bool
    is_manager: bool


class PermissionsOut(Schema):
    admin: bool
    read_all: bool
    finance: bool
    middle_office: bool


class MeOut(Schema):
    id: int
    username: str
    display_name: str
    email: str
    units: list[UnitRef]
    permissions: PermissionsOut


@router.get("/me", response={200: MeOut, 401: ErrorOut})
def me(request: HttpRequest) -> Any:
    user = actor(request)
    who = viewer(request)
    return {
        "id": user.pk,
        "username": user.username,
        "display_name": user.label,
        "email": user.email,
        "units": [
            {
                "code": m.unit.code,
                "name": m.unit.name,
                "segment": m.unit.segment,
                "is_primary": m.is_primary,
                "is_manager": m.is_manager,
            }
            for m in selectors.user_memberships(user)
        ],
        "permissions": {
            "admin": who.is_admin,
            "read_all": who.read_all,
            "finance": who.finance,
            "middle_office": who.middle_office,
        },
    }


class UnitIn(Schema):
    code: Code
    name: Annotated[SafeStr, Field(min_length=1, max_length=200)]
    name_en: Annotated[SafeStr, Field(max_length=200)] = ""
    segment: UnitSegment
    parent_code: Code | None = None


class UnitOut(Schema):
    id: int
    code: str
    name: str
    name_en: str
    segment: str
    parent_code: str | None


def unit_out(unit: OrgUnit) -> dict[str, Any]:
    return {
        "id": unit.pk,
        "code": unit.code,
        "name": unit.name,
        "name_en": unit.name_en,
        "segment": unit.segment,
        "parent_code": unit.parent.code if unit.parent else None,
    }


class PageQuery(Schema):
    limit: Annotated[int, Field(ge=1, le=MAX_LIMIT)] = DEFAULT_LIMIT
    cursor: Annotated[SafeStr, Field(max_length=500)] | None = None


@router.get("/org-units", response={200: ListOut[UnitOut], **ERRORS})
def list_units(request: HttpRequest, page: Query[PageQuery]) -> Any:
    result = keyset_page(selectors.units_visible(viewer(request)), order="path", cursor=page.cursor, limit=page.limit)
    return {"items": [unit_out(unit) for unit in result.items], "next_cursor": result.next_cursor}


@router.post("/org-units", response={201: UnitOut, **ERRORS})
def create_unit(request: HttpRequest, payload: UnitIn) -> Any:
    if not viewer(request).is_admin:
        raise Forbidden()
    unit = services.unit_create(
        code=payload.code,
        name=payload.name,
        segment=payload.segment,
        parent_code=payload.parent_code,
        name_en=payload.name_en,
    )
    return Status(201, unit_out(unit))


class UserIn(Schema):
    username: Annotated[SafeStr, Field(min_length=1, max_length=150, pattern=r"^[\w.@+-]+$")]
    password: Annotated[RawStr, Field(min_length=1, max_length=128)]
    display_name: Annotated[SafeStr, Field(max_length=150)] = ""
    email: Annotated[SafeStr, Field(max_length=254)] = ""
    unit_codes: list[Code] = []
    manager_of: list[Code] = []
    is_admin: bool = False


class UserOut(Schema):
    id: int
    username: str
    display_name: str
    email: str
    unit_codes: list[str]
    manager_of: list[str]


def user_out(user: User) -> dict[str, Any]:
    memberships = list(user.memberships.all())
    return {
        "id": user.pk,
        "username": user.username,
        "display_name": user.label,
        "email": user.email,
        "unit_codes": [m.unit.code for m in memberships],
        "manager_of": [m.unit.code for m in memberships if m.is_manager],
    }


class UserQuery(PageQuery):
    q: Annotated[SafeStr, Field(max_length=100)] = ""
    unit_code: Annotated[SafeStr, Field(max_length=50)] = ""


@router.get("/users", response={200: ListOut[UserOut], **ERRORS})
def list_users(request: HttpRequest, query: Query[UserQuery]) -> Any:
    users = selectors.users_visible(viewer(request))
    if query.q:
        users = users.filter(username__icontains=query.q) | users.filter(display_name__icontains=query.q)
    if query.unit_code:
        users = users.filter(memberships__unit__code=query.unit_code)
    result = keyset_page(users.distinct(), order="username", cursor=query.cursor, limit=query.limit)
    return {"items": [user_out(user) for user in result.items], "next_cursor": result.next_cursor}


@router.post("/users", response={201: UserOut, **ERRORS})
def create_user(request: HttpRequest, payload: UserIn) -> Any:
    if not viewer(request).is_admin:
        raise Forbidden()
    user = services.user_create(
        username=payload.username,
        password=payload.password,
        display_name=payload.display_name,
        email=payload.email,
        is_admin=payload.is_admin,
        unit_codes=payload.unit_codes,
        manager_of=payload.manager_of,
    )
    return Status(201, user_out(selectors.users_visible(viewer(request)).get(pk=user.pk)))
