"""The account pages in a real browser: sign in, create, find, open; and what another unit cannot see."""

from __future__ import annotations

import re

import pytest

from irontriangle.accounts.credit_code import ALPHABET, check_character
from tests.e2e.conftest import page_width
from tests.factories import make_account

pytestmark = [pytest.mark.e2e]


def credit_code(seed: int) -> str:
    first = "91310000" + "".join(ALPHABET[(seed * 7 + i) % 30 + 1] for i in range(9))
    return first + check_character(first)


def test_sign_in_create_and_find_an_account(transactional_db, org, open_session):
    session = open_session()
    page = session.page
    session.goto("/login/")
    assert "IronTriangle" in page.content() and "铁三角" in page.content()
    session.shot("login-en")
    session.login("ar")
    session.shot("home-en")

    session.goto("/accounts/new/")
    session.shot("form-en")
    page.fill("#id_name", "中国东方航空集团")
    page.fill("#id_legal_name", "中国东方航空集团有限公司")
    code = credit_code(3)
    page.fill("#id_credit_code", code.lower())
    page.select_option("#id_segment", "ka")
    page.select_option("#id_tier", "s")
    page.fill("#id_region", "华东")
    page.fill("#id_annual_revenue", "120000000000")
    page.click("button[type=submit]:has-text('Create account')")
    page.wait_for_url(re.compile(r"/accounts/\d+/$"))
    assert page.locator("[data-testid=account-name]").inner_text() == "中国东方航空集团"
    assert code in page.content()  # normalised to upper case by the service
    assert "S · strategic" in page.content()
    assert "王磊" in page.locator("[data-testid=account-team]").inner_text()  # the owner joins as AR
    session.shot("detail-en")

    page.click("a:has-text('Edit')")
    page.fill("#id_region", "华北")
    page.select_option("#id_lifecycle_stage", "rising")
    with page.expect_navigation():
        page.click("button[type=submit]:has-text('Save changes')")
    history = page.locator("[data-testid=account-history]").inner_text()
    assert "Region: 华东 → 华北" in history and "Exploring → Rising" in history
    session.shot("detail-history-en")

    session.goto("/accounts/")
    table = page.locator("[data-testid=account-table]")
    assert "中国东方航空集团" in table.inner_text()
    session.shot("list-en")

    # Live search narrows the list without a page load and keeps the URL shareable.
    make_account(org["ar"], name="上海浦东发展银行")
    session.goto("/accounts/")
    page.fill("input[name=q]", "浦东")
    page.wait_for_url(re.compile(r"q=%E6%B5%A6%E4%B8%9C"))
    page.wait_for_function("!document.querySelector('#account-results').innerText.includes('东方航空')")
    assert "上海浦东发展银行" in table.inner_text()


def test_form_errors_show_next_to_their_fields(transactional_db, org, open_session):
    session = open_session()
    session.login("ar")
    session.goto("/accounts/new/")
    page = session.page
    page.fill("#id_name", "校验测试客户")
    page.fill("#id_credit_code", "91310000ABCDEFGHIJ")
    page.click("button[type=submit]:has-text('Create account')")
    error = page.locator("[data-field-error=credit_code]")
    assert "credit code" in error.inner_text()
    assert page.locator("#id_credit_code.is-invalid").count() == 1


def test_another_unit_cannot_see_the_account(transactional_db, org, open_session):
    account = make_account(org["ar"], name="国家电网上海公司")
    session = open_session()
    session.login("outsider")
    session.goto("/accounts/")
    assert "国家电网上海公司" not in session.page.content()
    response = session.goto(f"/accounts/{account.pk}/")
    assert response.status == 404
    assert session.goto(f"/accounts/{account.pk}/edit/").status == 404


def test_chinese_labels_after_switching_language(transactional_db, org, open_session):
    account = make_account(org["ar"], name="招商银行", segment="ka", tier="a", coverage="national")
    session = open_session()
    page = session.page
    session.goto("/login/")
    with page.expect_navigation():
        page.click("[data-testid=lang-zh-hans]")
    assert "登录" in page.content()
    session.shot("login-zh")
    session.login("ar")
    assert "客户" in page.locator(".navbar").inner_text()
    session.shot("home-zh")
    session.goto("/accounts/")
    assert "大客户" in page.locator("[data-testid=account-table]").inner_text()
    session.shot("list-zh")
    session.goto(f"/accounts/{account.pk}/")
    content = page.content()
    assert "A · 伙伴型" in content and "全国" in content and "客户团队" in content
    session.shot("detail-zh")
    session.goto("/accounts/new/")
    assert "统一社会信用代码" in page.content()
    session.shot("form-zh")
    session.switch_language("en")
    assert "Accounts" in page.locator(".navbar").inner_text()


def test_phone_renders_the_list(transactional_db, org, open_session):
    for n in range(3):
        make_account(org["ar"], name=f"移动端客户 {n}", segment="ka", tier="b", region="上海")
    session = open_session(viewport={"width": 390, "height": 844})
    session.login("ar")
    session.goto("/accounts/")
    page = session.page
    assert page.locator(".navbar-toggler").is_visible()
    assert page.locator("text=移动端客户 2").is_visible()
    # No sideways scrolling on a phone: the table turns into cards.
    assert page_width(page) <= 390
    session.shot("list-phone-en")
    with page.expect_navigation():
        page.click("text=移动端客户 1")
    page.wait_for_load_state()
    assert page_width(page) <= 390
    session.shot("detail-phone-en")
    session.goto("/accounts/")
    page.click(".navbar-toggler")
    page.locator("#main-nav.show").wait_for()
    session.shot("nav-phone-en")
    session.switch_language("zh-hans")
    session.shot("list-phone-zh")


def test_team_picker_searches_people(transactional_db, org, open_session):
    account = make_account(org["ar"], name="中国石化")
    session = open_session()
    session.login("ar")
    session.goto(f"/accounts/{account.pk}/")
    page = session.page
    form = page.locator("[data-testid=team-form]")
    form.locator(".picker-search").fill("李娜")
    page.wait_for_function("document.querySelector('#id_user_id').innerText.includes('李娜')")
    form.locator("#id_role").select_option("sr")
    with page.expect_navigation():
        form.locator("button[type=submit]").click()
    team = page.locator("[data-testid=account-team]").inner_text()
    assert "李娜" in team and "SR · solution manager" in team
