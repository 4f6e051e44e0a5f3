"""The account list's filters, the form's duplicate warning and the claim raised from it, through the
Django test client and the real middleware, as a team member, a manager above and an outsider."""

from __future__ import annotations

import re

import pytest

from irontriangle.accounts.models import Account, KaProfileRule, OwnershipRequest
from tests.factories import add_to_team, make_account, make_user, strengthen

CODE = "91350100M000100Y43"
HX = {"HX-Request": "true"}


def names(response) -> set[str]:
    return {account.name for account, _missing in response.context["rows"]}


def form_data(**fields):
    data = {
        "name": "",
        "segment": "smb",
        "lifecycle_stage": "exploring",
        "strategic_fit": "neutral",
        "potential_basis": "manual",
        "currency": "CNY",
    }
    data.update(fields)
    return data


@pytest.fixture
def matrix(org):
    """One account per matrix class, all owned by the Shanghai AR (high potential from 10 million)."""
    ar = org["ar"]
    return {
        "core": strengthen(make_account(ar, name="核心客户", potential="20000000", region="上海")),
        "growth": make_account(ar, name="成长客户", potential="20000000", coverage="national", industry="金融"),
        "traction": strengthen(make_account(ar, name="牵引客户", potential="100", coverage="regional")),
        "problem": make_account(ar, name="问题客户", region="北京", industry="通信"),
    }


# --- list filters -----------------------------------------------------------------------------------


def test_matrix_class_filter(client, org, matrix):
    client.force_login(org["ar"])
    assert names(client.get("/accounts/")) == {"核心客户", "成长客户", "牵引客户", "问题客户"}
    for matrix_class, account in matrix.items():
        assert names(client.get("/accounts/", {"matrix_class": matrix_class})) == {account.name}


def test_coverage_region_and_industry_filters(client, org, matrix):
    client.force_login(org["ar"])
    assert names(client.get("/accounts/", {"coverage": "national"})) == {"成长客户"}
    assert names(client.get("/accounts/", {"region": "北京"})) == {"问题客户"}
    assert names(client.get("/accounts/", {"industry": "金融"})) == {"成长客户"}
    assert names(client.get("/accounts/", {"industry": "通信", "region": "上海"})) == set()


def test_missing_triangle_filter_and_badge(client, org):
    complete = make_account(org["ar"], name="铁三角齐全")
    add_to_team(complete, org["sr"], "sr")
    add_to_team(complete, org["manager"], "fr")
    make_account(org["ar"], name="缺人客户")
    client.force_login(org["ar"])
    response = client.get("/accounts/", {"missing_triangle": "on"})
    assert names(response) == {"缺人客户"}
    body = response.content.decode()
    assert 'data-testid="missing-triangle"' in body and "SR / FR" in body
    # Unticked means "no filter", not "only complete teams".
    assert names(client.get("/accounts/")) == {"铁三角齐全", "缺人客户"}


def test_ka_suggested_filter(client, org):
    KaProfileRule.objects.get_or_create(code="global", defaults={"coverage": "global", "priority": 10})
    make_account(org["ar"], name="待确认大客户", coverage="global")  # SMB, but a rule proposes KA
    make_account(org["ar"], name="已定大客户", coverage="global", segment="ka")  # created as KA: decided
    make_account(org["ar"], name="普通客户")
    client.force_login(org["ar"])
    response = client.get("/accounts/", {"ka_suggested": "on"})
    assert names(response) == {"待确认大客户"}
    assert 'data-testid="ka-suggested"' in response.content.decode()


def test_owner_unit_filter_includes_units_below(client, org):
    make_account(org["ar"], name="上海客户")
    east_rep = make_user("east_rep", units=[org["units"]["east"]])
    make_account(east_rep, name="华东客户")
    make_account(org["outsider"], name="华北客户")
    client.force_login(org["manager"])  # manages 华东, which holds 上海
    assert names(client.get("/accounts/")) == {"上海客户", "华东客户"}
    assert names(client.get("/accounts/", {"owner_unit": "ka-east"})) == {"上海客户", "华东客户"}
    assert names(client.get("/accounts/", {"owner_unit": "ka-sh"})) == {"上海客户"}
    choices = [code for code, _label in client.get("/accounts/").context["search"].fields["owner_unit"].choices]
    assert choices == ["", "ka-east", "ka-sh"]


def test_outsider_cannot_filter_their_way_into_other_units(client, org):
    make_account(org["ar"], name="上海客户")
    client.force_login(org["outsider"])
    response = client.get("/accounts/", {"owner_unit": "ka-sh"})
    assert response.status_code == 200
    assert names(response) == set()
    # A unit outside their choices is dropped as an invalid filter, not applied.
    assert "owner_unit" not in response.context["search"].cleaned_data
    assert "上海客户" not in response.content.decode()


def test_sorting_and_invalid_values(client, org, matrix):
    client.force_login(org["ar"])
    by_name = [a.name for a, _m in client.get("/accounts/", {"sort": "-name"}).context["rows"]]
    assert by_name == sorted(by_name, reverse=True)
    newest = [a.name for a, _m in client.get("/accounts/", {"sort": "-created_at"}).context["rows"]]
    assert newest[0] == "问题客户"
    for bad in ({"sort": "owner__password"}, {"matrix_class": "gold"}, {"coverage": "<script>"}):
        assert client.get("/accounts/", bad).status_code == 200


def test_live_filter_pushes_a_short_bookmarkable_address(client, org, matrix):
    client.force_login(org["ar"])
    params = {"q": "", "segment": "", "tier": "", "matrix_class": "core", "coverage": "", "sort": "name"}
    response = client.get("/accounts/", params, headers=HX)
    assert response["HX-Push-Url"] == "/accounts/?matrix_class=core"  # the default order goes unsaid
    body = response.content.decode()
    assert "核心客户" in body and "成长客户" not in body
    assert '<nav class="navbar' not in body
    # The summary names the filter with a link that takes it away again.
    assert 'data-testid="filter-chip"' in body and 'href="/accounts/"' in body


def test_filtered_list_keeps_the_query_budget(client, org, django_assert_max_num_queries):
    for n in range(30):
        account = make_account(org["ar"], name=f"客户{n:02}", region="上海", coverage="regional")
        if n % 2:
            add_to_team(account, org["sr"], "sr")
    client.force_login(org["manager"])
    everything = {
        "q": "客户",
        "segment": "smb",
        "matrix_class": "problem",
        "coverage": "regional",
        "region": "上海",
        "industry": "",
        "owner_unit": "ka-sh",
        "missing_triangle": "on",
        "sort": "-updated_at",
    }
    with django_assert_max_num_queries(9):
        response = client.get("/accounts/", everything)
    assert len(response.context["rows"]) == 30


# --- duplicate warning ------------------------------------------------------------------------------


def test_duplicate_by_credit_code_is_linked_for_those_who_see_it(client, org):
    account = make_account(org["ar"], name="中国电信上海公司", credit_code=CODE)
    for who in ("ar", "manager"):  # the owner, and the manager above the owner unit
        client.force_login(org[who])
        body = client.get("/accounts/duplicates/", {"name": "", "credit_code": CODE.lower()}).content.decode()
        assert f'href="/accounts/{account.pk}/"' in body and CODE in body, who
        assert 'data-match="credit_code"' in body and 'data-testid="claim-open"' not in body


def test_team_member_from_another_unit_sees_the_match(client, org):
    account = make_account(org["ar"], name="中国电信上海公司", credit_code=CODE)
    add_to_team(account, org["outsider"], "fr")
    client.force_login(org["outsider"])
    body = client.get("/accounts/duplicates/", {"credit_code": CODE}).content.decode()
    assert 'data-visible="true"' in body and f'href="/accounts/{account.pk}/"' in body


def test_an_invisible_match_shows_name_and_unit_only(client, org):
    account = make_account(org["ar"], name="中国电信上海公司", credit_code=CODE, region="上海")
    client.force_login(org["outsider"])
    body = client.get("/accounts/duplicates/", {"credit_code": CODE}).content.decode()
    assert "中国电信上海公司" in body and "上海分公司" in body
    assert CODE not in body
    assert f"/accounts/{account.pk}/" not in body  # no link to the page
    assert 'data-visible="false"' in body and 'data-testid="claim-open"' in body
    assert f"/accounts/claim/{account.pk}/" in body


def test_same_name_in_full_width_or_with_a_company_suffix(client, org):
    make_account(org["ar"], name="ＡＢＣ科技")
    make_account(org["ar"], name="华东电信")
    client.force_login(org["ar"])
    body = client.get("/accounts/duplicates/", {"name": "abc科技有限公司"}).content.decode()
    assert "ＡＢＣ科技" in body and 'data-match="name"' in body
    body = client.get("/accounts/duplicates/", {"name": "华东电信有限公司"}).content.decode()
    assert "华东电信" in body
    assert client.get("/accounts/duplicates/", {"name": "完全不同"}).content.decode().strip() == ""


def test_a_unit_mate_who_cannot_see_the_account_is_told_to_ask_not_to_claim(client, org):
    make_account(org["ar"], name="浦发银行")
    colleague = make_user("colleague", units=[org["units"]["shanghai"]])
    client.force_login(colleague)
    body = client.get("/accounts/duplicates/", {"name": "浦发银行"}).content.decode()
    assert 'data-visible="false"' in body and 'data-testid="claim-open"' not in body
    assert "Your unit owns this account" in body


def test_edit_leaves_the_account_itself_out(client, org):
    account = make_account(org["ar"], name="浦发银行", credit_code=CODE)
    client.force_login(org["ar"])
    assert client.get("/accounts/duplicates/", {"credit_code": CODE, "exclude": account.pk}).content.strip() == b""
    edit_page = client.get(f"/accounts/{account.pk}/edit/").content.decode()
    assert f"/accounts/duplicates/?exclude={account.pk}" in edit_page
    assert (
        'name="create_anyway"'
        not in client.get("/accounts/duplicates/", {"name": "浦发银行", "exclude": 999}).content.decode()
    )  # the edit form never offers "create anyway"


def test_duplicate_check_needs_sign_in(client, org):
    assert client.get("/accounts/duplicates/", {"name": "x"}).status_code == 302
    assert client.get("/accounts/claim/1/").status_code == 302


def test_create_holds_back_a_likely_duplicate_until_confirmed(client, org):
    make_account(org["outsider"], name="招商银行")
    client.force_login(org["ar"])
    response = client.post("/accounts/new/", form_data(name="招商银行股份有限公司"))
    assert response.status_code == 200
    body = response.content.decode()
    assert 'data-testid="duplicate-held-back"' in body and 'data-testid="create-anyway"' in body
    assert not Account.objects.filter(name="招商银行股份有限公司").exists()

    response = client.post("/accounts/new/", form_data(name="招商银行股份有限公司", create_anyway="1"))
    assert response.status_code == 302
    assert Account.objects.filter(name="招商银行股份有限公司", owner=org["ar"]).exists()


def test_create_with_a_taken_credit_code_says_so_and_offers_no_override(client, org):
    make_account(org["outsider"], name="招商银行", credit_code=CODE)
    client.force_login(org["ar"])
    response = client.post("/accounts/new/", form_data(name="另一个名字", credit_code=CODE, create_anyway="1"))
    assert response.status_code == 200
    assert "credit_code" in response.context["form"].errors
    body = response.content.decode()
    assert 'data-testid="code-taken"' in body and 'data-testid="create-anyway"' not in body
    assert CODE not in body.replace(f'value="{CODE}"', "")  # only the person's own input echoes it


def test_create_and_edit_write_the_new_fields(client, org):
    client.force_login(org["ar"])
    response = client.post(
        "/accounts/new/",
        form_data(
            name="新字段客户",
            external_id="CRM-001",
            listed_in_ranking="on",
            high_willingness_to_pay="on",
            potential="5000",
        ),
    )
    assert response.status_code == 302
    account = Account.objects.get(name="新字段客户")
    assert (account.external_id, account.listed_in_ranking, account.high_willingness_to_pay) == ("CRM-001", True, True)
    assert account.ka_rule == "high_willingness"  # proposed by a profile rule, never typed
    page = client.get(f"/accounts/{account.pk}/edit/")
    assert (
        "matrix_class" not in page.context["form"].fields and 'data-testid="computed-profile"' in page.content.decode()
    )


# --- claims -----------------------------------------------------------------------------------------


def test_outsider_claims_an_account_they_cannot_see(client, org):
    account = make_account(org["ar"], name="国家电网上海公司")
    client.force_login(org["outsider"])
    form = client.get(f"/accounts/claim/{account.pk}/", headers=HX)
    assert form.status_code == 200
    options = re.findall(r'<option value="([^"]*)"', form.content.decode())
    assert options == ["ka-north"]  # only their own units
    assert "国家电网上海公司" not in form.content.decode()  # the form itself names nothing
    assert '<nav class="navbar' not in form.content.decode()

    response = client.post(
        f"/accounts/claim/{account.pk}/", {"unit_code": "ka-north", "reason": "我们在北京服务它的总部"}, headers=HX
    )
    assert response.status_code == 200 and 'data-testid="claim-sent"' in response.content.decode()
    claim = OwnershipRequest.objects.get(account=account)
    assert (claim.kind, claim.from_unit.code, claim.to_unit.code, claim.requested_by) == (
        "claim",
        "ka-sh",
        "ka-north",
        org["outsider"],
    )

    again = client.post(f"/accounts/claim/{account.pk}/", {"unit_code": "ka-north", "reason": "再问一次"}, headers=HX)
    assert "already waiting for a decision" in again.content.decode()
    assert OwnershipRequest.objects.filter(account=account).count() == 1


def test_claim_without_htmx_redirects_with_a_message(client, org):
    account = make_account(org["ar"], name="国家电网上海公司")
    client.force_login(org["north_manager"])
    response = client.post(
        f"/accounts/claim/{account.pk}/", {"unit_code": "ka-north", "reason": "总部在北京"}, follow=True
    )
    assert response.redirect_chain[-1][0] == "/accounts/"
    assert "Your claim was sent to the middle office" in response.content.decode()


def test_claim_is_checked_by_the_service(client, org):
    account = make_account(org["ar"], name="国家电网上海公司")
    client.force_login(org["outsider"])
    url = f"/accounts/claim/{account.pk}/"
    no_reason = client.post(url, {"unit_code": "ka-north", "reason": ""})
    assert "reason" in no_reason.context["form"].errors
    foreign_unit = client.post(url, {"unit_code": "ka-sh", "reason": "想要"})
    assert "unit_code" in foreign_unit.context["form"].errors  # not one of their units
    assert client.post("/accounts/claim/999999/", {"unit_code": "ka-north", "reason": "x"}).status_code == 404
    assert not OwnershipRequest.objects.exists()


def test_team_member_of_the_owner_unit_cannot_claim_for_it(client, org):
    account = make_account(org["ar"], name="国家电网上海公司")
    client.force_login(org["sr"])
    response = client.post(f"/accounts/claim/{account.pk}/", {"unit_code": "ka-sh", "reason": "x"}, headers=HX)
    assert "This unit already owns the account." in response.content.decode()
    assert not OwnershipRequest.objects.exists()


def test_live_filters_carry_over_to_the_export_links(client, org, matrix):
    """Filtering without reloading the page replaces the export links too: an export holds what is shown."""
    client.force_login(org["ar"])
    params = {"q": "", "segment": "", "matrix_class": "core", "sort": "name"}
    body = client.get("/accounts/", params, headers=HX).content.decode()
    assert 'id="account-export" hx-swap-oob="true"' in body
    assert 'href="/accounts/export.csv?matrix_class=core"' in body
    assert 'href="/accounts/export.xlsx?matrix_class=core"' in body
