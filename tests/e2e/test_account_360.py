"""The account 360 page and an ownership decision in a real browser, in English and in Chinese."""

from __future__ import annotations

import re

import pytest

from irontriangle.accounts.models import Account, KaProfileRule, OwnershipRequest
from tests.e2e.conftest import PHONE, page_width
from tests.factories import add_to_team, make_account, make_user, strengthen

pytestmark = [pytest.mark.e2e]

LANGUAGES = ["en", "zh-hans"]
# What each language calls the things the tests look for (model labels, translated with the models).
WORDS = {
    "en": {"team": "Account team", "core": "Core", "traction": "Traction", "fr": "FR · fulfilment manager"},
    "zh-hans": {"team": "客户团队", "core": "核心客户", "traction": "牵引客户", "fr": "FR"},
}


def digits(text: str) -> str:
    """Numbers as the page groups them in either language (Chinese leaves the thousands ungrouped)."""
    return text.replace(",", "")


def signed_in(open_session, username, language, viewport=None):
    session = open_session(viewport) if viewport else open_session()
    if language != "en":
        session.goto("/login/")
        with session.page.expect_navigation():
            session.page.click(f"[data-testid=lang-{language}]")
    session.login(username)
    return session


@pytest.fixture
def group(org):
    # Browser tests empty the database between tests, the rules a migration seeded included.
    KaProfileRule.objects.get_or_create(code="national", defaults={"priority": 20, "coverage": "national"})
    ar = org["ar"]
    top = make_account(ar, name="中国移动集团", potential="50000000")
    province = make_account(
        ar,
        name="中国移动上海公司",
        parent_id=top.pk,
        potential="20000000",
        coverage="national",
        tier="a",
    )
    make_account(ar, name="中国移动浦东分公司", parent_id=province.pk, potential="3000000")
    make_account(ar, name="中国移动嘉定分公司", parent_id=province.pk, potential="1500000")
    add_to_team(province, org["sr"], "sr")
    province = strengthen(province)  # a supporting key person: a strong relationship, a core customer
    return {"top": top, "province": province}


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_account_360_page(transactional_db, org, group, open_session, language):
    words = WORDS[language]
    province = group["province"]
    session = signed_in(open_session, "ar", language)
    page = session.page
    session.goto(f"/accounts/{province.pk}/")

    assert "中国移动集团" in page.locator("[data-testid=account-ancestors]").inner_text()
    tree = page.locator("[data-testid=account-tree]").inner_text()
    assert "中国移动浦东分公司" in tree and "中国移动嘉定分公司" in tree and "24500000" in digits(tree)
    page.locator("[data-testid=matrix-card] canvas").first.wait_for()
    assert page.locator("[data-testid=matrix-badge]").inner_text().strip() == words["core"]
    assert words["fr"] in page.locator("[data-testid=missing-roles]").inner_text()
    assert words["team"] in page.locator("#team").inner_text()
    assert "王磊" in page.locator("[data-testid=account-team]").inner_text()
    assert page.locator("[data-testid=ka-suggestion]").is_visible()
    session.shot(f"account-360-{language}")

    # A purchase driver explains the potential; switched on, the estimate becomes the potential.
    page.click("#tab-potential")
    page.locator("#potential-card details summary").click()
    page.fill("#id_new-driver-name", "基站数")
    page.fill("#id_new-driver-volume", "1000")
    page.fill("#id_new-driver-unit", "座")
    page.fill("#id_new-driver-factor", "5000")
    page.fill("#id_new-driver-source", "客户规划")
    page.click("[data-testid=driver-form] button[type=submit]")
    page.wait_for_function("document.querySelector('[data-testid=drivers-table]').innerText.includes('基站数')")
    assert digits(page.locator("[data-testid=drivers-sum]").inner_text()) == "5000000"
    assert "20000000" in digits(page.locator("[data-testid=potential-value]").inner_text())
    page.check("#use-drivers")
    page.wait_for_function(
        "document.querySelector('[data-testid=potential-value]').innerText.replace(/,/g, '').startsWith('5000000')"
    )
    # The potential fell below the matrix threshold: the matrix card and the badge follow at once.
    page.wait_for_function(f"document.querySelector('#matrix-badge').innerText.trim() === {words['traction']!r}")
    page.locator("[data-testid=matrix-card] canvas").first.wait_for()
    assert Account.objects.get(pk=province.pk).potential == 5000000
    assert page.url.endswith("#potential")
    session.shot(f"account-360-potential-{language}")

    # The KA suggestion is settled by a person, and the page says who did it.
    page.fill("#ka-reason", "全国性重点客户")
    with page.expect_navigation():
        page.click("[data-testid=ka-form] button[value=ka]")
    assert page.locator("[data-testid=ka-suggestion]").count() == 0
    assert "王磊" in page.locator("[data-testid=segment-confirmed]").inner_text()
    assert Account.objects.get(pk=province.pk).segment == "ka"
    session.shot(f"account-360-confirmed-{language}")

    phone = signed_in(open_session, "ar", language, PHONE)
    phone.goto(f"/accounts/{province.pk}/")
    phone.page.locator("[data-testid=matrix-card] canvas").first.wait_for()
    assert page_width(phone.page) <= PHONE["width"]
    phone.shot(f"account-360-phone-{language}")


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_transfer_approved_by_the_middle_office(transactional_db, org, open_session, language):
    make_user("mo", units=[org["units"]["ops"]], display_name="吴静")
    account = make_account(org["ar"], name="上海汽车集团", segment="ka", tier="s")
    session = signed_in(open_session, "ar", language)
    page = session.page
    session.goto(f"/accounts/{account.pk}/#ownership")
    page.click("[data-testid=transfer-open]")
    page.select_option("#id_unit_code", "ka-north")
    page.fill("#id_reason", "客户总部迁往北京")
    page.click("[data-testid=transfer-form] button[type=submit]")
    page.locator("[data-testid=ownership-history] [data-testid=ownership-status]").wait_for()
    assert "客户总部迁往北京" in page.locator("[data-testid=ownership-history]").inner_text()
    session.shot(f"ownership-requested-{language}")
    request = OwnershipRequest.objects.get(account=account)

    office = signed_in(open_session, "mo", language)
    desk = office.page
    assert desk.locator("[data-testid=ownership-pending-count]").inner_text() == "1"
    office.goto("/ownership-requests/")
    assert "上海汽车集团" in desk.locator("[data-testid=ownership-pending]").inner_text()
    office.shot(f"ownership-list-{language}")
    desk.click("[data-testid=ownership-pending] a:has-text('上海汽车集团')")
    desk.wait_for_url(re.compile(rf"/ownership-requests/{request.pk}/$"))
    desk.fill("#id_reason", "总部迁址属实")
    with desk.expect_navigation():
        desk.click("[data-testid=decision-form] button[value=approve]")
    assert "总部迁址属实" in desk.locator("[data-testid=decision]").inner_text()
    assert desk.locator("[data-testid=decision-form]").count() == 0
    assert desk.locator("[data-testid=ownership-pending-count]").count() == 0
    office.shot(f"ownership-approved-{language}")

    assert Account.objects.get(pk=account.pk).owner_unit.code == "ka-north"
    # The former owner hears of it: the bell counts the decision.
    session.goto("/notifications/")
    assert "上海汽车集团" in page.content()
