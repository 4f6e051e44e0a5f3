"""`/accounts`: create, list, read, versioned update, trash and history through the HTTP API."""

from __future__ import annotations

import pytest

from irontriangle.accounts.models import Account, AccountTeamMember
from tests.conftest import api_as
from tests.factories import make_account, make_user

VALID_CODE = "91350100M000100Y43"
OTHER_VALID_CODE = "914403001922038216"


def _error_fields(response) -> set[str]:
    return {error["field"] for error in response.json()["errors"]}


def _walk(client, limit: int, **params) -> list[dict]:
    items: list[dict] = []
    cursor = None
    for _page in range(100):
        response = client.get("/accounts", {"limit": limit, **params, **({"cursor": cursor} if cursor else {})})
        assert response.status_code == 200, response.content
        body = response.json()
        assert len(body["items"]) <= limit
        items.extend(body["items"])
        cursor = body["next_cursor"]
        if cursor is None:
            return items
    raise AssertionError("pagination does not end")


# --- create ------------------------------------------------------------------------------------


def test_create_makes_the_creator_owner_and_ar_in_the_primary_unit(org):
    client = api_as(org["ar"])

    response = client.post("/accounts", {"name": "中国石化上海分公司", "segment": "ka", "tier": "a"})

    assert response.status_code == 201, response.content
    body = response.json()
    assert body["owner_id"] == org["ar"].pk
    assert body["owner_unit_code"] == "ka-sh"
    assert body["version"] == 1
    assert (body["segment"], body["tier"]) == ("ka", "a")
    team = client.get(f"/accounts/{body['id']}/team").json()
    assert [(member["user_id"], member["role"], member["is_primary"]) for member in team] == [
        (org["ar"].pk, "ar", True)
    ]


def test_create_defaults_to_the_primary_of_several_units(org):
    matrix = make_user("matrix", units=[org["units"]["north"], org["units"]["smb"]])

    body = api_as(matrix).post("/accounts", {"name": "矩阵客户"}).json()

    assert body["owner_unit_code"] == "ka-north"


def test_create_in_another_of_ones_units(org):
    matrix = make_user("matrix", units=[org["units"]["north"], org["units"]["smb"]])

    response = api_as(matrix).post("/accounts", {"name": "小微客户", "owner_unit_code": "smb"})

    assert response.status_code == 201, response.content
    assert response.json()["owner_unit_code"] == "smb"


def test_create_for_a_unit_one_does_not_belong_to_is_refused(org):
    client = api_as(org["ar"])

    foreign = client.post("/accounts", {"name": "越权客户", "owner_unit_code": "ka-north"})
    unknown = client.post("/accounts", {"name": "未知部门客户", "owner_unit_code": "nope"})

    assert foreign.status_code == 422 and _error_fields(foreign) == {"owner_unit_code"}
    assert unknown.status_code == 422 and _error_fields(unknown) == {"owner_unit_code"}
    assert not Account.all_objects.filter(name__in=["越权客户", "未知部门客户"]).exists()


def test_manager_may_create_for_a_unit_below(org):
    response = api_as(org["manager"]).post("/accounts", {"name": "下属部门客户", "owner_unit_code": "ka-sh"})

    assert response.status_code == 201, response.content
    assert response.json()["owner_unit_code"] == "ka-sh"


def test_credit_code_is_checked_and_normalised(org):
    client = api_as(org["ar"])
    wrong_check = VALID_CODE[:-1] + "4"

    invalid = client.post("/accounts", {"name": "错误代码", "credit_code": wrong_check})
    valid = client.post("/accounts", {"name": "正确代码", "credit_code": VALID_CODE.lower()})

    assert invalid.status_code == 422
    assert [error["field"] for error in invalid.json()["errors"]] == ["credit_code"]
    assert valid.status_code == 201, valid.content
    assert valid.json()["credit_code"] == VALID_CODE


def test_duplicate_credit_code_is_refused_even_against_the_trash(org):
    client = api_as(org["ar"])
    first = client.post("/accounts", {"name": "原客户", "credit_code": VALID_CODE}).json()

    duplicate = client.post("/accounts", {"name": "重复客户", "credit_code": VALID_CODE})
    assert duplicate.status_code == 422 and _error_fields(duplicate) == {"credit_code"}

    assert client.delete(f"/accounts/{first['id']}").status_code == 204
    after_trash = client.post("/accounts", {"name": "重复客户", "credit_code": VALID_CODE})
    assert after_trash.status_code == 422 and _error_fields(after_trash) == {"credit_code"}
    assert not Account.all_objects.filter(name="重复客户").exists()


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"name": "x", "segment": "xx"}, "segment"),
        ({"name": "x", "tier": "z"}, "tier"),
        ({"name": "x" * 201}, "name"),
        ({"name": "bad\x00name"}, "name"),
        ({"name": ""}, "name"),
        ({"name": "x", "annual_revenue": "-1"}, "annual_revenue"),
        ({"name": "x", "annual_revenue": "1.005"}, "annual_revenue"),
        ({"name": "x", "currency": "rmb"}, "currency"),
        ({"name": "x", "employees": -3}, "employees"),
        ({"name": "x", "parent_id": 0}, "parent_id"),
        ({"name": "x", "parent_id": 999999}, "parent_id"),
        ({"name": "x", "owner_id": 999999}, "owner_id"),
        ({"name": "x", "legal_name": "a\x00b"}, "legal_name"),
        ({}, "name"),
    ],
)
def test_invalid_input_is_422_naming_the_field(org, payload, field):
    response = api_as(org["ar"]).post("/accounts", payload)

    assert response.status_code == 422, response.content
    body = response.json()
    assert body["code"] == "invalid"
    assert field in _error_fields(response)
    assert Account.all_objects.count() == 0


def test_name_of_200_characters_is_accepted(org):
    response = api_as(org["ar"]).post("/accounts", {"name": "客" * 200})

    assert response.status_code == 201, response.content


def test_unparseable_body_is_422_not_500(org):
    client = api_as(org["ar"]).client
    token = api_as(org["ar"]).headers["Authorization"]

    response = client.post(
        "/api/v1/accounts", "{not json", content_type="application/json", headers={"Authorization": token}
    )

    assert response.status_code == 422


# --- read --------------------------------------------------------------------------------------


def test_detail_shows_the_fields(org):
    account = make_account(
        org["ar"],
        name="招商银行",
        legal_name="招商银行股份有限公司",
        credit_code=VALID_CODE,
        annual_revenue="1250000.00",
    )

    response = api_as(org["ar"]).get(f"/accounts/{account.pk}")

    assert response.status_code == 200
    body = response.json()
    assert body["name"] == "招商银行"
    assert body["legal_name"] == "招商银行股份有限公司"
    assert body["credit_code"] == VALID_CODE
    assert body["annual_revenue"] == "1250000.00"
    assert body["currency"] == "CNY"
    assert body["owner_unit_code"] == "ka-sh"


def test_missing_and_malformed_ids_are_404_or_422(org):
    client = api_as(org["ar"])

    assert client.get("/accounts/999999").status_code == 404
    assert client.get("/accounts/999999").json()["code"] == "not_found"
    assert client.get("/accounts/abc").status_code == 422
    assert client.get(f"/accounts/{2**63}").status_code == 422


def test_list_filters_by_text_segment_and_tier(org):
    ar = org["ar"]
    telecom = make_account(ar, name="中国电信江苏公司", segment="ka", tier="s", credit_code=VALID_CODE)
    make_account(ar, name="中国联通江苏公司", segment="ka", tier="a")
    bakery = make_account(ar, name="街角面包店", segment="smb")
    client = api_as(ar)

    def names(**params):
        response = client.get("/accounts", params)
        assert response.status_code == 200, response.content
        return {item["name"] for item in response.json()["items"]}

    assert names(q="江苏") == {"中国电信江苏公司", "中国联通江苏公司"}
    assert names(q=VALID_CODE.lower()) == {telecom.name}
    assert names(segment="ka") == {"中国电信江苏公司", "中国联通江苏公司"}
    assert names(segment="smb") == {bakery.name}
    assert names(segment="ka", tier="s") == {telecom.name}
    assert names(q="不存在") == set()


def test_list_refuses_unknown_filter_values(org):
    client = api_as(org["ar"])

    for params, field in [({"segment": "xx"}, "segment"), ({"tier": "q"}, "tier"), ({"sort": "potential"}, "sort")]:
        response = client.get("/accounts", params)
        assert response.status_code == 422, params
        assert _error_fields(response) == {field}


def test_list_limit_above_200_is_refused(org):
    response = api_as(org["ar"]).get("/accounts", {"limit": 201})

    assert response.status_code == 422
    assert _error_fields(response) == {"limit"}


def test_keyset_pages_have_no_duplicates_and_no_gaps_with_equal_names(org):
    ar = org["ar"]
    created = {make_account(ar, name=name).pk for name in ["同名客户"] * 5 + ["甲公司", "乙公司", "Acme", "zeta"]}
    client = api_as(ar)

    walked = _walk(client, limit=2)
    one_page = client.get("/accounts", {"limit": 200}).json()["items"]

    ids = [item["id"] for item in walked]
    assert len(ids) == len(set(ids)), "an account appeared on two pages"
    assert set(ids) == created, "an account was skipped"
    assert ids == [item["id"] for item in one_page], "paging changed the order"
    same_name = [item["id"] for item in walked if item["name"] == "同名客户"]
    assert same_name == sorted(same_name)


def test_keyset_pages_by_update_time_descending(org):
    ar = org["ar"]
    created = {make_account(ar, name=f"客户{number}").pk for number in range(7)}

    walked = _walk(api_as(ar), limit=3, sort="-updated_at")

    ids = [item["id"] for item in walked]
    assert len(ids) == len(set(ids)) and set(ids) == created
    stamps = [item["updated_at"] for item in walked]
    assert stamps == sorted(stamps, reverse=True)


def test_keyset_cursor_stays_valid_when_rows_are_added_before_it(org):
    ar = org["ar"]
    originals = {make_account(ar, name=f"B客户{number}").pk for number in range(6)}
    client = api_as(ar)
    first = client.get("/accounts", {"limit": 2}).json()

    newcomer = make_account(ar, name="A新客户")  # sorts before the cursor
    rest = _walk(client, limit=2, cursor=first["next_cursor"])

    ids = [item["id"] for item in first["items"]] + [item["id"] for item in rest]
    assert len(ids) == len(set(ids))
    assert set(ids) == originals
    assert newcomer.pk not in ids


def test_cursor_of_another_sort_is_refused(org):
    ar = org["ar"]
    for number in range(3):
        make_account(ar, name=f"客户{number}")
    client = api_as(ar)
    cursor = client.get("/accounts", {"limit": 1}).json()["next_cursor"]

    response = client.get("/accounts", {"limit": 1, "cursor": cursor, "sort": "-updated_at"})

    assert response.status_code == 422
    assert _error_fields(response) == {"cursor"}


# --- update ------------------------------------------------------------------------------------


def test_patch_with_the_current_version_applies_and_bumps_it(org, team_account):
    response = api_as(org["ar"]).patch(
        f"/accounts/{team_account.pk}", {"version": 1, "tier": "a", "industry": "电信运营商"}
    )

    assert response.status_code == 200, response.content
    body = response.json()
    assert (body["tier"], body["industry"], body["version"]) == ("a", "电信运营商", 2)
    team_account.refresh_from_db()
    assert (team_account.tier, team_account.version) == ("a", 2)
    assert team_account.name == "中国移动上海公司"  # fields not sent stay


def test_patch_with_a_stale_version_is_409_with_the_current_state(org, team_account):
    ar, sr = api_as(org["ar"]), api_as(org["sr"])
    assert ar.patch(f"/accounts/{team_account.pk}", {"version": 1, "region": "上海"}).status_code == 200

    response = sr.patch(f"/accounts/{team_account.pk}", {"version": 1, "region": "北京", "tier": "c"})

    assert response.status_code == 409
    body = response.json()
    assert body["code"] == "version_conflict"
    assert body["current"]["version"] == 2
    assert body["current"]["region"] == "上海"
    team_account.refresh_from_db()
    assert (team_account.region, team_account.tier, team_account.version) == ("上海", "s", 2)


def test_patch_version_from_if_match_header(org, team_account):
    client = api_as(org["ar"])

    fresh = client.patch(f"/accounts/{team_account.pk}", {"region": "浦东"}, **{"If-Match": '"1"'})
    weak = client.patch(f"/accounts/{team_account.pk}", {"region": "浦西"}, **{"If-Match": 'W/"2"'})
    stale = client.patch(f"/accounts/{team_account.pk}", {"region": "静安"}, **{"If-Match": '"1"'})

    assert fresh.status_code == 200 and fresh.json()["version"] == 2
    assert weak.status_code == 200 and weak.json()["version"] == 3
    assert stale.status_code == 409 and stale.json()["code"] == "version_conflict"
    team_account.refresh_from_db()
    assert team_account.region == "浦西"


def test_patch_without_a_version_is_refused(org, team_account):
    response = api_as(org["ar"]).patch(f"/accounts/{team_account.pk}", {"region": "上海"})

    assert response.status_code == 422
    assert _error_fields(response) == {"version"}
    team_account.refresh_from_db()
    assert team_account.region == ""


def test_patch_that_changes_nothing_keeps_the_version(org, team_account):
    response = api_as(org["ar"]).patch(f"/accounts/{team_account.pk}", {"version": 1, "tier": "s"})

    assert response.status_code == 200
    assert response.json()["version"] == 1


def test_patch_null_clears_an_optional_field(org, team_account):
    response = api_as(org["ar"]).patch(f"/accounts/{team_account.pk}", {"version": 1, "tier": None})

    assert response.status_code == 200, response.content
    assert response.json()["tier"] is None


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"credit_code": VALID_CODE[:-1] + "4"}, "credit_code"),
        ({"segment": "xx"}, "segment"),
        ({"name": "x" * 201}, "name"),
        ({"name": "坏\x00名字"}, "name"),
        ({"owner_unit_code": "ka-north"}, "owner_unit_code"),
        ({"parent_id": 999999}, "parent_id"),
    ],
)
def test_invalid_patch_is_422_and_changes_nothing(org, team_account, payload, field):
    response = api_as(org["ar"]).patch(f"/accounts/{team_account.pk}", {"version": 1, **payload})

    assert response.status_code == 422, response.content
    assert field in _error_fields(response)
    team_account.refresh_from_db()
    assert (team_account.version, team_account.owner_unit.code, team_account.segment) == (1, "ka-sh", "ka")


def test_patch_to_a_duplicate_credit_code_is_refused(org, team_account):
    make_account(org["ar"], name="已有代码", credit_code=OTHER_VALID_CODE)

    response = api_as(org["ar"]).patch(f"/accounts/{team_account.pk}", {"version": 1, "credit_code": OTHER_VALID_CODE})

    assert response.status_code == 422
    assert _error_fields(response) == {"credit_code"}


def test_account_cannot_become_its_own_ancestor(org, team_account):
    client = api_as(org["ar"])
    child = client.post("/accounts", {"name": "子公司", "parent_id": team_account.pk}).json()
    assert child["parent_id"] == team_account.pk

    response = client.patch(f"/accounts/{team_account.pk}", {"version": 1, "parent_id": child["id"]})

    assert response.status_code == 422
    assert _error_fields(response) == {"parent_id"}


def test_parent_must_be_visible(org, team_account):
    foreign = make_account(org["outsider"], name="别人的客户")

    response = api_as(org["ar"]).patch(f"/accounts/{team_account.pk}", {"version": 1, "parent_id": foreign.pk})

    assert response.status_code == 422
    assert _error_fields(response) == {"parent_id"}


# --- history -----------------------------------------------------------------------------------


def test_history_shows_old_and_new_values_with_the_user(org, team_account):
    client = api_as(org["sr"])
    changed = client.patch(f"/accounts/{team_account.pk}", {"version": 1, "tier": "a", "region": "上海"})
    assert changed.status_code == 200

    response = client.get(f"/accounts/{team_account.pk}/history")

    assert response.status_code == 200
    entries = response.json()
    latest, created = entries[0], entries[-1]
    assert latest["kind"] == "changed"
    assert latest["user_id"] == org["sr"].pk and latest["user_name"] == "李娜"
    changes = {change["field"]: (change["old"], change["new"]) for change in latest["changes"]}
    assert changes == {"tier": ("s", "a"), "region": ("", "上海")}
    assert created["kind"] == "created" and created["user_id"] == org["ar"].pk
    fields = {change["field"] for entry in entries for change in entry["changes"]}
    assert not fields & {"version", "updated_at"}


# --- delete, trash, restore ----------------------------------------------------------------------


def test_delete_moves_to_the_trash_and_an_admin_restores(org, team_account):
    owner, admin = api_as(org["ar"]), api_as(org["admin"])

    assert owner.delete(f"/accounts/{team_account.pk}").status_code == 204
    assert owner.get(f"/accounts/{team_account.pk}").status_code == 404
    assert team_account.pk not in [item["id"] for item in owner.get("/accounts").json()["items"]]
    assert owner.delete(f"/accounts/{team_account.pk}").status_code == 404

    trash = admin.get("/trash")
    assert trash.status_code == 200
    entry = next(item for item in trash.json() if item["id"] == team_account.pk)
    assert entry["kind"] == "accounts.account"
    assert entry["title"] == "中国移动上海公司"
    assert entry["deleted_by"] == "王磊"

    restored = admin.post(f"/trash/accounts.account/{team_account.pk}/restore")
    assert restored.status_code == 200, restored.content
    assert restored.json()["id"] == team_account.pk

    back = owner.get(f"/accounts/{team_account.pk}")
    assert back.status_code == 200
    assert back.json()["name"] == "中国移动上海公司"
    assert not any(item["id"] == team_account.pk for item in admin.get("/trash").json())


def test_trash_is_for_administrators_only(org, team_account):
    owner = api_as(org["ar"])
    assert owner.delete(f"/accounts/{team_account.pk}").status_code == 204

    assert owner.get("/trash").status_code == 403
    assert owner.post(f"/trash/accounts.account/{team_account.pk}/restore").status_code == 404
    assert Account.all_objects.get(pk=team_account.pk).deleted_at is not None


def test_restore_of_a_live_or_unknown_record_is_refused(org, team_account):
    admin = api_as(org["admin"])

    assert admin.post(f"/trash/accounts.account/{team_account.pk}/restore").status_code == 404
    assert admin.post("/trash/nothing.here/1/restore").status_code == 404
    assert admin.post("/trash/NOT-A-KIND/1/restore").status_code == 422


def test_deleting_keeps_the_team_history(org, team_account):
    assert api_as(org["ar"]).delete(f"/accounts/{team_account.pk}").status_code == 204

    assert AccountTeamMember.objects.filter(account_id=team_account.pk).count() == 2


def test_hostile_text_in_query_and_body_is_422_never_500(org, team_account):
    client = api_as(org["ar"])
    raw = client.client
    auth = client.headers["Authorization"]

    nul_query = client.get("/accounts", {"q": "a\x00b"})
    surrogate = raw.post(
        "/api/v1/accounts",
        b'{"name": "\\ud800"}',
        content_type="application/json",
        headers={"Authorization": auth},
    )
    huge_number = client.post("/accounts", {"name": "x", "employees": 10**30})
    wrong_type = client.patch(f"/accounts/{team_account.pk}", {"version": "one", "name": ["x"]})

    assert nul_query.status_code == 422
    assert surrogate.status_code == 422
    assert huge_number.status_code == 422 and _error_fields(huge_number) == {"employees"}
    assert wrong_type.status_code == 422 and _error_fields(wrong_type) == {"version", "name"}


def test_a_manager_creates_an_account_for_a_rep_of_a_unit_below(org):
    manager = api_as(org["manager"])

    response = manager.post("/accounts", {"name": "指派客户", "owner_unit_code": "ka-sh", "owner_id": org["sr"].pk})

    assert response.status_code == 201, response.content
    body = response.json()
    assert body["owner_id"] == org["sr"].pk
    team = api_as(org["sr"]).get(f"/accounts/{body['id']}/team").json()
    assert [(member["user_id"], member["role"]) for member in team] == [(org["sr"].pk, "ar")]


def test_a_rep_may_not_create_an_account_owned_by_someone_else(org):
    # It would vanish from the creator's sight at once; handing accounts over is for managers.
    response = api_as(org["ar"]).post("/accounts", {"name": "替人建的客户", "owner_id": org["sr"].pk})

    assert response.status_code == 422, response.content
    assert _error_fields(response) == {"owner_id"}
    assert not Account.all_objects.filter(name="替人建的客户").exists()


def test_list_filters_by_owner_unit_and_owner(org):
    ar = org["ar"]
    mine = make_account(ar, name="上海客户")
    theirs = make_account(org["manager"], name="华东客户")
    manager = api_as(org["manager"])

    def ids(**params):
        response = manager.get("/accounts", params)
        assert response.status_code == 200, response.content
        return {item["id"] for item in response.json()["items"]}

    assert ids(owner_unit_code="ka-sh") == {mine.pk}
    # A unit's accounts include those of the branches below it.
    assert ids(owner_unit_code="ka-east") == {mine.pk, theirs.pk}
    assert ids(owner_id=ar.pk) == {mine.pk}
    assert ids() == {mine.pk, theirs.pk}


def test_keyset_pages_agree_with_the_database_collation(org):
    # Names that collations order differently (case, accents, spaces, punctuation, CJK, digits).
    names = ["acme", "Acme", "ACME", "Ácme", "a cme", "a-cme", "Acme 2", "Acme 10", "阿里", "安徽", "Ω", "_x", "x"]
    created = {make_account(org["ar"], name=name).pk for name in names}
    client = api_as(org["ar"])

    walked = _walk(client, limit=1)
    one_page = client.get("/accounts", {"limit": 200}).json()["items"]

    ids = [item["id"] for item in walked]
    assert ids == [item["id"] for item in one_page]
    assert len(ids) == len(set(ids)) and set(ids) == created
