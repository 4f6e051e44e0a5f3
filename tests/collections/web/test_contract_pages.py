"""The contract pages and what they post, through the test client and every middleware."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from irontriangle.collections.models import (
    CollectionAction,
    Contract,
    ContractTick,
    Evidence,
    Payment,
    PaymentMilestone,
    SignOff,
)
from irontriangle.common.access import viewer_of
from irontriangle.pipeline.models import Stage
from tests.collections.conftest import record
from tests.factories import make_contact, make_contract

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
HTML = b"<!DOCTYPE html><html><body><script>alert(document.cookie)</script></body></html>"
WHO = [("ar", 200), ("sr", 200), ("fr", 200), ("manager", 200), ("finance_user", 200), ("outsider", 404)]


@pytest.fixture
def signed(deal):
    return make_contract(deal, number="HT-2026-001", signed_on=date(2026, 1, 15), milestones="30-60-10")


def _people(org, fr):
    return {**org, "fr": fr}


def _url(contract, suffix=""):
    return f"/contracts/{contract.pk}/{suffix}"


def _milestones(contract):
    return list(PaymentMilestone.objects.filter(contract=contract).order_by("position"))


@pytest.mark.parametrize(("who", "status"), WHO)
def test_contract_page_by_who(client, org, fr, signed, who, status):
    client.force_login(_people(org, fr)[who])
    response = client.get(_url(signed))
    assert response.status_code == status
    if status == 200:
        html = response.content.decode()
        assert "HT-2026-001" in html and "中国移动上海公司" in html and "核心网扩容" in html
        assert html.count('data-testid="schedule-row"') == 3
        assert 'data-testid="contract-checklist"' in html


def test_editors_get_the_forms_and_readers_do_not(client, org, signed, reader):
    for who in (org["sr"], org["finance_user"]):
        client.force_login(who)
        assert 'data-testid="payment-form"' in client.get(_url(signed)).content.decode()
    client.force_login(reader)
    html = client.get(_url(signed)).content.decode()
    assert "HT-2026-001" in html
    assert 'data-testid="payment-form"' not in html and 'data-testid="schedule-form"' not in html
    down = _milestones(signed)[0]
    refused = client.post(
        _url(signed, f"milestones/{down.pk}/payment/"),
        {f"pay-{down.pk}-amount": "1", f"pay-{down.pk}-received_on": "2026-02-01"},
    )
    assert refused.status_code == 403
    assert not Payment.objects.exists()


def test_the_list_shows_visible_contracts_only(client, org, fr, signed, deal):
    record(_milestones(signed)[0], "300000", date(2026, 1, 20), by=org["ar"])
    client.force_login(org["ar"])
    html = client.get("/contracts/").content.decode()
    assert "HT-2026-001" in html
    assert 'data-testid="received-percent">30%' in html
    assert "30%" in html  # the down-payment ratio of a 30 / 60 / 10 schedule
    assert "HT-2026-001" in client.get("/contracts/?q=核心网").content.decode()
    assert "HT-2026-001" not in client.get("/contracts/?q=nothing-like-it").content.decode()
    assert client.get("/contracts/?cursor=garbage").status_code == 200
    client.force_login(org["outsider"])
    assert "HT-2026-001" not in client.get("/contracts/").content.decode()
    client.force_login(org["finance_user"])
    assert "HT-2026-001" in client.get("/contracts/").content.decode()


def test_the_list_pages_with_a_cursor(client, org, deal):
    for n in range(53):
        Contract.objects.create(
            opportunity=deal,
            account=deal.account,
            number=f"HT-P-{n:03}",
            signed_on=date(2026, 1, 1) + timedelta(days=n),
            amount=Decimal("1000"),
        )
    client.force_login(org["ar"])
    first = client.get("/contracts/")
    assert first.content.decode().count('data-testid="contract-row"') == 50
    cursor = first.context["page"].next_cursor
    second = client.get("/contracts/", {"cursor": cursor}).content.decode()
    assert second.count('data-testid="contract-row"') == 3
    assert "HT-P-000" in second


def test_recording_a_payment_through_the_page(client, org, signed):
    down = _milestones(signed)[0]
    client.force_login(org["ar"])
    prefix = f"pay-{down.pk}"
    response = client.post(
        _url(signed, f"milestones/{down.pk}/payment/"),
        {f"{prefix}-amount": "100000.00", f"{prefix}-received_on": "2026-02-01", f"{prefix}-reference": "BK-1"},
    )
    assert response.status_code == 302
    assert response["Location"].endswith(f"#milestone-{down.pk}")
    payment = Payment.objects.get()
    assert (payment.amount, payment.reference, payment.recorded_by) == (Decimal("100000.00"), "BK-1", org["ar"])
    page = client.get(_url(signed)).content.decode()
    assert "The payment was recorded." in page
    assert 'data-testid="milestone-received">100,000.00' in page
    assert 'data-testid="contract-outstanding">900,000.00' in page


def test_over_payment_shows_the_error_on_the_amount_and_records_nothing(client, org, signed):
    down = _milestones(signed)[0]
    client.force_login(org["ar"])
    prefix = f"pay-{down.pk}"
    data = {f"{prefix}-amount": "400000", f"{prefix}-received_on": "2026-02-01"}
    response = client.post(_url(signed, f"milestones/{down.pk}/payment/"), data)
    assert response.status_code == 422
    html = response.content.decode()
    assert 'data-field-error="amount"' in html and "300,000.00" in html
    assert "data-open-on-load" in html  # the modal opens again with the refusal in it
    assert not Payment.objects.exists()
    # Through htmx, only the form comes back, with the same refusal.
    partial = client.post(_url(signed, f"milestones/{down.pk}/payment/"), data, headers={"HX-Request": "true"})
    assert partial.status_code == 422
    assert 'data-field-error="amount"' in partial.content.decode()
    assert "<html" not in partial.content.decode()
    assert not Payment.objects.exists()
    # Said to be an over-payment, it is taken.
    data[f"{prefix}-is_overpayment"] = "on"
    taken = client.post(_url(signed, f"milestones/{down.pk}/payment/"), data, headers={"HX-Request": "true"})
    assert taken.status_code == 200 and taken["HX-Refresh"] == "true"
    assert Payment.objects.get().is_overpayment


def test_the_over_payment_refusal_speaks_chinese(client, org, signed):
    down = _milestones(signed)[0]
    client.force_login(org["ar"])
    prefix = f"pay-{down.pk}"
    response = client.post(
        _url(signed, f"milestones/{down.pk}/payment/"),
        {f"{prefix}-amount": "400000", f"{prefix}-received_on": "2026-02-01"},
        headers={"Accept-Language": "zh-hans"},
    )
    assert response.status_code == 422
    assert '<html lang="zh-Hans">' in response.content.decode()


def test_reading_users_cannot_post(client, org, signed):
    down = _milestones(signed)[0]
    client.force_login(org["outsider"])
    response = client.post(
        _url(signed, f"milestones/{down.pk}/payment/"),
        {f"pay-{down.pk}-amount": "1", f"pay-{down.pk}-received_on": "2026-02-01"},
    )
    assert response.status_code == 404
    assert not Payment.objects.exists()


def test_a_fake_pdf_is_refused_and_a_real_one_downloaded_by_members_only(client, org, signed):
    down = _milestones(signed)[0]
    client.force_login(org["ar"])
    prefix = f"evidence-{down.pk}"
    fake = SimpleUploadedFile("invoice.pdf", HTML, "application/pdf")
    refused = client.post(
        _url(signed, f"milestones/{down.pk}/evidence/"), {f"{prefix}-file": fake, f"{prefix}-kind": "invoice"}
    )
    assert refused.status_code == 422
    html = refused.content.decode()
    assert 'data-field-error="file"' in html and "not what its name says" in html
    assert not Evidence.objects.exists()

    real = SimpleUploadedFile("invoice.pdf", PDF, "application/pdf")
    taken = client.post(
        _url(signed, f"milestones/{down.pk}/evidence/"), {f"{prefix}-file": real, f"{prefix}-kind": "invoice"}
    )
    assert taken.status_code == 302
    evidence = Evidence.objects.get()
    assert PaymentMilestone.objects.get(pk=down.pk).evidence_present == 1
    download = client.get(f"/evidence/{evidence.pk}/download/")
    assert download.status_code == 200
    assert download["Content-Disposition"].startswith("attachment")
    assert download["X-Content-Type-Options"] == "nosniff"
    assert b"".join(download.streaming_content) == PDF
    client.force_login(org["outsider"])
    assert client.get(f"/evidence/{evidence.pk}/download/").status_code == 404
    assert client.get("/evidence/999999/download/").status_code == 404


def test_the_schedule_must_add_up_and_says_so(client, org, signed):
    milestones = _milestones(signed)
    client.force_login(org["ar"])
    rows = {
        "version": str(Contract.objects.get(pk=signed.pk).version),
        "row-id": [str(m.pk) for m in milestones[:2]],
        "row-kind": ["down_payment", "on_delivery"],
        "row-percent": ["30", "60"],
        "row-amount": ["", ""],
        "row-due_on": ["2026-02-01", ""],
        "row-trigger": ["", "delivery"],
        "row-offset_days": ["0", "30"],
        "row-responsible_id": ["", ""],
        "row-evidence": ["invoice", "delivery_note,invoice"],
    }
    refused = client.post(_url(signed, "schedule/"), rows)
    assert refused.status_code == 422
    html = refused.content.decode()
    assert 'data-testid="schedule-error"' in html and "900,000.00" in html
    assert len(_milestones(signed)) == 3
    rows["row-percent"] = ["40", "60"]
    saved = client.post(_url(signed, "schedule/"), rows)
    assert saved.status_code == 302
    assert [m.amount for m in _milestones(signed)] == [Decimal("400000.00"), Decimal("600000.00")]
    assert _milestones(signed)[0].due == date(2026, 2, 1)


def test_apply_a_template_events_invoice_and_dispute(client, org, contract):
    client.force_login(org["ar"])
    assert client.post(_url(contract, "schedule/template/"), {"template": "30-60-10"}).status_code == 302
    down, delivery, _rest = _milestones(contract)
    version = Contract.objects.get(pk=contract.pk).version
    response = client.post(_url(contract, "event/"), {"event": "delivered_on", "on": "2026-10-01", "version": version})
    assert response.status_code == 302
    assert PaymentMilestone.objects.get(pk=delivery.pk).due == date(2026, 10, 31)
    invoiced = client.post(
        _url(contract, f"milestones/{down.pk}/invoice/"),
        {f"invoice-{down.pk}-invoiced_on": "2026-09-02", f"invoice-{down.pk}-invoice_number": "FP-1"},
    )
    assert invoiced.status_code == 302
    assert PaymentMilestone.objects.get(pk=down.pk).invoice_number == "FP-1"
    empty = client.post(_url(contract, f"milestones/{down.pk}/dispute/"), {f"dispute-{down.pk}-reason": ""})
    assert empty.status_code == 422
    client.post(_url(contract, f"milestones/{down.pk}/dispute/"), {f"dispute-{down.pk}-reason": "金额不符"})
    assert PaymentMilestone.objects.get(pk=down.pk).dispute_reason == "金额不符"
    assert "金额不符" in client.get(_url(contract)).content.decode()
    client.post(_url(contract, f"milestones/{down.pk}/resolve/"), {f"resolve-{down.pk}-note": "已核对"})
    assert PaymentMilestone.objects.get(pk=down.pk).dispute_reason == ""


def test_decision_chain_actions_checklist_and_reversal(client, org, signed):
    down = _milestones(signed)[0]
    boss = make_contact(signed.account, name="刘总监", title="财务总监", stance="opponent")
    client.force_login(org["ar"])
    added = client.post(
        _url(signed, f"milestones/{down.pk}/sign-offs/"),
        {f"signoff-{down.pk}-contact_id": boss.pk, f"signoff-{down.pk}-role": "finance"},
    )
    assert added.status_code == 302
    sign_off = SignOff.objects.get()
    page = client.get(_url(signed)).content.decode()
    assert "刘总监" in page and "stance-opponent" in page
    client.post(
        _url(signed, f"milestones/{down.pk}/sign-offs/{sign_off.pk}/"),
        {f"signed-{sign_off.pk}-signed_on": "2026-02-01"},
    )
    assert SignOff.objects.get().signed_on == date(2026, 2, 1)

    logged = client.post(
        _url(signed, "actions/"),
        {
            "action-kind": "call",
            "action-occurred_on": "2026-02-02",
            "action-contact_id": boss.pk,
            "action-outcome": "答应月底付款",
            "action-promised_on": "2026-02-28",
        },
    )
    assert logged.status_code == 302
    assert CollectionAction.objects.get().promised_on == date(2026, 2, 28)
    missing = client.post(_url(signed, "actions/"), {"action-kind": "call", "action-occurred_on": "2026-02-02"})
    assert missing.status_code == 422

    automatic = client.post(_url(signed, "checklist/"), {"key": "delivered", "note": "x", "done": "1"})
    assert automatic.status_code == 422
    assert "cannot be ticked by hand" in automatic.content.decode()
    assert (
        client.post(
            _url(signed, "checklist/"), {"key": "issues_closed", "note": "验收会已关闭问题", "done": "1"}
        ).status_code
        == 302
    )
    assert ContractTick.objects.get().done

    payment = record(down, "1000", date(2026, 2, 1), by=org["ar"])
    assert client.post(_url(signed, f"payments/{payment.pk}/reverse/")).status_code == 302
    assert PaymentMilestone.objects.get(pk=down.pk).received == 0


def test_creating_a_contract_from_the_deal(client, org, deal):
    client.force_login(org["ar"])
    form = client.get(f"/contracts/new/?opportunity={deal.pk}")
    assert form.status_code == 200
    assert 'value="1000000.00"' in form.content.decode()  # the deal's amount
    duplicate_free = client.post(
        "/contracts/new/",
        {
            "opportunity": deal.pk,
            "number": "HT-NEW-1",
            "signed_on": "2026-03-01",
            "amount": "1000000",
            "currency": "cny",
            "template": "30-60-10",
        },
    )
    assert duplicate_free.status_code == 302
    contract = Contract.objects.get(number="HT-NEW-1")
    assert duplicate_free["Location"] == f"/contracts/{contract.pk}/"
    assert contract.currency == "CNY" and len(_milestones(contract)) == 3
    again = client.post(
        "/contracts/new/",
        {"opportunity": deal.pk, "number": "HT-NEW-1", "signed_on": "2026-03-01", "amount": "5", "currency": "CNY"},
    )
    assert again.status_code == 422 and "Another contract already has this number." in again.content.decode()
    client.force_login(org["outsider"])
    assert client.get(f"/contracts/new/?opportunity={deal.pk}").status_code == 404
    assert client.get("/contracts/new/").status_code == 404


def test_the_opportunity_page_lists_its_contracts(client, org, deal, signed):
    client.force_login(org["ar"])
    html = client.get(f"/opportunities/{deal.pk}/").content.decode()
    assert 'data-testid="deal-contract"' in html and "HT-2026-001" in html
    assert 'data-testid="new-contract"' not in html  # the deal is at its first stage
    won = Stage.objects.filter(process=deal.process, outcome="won").first()
    type(deal).objects.filter(pk=deal.pk).update(stage=won)
    assert 'data-testid="new-contract"' in client.get(f"/opportunities/{deal.pk}/").content.decode()
    client.force_login(org["outsider"])
    assert client.get(f"/opportunities/{deal.pk}/").status_code == 404


def test_query_counts_are_bounded(client, org, deal, signed, django_assert_max_num_queries):
    from irontriangle.collections.services import sign_off_add

    bigger = make_contract(deal, number="HT-2026-002", signed_on=date(2026, 1, 15), milestones="30-30-30-10")
    for contract in (signed, bigger):
        for milestone in _milestones(contract):
            record(milestone, "1000", date(2026, 2, 1), by=org["ar"])
            record(milestone, "500", date(2026, 2, 2), by=org["ar"])
            for n in range(2):
                person = make_contact(contract.account, name=f"联系人{milestone.pk}-{n}")
                sign_off_add(
                    viewer=viewer_of(org["ar"]),
                    actor=org["ar"],
                    milestone=milestone,
                    data={"contact_id": person.pk, "role": "finance"},
                )
    client.force_login(org["ar"])
    # Measured at 19 for an editor, the same for three milestones or four, one payment and sign-off or many.
    for contract in (signed, bigger):
        with django_assert_max_num_queries(19):
            assert client.get(_url(contract)).status_code == 200
    for n in range(5):
        make_contract(deal, number=f"HT-2026-1{n}", signed_on=date(2026, 2, 1), milestones="30-60-10")
    # Measured at 7 whatever the number of rows: the session, the navigation and one query for the page.
    with django_assert_max_num_queries(7):
        assert client.get("/contracts/").status_code == 200
