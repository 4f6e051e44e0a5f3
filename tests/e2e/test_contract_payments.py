"""Recording money on a contract in a real browser: English and Chinese, a desktop and a phone."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from irontriangle.collections.models import Payment, PaymentMilestone
from irontriangle.collections.services import sign_off_add
from irontriangle.common.access import viewer_of
from tests.conftest import install_configuration_defaults
from tests.e2e.conftest import PHONE, page_width
from tests.factories import add_to_team, make_account, make_contact, make_contract, make_opportunity, make_user
from tests.pipeline.api.conftest import add_member

pytestmark = [pytest.mark.e2e]


@pytest.fixture
def contract(transactional_db, org):
    # Browser tests empty the database between tests, the rows the migrations seeded included.
    install_configuration_defaults()
    ar = org["ar"]
    account = make_account(ar, name="中国移动上海公司", segment="ka", tier="s")
    add_to_team(account, org["sr"], "sr")
    fr = make_user("fr", units=[org["units"]["shanghai"]], display_name="陈静")
    deal = make_opportunity(account, name="核心网扩容", amount="1000000.00")
    add_member(deal, org["sr"], "sr")
    add_member(deal, fr, "fr")
    signed = make_contract(
        deal, number="HT-2026-001", signed_on=timezone.localdate() - timedelta(days=5), milestones="30-60-10"
    )
    boss = make_contact(account, name="刘总监", title="财务总监", stance="supporter")
    down = PaymentMilestone.objects.filter(contract=signed).order_by("position").first()
    sign_off_add(viewer=viewer_of(ar), actor=ar, milestone=down, data={"contact_id": boss.pk, "role": "finance"})
    return signed


def _down(contract):
    return PaymentMilestone.objects.filter(contract=contract).order_by("position").first()


def _record(session, contract, *, too_much: str):
    """Open the down payment's modal, be refused an over-payment, then record the right amount."""
    page = session.page
    down = _down(contract)
    card = page.locator(f"#milestone-{down.pk}")
    card.locator("[data-testid=record-payment]").click()
    modal = page.locator(f"#pay-modal-{down.pk}")
    modal.locator("input[name$=-amount]").wait_for(state="visible")
    modal.locator("input[name$=-amount]").fill(too_much)
    modal.locator("input[name$=-reference]").fill("BK-20260901")
    modal.locator("[data-testid=payment-save]").click()
    error = modal.locator("[data-field-error=amount]")
    error.wait_for()
    assert "300,000.00" in error.inner_text()
    assert Payment.objects.count() == 0
    return modal, down


def test_recording_a_payment_in_english(org, contract, open_session):
    session = open_session()
    session.login("ar")
    page = session.page
    session.goto(f"/contracts/{contract.pk}/")
    assert page.locator("[data-testid=contract-number]").inner_text().strip() == "HT-2026-001"
    assert page.locator("[data-testid=schedule-row]").count() == 3
    assert "Down payment" in page.locator("[data-testid=schedule-table]").inner_text()
    session.shot("contract-page-en")
    modal, down = _record(session, contract, too_much="400000")
    session.shot("contract-payment-refused-en")
    modal.locator("input[name$=-amount]").fill("120000")
    with page.expect_navigation():
        modal.locator("[data-testid=payment-save]").click()
    assert "The payment was recorded." in page.locator(".alert-success").inner_text()
    assert page.locator("[data-testid=payment-row]").count() == 1
    assert "120,000.00" in page.locator("[data-testid=payments-table]").inner_text()
    assert page.locator(f"#milestone-{down.pk} [data-testid=milestone-status]").get_attribute("data-status") == (
        "partially_paid"
    )
    payment = Payment.objects.get()
    assert (payment.amount, payment.reference) == (Decimal("120000.00"), "BK-20260901")
    session.shot("contract-payment-recorded-en")

    session.goto("/contracts/")
    assert "12%" in page.locator("[data-testid=contract-table]").inner_text()
    session.shot("contract-list-en")

    # The deal's page lists its contracts.
    session.goto(f"/opportunities/{contract.opportunity_id}/")
    assert "HT-2026-001" in page.locator("[data-testid=deal-contracts]").inner_text()
    page.locator("#contracts").scroll_into_view_if_needed()
    session.shot("contract-on-opportunity-page-en")
    session.goto(f"/contracts/new/?opportunity={contract.opportunity_id}")
    assert page.locator("#id_amount").input_value() == "1000000.00"
    session.shot("contract-create-en")


def test_recording_a_payment_in_chinese(org, contract, open_session):
    session = open_session()
    session.login("ar")
    session.goto(f"/contracts/{contract.pk}/")
    session.switch_language("zh-hans")
    page = session.page
    assert page.locator("html").get_attribute("lang") == "zh-Hans"
    session.shot("contract-page-zh")
    modal, _down_milestone = _record(session, contract, too_much="300000.01")
    modal.locator("input[name$=-amount]").fill("300000")
    with page.expect_navigation():
        modal.locator("[data-testid=payment-save]").click()
    assert page.locator("[data-testid=payment-row]").count() == 1
    assert Payment.objects.get().amount == Decimal("300000.00")
    assert page.locator(".alert-success").count() == 1
    session.shot("contract-payment-recorded-zh")

    # The schedule editor: a schedule that does not add up is refused beside the table, nothing changed.
    page.click("[data-testid=schedule-edit-open]")
    page.locator("[data-testid=schedule-form] input[name=row-percent]").first.fill("20")
    with page.expect_navigation():
        page.click("[data-testid=schedule-save]")
    assert "900,000.00" in page.locator("[data-testid=schedule-error]").inner_text()
    assert PaymentMilestone.objects.filter(contract=contract, percent=30).count() == 1
    page.click("[data-testid=schedule-add-row]")
    assert page.locator("[data-testid=schedule-form] [data-row]").count() == 4
    page.locator("[data-testid=schedule-error]").scroll_into_view_if_needed()
    session.shot("contract-schedule-refused-zh")
    session.goto("/contracts/")
    session.shot("contract-list-zh")


def test_recording_a_payment_on_a_phone(org, contract, open_session):
    session = open_session(PHONE)
    session.login("ar")
    page = session.page
    session.goto(f"/contracts/{contract.pk}/")
    assert page_width(page) <= PHONE["width"]
    session.shot("contract-page-phone")
    modal, _down_milestone = _record(session, contract, too_much="999999")
    # The modal takes the whole screen of a phone, with the refusal beside the amount.
    box = modal.locator(".modal-content").bounding_box()
    assert box is not None and box["width"] <= PHONE["width"]
    session.shot("contract-payment-refused-phone")
    modal.locator("input[name$=-amount]").fill("1000")
    with page.expect_navigation():
        modal.locator("[data-testid=payment-save]").click()
    assert page.locator("[data-testid=payment-row]").count() == 1
    assert page_width(page) <= PHONE["width"]
    session.shot("contract-payment-recorded-phone")

    session.switch_language("zh-hans")
    assert page_width(page) <= PHONE["width"]
    session.shot("contract-page-zh-phone")
    session.goto("/contracts/")
    assert page_width(page) <= PHONE["width"]
    session.shot("contract-list-phone")
