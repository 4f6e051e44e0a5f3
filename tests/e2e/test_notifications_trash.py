"""Notifications and the trash in a real browser, in both languages."""

from __future__ import annotations

import pytest

from irontriangle.accounts.services import account_delete, team_member_add
from irontriangle.common.access import viewer_of
from tests.factories import make_account

pytestmark = [pytest.mark.e2e]


def test_notifications_open_their_link(transactional_db, org, open_session):
    account = make_account(org["ar"], name="宝钢集团")
    team_member_add(viewer=viewer_of(org["ar"]), actor=org["ar"], account=account, user_id=org["sr"].pk, role="sr")
    session = open_session()
    page = session.page
    session.login("sr")
    assert page.locator("[data-testid=unread-count]").inner_text() == "1"
    session.goto("/notifications/")
    assert "王磊 added 李娜 to the team of 宝钢集团" in page.content()
    session.shot("notifications-en")
    session.switch_language("zh-hans")
    assert "王磊 将 李娜 加入 宝钢集团 的团队" in page.content()
    session.shot("notifications-zh")
    with page.expect_navigation():
        page.click("[data-testid=notification-list] .link-button")
    assert page.url.endswith(f"/accounts/{account.pk}/")
    assert page.locator("[data-testid=unread-count]").count() == 0


def test_admin_restores_from_the_trash(transactional_db, org, open_session):
    account = make_account(org["ar"], name="上汽集团")
    account_delete(viewer=viewer_of(org["ar"]), actor=org["ar"], account=account)
    session = open_session()
    page = session.page
    session.login("admin")
    session.goto("/trash/")
    assert "上汽集团" in page.locator("[data-testid=trash-table]").inner_text()
    session.shot("trash-en")
    session.switch_language("zh-hans")
    session.shot("trash-zh")
    with page.expect_navigation():
        page.click("[data-testid=trash-table] button[type=submit]")
    assert "上汽集团" in page.content()
    assert page.locator("[data-testid=trash-table]").count() == 0
    session.goto(f"/accounts/{account.pk}/")
    assert page.locator("[data-testid=account-name]").inner_text() == "上汽集团"


def test_others_do_not_find_the_trash(transactional_db, org, open_session):
    session = open_session()
    session.login("manager")
    assert "/trash/" not in session.page.locator(".navbar").inner_html()
    assert session.goto("/trash/").status == 404
