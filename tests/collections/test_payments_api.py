"""Payments against milestones: partial, refused over-payment, explicit over-payment, reversal; statuses."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from django.utils import timezone

from irontriangle.collections.models import Payment, PaymentMilestone
from tests.conftest import api_as
from tests.factories import make_contract


def _schedule(client, contract):
    return client.get(f"/contracts/{contract.pk}/milestones").json()


def test_payments_fill_a_milestone_and_more_is_refused_unless_said(org, deal):
    contract = make_contract(deal, number="HT-P", milestones="30-60-10")
    client = api_as(org["ar"])
    down = _schedule(client, contract)[0]
    today = timezone.localdate().isoformat()

    partial = client.post("/payments", {"milestone_id": down["id"], "amount": "100000", "received_on": today})
    assert partial.status_code == 201, partial.json()
    state = client.get(f"/milestones/{down['id']}").json()
    assert (state["status"], Decimal(state["received"]), Decimal(state["outstanding"])) == (
        "partially_paid",
        Decimal("100000"),
        Decimal("200000"),
    )

    too_much = client.post("/payments", {"milestone_id": down["id"], "amount": "200000.01", "received_on": today})
    assert too_much.status_code == 422
    assert too_much.json()["code"] == "overpayment"
    assert too_much.json()["errors"][0]["field"] == "amount"
    assert "200,000.00" in too_much.json()["errors"][0]["message"]
    assert Payment.objects.filter(milestone_id=down["id"]).count() == 1
    assert PaymentMilestone.objects.get(pk=down["id"]).received == Decimal("100000")

    said = client.post(
        "/payments",
        {"milestone_id": down["id"], "amount": "200000.01", "received_on": today, "is_overpayment": True},
    )
    assert said.status_code == 201 and said.json()["is_overpayment"] is True
    paid = client.get(f"/milestones/{down['id']}").json()
    assert (paid["status"], Decimal(paid["outstanding"]), paid["ageing_bucket"]) == ("paid", Decimal("0"), None)

    assert client.delete(f"/payments/{said.json()['id']}").status_code == 204
    back = client.get(f"/milestones/{down['id']}").json()
    assert (back["status"], Decimal(back["received"])) == ("partially_paid", Decimal("100000"))
    assert [p["id"] for p in client.get("/payments", {"contract_id": contract.pk}).json()["items"]] == [
        partial.json()["id"]
    ]


def test_a_payment_needs_a_real_date_and_amount(org, deal):
    contract = make_contract(deal, number="HT-D", milestones="30-60-10")
    client = api_as(org["ar"])
    down = _schedule(client, contract)[0]
    tomorrow = (timezone.localdate() + timedelta(days=1)).isoformat()
    future = client.post("/payments", {"milestone_id": down["id"], "amount": "10", "received_on": tomorrow})
    assert future.status_code == 422 and future.json()["errors"][0]["field"] == "received_on"
    zero = client.post("/payments", {"milestone_id": down["id"], "amount": "0", "received_on": "2026-10-01"})
    assert zero.status_code == 422 and zero.json()["errors"][0]["field"] == "amount"
    assert not Payment.objects.exists()


def test_invoice_dispute_and_settlement_show_in_status_and_history(org, deal):
    contract = make_contract(
        deal,
        number="HT-S",
        milestones=[{"kind": "down_payment", "percent": Decimal("100"), "due_on": date(2099, 1, 1)}],
    )
    client = api_as(org["ar"])
    milestone = _schedule(client, contract)[0]
    assert milestone["status"] == "planned"
    invoiced = client.post(
        f"/milestones/{milestone['id']}/invoice", {"invoiced_on": "2026-11-01", "invoice_number": "FP-1"}
    )
    assert invoiced.json()["status"] == "invoiced"
    no_reason = client.post(f"/milestones/{milestone['id']}/dispute", {"reason": " "})
    assert no_reason.status_code == 422 and no_reason.json()["errors"][0]["field"] == "reason"
    disputed = client.post(f"/milestones/{milestone['id']}/dispute", {"reason": "验收报告缺质量部签字"})
    assert (disputed.json()["status"], disputed.json()["dispute_reason"]) == ("disputed", "验收报告缺质量部签字")
    settled = client.post(f"/milestones/{milestone['id']}/resolve-dispute", {"note": "质量部已补签"})
    assert settled.json()["status"] == "invoiced"
    reasons = [entry["reason"] for entry in client.get(f"/milestones/{milestone['id']}/history").json()]
    assert "Disputed: 验收报告缺质量部签字" in reasons and "Dispute settled: 质量部已补签" in reasons


def test_removing_a_paid_milestone_is_refused(org, deal):
    contract = make_contract(deal, number="HT-R", milestones="30-60-10")
    client = api_as(org["ar"])
    rows = _schedule(client, contract)
    client.post("/payments", {"milestone_id": rows[0]["id"], "amount": "1000", "received_on": "2026-10-01"})
    refused = client.put(
        f"/contracts/{contract.pk}/milestones",
        {"milestones": [{"kind": "on_acceptance", "percent": "100", "due_on": "2026-12-01"}]},
    )
    assert refused.status_code == 409 and refused.json()["code"] == "has_payments"
    kept = client.put(
        f"/contracts/{contract.pk}/milestones",
        {
            "milestones": [
                {"id": rows[0]["id"], "kind": "down_payment", "percent": "50", "due_on": "2026-10-01"},
                {"kind": "on_acceptance", "percent": "50", "due_on": "2026-12-01"},
            ]
        },
    )
    assert kept.status_code == 200
    assert (kept.json()[0]["id"], Decimal(kept.json()[0]["received"])) == (rows[0]["id"], Decimal("1000"))
    assert client.delete(f"/contracts/{contract.pk}").json()["code"] == "has_payments"


def test_a_reversed_payment_comes_back_from_the_trash_and_counts_again(org, deal):
    contract = make_contract(deal, number="HT-T2", milestones="30-60-10")
    client = api_as(org["ar"])
    down = _schedule(client, contract)[0]
    paid = client.post("/payments", {"milestone_id": down["id"], "amount": "300000", "received_on": "2026-10-01"})
    client.delete(f"/payments/{paid.json()['id']}")
    assert client.get(f"/milestones/{down['id']}").json()["status"] != "paid"
    admin = api_as(org["admin"])
    restored = admin.post(f"/trash/collections.payment/{paid.json()['id']}/restore")
    assert restored.status_code == 200, restored.json()
    assert client.get(f"/milestones/{down['id']}").json()["status"] == "paid"
