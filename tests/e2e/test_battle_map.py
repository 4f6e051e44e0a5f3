"""The battle map and the collection measures in a real browser: live filters that land in a shareable URL,
in English and in Chinese, and both pages on a phone without sideways scrolling."""

from __future__ import annotations

import re
from urllib.parse import parse_qs, urlparse

import pytest
from playwright.sync_api import expect

from tests.collections.web.battle_data import build
from tests.e2e.conftest import DESKTOP, PHONE, page_width
from tests.pipeline.web.board_data import ensure_processes

pytestmark = [pytest.mark.e2e]


@pytest.fixture
def battle(transactional_db, org, team_account):
    ensure_processes()  # browser tests empty the database between tests, seeded processes included
    return build(org, team_account)


def rows(page):
    return page.locator("[data-testid=battle-row]")


def query(page) -> dict[str, list[str]]:
    return parse_qs(urlparse(page.url).query)


@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_battle_map_filters(battle, org, open_session, language):
    suffix = "zh" if language == "zh-hans" else "en"
    session = open_session()
    page = session.page
    session.login("ar")
    if language != "en":
        session.switch_language(language)
        expect(page.locator("html")).to_have_attribute("lang", "zh-Hans")
    session.open_navbar_menu("collections-menu")
    page.click("[data-testid=nav-battle-map]")
    expect(rows(page)).to_have_count(5)
    expect(page.locator("[data-testid=bucket-card]")).to_have_count(5)
    expect(page.locator("[data-testid=total-outstanding]")).to_have_text("780,000")
    expect(page.locator("[data-testid=battle-row][data-status=overdue] [data-testid=evidence] .bi")).to_have_count(2)
    assert page_width(page) <= DESKTOP["width"]
    session.shot(f"battle-map-{suffix}")

    # Typing searches live; the filters land in the address bar and in the export link.
    page.fill("#id_q", "核心网")
    expect(rows(page)).to_have_count(3)
    page.select_option("select[name=status]", "overdue")
    expect(rows(page)).to_have_count(1)
    expect(page).to_have_url(re.compile(r"status=overdue"))
    assert query(page) == {"q": ["核心网"], "status": ["overdue"]}
    expect(page.locator("[data-testid=total-outstanding]")).to_have_text("500,000")
    expect(page.locator("[data-testid=status-badge]")).to_have_count(1)
    expect(page.locator("[data-testid=filter-chip]")).to_have_count(2)
    export = page.locator("[data-testid=export-xlsx]").get_attribute("href") or ""
    assert parse_qs(urlparse(export).query) == {"q": ["核心网"], "status": ["overdue"]}
    session.shot(f"battle-map-filtered-{suffix}")

    # The URL is the view: opened afresh (as a colleague would from a link), it shows the same rows.
    shared = page.url
    other = open_session()
    other.login("fr")
    if language != "en":
        other.switch_language(language)
    other.page.goto(shared)
    expect(rows(other.page)).to_have_count(1)
    expect(other.page.locator("select[name=status]")).to_have_value("overdue")
    expect(other.page.locator("#id_q")).to_have_value("核心网")

    # A bucket card narrows to its bucket; the other filters stay.
    page.click("[data-testid=clear-filters]")
    expect(rows(page)).to_have_count(5)
    page.click("[data-testid=bucket-card][data-bucket='180_plus']")
    expect(rows(page)).to_have_count(1)
    expect(page.locator("[data-testid=bucket-card][data-bucket='180_plus']")).to_have_class(re.compile("active"))
    expect(page.locator("select[name=bucket]")).to_have_value("180_plus")
    page.select_option("select[name=bucket]", "")
    expect(rows(page)).to_have_count(5)

    # People and accounts are picked by searching for them.
    picker = page.locator("select[name=fr]").locator("xpath=..")
    picker.locator(".picker-search").fill("陈静")
    expect(page.locator("select[name=fr] option", has_text="陈静")).to_have_count(1)
    page.select_option("select[name=fr]", str(battle["fr"].pk))
    expect(page).to_have_url(re.compile(rf"fr={battle['fr'].pk}"))
    expect(rows(page)).to_have_count(5)
    page.select_option("select[name=unit]", "ka-sh")
    expect(page).to_have_url(re.compile(r"unit=ka-sh"))
    expect(rows(page)).to_have_count(5)
    page.select_option("select[name=status]", "disputed")
    expect(rows(page)).to_have_count(1)
    expect(page.locator("[data-testid=battle-row]").first).to_have_attribute("data-status", "disputed")


def test_an_outsider_sees_only_their_own(battle, org, open_session):
    session = open_session()
    page = session.page
    session.login("outsider")
    session.goto("/battle-map/")
    expect(rows(page)).to_have_count(1)
    expect(page.locator("[data-testid=battle-table]")).not_to_contain_text("HT-2026-001")
    page.fill("#id_q", "HT-2026")
    expect(page.locator("[data-testid=battle-empty]")).to_be_visible()


@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_measures_page(battle, org, open_session, language):
    suffix = "zh" if language == "zh-hans" else "en"
    session = open_session()
    page = session.page
    session.login("manager")
    if language != "en":
        session.switch_language(language)
    session.open_navbar_menu("collections-menu")
    page.click("[data-testid=nav-collection-measures]")
    expect(page.locator("[data-testid=monthly-chart] svg")).to_be_visible()
    expect(page.locator("[data-testid=ageing-chart] svg")).to_be_visible()
    expect(page.locator("[data-testid=dso-explained]")).to_be_visible()
    expect(page.locator("[data-testid=cycle-row]")).to_have_count(1)
    assert page_width(page) <= DESKTOP["width"]
    session.shot(f"collection-measures-{suffix}")
    page.click("[data-testid=group-fr]")
    expect(page).to_have_url(re.compile(r"group=fr"))
    expect(page.locator("[data-testid=ageing-row]")).to_contain_text("陈静")
    page.click("[data-testid=period-365]")
    expect(page).to_have_url(re.compile(r"group=fr&days=365|days=365&group=fr"))
    expect(page.locator("[data-testid=period-365]")).to_have_class(re.compile("active"))
    expect(page.locator("[data-testid=ageing-chart] svg")).to_be_visible()


def test_pages_on_a_phone(battle, org, open_session):
    session = open_session(PHONE)
    page = session.page
    session.login("ar")
    session.goto("/battle-map/")
    expect(rows(page)).to_have_count(5)
    assert page_width(page) <= PHONE["width"]
    # Each row is a card: the header row is hidden, every cell carries its label.
    expect(page.locator("[data-testid=battle-table] thead")).to_be_hidden()
    session.shot("battle-map-phone")
    page.click("[data-testid=filter-toggle]")
    page.locator("#battle-filter-fields.show").wait_for()  # the fold animates; wait for its end
    page.select_option("select[name=status]", "overdue")
    expect(rows(page)).to_have_count(2)
    assert page_width(page) <= PHONE["width"]
    session.shot("battle-map-phone-filtered")
    session.switch_language("zh-hans")
    expect(rows(page)).to_have_count(2)
    assert page_width(page) <= PHONE["width"]
    session.shot("battle-map-phone-zh")
    session.goto("/collections/measures/")
    expect(page.locator("[data-testid=monthly-chart] svg")).to_be_visible()
    assert page_width(page) <= PHONE["width"]
    session.shot("collection-measures-phone")
