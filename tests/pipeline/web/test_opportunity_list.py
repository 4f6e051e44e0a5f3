"""The opportunity list and its export through the Django test client: who sees what, live filters,
query budgets and the restricted margin."""

from __future__ import annotations

import csv
import io
from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from irontriangle.common.tabular import read_table
from tests.factories import make_account, make_user
from tests.pipeline.web.board_data import force, join, open_deal, quote


@pytest.fixture
def deals(org, team_account):
    """Two Shanghai deals (one with a 40% margin), and one of the North unit nobody in Shanghai sees."""
    priced = quote(
        open_deal(team_account, name="移动云平台", amount="1200000", expected_close="2030-03-31"), by=org["ar"]
    )
    plain = open_deal(team_account, name="移动安全项目", amount="300000", expected_close="2030-06-30")
    north = make_account(org["outsider"], name="北京银行")
    other = open_deal(north, name="北京银行核心系统", amount="5000000")
    return {"priced": priced, "plain": plain, "other": other}


@pytest.fixture
def fr_user(org, deals):
    """On the deal team as FR: sees the deal, not its margin."""
    user = make_user("fr_user", units=[org["units"]["shanghai"]], display_name="孙丽")
    join(deals["priced"], user, "fr", by=org["ar"])
    return user


def names(response) -> set[str]:
    return {deal.name for deal in response.context["rows"]}


def test_team_member_manager_and_outsider_see_their_deals(client, org, deals):
    client.force_login(org["ar"])
    response = client.get("/opportunities/")
    assert response.status_code == 200
    assert names(response) == {"移动云平台", "移动安全项目"}
    page = response.content.decode()
    assert "移动云平台" in page and "北京银行核心系统" not in page
    assert f'href="/opportunities/{deals["priced"].pk}/"' in page
    client.force_login(org["manager"])  # manages the unit above the account's
    assert names(client.get("/opportunities/")) == {"移动云平台", "移动安全项目"}
    client.force_login(org["outsider"])  # their own deal only; the Shanghai ones stay out of sight
    response = client.get("/opportunities/")
    assert names(response) == {"北京银行核心系统"}
    assert "移动云平台" not in response.content.decode()


def test_outsider_without_deals_sees_none(client, org, deals):
    stranger = make_user("stranger", units=[org["units"]["north"]])
    client.force_login(stranger)
    response = client.get("/opportunities/")
    assert names(response) == set()
    assert "You have no opportunities yet." in response.content.decode()


def test_the_list_needs_sign_in(client, org):
    response = client.get("/opportunities/")
    assert response.status_code == 302 and response["Location"].startswith("/login/")


def test_columns_stage_badge_score_and_navbar(client, org, deals):
    client.force_login(org["ar"])
    page = client.get("/opportunities/", {"q": "云平台"}).content.decode()
    assert 'data-testid="stage-badge"' in page and "Verify" in page
    assert "1,200,000" in page and "CNY" in page and "2030-03-31" in page
    assert 'data-testid="checklist-score"' in page and "Pipeline" in page
    assert 'data-testid="nav-opportunities"' in page
    # The pipeline menu is the active one.
    menu = page[: page.index('data-testid="pipeline-menu"')]
    assert menu[menu.rindex("<a ") :].startswith('<a class="nav-link dropdown-toggle active"')


def test_filters_narrow_and_live_search_answers_with_results_only(client, org, deals):
    client.force_login(org["manager"])
    force(deals["plain"], "lost", manager=org["manager"], reason="价格过高")
    assert names(client.get("/opportunities/", {"status": "open"})) == {"移动云平台"}
    assert names(client.get("/opportunities/", {"status": "lost"})) == {"移动安全项目"}
    assert names(client.get("/opportunities/", {"stage": "lost"})) == {"移动安全项目"}
    assert names(client.get("/opportunities/", {"closing_from": "2030-05-01"})) == {"移动安全项目"}
    assert names(client.get("/opportunities/", {"closing_to": "2030-04-01"})) == {"移动云平台"}
    assert names(client.get("/opportunities/", {"forecast_category": "omitted"})) == {"移动安全项目"}
    assert names(client.get("/opportunities/", {"owner": org["ar"].pk})) == {"移动云平台", "移动安全项目"}
    assert names(client.get("/opportunities/", {"mine": "1"})) == set()  # the manager owns none of them
    assert names(client.get("/opportunities/", {"process": "smb"})) == set()
    # A hand-edited value is dropped, not sent to the database.
    assert names(client.get("/opportunities/", {"closing_from": "yesterday"})) == {"移动云平台", "移动安全项目"}
    response = client.get("/opportunities/", {"q": "安全", "sort": "name"}, headers={"HX-Request": "true"})
    body = response.content.decode()
    assert "移动安全项目" in body and "移动云平台" not in body
    assert '<nav class="navbar' not in body
    assert 'id="opportunity-export" hx-swap-oob="true"' in body and "export.csv?q=" in body
    assert response["HX-Push-Url"] == "/opportunities/?q=%E5%AE%89%E5%85%A8&sort=name"
    assert "HX-Request" in response["Vary"]


def test_sorting_and_pages(client, org, team_account):
    for number in range(53):
        open_deal(team_account, name=f"商机{number:03d}", amount=str(1000 + number))
    client.force_login(org["ar"])
    first = client.get("/opportunities/", {"sort": "-amount"})
    assert [deal.name for deal in first.context["rows"]][:2] == ["商机052", "商机051"]
    cursor = first.context["page"].next_cursor
    assert cursor and len(first.context["rows"]) == 50
    second = client.get("/opportunities/", {"sort": "-amount", "cursor": cursor})
    assert [deal.name for deal in second.context["rows"]] == ["商机002", "商机001", "商机000"]
    assert client.get("/opportunities/", {"cursor": "garbage"}).status_code == 200


def _count_queries(client) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get("/opportunities/").status_code == 200
    return len(captured)


def test_query_count_does_not_grow_with_rows(client, org, team_account, django_assert_max_num_queries):
    for _n in range(3):
        open_deal(team_account)
    client.force_login(org["manager"])
    client.get("/opportunities/")  # warm the session and the content types
    with django_assert_max_num_queries(12):
        client.get("/opportunities/")
    few = _count_queries(client)
    for _n in range(17):
        open_deal(team_account)
    with django_assert_max_num_queries(12):
        response = client.get("/opportunities/")
    assert len(response.context["rows"]) == 20
    assert _count_queries(client) == few


def test_margin_column_only_for_who_may_see_it(client, org, deals, fr_user):
    client.force_login(org["ar"])  # owns the deal: sees its margin
    page = client.get("/opportunities/").content.decode()
    assert 'data-testid="margin-header"' in page and "40.0%" in page
    client.force_login(fr_user)
    response = client.get("/opportunities/")
    page = response.content.decode()
    assert names(response) == {"移动云平台"}
    assert 'data-testid="margin-header"' not in page and "40.0" not in page
    # Sorting by margin is not offered to them, and a hand-made URL is refused with a message.
    assert 'value="-margin_percent"' not in page
    refused = client.get("/opportunities/", {"sort": "-margin_percent"})
    assert refused.status_code == 200
    body = refused.content.decode()
    assert 'data-testid="search-errors"' in body and "You may not filter or sort by margin_percent." in body
    assert names(refused) == set()
    refused = client.get("/opportunities/", {"min_margin_percent": "10"}, headers={"HX-Request": "true"})
    assert refused.status_code == 200 and "You may not filter or sort by" in refused.content.decode()


def test_who_sees_every_margin_may_sort_and_filter_by_it(client, org, deals):
    client.force_login(org["admin"])
    page = client.get("/opportunities/").content.decode()
    assert 'value="-margin_percent"' in page and 'name="min_margin_percent"' in page
    response = client.get("/opportunities/", {"sort": "-margin_percent"})
    assert response.context["rows"][0].name == "移动云平台"
    assert names(client.get("/opportunities/", {"min_margin_percent": "30"})) == {"移动云平台"}
    client.force_login(org["finance_user"])  # sees every margin, not every deal: may still sort by it
    assert 'value="-margin_percent"' in client.get("/opportunities/").content.decode()
    assert client.get("/opportunities/", {"sort": "-margin_percent"}).context["search_errors"] == []


def _csv(response) -> list[dict[str, str]]:
    body = b"".join(response.streaming_content).decode("utf-8-sig")
    return list(csv.DictReader(io.StringIO(body)))


def test_export_follows_filters_and_leaves_hidden_margins_empty(client, org, deals, fr_user):
    client.force_login(org["ar"])
    response = client.get("/opportunities/export.csv", {"q": "云平台"})
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    assert f"opportunities-{date.today().isoformat()}.csv" in response["Content-Disposition"]
    rows = _csv(response)
    assert [row["Name"] for row in rows] == ["移动云平台"]
    assert rows[0]["Margin (%)"] == "40.00" and rows[0]["Margin"] == "400.00"
    assert rows[0]["Account"] == "中国移动上海公司" and rows[0]["Stage"] == "Verify" and rows[0]["Status"] == "Open"

    client.force_login(fr_user)
    rows = _csv(client.get("/opportunities/export.csv"))
    assert [row["Name"] for row in rows] == ["移动云平台"]
    assert rows[0]["Margin (%)"] == "" and rows[0]["Margin"] == ""
    workbook = client.get("/opportunities/export.xlsx")
    table = read_table(b"".join(workbook.streaming_content), "export.xlsx")
    margin = table.headers.index("Margin (%)")
    assert [row.cells[margin] in (None, "") for row in table.rows] == [True]
    # A margin sort from them starts no file: the list explains.
    refused = client.get("/opportunities/export.csv", {"sort": "-margin_percent"})
    assert refused.status_code == 302 and refused["Location"].startswith("/opportunities/?sort=")


def test_export_of_an_outsider_holds_only_their_deals(client, org, deals):
    client.force_login(org["outsider"])
    rows = _csv(client.get("/opportunities/export.csv"))
    assert [row["Name"] for row in rows] == ["北京银行核心系统"]
