"""The opportunity page in a real browser: English and Chinese, a phone, the stage gate, the live refresh."""

from __future__ import annotations

from decimal import Decimal

import pytest

from irontriangle.common.access import viewer_of
from irontriangle.pipeline import services
from irontriangle.pipeline.defaults import install_processes
from irontriangle.pipeline.models import ChecklistItem, Opportunity, PipelineSettings, SalesProcess, Stage
from tests.e2e.conftest import PHONE, page_width
from tests.factories import add_to_team, make_account, make_contact

pytestmark = [pytest.mark.e2e]


def signed_in(open_session, username, language="en", viewport=None):
    session = open_session(viewport) if viewport else open_session()
    if language != "en":
        session.goto("/login/")
        with session.page.expect_navigation():
            session.page.click(f"[data-testid=lang-{language}]")
    session.login(username)
    return session


@pytest.fixture
def deal(transactional_db, org):
    # Browser tests empty the database between tests, the processes a migration seeded included.
    if not SalesProcess.objects.exists():
        install_processes(SalesProcess, Stage, ChecklistItem)
    PipelineSettings.objects.get_or_create()
    ar = org["ar"]
    account = make_account(ar, name="中国移动上海公司", segment="ka", tier="s")
    add_to_team(account, org["sr"], "sr")
    boss = make_contact(account, name="王总", title="总经理", buying_roles=["decision_maker"])
    make_contact(account, name="陈主任", title="信息中心主任", buying_roles=["technical_evaluator"])
    opportunity = services.opportunity_create(
        viewer=viewer_of(ar),
        actor=ar,
        account=account,
        data={"name": "核心网扩容", "amount": Decimal("1200000"), "currency": "CNY", "expected_close": None},
    )
    services.opportunity_team_add(
        viewer=viewer_of(ar), actor=ar, opportunity=opportunity, user_id=org["sr"].pk, role="sr"
    )
    services.competitor_add(
        viewer=viewer_of(ar),
        actor=ar,
        opportunity=opportunity,
        data={"name": "华为", "strengths": "价格低", "weaknesses": "服务慢", "threat": "high", "strategy": "本地服务"},
    )
    services.pain_link_add(
        viewer=viewer_of(ar),
        actor=ar,
        opportunity=opportunity,
        data={"contact_id": boss.pk, "pain": "网络拥塞", "cause": "设备老化", "consequence": "投诉增加"},
    )
    quote = services.quote_create(
        viewer=viewer_of(ar),
        actor=ar,
        opportunity=opportunity,
        data={
            "lines": [
                {
                    "product": "基站",
                    "quantity": Decimal("10"),
                    "list_price": Decimal("1000"),
                    "unit_cost": Decimal("700"),
                }
            ]
        },
    )
    services.quote_submit(viewer=viewer_of(ar), actor=ar, quote=quote)
    return Opportunity.objects.get(pk=opportunity.pk)


def test_the_opportunity_page_in_english(org, deal, open_session):
    session = signed_in(open_session, "sr")
    page = session.page
    session.goto(f"/opportunities/{deal.pk}/")
    assert page.locator("[data-testid=opportunity-name]").inner_text() == "核心网扩容"
    assert page.locator("[data-testid=opportunity-account]").inner_text() == "中国移动上海公司"
    assert "Verify" in page.locator("[data-testid=stage-path]").inner_text()
    assert "Checklist score" in page.locator("[data-testid=checklist-score]").inner_text()
    assert page.locator("[data-testid=auto-badge]").first.inner_text().strip() == "checked from the records"
    for text in ("Sales checklist", "Deal team", "Guides", "Competitors", "Pain chain", "Quotes", "Splits", "Timeline"):
        assert page.get_by_text(text, exact=True).count() >= 1, text
    assert page.locator("[data-testid=quote-cost]").count() == 1  # the SR sees the cost
    assert page.locator("[data-testid=quote-approve]").count() == 1
    assert "Threat: High" in page.locator("[data-testid=threat]").inner_text()
    session.shot("opportunity-page-en")


def test_the_opportunity_page_in_chinese_and_on_a_phone(org, deal, open_session):
    session = signed_in(open_session, "ar", "zh-hans", PHONE)
    page = session.page
    session.goto(f"/opportunities/{deal.pk}/")
    assert page.locator("html").get_attribute("lang") == "zh-Hans"
    assert "验证商机" in page.locator("[data-testid=stage-path]").inner_text()
    # The structure is the same whatever the language; the catalogue already says 客户 for "Accounts".
    assert "客户" in page.locator(".breadcrumb").inner_text()
    for testid in ("deal-figures", "checklist", "deal-team", "guides", "competitors", "pain-chain", "quotes", "splits"):
        assert page.locator(f"[data-testid={testid}]").count() == 1, testid
    assert page.locator("[data-testid=quote-cost]").count() == 1  # the AR sees the cost too
    assert page_width(page) <= PHONE["width"]
    session.shot("opportunity-page-zh-phone")


def test_advance_refused_then_accepted_after_adding_a_guide(org, deal, open_session):
    session = signed_in(open_session, "ar")
    page = session.page
    session.goto(f"/opportunities/{deal.pk}/")
    # BANT has no lead behind it: the AR ticks it with the evidence.
    item = page.locator("[data-testid=checklist-item][data-key=bant]")
    item.locator("input[name=evidence]").fill("预算批文 2024-05")
    with page.expect_navigation():
        item.locator("button[type=submit]").click()
    with page.expect_navigation():
        page.click("[data-testid=advance-button]")
    unmet = page.locator("[data-testid=gate-unmet]")
    assert "A guide who can advise or intervene" in unmet.inner_text()
    session.shot("opportunity-gate-refused")

    page.click("[data-testid=guide-form-open]")
    page.select_option("#id_guide-contact_id", label="王总 · 总经理")
    page.select_option("#id_guide-level", "advise")
    page.fill("#id_guide-cost_notes", "每季度一次晚餐")
    with page.expect_navigation():
        page.click("[data-testid=guide-save]")
    assert "王总" in page.locator("[data-testid=guides]").inner_text()
    with page.expect_navigation():
        page.click("[data-testid=advance-button]")
    assert page.locator("[data-testid=gate-unmet]").count() == 0
    assert page.locator("[data-testid=stage-path] [aria-current=step]").get_attribute("data-stage") == "guide"
    assert page.locator("[data-testid=stage-change]").count() == 1
    session.shot("opportunity-advanced")


def test_the_page_refreshes_when_someone_else_changes_the_deal(org, deal, open_session):
    session = signed_in(open_session, "sr")
    page = session.page
    session.goto(f"/opportunities/{deal.pk}/")
    page.evaluate("window.scrollTo(0, 600)")
    services.competitor_add(
        viewer=viewer_of(org["ar"]),
        actor=org["ar"],
        opportunity=deal,
        data={"name": "中兴", "strengths": "关系好", "weaknesses": "方案弱", "threat": "medium"},
    )
    page.locator("[data-testid=competitors]").get_by_text("中兴").wait_for(timeout=20_000)
    toast = page.locator("[data-testid=deal-updated]")
    toast.wait_for()
    assert "王磊" in toast.inner_text()
    assert page.evaluate("window.scrollY") > 0  # the reader stays where they were
