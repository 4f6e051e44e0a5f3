"""The battle map and the collection measures through the Django test client: who sees which rows, the
filters, the totals over every filtered row, the spreadsheet, and the query budget."""

from __future__ import annotations

import io
from datetime import date
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from openpyxl import load_workbook

from tests.collections.web.battle_data import FORMULA, build

URL = "/battle-map/"


@pytest.fixture
def world(org, team_account):
    return build(org, team_account)


def numbers(response) -> list[str]:
    return [row.contract.number for row in response.context["rows"]]


def statuses(response) -> dict[tuple[str, str], str]:
    return {(row.contract.number, row.kind): row.current_status for row in response.context["rows"]}


def test_the_team_sees_its_rows_with_their_state(client, org, world):
    client.force_login(org["ar"])
    response = client.get(URL)
    assert response.status_code == 200
    assert statuses(response) == {
        ("HT-2026-001", "down_payment"): "paid",
        ("HT-2026-001", "on_delivery"): "overdue",
        ("HT-2026-001", "on_acceptance"): "invoiced",
        (FORMULA, "down_payment"): "overdue",
        (FORMULA, "on_delivery"): "disputed",
    }
    body = response.content.decode()
    assert f'href="/contracts/{world["core"].pk}/"' in body
    assert "status-overdue" in body and "status-disputed" in body and "status-paid" in body
    assert "bi-exclamation-triangle-fill" in body  # no evidence uploaded yet
    assert "HT-BJ-009" not in body
    # The FR of the contracts and the manager above see the same rows.
    for user in (world["fr"], org["manager"]):
        client.force_login(user)
        assert sorted(numbers(client.get(URL))) == sorted(["HT-2026-001"] * 3 + [FORMULA] * 2)


def test_an_outsider_sees_none_of_them(client, org, world):
    client.force_login(org["outsider"])
    response = client.get(URL)
    assert response.status_code == 200
    assert numbers(response) == ["HT-BJ-009"]
    assert "HT-2026-001" not in response.content.decode()
    # Naming the team's account in the URL changes nothing: an account they cannot see is no filter.
    response = client.get(URL, {"account": world["core"].account_id, "q": "HT-2026"})
    assert numbers(response) == []
    assert response.context["totals"].rows == 0
    export = load_workbook(io.BytesIO(client.get("/battle-map.xlsx").content)).active
    assert [row[0] for row in export.iter_rows(min_row=2, values_only=True)] == ["HT-BJ-009"]


def test_anonymous_people_are_sent_to_sign_in(client, world):
    for path in (URL, "/battle-map.xlsx", "/collections/measures/"):
        response = client.get(path)
        assert response.status_code == 302
        assert response["Location"].startswith("/login/")


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"q": "核心网"}, {("HT-2026-001", k) for k in ("down_payment", "on_delivery", "on_acceptance")}),
        ({"status": "overdue"}, {("HT-2026-001", "on_delivery"), (FORMULA, "down_payment")}),
        ({"status": "disputed"}, {(FORMULA, "on_delivery")}),
        ({"bucket": "31_90"}, {("HT-2026-001", "on_delivery")}),
        ({"bucket": "180_plus"}, {(FORMULA, "down_payment")}),
        ({"bucket": "not_due"}, {("HT-2026-001", "on_acceptance")}),
        ({"status": "overdue", "q": "HYPERLINK"}, {(FORMULA, "down_payment")}),
    ],
)
def test_filters(client, org, world, params, expected):
    client.force_login(org["manager"])
    response = client.get(URL, params)
    assert set(statuses(response)) == expected
    assert response.context["totals"].rows == len(expected)


def test_people_unit_and_account_filters(client, org, world, team_account):
    client.force_login(org["manager"])
    everything = len(client.get(URL).context["rows"])
    assert everything == 5
    assert len(client.get(URL, {"unit": "ka-sh"}).context["rows"]) == 5
    assert len(client.get(URL, {"unit": "ka-east"}).context["rows"]) == 5  # a unit includes those below it
    assert len(client.get(URL, {"fr": world["fr"].pk}).context["rows"]) == 5
    assert len(client.get(URL, {"ar": org["sr"].pk}).context["rows"]) == 0
    by_account = client.get(URL, {"account": team_account.pk})
    assert len(by_account.context["rows"]) == 5
    chips = [label for label, _href in by_account.context["filter_chips"]]
    assert chips == ["Account: 中国移动上海公司"]
    # A unit the manager is not offered is dropped like any other nonsense in the URL, never an error.
    assert len(client.get(URL, {"unit": "ka-north"}).context["rows"]) == 5
    assert client.get(URL, {"status": "nope", "bucket": "x", "ar": "abc", "cursor": "zz"}).status_code == 200


def test_finance_see_every_contract_and_may_narrow_to_any_unit(client, org, world):
    client.force_login(org["finance_user"])
    assert len(client.get(URL).context["rows"]) == 6
    assert numbers(client.get(URL, {"unit": "ka-north"})) == ["HT-BJ-009"]
    assert len(client.get(URL, {"unit": "ka-sh"}).context["rows"]) == 5


def test_totals_cover_every_filtered_row_and_equal_their_sum(client, org, world):
    client.force_login(org["ar"])
    response = client.get(URL)
    rows = response.context["rows"]
    totals = response.context["totals"]
    assert totals.rows == len(rows) == 5
    assert totals.amount == sum(row.amount for row in rows) == Decimal("1200000")
    assert totals.received == sum(row.received for row in rows) == Decimal("420000")
    assert totals.outstanding == sum(row.outstanding_amount for row in rows) == Decimal("780000")
    cards = {entry.code: entry for entry, _href in response.context["buckets"]}
    assert cards["31_90"].outstanding == Decimal("500000")
    assert cards["180_plus"].outstanding == Decimal("80000")
    assert cards["0_30"].outstanding == Decimal("100000")  # the disputed milestone still ages
    assert cards["not_due"].outstanding == Decimal("100000")
    assert sum(entry.outstanding for entry in cards.values()) == totals.outstanding
    body = response.content.decode()
    assert 'data-testid="total-outstanding">780,000<' in body
    # With a filter the totals follow it; the cards still show every bucket and mark the chosen one.
    filtered = client.get(URL, {"bucket": "31_90"})
    assert filtered.context["totals"].outstanding == Decimal("500000")
    assert filtered.context["current_bucket"] == "31_90"
    assert sum(entry.outstanding for entry, _href in filtered.context["buckets"]) == Decimal("780000")


def test_totals_span_every_page(client, org, world, settings):
    from irontriangle.collections import views_battle

    client.force_login(org["ar"])
    original = views_battle.PAGE_SIZE
    views_battle.PAGE_SIZE = 2
    try:
        first = client.get(URL)
        assert len(first.context["rows"]) == 2
        assert first.context["totals"].rows == 5
        cursor = first.context["page"].next_cursor
        assert cursor
        second = client.get(URL, {"cursor": cursor})
        assert len(second.context["rows"]) == 2
        assert set(numbers(first)) | set(numbers(second)) <= {"HT-2026-001", FORMULA}
        assert second.context["totals"].rows == 5
    finally:
        views_battle.PAGE_SIZE = original


def test_filters_live_in_the_url_and_the_export_follows_them(client, org, world):
    client.force_login(org["ar"])
    response = client.get(URL, {"status": "overdue", "sort": "-amount"}, headers={"HX-Request": "true"})
    assert response.status_code == 200
    assert response["HX-Push-Url"] == "/battle-map/?status=overdue&sort=-amount"
    body = response.content.decode()
    assert "<html" not in body  # only the results, with the export link and the cards swapped out of band
    assert 'id="battle-export"' in body and 'hx-swap-oob="true"' in body
    assert response.context["export_url"] == "/battle-map.xlsx?status=overdue&sort=-amount"
    page = client.get(URL, {"status": "overdue"})
    assert 'href="/battle-map.xlsx?status=overdue"' in page.content.decode()


def test_export_opens_and_keeps_formulas_as_text(client, org, world):
    client.force_login(org["ar"])
    response = client.get("/battle-map.xlsx", {"status": "overdue"})
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith('attachment; filename="battle-map-')
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:3] == ("Contract", "Account", "AR")
    assert len(rows) == 3  # the header and the two overdue rows
    numbers_out = {row[0] for row in rows[1:]}
    assert numbers_out == {"HT-2026-001", "'" + FORMULA}
    formula_cells = [cell for row in sheet.iter_rows(min_row=2) for cell in row if cell.data_type == "f"]
    assert formula_cells == []
    assert sum(Decimal(str(row[9])) for row in rows[1:]) == Decimal("580000")  # outstanding


def test_export_in_chinese(client, org, world):
    client.force_login(org["ar"])
    response = client.get("/battle-map.xlsx", headers={"Accept-Language": "zh-hans"})
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert len(list(sheet.iter_rows(min_row=2))) == 5


def test_query_count_does_not_grow_with_rows(client, org, world, team_account, django_assert_max_num_queries):
    from tests.factories import make_contract, make_opportunity

    client.force_login(org["manager"])
    client.get(URL)  # warm the session and the content types
    with CaptureQueriesContext(connection) as few:
        client.get(URL)
    for index in range(4):
        deal = make_opportunity(team_account, name=f"扩容 {index}", amount="100000")
        make_contract(
            deal,
            number=f"HT-X-{index}",
            milestones=[{"kind": "down_payment", "percent": Decimal("100"), "due_on": date(2030, 1, 1)}],
        )
    with django_assert_max_num_queries(12):
        response = client.get(URL, {"sort": "-amount"})
    assert len(response.context["rows"]) == 9
    with CaptureQueriesContext(connection) as many:
        client.get(URL)
    assert len(many) == len(few)
    with django_assert_max_num_queries(16):
        client.get(URL, {"unit": "ka-sh", "ar": org["ar"].pk, "fr": world["fr"].pk, "account": team_account.pk})


def test_measures_page(client, org, world, django_assert_max_num_queries):
    client.force_login(org["manager"])
    with django_assert_max_num_queries(16):
        response = client.get("/collections/measures/")
    assert response.status_code == 200
    body = response.content.decode()
    assert 'data-measures-chart="monthly-data"' in body and 'data-measures-chart="ageing-data"' in body
    assert "DSO (days sales outstanding)" in body
    assert "cdn" not in body.lower()
    ageing = response.context["ageing"]
    assert [row.total for row in ageing] == [Decimal("780000")]
    assert response.context["totals"]["outstanding"] == Decimal("780000")
    chart = response.context["ageing_chart"]
    assert sum(sum(series["data"]) for series in chart["series"]) == 780000
    by_ar = client.get("/collections/measures/", {"group": "ar", "days": "365"})
    assert by_ar.context["group"] == "ar" and by_ar.context["days"] == 365
    assert [row.label for row in by_ar.context["down_payments"]] == ["王磊"]
    assert by_ar.context["down_payments"][0].ratio == Decimal("33.33")
    by_fr = client.get("/collections/measures/", {"group": "fr", "days": "bogus"})
    assert by_fr.context["days"] == 90
    assert [row.label for row in by_fr.context["ageing"]] == ["陈静"]
    client.force_login(org["outsider"])
    outsider = client.get("/collections/measures/")
    assert [row.total for row in outsider.context["ageing"]] == [Decimal("500000")]


def test_navbar_has_the_collections_menu(client, org, world):
    client.force_login(org["ar"])
    body = client.get("/").content.decode()
    assert 'data-testid="collections-menu"' in body
    assert 'href="/battle-map/"' in body and 'href="/collections/measures/"' in body
