"""KA profile rules, the segment confirmation and the customer matrix, through the API."""

from __future__ import annotations

from decimal import Decimal

import pytest

from irontriangle.accounts.models import Account, KaProfileRule
from irontriangle.accounts.services import matrix_settings_update, profile_rule_update
from irontriangle.common.access import viewer_of
from irontriangle.notifications.models import Event
from tests.conftest import api_as
from tests.factories import add_to_team, make_account, strengthen, update_account

REGIONAL = {
    "name": "杭州钢铁",
    "coverage": "regional",
    "region": "浙江",
    "annual_revenue": "80000000.00",
}


def _fields(response) -> set[str]:
    return {error["field"] for error in response.json()["errors"]}


def test_a_regional_company_over_the_threshold_is_proposed_as_ka_by_the_regional_rule(org):
    response = api_as(org["ar"]).post("/accounts", REGIONAL)

    assert response.status_code == 201, response.content
    body = response.json()
    assert body["segment"] == "smb"
    suggestion = body["ka_suggestion"]
    assert suggestion["segment"] == "ka"
    assert suggestion["rule"] == "regional"
    assert suggestion["label"] == "Regional key account"
    assert suggestion["pending"] is True
    assert any("80,000,000" in reason and "50,000,000" in reason for reason in suggestion["reasons"])


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        ({"annual_revenue": "49999999.99"}, None),  # under the 50,000,000 CNY threshold
        ({"region": ""}, None),  # no home region: not a regional key account
        ({"coverage": "local"}, None),
        ({"coverage": "national"}, "national"),
        ({"coverage": "global"}, "global"),
        ({"coverage": "local", "high_willingness_to_pay": True}, "high_willingness"),
    ],
)
def test_which_rule_matches(org, change, expected):
    body = api_as(org["ar"]).post("/accounts", {**REGIONAL, **change}).json()

    assert (body["ka_suggestion"] or {}).get("rule") == expected


def test_the_suggestion_speaks_the_readers_language(org):
    account = make_account(org["ar"], **REGIONAL)

    body = api_as(org["ar"], "zh-hans").get(f"/accounts/{account.pk}").json()

    assert body["ka_suggestion"]["label"] == "区域性重点客户"


def test_confirming_the_segment_is_audited_and_settles_the_suggestion(org):
    account = make_account(org["ar"], **REGIONAL)
    client = api_as(org["ar"])

    response = client.post(f"/accounts/{account.pk}/confirm-segment", {"segment": "ka", "reason": "省内龙头"})

    assert response.status_code == 200, response.content
    body = response.json()
    assert body["segment"] == "ka"
    assert body["ka_suggestion"]["pending"] is False
    assert body["segment_confirmed_by_id"] == org["ar"].pk
    history = client.get(f"/accounts/{account.pk}/history").json()
    newest = history[0]
    assert newest["user_id"] == org["ar"].pk
    assert {"field": "segment", "old": "SMB", "new": "KA"} in [
        {key: change[key] for key in ("field", "old", "new")} for change in newest["changes"]
    ] or any(change["field"] == "segment" for change in newest["changes"])
    event = Event.objects.get(kind="account.segment_confirmed", subject_id=account.pk)
    assert event.data["rule"] == "regional" and event.data["reason"] == "省内龙头"


def test_keeping_smb_against_the_rule_also_settles_it_until_the_profile_changes(org):
    account = make_account(org["ar"], **REGIONAL)
    client = api_as(org["ar"])

    kept = client.post(f"/accounts/{account.pk}/confirm-segment", {"segment": "smb"}).json()
    assert kept["segment"] == "smb" and kept["ka_suggestion"]["pending"] is False

    # It grows into a national company: a new rule fits, so the question opens again.
    reopened = update_account(account, org["ar"], coverage="national")
    assert reopened.ka_rule == "national" and reopened.segment_confirmed_at is None


def test_confirming_needs_edit_rights_and_a_valid_segment(org, team_account):
    assert (
        api_as(org["outsider"]).post(f"/accounts/{team_account.pk}/confirm-segment", {"segment": "ka"}).status_code
        == 404
    )
    bad = api_as(org["ar"]).post(f"/accounts/{team_account.pk}/confirm-segment", {"segment": "big"})
    assert bad.status_code == 422 and _fields(bad) == {"segment"}


def test_ka_suggested_filter_lists_only_unsettled_proposals(org):
    pending = make_account(org["ar"], **REGIONAL)
    settled = make_account(org["ar"], **{**REGIONAL, "name": "宁波港"})
    make_account(org["ar"], name="小店")
    client = api_as(org["ar"])
    client.post(f"/accounts/{settled.pk}/confirm-segment", {"segment": "ka"})

    items = client.get("/accounts", {"ka_suggested": "true"}).json()["items"]

    assert [item["id"] for item in items] == [pending.pk]


def test_an_administrator_changing_the_threshold_reclassifies_accounts(org):
    account = make_account(org["ar"], **REGIONAL)
    rule = KaProfileRule.objects.get(code="regional")

    profile_rule_update(
        viewer=viewer_of(org["admin"]), actor=org["admin"], rule=rule, data={"min_annual_revenue": Decimal("1e8")}
    )

    assert api_as(org["ar"]).get(f"/accounts/{account.pk}").json()["ka_suggestion"] is None


def test_only_administrators_change_the_configuration(org):
    from irontriangle.common.errors import Forbidden

    with pytest.raises(Forbidden):
        matrix_settings_update(viewer=viewer_of(org["manager"]), actor=org["manager"], data={"strength_threshold": 10})


# --- customer matrix ------------------------------------------------------------------------------


def _matrix(client, account) -> str:
    return client.get(f"/accounts/{account.pk}").json()["matrix_class"]


def test_matrix_class_follows_potential_and_relationship_strength_across_thresholds(org):
    client = api_as(org["ar"])
    account = make_account(org["ar"], name="华润电力", potential="9999999.99")
    assert _matrix(client, account) == "problem"  # low potential, weak relationship

    update_account(account, org["ar"], potential="10000000.00")  # the default threshold is "from"
    assert _matrix(client, account) == "growth"

    strengthen(account)  # a key contact who supports us, closely
    assert _matrix(client, account) == "core"

    update_account(account, org["ar"], potential=None)
    assert _matrix(client, account) == "traction"

    history = client.get(f"/accounts/{account.pk}/history").json()
    assert any(change["field"] == "matrix_class" for entry in history for change in entry["changes"])


def test_matrix_thresholds_are_configurable(org):
    client = api_as(org["ar"])
    account = strengthen(make_account(org["ar"], name="上汽", potential="5000000.00"), strong=2, weak=1)
    assert client.get(f"/accounts/{account.pk}").json()["relationship_score"] == 66
    assert _matrix(client, account) == "traction"

    matrix_settings_update(
        viewer=viewer_of(org["admin"]),
        actor=org["admin"],
        data={"potential_threshold": Decimal("4000000.00"), "strength_threshold": 70},
    )

    assert _matrix(client, account) == "growth"  # high potential now, and 66 is no longer strong


@pytest.mark.parametrize("field", ["matrix_class", "relationship_score", "ka_suggestion"])
def test_computed_fields_cannot_be_written(org, field):
    account = make_account(org["ar"], name="宝钢")
    client = api_as(org["ar"])

    patched = client.patch(
        f"/accounts/{account.pk}", {"version": 1, field: "core" if field != "relationship_score" else 99}
    )
    created = client.post("/accounts", {"name": "鞍钢", field: "core"})

    assert patched.status_code == 422 and _fields(patched) == {field}
    assert created.status_code == 422 and _fields(created) == {field}
    assert Account.objects.get(pk=account.pk).matrix_class == "problem"
    assert not Account.objects.filter(name="鞍钢").exists()


def test_matrix_and_coverage_filters(org):
    core = strengthen(make_account(org["ar"], name="核心", potential="2e7", coverage="national"))
    make_account(org["ar"], name="问题", coverage="local", region="苏州", industry="制造")
    client = api_as(org["ar"])

    def names(**params):
        return [item["name"] for item in client.get("/accounts", params).json()["items"]]

    assert names(matrix_class="core") == ["核心"]
    assert names(coverage="local") == ["问题"]
    assert names(region="苏州") == ["问题"]
    assert names(industry="制造") == ["问题"]
    assert client.get("/accounts", {"matrix_class": "gold"}).status_code == 422
    assert core.matrix_class == "core"


# --- iron triangle --------------------------------------------------------------------------------


def test_missing_triangle_roles_are_flagged_and_filterable(org):
    complete = make_account(org["ar"], name="齐全")
    add_to_team(complete, org["sr"], "sr")
    add_to_team(complete, org["manager"], "fr", by=org["ar"])
    lacking = make_account(org["ar"], name="缺人")
    client = api_as(org["ar"])

    assert client.get(f"/accounts/{complete.pk}").json()["missing_roles"] == []
    assert client.get(f"/accounts/{lacking.pk}").json()["missing_roles"] == ["sr", "fr"]
    missing = client.get("/accounts", {"missing_triangle": "true"}).json()["items"]
    assert [item["name"] for item in missing] == ["缺人"]
    whole = client.get("/accounts", {"missing_triangle": "false"}).json()["items"]
    assert [item["name"] for item in whole] == ["齐全"]


def test_a_backup_counts_and_an_ended_member_does_not(org):
    account = make_account(org["ar"], name="备份")
    member = add_to_team(account, org["sr"], "sr", is_primary=False)
    client = api_as(org["ar"])
    assert "sr" not in client.get(f"/accounts/{account.pk}").json()["missing_roles"]

    client.delete(f"/accounts/{account.pk}/team/{member.pk}")

    assert "sr" in client.get(f"/accounts/{account.pk}").json()["missing_roles"]


def test_a_configuration_change_reopens_the_question_for_accounts_kept_smb(org):
    account = make_account(org["ar"], **{**REGIONAL, "high_willingness_to_pay": True})
    api_as(org["ar"]).post(f"/accounts/{account.pk}/confirm-segment", {"segment": "smb"})
    regional = KaProfileRule.objects.get(code="regional")

    profile_rule_update(viewer=viewer_of(org["admin"]), actor=org["admin"], rule=regional, data={"enabled": False})

    suggestion = api_as(org["ar"]).get(f"/accounts/{account.pk}").json()["ka_suggestion"]
    assert suggestion["rule"] == "high_willingness" and suggestion["pending"] is True
