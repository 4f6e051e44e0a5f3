"""Leads in a real browser: capture one, be refused conversion while the timeline is only partial, confirm
it and land on the new opportunity; the list, the lead page and the conversion report in both languages, on
a desktop and on a phone."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from irontriangle.common.access import viewer_of
from irontriangle.pipeline.models import Lead, LeadFollowUp, Opportunity
from irontriangle.pipeline.services import lead_convert
from tests.e2e.conftest import DESKTOP, PHONE, page_width
from tests.factories import make_account, make_contact, make_lead

pytestmark = [pytest.mark.e2e]
LANGUAGES = ["en", "zh-hans"]


@pytest.fixture(autouse=True)
def sales_processes(db):
    """The default processes come from a data migration, which a transactional test before this one on the
    same worker may have flushed away."""
    from irontriangle.pipeline.defaults import install_processes
    from irontriangle.pipeline.models import ChecklistItem, SalesProcess, Stage

    install_processes(SalesProcess, Stage, ChecklistItem)


def assert_no_sideways_scroll(page, viewport) -> None:
    """Nothing of the page's own content is wider than the window. On a desktop the shared navigation bar
    is left out: it is not this page's, and its width depends on which sections are installed."""
    if viewport is PHONE:
        assert page_width(page) <= viewport["width"]
    assert page.evaluate(
        "(() => { const m = document.querySelector('main'); return m.scrollWidth <= m.clientWidth; })()"
    )


def suffix(language: str) -> str:
    return "zh" if language == "zh-hans" else "en"


def test_create_a_lead_and_convert_it_once_bant_is_confirmed(transactional_db, org, open_session):
    account = make_account(org["ar"], name="中国移动上海公司", segment="ka", tier="s")
    session = open_session()
    page = session.page
    session.login("ar")
    session.goto(f"/leads/new/?account={account.pk}")
    page.fill("#id_name", "云专线扩容")
    page.select_option("#id_source", "exhibition")
    page.select_option("#id_scenario", "continuous")
    page.fill("#id_estimated_amount", "800000")
    for letter in ("budget", "authority", "need"):
        page.select_option(f"#id_bant_{letter}", "confirmed")
    page.select_option("#id_bant_timeline", "partial")
    page.fill("#id_timeline_evidence", "客户说明年上半年")
    page.fill("#id_spin_problem", "带宽不足，高峰期丢包")
    page.click("[data-testid=save-lead]")
    page.wait_for_url(re.compile(r"/leads/\d+/$"))
    lead = Lead.objects.get(name="云专线扩容")
    expect(page.locator("[data-testid=bant-badges] [data-letter=T]").first).to_have_attribute("data-state", "partial")

    page.click("[data-testid=convert-submit]")
    expect(page.locator("[data-testid=bant-missing]")).to_be_visible()
    expect(page.locator("[data-testid=missing-letter]")).to_have_text(["T"])
    assert not Opportunity.objects.exists()
    session.shot("lead-convert-refused-en")

    page.click("[data-testid=edit-lead]")
    page.select_option("#id_bant_timeline", "confirmed")
    page.fill("#id_timeline_evidence", "合同约定 3 月上线")
    page.click("[data-testid=save-lead]")
    page.wait_for_url(re.compile(rf"/leads/{lead.pk}/$"))
    page.click("[data-testid=convert-submit]")
    page.wait_for_url(re.compile(r"/opportunities/\d+/$"))
    opportunity = Opportunity.objects.get()
    assert page.url.endswith(f"/opportunities/{opportunity.pk}/")
    assert opportunity.lead_id == lead.pk

    session.goto(f"/leads/{lead.pk}/")
    expect(page.locator("[data-testid=opportunity-link]")).to_have_attribute(
        "href", f"/opportunities/{opportunity.pk}/"
    )


@pytest.fixture
def leads(org):
    ka = make_account(org["ar"], name="中国移动上海公司", segment="ka", tier="s")
    smb = make_account(org["ar"], name="浦东小微科技", segment="smb")
    boss = make_contact(ka, name="王总", title="总经理")
    main = make_lead(
        org["ar"],
        account=ka,
        contact_id=boss.pk,
        name="云专线扩容",
        source="exhibition",
        estimated_amount="800000",
        bant={"budget": "confirmed", "authority": "partial", "need": "confirmed", "timeline": "unknown"},
        bant_evidence={
            "budget_evidence": "年度预算已批 120 万",
            "authority_evidence": "信息中心主任推动，总经理未表态",
        },
        spin={
            "situation": "三地机房，专线由两家运营商提供",
            "problem": "高峰期丢包，运维靠人工",
            "implication": "交易系统中断一次损失上百万",
            "need_payoff": "统一专线和监控，全年可用性 99.99%",
        },
        notes="展会上主动来咨询",
    )
    LeadFollowUp.objects.create(
        lead=main,
        kind="visit",
        occurred_on="2026-11-20",
        note="拜访信息中心，确认扩容需求",
        next_step="提交方案",
        next_on="2026-11-27",
        author=org["ar"],
    )
    for n, source in enumerate(["referral", "internet", "internet", "partner", "outbound"]):
        lead = make_lead(
            org["ar"],
            account=smb if n % 2 else ka,
            name=f"线索 {n + 1}",
            source=source,
            scenario="occasional" if n % 2 else "continuous",
            segment="smb" if n % 2 else "ka",
            bant="confirmed" if n < 2 else {"budget": "partial", "need": "confirmed"},
        )
        if n < 2:
            lead_convert(viewer=viewer_of(org["ar"]), actor=org["ar"], lead=lead)
    return main


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_screens_of_the_lead_pages(transactional_db, org, leads, open_session, language, viewport):
    session = open_session(viewport=viewport)
    page = session.page
    session.login("manager")
    if language != "en":
        session.switch_language(language)
    where = f"{'phone' if viewport is PHONE else 'desktop'}-{suffix(language)}"

    session.goto("/leads/")
    expect(page.locator("[data-testid=lead-row]")).to_have_count(6)
    session.shot(f"lead-list-{where}")
    assert_no_sideways_scroll(page, viewport)

    session.goto(f"/leads/{leads.pk}/")
    expect(page.locator("[data-testid=bant-row]")).to_have_count(4)
    expect(page.locator("[data-testid=follow-up]")).to_have_count(1)
    # The manager above the lead's unit may convert without BANT confirmed, with a reason.
    expect(page.locator("#id_override_reason")).to_be_visible()
    session.shot(f"lead-page-{where}")
    assert_no_sideways_scroll(page, viewport)

    session.goto("/leads/conversion/")
    page.wait_for_selector("[data-conversion-chart] svg")
    expect(page.locator("[data-testid=conversion-total] .stat").first).to_have_text("6")
    session.shot(f"lead-conversion-{where}")
    assert_no_sideways_scroll(page, viewport)
