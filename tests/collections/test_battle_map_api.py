"""The battle map: every visible contract × milestone, totals that equal the rows, a spreadsheet that
carries no live formula from what users typed."""

from __future__ import annotations

import io
from datetime import timedelta
from decimal import Decimal

from django.utils import timezone
from openpyxl import load_workbook

from irontriangle.collections.models import PaymentMilestone
from tests.collections.conftest import record
from tests.conftest import api_as
from tests.factories import make_account, make_contract, make_opportunity


def _world(org, deal):
    today = timezone.localdate()
    first = make_contract(
        deal, number='=HYPERLINK("http://evil","x")', milestones="30-60-10", signed_on=today - timedelta(days=100)
    )
    other_account = make_account(org["ar"], name="+cmd|' /C calc'!A0", segment="ka", tier="a")
    other = make_opportunity(other_account, name="二期", amount="500000.00")
    second = make_contract(other, number="HT-2", milestones="30-30-30-10", signed_on=today - timedelta(days=20))
    down = PaymentMilestone.objects.get(contract=first, position=1)
    record(down, "300000", today - timedelta(days=80), by=org["ar"])
    record(PaymentMilestone.objects.get(contract=second, position=1), "50000", today, by=org["ar"])
    hidden = make_opportunity(make_account(org["outsider"], name="华北客户"), by=org["outsider"], amount="800000.00")
    make_contract(hidden, by=org["outsider"], number="HT-NORTH", milestones="100-signing")
    return first, second


def test_totals_equal_the_sum_of_the_rows(org, deal):
    _world(org, deal)
    body = api_as(org["ar"]).get("/battle-map", {"limit": 200}).json()
    rows = body["items"]
    assert len(rows) == 7 and body["totals"]["rows"] == 7  # 3 + 4 milestones; the north contract is not ours
    for field in ("amount", "received", "outstanding"):
        assert Decimal(body["totals"][field]) == sum(Decimal(row[field]) for row in rows), field
    assert Decimal(body["totals"]["amount"]) == Decimal("1500000")
    assert Decimal(body["totals"]["received"]) == Decimal("350000")

    page = api_as(org["ar"]).get("/battle-map", {"limit": 2}).json()
    assert len(page["items"]) == 2 and page["totals"] == body["totals"] and page["next_cursor"]
    filtered = api_as(org["ar"]).get("/battle-map", {"status": "paid"}).json()
    assert [row["contract_number"] for row in filtered["items"]] == ['=HYPERLINK("http://evil","x")']
    assert Decimal(filtered["totals"]["outstanding"]) == 0


def test_filters_by_unit_person_bucket_and_account(org, deal, fr):
    _first, second = _world(org, deal)
    client = api_as(org["manager"])
    assert client.get("/battle-map", {"fr_id": fr.pk}).json()["totals"]["rows"] == 3
    assert client.get("/battle-map", {"account_id": second.account_id}).json()["totals"]["rows"] == 4
    assert client.get("/battle-map", {"unit_id": org["units"]["north"].pk}).json()["totals"]["rows"] == 0
    assert client.get("/battle-map", {"unit_id": org["units"]["east"].pk}).json()["totals"]["rows"] == 7
    not_due = client.get("/battle-map", {"bucket": "not_due"}).json()
    assert all(row["ageing_bucket"] == "not_due" for row in not_due["items"]) and not_due["items"]
    assert client.get("/battle-map", {"bucket": "later"}).status_code == 422
    assert api_as(org["north_manager"]).get("/battle-map").json()["totals"]["rows"] == 1
    assert api_as(org["finance_user"]).get("/battle-map").json()["totals"]["rows"] == 8


def test_the_xlsx_export_follows_the_filters_and_neutralises_formulas(org, deal):
    _world(org, deal)
    response = api_as(org["ar"]).get("/battle-map.xlsx", {"sort": "due"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(io.BytesIO(response.content)).active
    values = [[cell.value for cell in row] for row in sheet.iter_rows()]
    assert values[0][0] == "Contract" and len(values) == 8
    cells = [cell for row in sheet.iter_rows() for cell in row]
    assert not [cell.coordinate for cell in cells if cell.data_type == "f"]
    assert '\'=HYPERLINK("http://evil","x")' in [row[0] for row in values]
    assert "'+cmd|' /C calc'!A0" in [row[1] for row in values]
    amounts = [row[7] for row in values[1:]]
    assert sum(Decimal(str(amount)) for amount in amounts) == Decimal("1500000")
    paid_only = api_as(org["ar"]).get("/battle-map.xlsx", {"status": "paid"})
    assert load_workbook(io.BytesIO(paid_only.content)).active.max_row == 2


def test_the_collection_report_answers_each_group(org, deal):
    _world(org, deal)
    for group in ("unit", "ar", "fr"):
        body = api_as(org["manager"]).get("/reports/collections", {"group": group}).json()
        assert {"ageing", "cycle", "down_payment", "monthly"} <= set(body)
        assert len(body["monthly"]) == 15
    units = api_as(org["manager"]).get("/reports/collections", {"group": "unit"}).json()
    ratio = units["down_payment"][0]
    assert (Decimal(ratio["amount"]), Decimal(ratio["down_payment"]), Decimal(ratio["ratio"])) == (
        Decimal("1500000"),
        Decimal("450000"),
        Decimal("30.00"),
    )
    assert api_as(org["ar"]).get("/reports/collections", {"group": "team"}).status_code == 422


def test_report_groups_are_named_in_the_readers_language(org, deal):
    _world(org, deal)
    org["units"]["shanghai"].name_en = "Shanghai Branch"
    org["units"]["shanghai"].save()
    english = api_as(org["manager"]).get("/reports/collections", {"group": "unit"}).json()
    chinese = api_as(org["manager"], "zh-hans").get("/reports/collections", {"group": "unit"}).json()
    assert [row["label"] for row in english["ageing"]] == ["Shanghai Branch"]
    assert [row["label"] for row in chinese["down_payment"]] == ["上海分公司"]
    people = api_as(org["manager"]).get("/reports/collections", {"group": "ar"}).json()
    assert [row["label"] for row in people["ageing"]] == ["王磊"]
