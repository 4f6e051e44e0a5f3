"""The account list's live filters and the account form's duplicate warning and claim, in a real browser,
in English and in Chinese."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from irontriangle.accounts.models import Account, OwnershipRequest
from tests.e2e.conftest import PHONE, page_width
from tests.e2e.test_accounts_flow import credit_code
from tests.factories import add_to_team, make_account, make_user, strengthen

pytestmark = [pytest.mark.e2e]
LANGUAGES = ["en", "zh-hans"]


def suffix(language: str) -> str:
    return "zh" if language == "zh-hans" else "en"


def shown(page) -> set[str]:
    return set(page.locator("[data-testid=account-row] td.cell-title a").all_inner_texts())


def expect_rows(page, names: set[str]) -> None:
    """Wait until the live results hold exactly these accounts (in any order: collations differ)."""
    page.wait_for_function(
        """(expected) => {
            const links = document.querySelectorAll("[data-testid=account-row] td.cell-title a");
            const got = Array.from(links, (link) => link.innerText.trim()).sort();
            return JSON.stringify(got) === JSON.stringify(expected);
        }""",
        arg=sorted(names),
    )
    assert shown(page) == names


@pytest.fixture
def portfolio(org):
    """Accounts the East manager sees: two in Shanghai, one owned by the East unit itself."""
    core = make_account(
        org["ar"],
        name="核心客户",
        potential="20000000",
        coverage="national",
        region="上海",
        industry="金融",
    )
    add_to_team(core, org["sr"], "sr")
    add_to_team(core, org["manager"], "fr")
    strengthen(core)  # a supporting key person makes the relationship strong: a core customer
    make_account(org["ar"], name="问题客户", coverage="local", region="北京", industry="通信")
    east_rep = make_user("east_rep", units=[org["units"]["east"]], display_name="陈东")
    make_account(east_rep, name="华东成长客户", potential="30000000", coverage="regional", region="杭州")
    make_account(org["outsider"], name="华北客户", region="北京")  # never shown to the East manager
    return core


@pytest.mark.parametrize("language", LANGUAGES)
def test_list_filters_narrow_the_rows_and_stay_in_the_address(transactional_db, org, portfolio, open_session, language):
    session = open_session()
    page = session.page
    session.login("manager")
    if language != "en":
        session.switch_language(language)
    session.goto("/accounts/")
    everyone = {"核心客户", "问题客户", "华东成长客户"}
    expect_rows(page, everyone)
    assert page.locator("[data-testid=missing-triangle]").count() == 2
    session.shot(f"list-filters-{suffix(language)}")

    page.select_option("#id_matrix_class", "core")
    page.wait_for_url(re.compile(r"/accounts/\?matrix_class=core$"))
    expect_rows(page, {"核心客户"})
    assert page.locator("[data-testid=filter-chip]").count() == 1
    session.shot(f"list-filter-core-{suffix(language)}")
    # The address is a bookmark: opening it again gives the same rows and the same control values.
    session.goto("/accounts/?matrix_class=core")
    expect_rows(page, {"核心客户"})
    assert page.locator("#id_matrix_class").input_value() == "core"
    page.click("[data-testid=clear-filters]")
    expect_rows(page, everyone)

    page.check("#id_missing_triangle")
    page.wait_for_url(re.compile(r"missing_triangle=1"))
    expect_rows(page, {"问题客户", "华东成长客户"})
    page.uncheck("#id_missing_triangle")
    expect_rows(page, everyone)

    page.select_option("#id_coverage", "regional")
    expect_rows(page, {"华东成长客户"})
    page.select_option("#id_coverage", "")
    page.fill("#id_region", "北京")
    expect_rows(page, {"问题客户"})
    page.fill("#id_region", "")
    page.fill("#id_industry", "金融")
    expect_rows(page, {"核心客户"})
    page.fill("#id_industry", "")
    expect_rows(page, everyone)

    page.select_option("#id_owner_unit", "ka-sh")
    page.wait_for_url(re.compile(r"owner_unit=ka-sh"))
    expect_rows(page, {"核心客户", "问题客户"})
    page.select_option("#id_owner_unit", "ka-east")  # a unit's accounts include its branches'
    expect_rows(page, everyone)

    page.select_option("#id_sort", "-created_at")
    page.wait_for_url(re.compile(r"sort=-created_at"))
    expect(page.locator("[data-testid=account-row] td.cell-title a").first).to_have_text("华东成长客户")


@pytest.mark.parametrize("language", LANGUAGES)
def test_phone_list_with_filters(transactional_db, org, portfolio, open_session, language):
    session = open_session(viewport=PHONE)
    page = session.page
    session.login("manager")
    if language != "en":
        session.switch_language(language)
    session.goto("/accounts/")
    assert not page.locator("#id_matrix_class").is_visible()  # filters fold away on a phone
    assert page_width(page) <= PHONE["width"]
    session.shot(f"list-phone-filters-closed-{suffix(language)}")
    page.click("[data-testid=filter-toggle]")
    page.locator("#account-filter-fields.show").wait_for()
    page.check("#id_missing_triangle")
    expect_rows(page, {"问题客户", "华东成长客户"})
    assert page_width(page) <= PHONE["width"]
    session.shot(f"list-phone-filters-{suffix(language)}")


@pytest.mark.parametrize("language", LANGUAGES)
def test_create_form_warns_of_duplicates_and_claims_an_invisible_one(transactional_db, org, open_session, language):
    code = credit_code(11)
    hidden = make_account(org["ar"], name="国家电网上海公司", credit_code=code)  # the outsider cannot see it
    mine = make_account(org["outsider"], name="ＡＢＣ物流")  # full-width letters
    session = open_session()
    page = session.page
    session.login("outsider")
    if language != "en":
        session.switch_language(language)
    session.goto("/accounts/new/")
    warning = page.locator("[data-testid=duplicate-warning]")
    assert warning.count() == 0

    # The same name in half-width letters and with a company suffix.
    page.fill("#id_name", "ABC物流有限公司")
    expect(warning).to_be_visible()
    visible = warning.locator("[data-testid=duplicate][data-visible=true]")
    expect(visible.locator("[data-testid=duplicate-link]")).to_have_attribute("href", f"/accounts/{mine.pk}/")
    session.shot(f"form-duplicate-name-{suffix(language)}")

    page.fill("#id_name", "新客户")
    expect(warning).to_have_count(0)
    page.fill("#id_credit_code", code.lower())
    expect(warning).to_be_visible()
    invisible = warning.locator("[data-testid=duplicate][data-visible=false]")
    assert "国家电网上海公司" in invisible.inner_text()
    assert code not in warning.inner_text() and invisible.locator("a").count() == 0
    assert warning.locator("[data-testid=code-taken]").count() == 1

    invisible.locator("[data-testid=claim-open]").click()
    claim = invisible.locator("[data-testid=claim-form]")
    expect(claim).to_be_visible()
    claim.locator("textarea[name=reason]").fill("总部在北京，由华北大客户部服务")
    session.shot(f"form-claim-{suffix(language)}")
    claim.locator("[data-testid=claim-send]").click()
    expect(invisible.locator("[data-testid=claim-sent]")).to_be_visible()
    session.shot(f"form-claim-sent-{suffix(language)}")
    request = OwnershipRequest.objects.get(account=hidden)
    assert (request.kind, request.to_unit.code, request.requested_by) == ("claim", "ka-north", org["outsider"])
    assert page.url.endswith("/accounts/new/")  # the half-filled form is still there
    assert page.locator("#id_credit_code").input_value() == code.lower()


@pytest.mark.parametrize("language", LANGUAGES)
def test_create_is_held_back_until_the_person_confirms(transactional_db, org, open_session, language):
    make_account(org["outsider"], name="华为技术")
    session = open_session()
    page = session.page
    session.login("ar")
    if language != "en":
        session.switch_language(language)
    session.goto("/accounts/new/")
    page.fill("#id_name", "华为技术有限公司")
    page.select_option("#id_potential_basis", "manual")
    page.check("#id_listed_in_ranking")
    with page.expect_navigation():
        page.click("[data-testid=account-form] button[type=submit]")
    assert page.locator("[data-testid=duplicate-held-back]").is_visible()
    invisible = page.locator("[data-testid=duplicate][data-visible=false]")
    assert "华为技术" in invisible.inner_text()
    assert not Account.objects.filter(name="华为技术有限公司").exists()
    session.shot(f"form-held-back-{suffix(language)}")

    page.check("[data-testid=create-anyway]")
    with page.expect_navigation():
        page.click("[data-testid=account-form] button[type=submit]")
    page.wait_for_url(re.compile(r"/accounts/\d+/$"))
    created = Account.objects.get(name="华为技术有限公司")
    assert created.listed_in_ranking and created.owner == org["ar"]

    session.goto(f"/accounts/{created.pk}/edit/")
    assert page.locator("#id_matrix_class").count() == 0  # computed, never typed
    assert page.locator("[data-testid=computed-profile]").is_visible()
    page.fill("#id_name", "华为技术")  # the account itself is never its own duplicate; the other one is
    expect(page.locator("[data-testid=duplicate]")).to_have_count(1)
    assert page.locator("[data-testid=create-anyway]").count() == 0
    session.shot(f"form-edit-{suffix(language)}")
