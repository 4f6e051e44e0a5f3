"""The profile page in a real browser: reached from the user menu, a token made, shown once, revoked."""

from __future__ import annotations

import pytest

from irontriangle.org.models import ApiToken
from irontriangle.org.services import token_create
from tests.conftest import ApiClient
from tests.e2e.conftest import PHONE, page_width

pytestmark = [pytest.mark.e2e]


def _open_profile(session):
    page = session.page
    session.open_navbar_menu("user-menu")
    with page.expect_navigation():
        page.click("[data-testid=profile-link]")
    assert page.url.endswith("/profile/")


def _create_token(page, name):
    page.fill("#id_name", name)
    with page.expect_navigation():
        page.click("[data-testid=token-form] button[type=submit]")
    return page.locator("[data-testid=new-token-value]").inner_text().strip()


def test_make_a_token_see_it_once_and_revoke_it(transactional_db, org, open_session):
    token_create(user=org["manager"], name="old laptop")
    session = open_session()
    page = session.page
    session.context.grant_permissions(["clipboard-read", "clipboard-write"])
    session.login("manager")
    _open_profile(session)
    assert page.locator("[data-testid=profile-name]").inner_text() == "张伟"
    assert "华东大客户部" in page.locator("[data-testid=profile-units]").inner_text()

    raw = _create_token(page, "BI report")
    assert raw.startswith("it_")
    assert "will not be shown again" in page.locator("[data-testid=new-token]").inner_text()
    page.click("[data-testid=copy-token]")
    page.wait_for_function("document.querySelector('[data-testid=copy-token]').innerText.includes('Copied')")
    assert page.evaluate("navigator.clipboard.readText()") == raw
    session.shot("profile-en")
    assert ApiClient(raw).get("/me").status_code == 200

    session.goto("/profile/")
    assert raw not in page.content()
    assert page.locator("[data-testid=token-row]").count() == 2

    new = ApiToken.objects.get(user=org["manager"], name="BI report")
    page.click(f"[data-testid=revoke-token][data-action$='/{new.pk}/revoke/']")
    page.wait_for_selector("#revoke-token.show")
    assert new.prefix in page.locator("#revoke-token [data-subject]").inner_text()
    session.shot("profile-revoke-en")
    with page.expect_navigation():
        page.click("[data-testid=confirm-revoke]")
    assert "was revoked" in page.content()
    assert ApiClient(raw).get("/me").status_code == 401
    assert ApiToken.objects.get(user=org["manager"], name="old laptop").revoked_at is None

    session.switch_language("zh-hans")
    assert "个人资料" in page.content()
    session.shot("profile-zh")


def test_profile_on_a_phone(transactional_db, org, open_session):
    session = open_session(PHONE)
    page = session.page
    session.login("ar")
    _open_profile(session)
    raw = _create_token(page, "手机上的脚本")
    assert raw.startswith("it_")
    session.shot("profile-phone")
    width = page_width(page)
    assert width <= PHONE["width"], "the page scrolls sideways on a phone"
