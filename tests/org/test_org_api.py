"""`/org-units` and `/users`: the directory every user reads, and only administrators extend."""

from __future__ import annotations

from irontriangle.org.models import Membership, OrgUnit, User
from tests.conftest import api_as
from tests.factories import PASSWORD, make_user


def _walk(client, path: str, limit: int, **params) -> tuple[list[dict], int]:
    """Every item of a list, page by page; also how many pages it took."""
    items: list[dict] = []
    cursor = None
    pages = 0
    while True:
        query = {"limit": limit, **params, **({"cursor": cursor} if cursor else {})}
        response = client.get(path, query)
        assert response.status_code == 200, response.content
        body = response.json()
        items.extend(body["items"])
        pages += 1
        cursor = body["next_cursor"]
        if cursor is None:
            return items, pages
        assert pages < 100, "pagination does not end"


def _error_fields(response) -> set[str]:
    return {error["field"] for error in response.json()["errors"]}


# --- org units ---------------------------------------------------------------------------------


def test_units_list_pages_through_the_whole_tree(org):
    client = api_as(org["ar"])

    items, pages = _walk(client, "/org-units", limit=3)

    assert pages == 3
    codes = [item["code"] for item in items]
    assert len(codes) == len(set(codes))
    assert set(codes) == set(OrgUnit.objects.values_list("code", flat=True))
    by_code = {item["code"]: item for item in items}
    assert by_code["ka-sh"]["parent_code"] == "ka-east"
    assert by_code["hq"]["parent_code"] is None
    assert by_code["finance"]["segment"] == "finance"
    # Tree order: a parent comes before its children.
    assert codes.index("hq") < codes.index("ka-east") < codes.index("ka-sh")


def test_units_list_limit_above_200_is_refused(org):
    response = api_as(org["ar"]).get("/org-units", {"limit": 201})

    assert response.status_code == 422
    assert "limit" in _error_fields(response)


def test_units_list_rejects_a_forged_cursor(org):
    response = api_as(org["ar"]).get("/org-units", {"cursor": "not-a-cursor"})

    assert response.status_code == 422
    assert _error_fields(response) == {"cursor"}


def test_admin_creates_a_unit_below_a_parent(org):
    response = api_as(org["admin"]).post(
        "/org-units", {"code": "ka-hz", "name": "杭州分公司", "segment": "ka", "parent_code": "ka-east"}
    )

    assert response.status_code == 201, response.content
    assert response.json()["parent_code"] == "ka-east"
    unit = OrgUnit.objects.get(code="ka-hz")
    assert unit.path.startswith(org["units"]["east"].path)
    # The manager of the parent now manages the new unit too.
    assert api_as(org["manager"]).post("/accounts", {"name": "杭州客户", "owner_unit_code": "ka-hz"}).status_code == 201


def test_non_admin_may_not_create_units(org):
    response = api_as(org["manager"]).post("/org-units", {"code": "rogue", "name": "Rogue", "segment": "ka"})

    assert response.status_code == 403
    assert response.json()["code"] == "forbidden"
    assert not OrgUnit.objects.filter(code="rogue").exists()


def test_unit_create_names_the_invalid_field(org):
    admin = api_as(org["admin"])

    duplicate = admin.post("/org-units", {"code": "ka-sh", "name": "重复", "segment": "ka"})
    unknown_parent = admin.post("/org-units", {"code": "x1", "name": "X", "segment": "ka", "parent_code": "nope"})
    bad_segment = admin.post("/org-units", {"code": "x2", "name": "X", "segment": "sales"})

    assert (duplicate.status_code, _error_fields(duplicate)) == (422, {"code"})
    assert (unknown_parent.status_code, _error_fields(unknown_parent)) == (422, {"parent_code"})
    assert (bad_segment.status_code, _error_fields(bad_segment)) == (422, {"segment"})
    assert not OrgUnit.objects.filter(code__in=["x1", "x2"]).exists()


# --- users -------------------------------------------------------------------------------------


def test_users_list_pages_without_duplicates_and_shows_units(org):
    for number in range(5):
        make_user(f"rep{number}", units=[org["units"]["north"]])

    items, pages = _walk(api_as(org["ar"]), "/users", limit=4)

    usernames = [item["username"] for item in items]
    assert usernames == sorted(usernames)
    assert len(usernames) == len(set(usernames))
    assert set(usernames) == set(User.objects.filter(is_active=True).values_list("username", flat=True))
    assert pages == 3
    manager = next(item for item in items if item["username"] == "manager")
    assert manager["unit_codes"] == ["ka-east"] and manager["manager_of"] == ["ka-east"]
    assert all("password" not in item for item in items)


def test_users_list_filters_by_unit_and_text(org):
    client = api_as(org["ar"])

    in_shanghai = client.get("/users", {"unit_code": "ka-sh"}).json()["items"]
    by_name = client.get("/users", {"q": "张"}).json()["items"]

    assert {item["username"] for item in in_shanghai} == {"ar", "sr"}
    assert [item["username"] for item in by_name] == ["manager"]


def test_users_list_limit_above_200_is_refused(org):
    response = api_as(org["ar"]).get("/users", {"limit": 500})

    assert response.status_code == 422
    assert "limit" in _error_fields(response)


def test_admin_creates_a_user_who_can_then_work(org):
    response = api_as(org["admin"]).post(
        "/users",
        {
            "username": "newrep",
            "password": "Strong-pass-2024",
            "display_name": "陈晨",
            "email": "chen@example.com",
            "unit_codes": ["ka-sh", "smb"],
            "manager_of": ["smb"],
        },
    )

    assert response.status_code == 201, response.content
    body = response.json()
    assert "password" not in body
    assert sorted(body["unit_codes"]) == ["ka-sh", "smb"] and body["manager_of"] == ["smb"]
    user = User.objects.get(username="newrep")
    assert user.check_password("Strong-pass-2024")
    assert Membership.objects.get(user=user, is_primary=True).unit.code == "ka-sh"
    me = api_as(user).get("/me").json()
    assert [(unit["code"], unit["is_manager"]) for unit in me["units"]] == [("ka-sh", False), ("smb", True)]


def test_non_admin_may_not_create_users(org):
    response = api_as(org["manager"]).post("/users", {"username": "sneaky", "password": PASSWORD})

    assert response.status_code == 403
    assert not User.objects.filter(username="sneaky").exists()


def test_user_create_names_the_invalid_field(org):
    admin = api_as(org["admin"])

    duplicate = admin.post("/users", {"username": "ar", "password": PASSWORD})
    duplicate_other_case = admin.post("/users", {"username": "AR", "password": PASSWORD})
    unknown_unit = admin.post("/users", {"username": "u1", "password": PASSWORD, "unit_codes": ["nope"]})
    unknown_managed = admin.post("/users", {"username": "u2", "password": PASSWORD, "manager_of": ["nope"]})
    weak = admin.post("/users", {"username": "u3", "password": "12345678"})
    short = admin.post("/users", {"username": "u4", "password": "aB3!"})
    bad_name = admin.post("/users", {"username": "has space", "password": PASSWORD})
    bad_email = admin.post("/users", {"username": "u5", "password": PASSWORD, "email": "not-an-address"})
    like_name = admin.post("/users", {"username": "zhangsan2024", "password": "zhangsan2024"})

    for response, field in [
        (duplicate, "username"),
        (duplicate_other_case, "username"),
        (unknown_unit, "unit_codes"),
        (unknown_managed, "manager_of"),
        (weak, "password"),
        (short, "password"),
        (bad_name, "username"),
        (bad_email, "email"),
        (like_name, "password"),
    ]:
        assert response.status_code == 422, response.content
        assert _error_fields(response) == {field}, response.content
    assert not User.objects.filter(username__in=["u1", "u2", "u3", "u4", "u5", "zhangsan2024"]).exists()
