"""Logging a customer visit on a phone, right after it: the big "Log a visit" button, the account, a
contact ticked, Chinese minutes; then finding it again by a Chinese word. And the cadence, risk radar and
evaluation pages on the same small screen."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from irontriangle.relationships.models import Interaction, RelationshipEvaluation
from tests.e2e.conftest import PHONE
from tests.factories import add_owner, add_to_team, log_interaction, make_account, make_contact

pytestmark = [pytest.mark.e2e]


def assert_fits(page) -> None:
    """Nothing sticks out sideways: the page scrolls up and down only."""
    overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert overflow <= 0, f"the page is {overflow}px wider than the screen"


def tall_shot(session, name: str) -> None:
    """A full-page screenshot taken with a screen as tall as the page, so that the sticky bars (the top
    navigation, the save button) sit where a reader scrolling the phone would meet them."""
    page = session.page
    page.evaluate("window.scrollTo(0, 0)")
    height = page.evaluate("document.documentElement.scrollHeight")
    page.set_viewport_size({"width": PHONE["width"], "height": max(height, PHONE["height"])})
    try:
        session.shot(name)
    finally:
        page.set_viewport_size(PHONE)


@pytest.fixture
def field(org):
    account = make_account(org["ar"], name="中国移动上海公司", segment="ka", tier="s")
    add_to_team(account, org["sr"], "sr")
    key = make_contact(account, name="张总", title="信息中心主任", is_key=True, buying_roles=["decision_maker"])
    add_owner(key, org["ar"], primary=True)
    make_contact(account, name="李工", title="网络部工程师")
    make_account(org["ar"], name="上海电信")
    # Earlier weeks of visits, so the trend has a shape.
    now = timezone.now()
    for back, count in ((7, 4), (14, 6), (21, 3), (28, 5), (35, 2)):
        for n in range(count):
            log_interaction(
                account,
                kind="visit",
                occurred_at=now - timedelta(days=back, hours=n),
                participant_ids=[org["ar"].pk] if n % 2 else [org["sr"].pk],
                minutes=f"例行拜访 {back}-{n}",
            )
    return {"account": account, "key": key}


def test_log_a_visit_on_a_phone_and_find_it_again(transactional_db, org, field, open_session):
    account = field["account"]
    session = open_session(PHONE)
    page = session.page
    session.login("ar")

    # The button is on the bar itself: no menu to open first.
    button = page.locator("[data-testid=log-visit]")
    expect(button).to_be_visible()
    button.click()
    page.wait_for_url(re.compile(r"/interactions/new/$"))
    assert_fits(page)
    expect(page.locator("#kind-visit")).to_be_checked()
    page.click("[data-testid=kind-meeting]")
    expect(page.locator("#kind-meeting")).to_be_checked()
    page.select_option("[data-testid=account-select]", label="中国移动上海公司")
    chip = page.locator("[data-testid=contact-chip]", has_text="张总")
    expect(chip).to_be_visible()
    chip.click()
    expect(page.locator(f"#contact-{field['key'].pk}")).to_be_checked()
    # Who went: me, already ticked; the account team is offered.
    expect(page.locator(f"#person-{org['ar'].pk}")).to_be_checked()
    page.locator("[data-testid=person-suggestion]", has_text="李娜").click()
    page.fill("#id_minutes", "拜访张总，讨论数据中心扩容预算，客户希望下季度启动招标。")
    page.fill("#id_next_steps", "下周提交方案建议书")
    assert_fits(page)
    tall_shot(session, "log-visit-phone")
    page.click("[data-testid=save-interaction]")

    page.wait_for_url(re.compile(rf"/accounts/{account.pk}/$"))
    expect(page.locator(".alert-success")).to_contain_text("中国移动上海公司")
    logged = Interaction.objects.get(minutes__contains="扩容预算")
    assert logged.kind == "meeting"
    assert list(logged.contacts.values_list("name", flat=True)) == ["张总"]
    assert set(logged.participants.values_list("username", flat=True)) == {"ar", "sr"}

    session.goto("/interactions/")
    first = page.locator("[data-testid=interaction-card]").first
    expect(first).to_contain_text("扩容预算")
    expect(first).to_contain_text("张总")
    page.fill("[data-testid=interaction-search]", "扩容")
    page.wait_for_url(re.compile(r"/interactions/\?q="))
    expect(page.locator("[data-testid=interaction-card]")).to_have_count(1)
    expect(page.locator("[data-testid=interaction-card] mark").first).to_have_text("扩容")
    assert_fits(page)
    tall_shot(session, "interactions")


def test_cadence_risks_and_evaluation_on_a_phone(transactional_db, org, field, open_session):
    account = field["account"]
    session = open_session(PHONE)
    page = session.page
    session.login("manager")

    session.goto("/cadence/")
    expect(page.locator("[data-testid=cadence-person]")).to_have_count(3)  # ar, sr and the manager
    expect(page.locator("[data-testid=below-target]").first).to_be_visible()
    expect(page.locator("[data-testid=cadence-chart] svg")).to_be_visible()
    assert_fits(page)
    tall_shot(session, "cadence")
    page.click("[data-testid=previous-week]")
    expect(page.locator("[data-testid=week-label]")).to_be_visible()

    session.goto("/risks/")
    expect(page.locator("[data-testid=risk-message]", has_text="张总").first).to_be_visible()
    assert_fits(page)
    tall_shot(session, "risks")

    session.goto(f"/accounts/{account.pk}/evaluation/")
    expect(page.locator("[data-testid=evaluation-item]")).to_have_count(9)
    page.locator("[data-testid=evaluation-item]").nth(0).click()
    page.locator("[data-testid=evaluation-item]").nth(3).click()
    page.fill("#id_notes", "年度评估：战略已明确，关键人需要备份负责人。")
    page.click("[data-testid=save-evaluation]")
    expect(page.locator(".alert-success")).to_be_visible()
    expect(page.locator("[data-testid=evaluation-score]")).to_contain_text("22")
    expect(page.locator("[data-score-gauge] svg")).to_be_visible()
    record = RelationshipEvaluation.objects.get(account=account)
    assert record.strategy_set and record.key_relationships_owned
    assert_fits(page)
    tall_shot(session, "evaluation")


def test_strategic_agreement_fields_and_customer_participants(transactional_db, org, field, open_session):
    session = open_session(PHONE)
    page = session.page
    session.login("ar")
    session.goto("/org-activities/new/")
    terms = page.locator("[data-testid=agreement-fields]")
    expect(terms).to_be_hidden()
    page.select_option("#id_kind", "strategic_agreement")
    expect(terms).to_be_visible()
    page.select_option("[data-testid=account-select]", label="中国移动上海公司")
    page.locator("[data-testid=contact-chip]", has_text="张总").click()
    page.fill("#id_title", "战略合作协议签约")
    page.fill("#id_key_projects", "5G 专网；数据中心二期")
    page.check("#id_exclusive")
    page.fill("#id_valid_until", "2028-12-31")
    assert_fits(page)
    tall_shot(session, "org-activity-phone")
    page.click("[data-testid=save-org-activity]")
    expect(page.locator(".alert-success")).to_be_visible()
    expect(page.locator("[data-testid=agreement-terms]").first).to_contain_text("2028-12-31")
    assert_fits(page)
    tall_shot(session, "org-activities")
