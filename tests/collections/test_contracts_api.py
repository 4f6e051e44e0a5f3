"""Contracts and their milestones through the API: the schedule adds up, due dates follow events."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from irontriangle.collections.models import Contract, PaymentMilestone
from irontriangle.pipeline.models import Opportunity
from tests.conftest import api_as
from tests.factories import make_contract

M = "/contracts/{}/milestones"


def test_milestones_must_add_up_to_the_contract(org, contract):
    client = api_as(org["ar"])
    short = client.put(
        M.format(contract.pk),
        {
            "milestones": [
                {"kind": "down_payment", "percent": "30", "due_on": "2026-09-15"},
                {"kind": "on_delivery", "percent": "60", "trigger": "delivery", "offset_days": 30},
            ]
        },
    )
    assert short.status_code == 422
    assert short.json()["code"] == "milestone_total"
    assert short.json()["errors"][0]["field"] == "milestones"
    assert not PaymentMilestone.objects.filter(contract=contract).exists()

    saved = client.put(
        M.format(contract.pk),
        {
            "milestones": [
                {"kind": "down_payment", "percent": "30", "due_on": "2026-09-15"},
                {"kind": "on_delivery", "percent": "60", "trigger": "delivery", "offset_days": 30},
                {"kind": "on_acceptance", "percent": "10", "trigger": "acceptance", "offset_days": 30},
            ]
        },
    )
    assert saved.status_code == 200, saved.json()
    body = saved.json()
    assert [Decimal(row["amount"]) for row in body] == [Decimal("300000"), Decimal("600000"), Decimal("100000")]
    assert [row["due"] for row in body] == ["2026-09-15", None, None]
    assert body[1]["evidence_required"] == ["delivery_note", "invoice"]
    assert body[0]["responsible_id"] == org["ar"].pk  # the AR collects unless someone else is named


def test_thirds_share_out_every_cent_and_amounts_alone_work_too(org, contract):
    client = api_as(org["ar"])
    third = {"percent": "33.33", "due_on": "2026-10-01"}
    rows = [
        {"kind": "down_payment", **third},
        {"kind": "on_delivery", **third},
        {"kind": "on_acceptance", "percent": "33.34", "due_on": "2026-12-01"},
    ]
    body = client.put(M.format(contract.pk), {"milestones": rows}).json()
    assert sum(Decimal(row["amount"]) for row in body) == Decimal("1000000")
    by_amount = client.put(
        M.format(contract.pk),
        {
            "milestones": [
                {"kind": "down_payment", "amount": "250000", "due_on": "2026-09-10"},
                {"kind": "on_acceptance", "amount": "750000", "due_on": "2026-12-10"},
            ]
        },
    ).json()
    assert [row["percent"] for row in by_amount] == ["25.00", "75.00"]
    mismatch = client.put(
        M.format(contract.pk),
        {
            "milestones": [
                {"kind": "down_payment", "percent": "30", "amount": "250000", "due_on": "2026-09-10"},
                {"kind": "on_acceptance", "amount": "750000", "due_on": "2026-12-10"},
            ]
        },
    )
    assert mismatch.status_code == 422
    assert mismatch.json()["errors"][0] == {
        "field": "milestones.0.amount",
        "code": "percent_mismatch",
        "message": "The amount is not the given percent of the contract.",
    }


def test_a_milestone_needs_a_due_date_or_an_event(org, contract):
    response = api_as(org["ar"]).put(M.format(contract.pk), {"milestones": [{"kind": "other", "percent": "100"}]})
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "milestones.0.due_on"


def test_recording_delivery_fixes_the_due_dates_that_wait_on_it(org, deal):
    contract = make_contract(deal, number="HT-T", signed_on=date(2026, 9, 1), milestones="30-60-10")
    client = api_as(org["ar"])
    before = client.get(M.format(contract.pk)).json()
    assert [row["due"] for row in before] == ["2026-09-16", None, None]
    version = client.get(f"/contracts/{contract.pk}").json()["version"]
    patched = client.patch(f"/contracts/{contract.pk}", {"delivered_on": "2026-10-20", "version": version})
    assert patched.status_code == 200, patched.json()
    after = client.get(M.format(contract.pk)).json()
    assert [row["due"] for row in after] == ["2026-09-16", "2026-11-19", None]
    history = client.get(f"/milestones/{after[1]['id']}/history").json()
    assert any(change["field"] == "due" for entry in history for change in entry["changes"])


def test_a_new_amount_redivides_the_schedule_by_percent(org, deal):
    contract = make_contract(deal, number="HT-A", milestones="30-60-10")
    client = api_as(org["ar"])
    version = client.get(f"/contracts/{contract.pk}").json()["version"]
    assert client.patch(f"/contracts/{contract.pk}", {"amount": "1200000", "version": version}).status_code == 200
    assert [Decimal(row["amount"]) for row in client.get(M.format(contract.pk)).json()] == [
        Decimal("360000"),
        Decimal("720000"),
        Decimal("120000"),
    ]


def test_create_from_a_visible_deal_with_a_template(org, deal):
    client = api_as(org["ar"])
    created = client.post(
        "/contracts",
        {"opportunity_id": deal.pk, "number": "HT-2026-088", "signed_on": "2026-09-01", "template": "30-30-30-10"},
    )
    assert created.status_code == 201, created.json()
    body = created.json()
    assert (Decimal(body["amount"]), body["currency"], body["ar_id"]) == (Decimal("1000000"), "CNY", org["ar"].pk)
    assert body["fr_id"] is not None and Decimal(body["down_payment_ratio"]) == Decimal("30")
    assert len(client.get(M.format(body["id"])).json()) == 4
    duplicate = client.post(
        "/contracts", {"opportunity_id": deal.pk, "number": "HT-2026-088", "signed_on": "2026-09-01"}
    )
    assert duplicate.status_code == 422 and duplicate.json()["errors"][0]["code"] == "duplicate"
    hidden = api_as(org["outsider"]).post(
        "/contracts", {"opportunity_id": deal.pk, "number": "HT-X", "signed_on": "2026-09-01"}
    )
    assert hidden.status_code == 422 and hidden.json()["errors"][0]["code"] == "unknown_opportunity"
    assert Contract.objects.count() == 1


def test_the_ka_gate_to_won_reads_the_contract(org, deal):
    from tests.pipeline.api.test_checklist_and_advance import _unmet

    manager = api_as(org["manager"])
    manager.post(f"/opportunities/{deal.pk}/advance", {"to_stage": "negotiate", "override_reason": "特批"})
    client = api_as(org["ar"])
    assert _unmet(client.post(f"/opportunities/{deal.pk}/advance", {"reason": "价格优势"})) == ["milestones"]
    ticked = client.post(f"/opportunities/{deal.pk}/checklist/milestones", {"done": True, "evidence": "口头约定"})
    assert ticked.status_code == 422 and ticked.json()["errors"][0]["code"] == "checked_by_system"
    make_contract(Opportunity.objects.get(pk=deal.pk), number="HT-G", milestones="30-60-10")
    won = client.post(f"/opportunities/{deal.pk}/advance", {"reason": "价格优势"})
    assert won.status_code == 200 and won.json()["stage"] == "won"


def test_a_lost_deal_gets_no_contract(org, deal):
    client = api_as(org["ar"])
    client.post(f"/opportunities/{deal.pk}/advance", {"to_stage": "lost", "reason": "预算冻结"})
    refused = client.post("/contracts", {"opportunity_id": deal.pk, "number": "HT-L", "signed_on": "2026-09-01"})
    assert refused.status_code == 422 and refused.json()["errors"][0]["code"] == "opportunity_lost"
