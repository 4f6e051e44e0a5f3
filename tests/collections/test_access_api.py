"""Who sees a contract: the deal's people, the managers above, finance; everyone else gets 404. Lists
cost a fixed number of queries whatever their length."""

from __future__ import annotations

import pytest
from django.utils import timezone

from irontriangle.collections.models import PaymentMilestone
from tests.collections.conftest import record
from tests.conftest import api_as
from tests.factories import make_contract, make_opportunity


@pytest.fixture
def contracts(org, deal, team_account):
    made = [make_contract(deal, number="HT-A1", milestones="30-60-10")]
    for n in range(4):
        other = make_opportunity(team_account, name=f"扩容 {n}", amount="200000.00")
        made.append(make_contract(other, number=f"HT-B{n}", milestones="30-30-30-10"))
    for contract in made:
        record(PaymentMilestone.objects.get(contract=contract, position=1), "1000", timezone.localdate(), by=org["ar"])
    return made


@pytest.mark.parametrize("who", ["ar", "sr", "fr", "manager", "finance_user", "admin"])
def test_the_deal_people_managers_and_finance_see_contracts(org, contracts, fr, who):
    user = fr if who == "fr" else org[who]
    client = api_as(user)
    contract = contracts[0]
    assert client.get(f"/contracts/{contract.pk}").status_code == 200
    assert client.get(f"/contracts/{contract.pk}/milestones").status_code == 200
    numbers = {row["number"] for row in client.get("/contracts", {"limit": 200}).json()["items"]}
    assert "HT-A1" in numbers


@pytest.mark.parametrize("who", ["outsider", "north_manager"])
def test_outsiders_get_404_and_empty_lists(org, contracts, who):
    client = api_as(org[who])
    contract = contracts[0]
    for path in (
        f"/contracts/{contract.pk}",
        f"/contracts/{contract.pk}/milestones",
        f"/contracts/{contract.pk}/history",
        f"/contracts/{contract.pk}/checklist",
    ):
        assert client.get(path).status_code == 404, path
    assert client.get("/contracts").json()["items"] == []
    assert client.get("/payments").json()["items"] == []
    assert client.get("/battle-map").json()["totals"]["rows"] == 0
    report = client.get("/reports/collections").json()
    assert report["ageing"] == [] and report["down_payment"] == []
    milestone = contract.milestones.first()
    refused = client.post("/payments", {"milestone_id": milestone.pk, "amount": "1", "received_on": "2026-10-01"})
    assert refused.status_code == 422 and refused.json()["errors"][0]["code"] == "unknown_milestone"


def test_a_reader_of_the_deal_who_is_not_its_editor_cannot_record_money(org, contracts, reader):
    client = api_as(reader)
    milestone = contracts[0].milestones.first()
    assert client.get(f"/milestones/{milestone.pk}").status_code == 200
    denied = client.post("/payments", {"milestone_id": milestone.pk, "amount": "1", "received_on": "2026-10-01"})
    assert denied.status_code == 403
    assert (
        api_as(org["finance_user"])
        .post("/payments", {"milestone_id": milestone.pk, "amount": "1", "received_on": "2026-10-01"})
        .status_code
        == 201
    )


def test_list_and_detail_queries_do_not_grow_with_rows(org, contracts, django_assert_max_num_queries):
    client = api_as(org["manager"])
    contract = contracts[0]
    for path, params in (
        ("/contracts", {"limit": 50}),
        ("/battle-map", {"limit": 50}),
        ("/payments", {"limit": 50}),
        (f"/contracts/{contract.pk}", None),
        (f"/contracts/{contract.pk}/milestones", None),
        (f"/contracts/{contract.pk}/checklist", None),
        ("/reports/collections", None),
    ):
        with django_assert_max_num_queries(12, info=path):
            assert client.get(path, params).status_code == 200
    with django_assert_max_num_queries(12):
        body = client.get("/battle-map", {"limit": 50, "sort": "-due"}).json()
    assert len(body["items"]) == 19


def test_contract_history_names_who_changed_what(org, contracts):
    contract = contracts[0]
    client = api_as(org["ar"])
    version = client.get(f"/contracts/{contract.pk}").json()["version"]
    client.patch(f"/contracts/{contract.pk}", {"payment_terms": "验收后 30 天内付款", "version": version})
    latest = client.get(f"/contracts/{contract.pk}/history").json()[0]
    assert latest["user_name"] == "王磊"
    assert [(c["field"], c["new"]) for c in latest["changes"]] == [("payment_terms", "验收后 30 天内付款")]
