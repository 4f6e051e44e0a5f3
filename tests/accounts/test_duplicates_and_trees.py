"""Duplicate detection before creating, and account trees with roll-ups."""

from __future__ import annotations

from decimal import Decimal

import pytest

from irontriangle.accounts.models import Account
from irontriangle.accounts.profiling import name_key
from tests.conftest import api_as
from tests.e2e.test_accounts_flow import credit_code
from tests.factories import add_to_team, make_account, make_user, update_account


@pytest.mark.parametrize(
    ("one", "other"),
    [
        ("华为技术有限公司", "华为技术"),
        ("华为技术股份有限公司", "华为 技术"),
        ("ＡＢＣ科技（上海）有限公司", "abc科技(上海)"),
        ("Huawei Technologies Co., Ltd.", "HUAWEI  TECHNOLOGIES"),
        ("Acme Corp.", "acme"),
        ("杭州钢铁集团有限责任公司", "杭州钢铁集团"),
    ],
)
def test_names_that_differ_only_in_width_case_spaces_or_legal_form_share_a_key(one, other):
    assert name_key(one) == name_key(other)


@pytest.mark.parametrize(("one", "other"), [("Tesco", "Tes"), ("华为技术", "华为终端"), ("有限公司", "")])
def test_different_companies_keep_different_keys(one, other):
    assert name_key(one) != name_key(other)


def test_suffix_words_are_removed_only_as_whole_words():
    assert name_key("Tesco") == "tesco"
    assert name_key("Unico Ltd") == "unico"


def _duplicates(user, **params):
    response = api_as(user).get("/accounts/duplicates", params)
    assert response.status_code == 200, response.content
    return response.json()


def test_same_credit_code_and_normalised_name_are_found(org):
    code = credit_code(11)
    account = make_account(org["ar"], name="华为技术有限公司", credit_code=code)

    by_code = _duplicates(org["ar"], credit_code=code.lower())
    by_name = _duplicates(org["ar"], name="华为技术股份有限公司")
    by_english = _duplicates(org["ar"], name="华为 技术")

    assert [(d["id"], d["match"], d["visible"]) for d in by_code] == [(account.pk, "credit_code", True)]
    assert [(d["id"], d["match"]) for d in by_name] == [(account.pk, "name")]
    assert [d["id"] for d in by_english] == [account.pk]


def test_a_name_inside_another_is_a_similar_name(org):
    account = make_account(org["ar"], name="中国电信广东分公司")

    found = _duplicates(org["ar"], name="电信广东")

    assert [(d["id"], d["match"]) for d in found] == [(account.pk, "similar_name")]
    assert _duplicates(org["ar"], name="电信") == []  # too short to say anything


def test_an_invisible_match_shows_name_and_owner_unit_but_no_details(org):
    code = credit_code(12)
    hidden = make_account(org["ar"], name="宁波港集团", credit_code=code)

    found = _duplicates(org["outsider"], credit_code=code)

    assert found == [
        {
            "id": hidden.pk,
            "name": "宁波港集团",
            "match": "credit_code",
            "visible": False,
            "owner_unit_code": "ka-sh",
            "owner_unit_name": "上海分公司",
            "credit_code": None,
        }
    ]
    assert api_as(org["outsider"]).get(f"/accounts/{hidden.pk}").status_code == 404


def test_the_account_being_edited_is_not_its_own_duplicate(org):
    account = make_account(org["ar"], name="上港集团")

    assert _duplicates(org["ar"], name="上港集团", exclude_id=account.pk) == []


def test_trashed_accounts_are_not_reported(org):
    account = make_account(org["ar"], name="已删除客户")
    api_as(org["ar"]).delete(f"/accounts/{account.pk}")

    assert _duplicates(org["ar"], name="已删除客户") == []


def test_nothing_asked_nothing_found(org):
    make_account(org["ar"], name="任意客户")
    assert _duplicates(org["ar"]) == []


# --- trees --------------------------------------------------------------------------------------------


@pytest.fixture
def operator_tree(org):
    ar = org["ar"]
    group = make_account(ar, name="中国电信集团", potential="1000000.00")
    province = make_account(ar, name="广东公司", parent_id=group.pk, potential="200000.00")
    city = make_account(ar, name="深圳分公司", parent_id=province.pk, potential="30000.00")
    other_city = make_account(ar, name="广州分公司", parent_id=province.pk)
    return group, province, city, other_city


def test_paths_follow_the_tree_at_any_depth(operator_tree):
    group, province, city, _other = operator_tree
    city = Account.objects.get(pk=city.pk)

    assert city.tree_path == f"/{group.pk}/{province.pk}/{city.pk}/"


def test_potential_rolls_up_over_the_subtree(org, operator_tree):
    group, _province, city, _other_city = operator_tree

    tree = api_as(org["ar"]).get(f"/accounts/{group.pk}/tree").json()

    rows = {node["name"]: (node["depth"], node["rolled_up_potential"], node["descendants"]) for node in tree["nodes"]}
    assert rows == {
        "中国电信集团": (0, "1230000.00", 3),
        "广东公司": (1, "230000.00", 2),
        "深圳分公司": (2, "30000.00", 0),
        "广州分公司": (2, None, 0),
    }
    assert [node["name"] for node in api_as(org["ar"]).get(f"/accounts/{city.pk}/tree").json()["ancestors"]] == [
        "中国电信集团",
        "广东公司",
    ]


def test_what_a_person_cannot_see_never_adds_to_their_totals(org, operator_tree):
    group, _province, _city, _other = operator_tree
    only_group = make_user(units=[org["units"]["north"]])
    add_to_team(group, only_group, "sr")

    tree = api_as(only_group).get(f"/accounts/{group.pk}/tree").json()

    assert [(node["name"], node["rolled_up_potential"]) for node in tree["nodes"]] == [("中国电信集团", "1000000.00")]


def test_moving_a_branch_moves_its_whole_subtree(org, operator_tree):
    _group, province, city, _other = operator_tree
    other_group = make_account(org["ar"], name="中国联通集团")

    update_account(province, org["ar"], parent_id=other_group.pk)

    city = Account.objects.get(pk=city.pk)
    assert city.tree_path == f"/{other_group.pk}/{province.pk}/{city.pk}/"
    rolled = api_as(org["ar"]).get(f"/accounts/{other_group.pk}/tree").json()["nodes"][0]["rolled_up_potential"]
    assert Decimal(rolled) == Decimal("230000.00")


def test_a_group_cannot_move_below_its_own_city(org, operator_tree):
    group, _province, city, _other = operator_tree

    response = api_as(org["ar"]).patch(f"/accounts/{group.pk}", {"version": 1, "parent_id": city.pk})

    assert response.status_code == 422 and response.json()["errors"][0]["field"] == "parent_id"
