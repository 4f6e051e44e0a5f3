"""The power map, the nine-grid and a contact added through the web form, in a real browser."""

from __future__ import annotations

import pytest

from irontriangle.relationships.models import Contact
from tests.e2e.conftest import PHONE, page_width
from tests.factories import add_owner, add_to_team, log_interaction, make_account, make_contact

pytestmark = [pytest.mark.e2e]


@pytest.fixture
def account(org):
    account = make_account(org["ar"], name="中国移动上海公司", segment="ka", tier="s")
    add_to_team(account, org["sr"], "sr")
    boss = make_contact(
        account,
        name="王总",
        title="总经理",
        buying_roles=["decision_maker", "executive"],
        influence=5,
        stance="supporter",
        intimacy="high",
        support="high",
        is_key=True,
    )
    cio = make_contact(
        account,
        name="陈主任",
        title="信息中心主任",
        reports_to_id=boss.pk,
        buying_roles=["technical_evaluator", "economic_buyer"],
        influence=4,
        stance="opponent",
        intimacy="medium",
        support="low",
        is_key=True,
    )
    make_contact(
        account,
        name="孙总监",
        title="财务总监",
        reports_to_id=boss.pk,
        buying_roles=["finance"],
        influence=3,
        stance="neutral",
        intimacy="low",
        support="medium",
        is_key=True,
    )
    make_contact(account, name="刘工", title="网络工程师", reports_to_id=cio.pk, buying_roles=["user"], influence=2)
    make_contact(account, name="周经理", title="采购经理", buying_roles=["procurement"], influence=3, status="moved")
    add_owner(boss, org["ar"], primary=True)
    add_owner(boss, org["sr"])
    add_owner(cio, org["sr"], primary=True)
    log_interaction(account, contact_ids=[boss.pk, cio.pk], minutes="交流5G专网方案")
    return account


def test_the_power_map_and_the_nine_grid(transactional_db, org, account, open_session):
    session = open_session()
    session.login("ar")
    page = session.page
    session.goto(f"/accounts/{account.pk}/")
    page.click("#tab-relationships")
    page.locator("[data-testid=power-map] canvas").first.wait_for()
    assert page.url.endswith("#relationships")
    table = page.locator("[data-testid=power-map-table]").inner_text()
    assert "陈主任" in table and "Technical evaluator" in table
    assert page.locator("[data-testid=power-map-legend]").is_visible()
    session.shot("power-map")

    grid = page.locator("[data-testid=nine-grid]")
    top_right = grid.locator("[data-intimacy=high][data-support=high]")
    assert "王总" in top_right.inner_text()
    assert "陈主任" in grid.locator("[data-intimacy=medium][data-support=low]").inner_text()
    assert "Key contact 陈主任 has no backup owner." in page.locator("[data-testid=account-risks]").inner_text()
    page.evaluate("window.scrollTo(0, 0)")
    session.shot("nine-grid")

    # Clicking a box on the chart opens the person.
    point = page.evaluate(
        """() => {
            const el = document.querySelector("[data-power-map]");
            const chart = echarts.getInstanceByDom(el);
            const item = chart.getOption().series[1].data.find((node) => node.name === "王总");
            const [x, y] = chart.convertToPixel({ seriesIndex: 1 }, item.value);
            const box = el.getBoundingClientRect();
            return { x: box.left + x, y: box.top + y };
        }"""
    )
    with page.expect_navigation():
        page.mouse.click(point["x"], point["y"])
    assert page.locator("[data-testid=contact-name]").inner_text().strip().endswith("王总")
    session.shot("contact-detail")

    # The chip on the nine-grid leads there too.
    session.goto(f"/accounts/{account.pk}/#relationships")
    page.locator("[data-testid=nine-grid] a.grid-chip", has_text="陈主任").click()
    page.wait_for_url("**/contacts/*/")
    assert "陈主任" in page.locator("[data-testid=contact-name]").inner_text()
    assert page.locator("[data-testid=owner-warning]").is_visible()

    phone = open_session(PHONE)
    phone.login("ar")
    phone.goto(f"/accounts/{account.pk}/#relationships")
    phone.page.locator("[data-testid=power-map] canvas").first.wait_for()
    assert page_width(phone.page) <= PHONE["width"]
    phone.shot("power-map-phone")


def test_a_contact_added_through_the_form(transactional_db, org, account, open_session):
    session = open_session()
    session.login("sr")
    page = session.page
    session.goto(f"/accounts/{account.pk}/#relationships")
    page.locator("[data-testid=add-contact]").click()
    page.wait_for_url("**/contacts/new/?account=*")
    page.fill("#id_name", "赵处长")
    page.fill("#id_title", "采购处处长")
    page.fill("#id_department", "采购部")
    page.select_option("#id_reports_to_id", label="陈主任 · 信息中心主任")
    page.fill("#id_phone", "13800000000")
    page.fill("#id_email", "zhao@example.com")
    page.fill("#id_wechat", "zhao_wx")
    page.check("[data-testid=buying-roles] input[value=procurement]")
    page.check("[data-testid=buying-roles] input[value=legal]")
    page.select_option("#id_influence", "4")
    page.select_option("#id_stance", "supporter")
    page.select_option("#id_intimacy", "medium")
    page.select_option("#id_support", "high")
    page.check("#id_is_key")
    page.fill("#id_notes", "关注交付周期")
    page.evaluate("window.scrollTo(0, 0)")
    session.shot("contact-form")
    with page.expect_navigation():
        page.click("[data-testid=contact-form] button[type=submit]")

    contact = Contact.objects.get(name="赵处长")
    assert contact.reports_to.name == "陈主任"
    assert contact.roles == ["procurement", "legal"] and contact.is_key and contact.influence == 4
    assert (contact.stance, contact.intimacy, contact.support) == ("supporter", "medium", "high")
    assert "赵处长" in page.locator("[data-testid=contact-name]").inner_text()
    assert page.locator("[data-testid=owner-warning]").is_visible()  # key, and nobody owns it yet

    # The new person is on the power map under the CIO.
    session.goto(f"/accounts/{account.pk}/#relationships")
    page.locator("[data-testid=power-map] canvas").first.wait_for()
    assert "赵处长" in page.locator("[data-testid=power-map-table]").inner_text()
