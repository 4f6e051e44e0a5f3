"""The board, the opportunity list and the funnel in a real browser: a card dragged through the stage gate,
and the pages in English, in Chinese and on a phone."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import PHONE, page_width
from tests.factories import make_account
from tests.pipeline.web.board_data import ensure_processes, force, fulfil_verify, open_deal, quote

pytestmark = [pytest.mark.e2e]


@pytest.fixture
def pipeline(transactional_db, org, team_account):
    ensure_processes()
    deal = open_deal(team_account, name="移动云平台", amount="1200000", expected_close="2030-03-31")
    quote(deal, by=org["ar"])
    open_deal(team_account, name="移动安全项目", amount="300000", expected_close="2030-06-30")
    guided = open_deal(team_account, name="移动大数据", amount="800000", expected_close="2030-05-31")
    force(guided, "guide", manager=org["manager"])
    won = open_deal(team_account, name="移动物联网", amount="500000", expected_close="2030-01-31")
    for stage in ("guide", "bid", "negotiate"):
        won = force(won, stage, manager=org["manager"])
    force(won, "won", manager=org["manager"], reason="方案最优")
    other = make_account(org["ar"], name="上海电信", segment="ka")
    lost = open_deal(other, name="电信计费系统", amount="2000000", expected_close="2030-02-28")
    force(lost, "lost", manager=org["manager"], reason="预算取消")
    return deal


def card(page, name):
    return page.locator("[data-testid=board-card]", has_text=name)


def column(page, stage):
    return page.locator(f".board-column[data-stage={stage}]")


def test_drag_through_the_gate(transactional_db, org, pipeline, open_session):
    session = open_session()
    page = session.page
    session.login("ar")
    session.goto("/opportunities/board/")
    expect(column(page, "verify").locator("[data-testid=column-count]")).to_have_text("2")
    session.shot("board-en")

    card(page, "移动云平台").drag_to(column(page, "guide").locator("[data-dropzone]"))
    modal = page.locator("[data-testid=move-modal]")
    expect(modal).to_be_visible()
    expect(modal.locator("[data-testid=unmet-item]")).to_have_count(3)
    expect(modal).to_contain_text("Decision maker mapped on the power map")
    expect(modal).to_contain_text("BANT confirmed")
    session.shot("board-gate-modal-en")
    page.click("[data-testid=move-modal-close]")
    expect(modal).to_be_hidden()
    # Refused: the card is back where it was.
    expect(column(page, "verify").locator("[data-testid=board-card]", has_text="移动云平台")).to_have_count(1)
    expect(column(page, "guide").locator("[data-testid=board-card]", has_text="移动云平台")).to_have_count(0)

    fulfil_verify(pipeline, by=org["ar"])
    card(page, "移动云平台").drag_to(column(page, "guide").locator("[data-dropzone]"))
    expect(column(page, "guide").locator("[data-testid=board-card]", has_text="移动云平台")).to_have_count(1)
    expect(column(page, "guide").locator("[data-testid=column-count]")).to_have_text("2")
    expect(column(page, "verify").locator("[data-testid=column-count]")).to_have_text("1")
    expect(page.locator("[data-testid=board-alert]")).to_contain_text("moved to")
    expect(modal).to_be_hidden()
    # The move holds after a reload.
    session.goto("/opportunities/board/")
    expect(column(page, "guide").locator("[data-testid=board-card]", has_text="移动云平台")).to_have_count(1)


def test_move_to_select_closes_with_a_reason(transactional_db, org, pipeline, open_session):
    session = open_session()
    page = session.page
    session.login("ar")
    session.goto("/opportunities/board/")
    card(page, "移动安全项目").locator("[data-testid=move-select]").select_option("lost")
    modal = page.locator("[data-testid=move-modal]")
    expect(modal).to_be_visible()
    page.click("[data-testid=move-submit]")
    expect(modal.locator("[data-testid=move-error]")).to_be_visible()
    page.fill("[data-testid=close-reason]", "客户取消了预算")
    page.click("[data-testid=move-submit]")
    expect(column(page, "lost").locator("[data-testid=board-card]", has_text="移动安全项目")).to_have_count(1)
    expect(column(page, "lost").locator("[data-testid=column-count]")).to_have_text("2")


@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_pages_in_both_languages(transactional_db, org, pipeline, open_session, language):
    suffix = "zh" if language == "zh-hans" else "en"
    session = open_session()
    page = session.page
    session.login("ar")
    if language != "en":
        session.switch_language(language)
    session.goto("/opportunities/")
    expect(page.locator("[data-testid=opportunity-row]")).to_have_count(5)
    expect(page.locator("[data-testid=margin-header]")).to_be_visible()
    session.shot(f"opportunity-list-{suffix}")
    page.fill("input[name=q]", "移动云")
    expect(page.locator("[data-testid=opportunity-row]")).to_have_count(1)
    expect(page.locator("[data-testid=export-csv]")).to_have_attribute(
        "href", "/opportunities/export.csv?q=%E7%A7%BB%E5%8A%A8%E4%BA%91"
    )
    session.goto("/opportunities/board/")
    expect(page.locator("[data-testid=board-column]")).to_have_count(7)
    session.shot(f"board-{suffix}")
    session.goto("/pipeline/funnel/")
    expect(page.locator("[data-testid=funnel-chart] svg").first).to_be_visible()
    session.shot(f"funnel-{suffix}")


def test_pages_on_a_phone(transactional_db, org, pipeline, open_session):
    session = open_session(PHONE)
    page = session.page
    session.login("ar")
    session.goto("/opportunities/")
    expect(page.locator("[data-testid=opportunity-row]")).to_have_count(5)
    assert page_width(page) <= PHONE["width"]
    session.shot("opportunity-list-phone")
    session.goto("/opportunities/board/")
    expect(page.locator("[data-testid=board-column]").first).to_be_visible()
    session.shot("board-phone")
    # On a phone the "Move to…" list moves the card.
    card(page, "移动大数据").locator("[data-testid=move-select]").select_option("verify")
    expect(column(page, "verify").locator("[data-testid=board-card]", has_text="移动大数据")).to_have_count(1)
    session.goto("/pipeline/funnel/")
    expect(page.locator("[data-testid=funnel-chart] svg").first).to_be_visible()
    assert page_width(page) <= PHONE["width"]
    session.shot("funnel-phone")
