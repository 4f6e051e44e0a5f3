"""Importing contacts in a real browser: the list's buttons, preview, apply, and an export that follows the
live filters; on a phone the header still fits."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from irontriangle.relationships.models import Contact
from tests.e2e.conftest import PHONE, page_width
from tests.relationships.test_contact_import_views import gbk_upload, rows

pytestmark = [pytest.mark.e2e]


def test_import_from_the_list_then_export_what_the_filters_show(
    transactional_db, org, team_account, open_session, tmp_path
):
    good = tmp_path / "contacts.csv"
    good.write_bytes(gbk_upload(rows()).getvalue())

    session = open_session()
    page = session.page
    session.login("sr")
    session.goto("/contacts/")
    page.click("[data-testid=import-contacts]")
    page.wait_for_url(re.compile(r"/contacts/import/$"))
    page.set_input_files("input[name=file]", str(good))
    with page.expect_navigation():
        page.click("[data-testid=import-form] button[type=submit]")
    assert page.locator("tr[data-action=create]").count() == 3
    session.shot("contact-import-preview")
    with page.expect_navigation():
        page.click("[data-testid=apply-import]")
    assert page.url.endswith("/contacts/")
    assert "3" in page.locator(".alert-success").inner_text()
    assert Contact.objects.count() == 3

    page.fill("#id_q", "张")
    page.wait_for_url(re.compile(r"q="))
    expect(page.locator("[data-testid=export-csv]")).to_have_attribute("href", re.compile(r"export\.csv\?q="))
    with page.expect_download() as download:
        page.click("[data-testid=export-csv]")
    exported = download.value.path().read_bytes().decode("utf-8-sig")
    assert "张信息" in exported and "刘采购" not in exported


def test_the_list_header_fits_a_phone(transactional_db, org, team_account, open_session):
    session = open_session(viewport=PHONE)
    session.login("sr")
    session.goto("/contacts/")
    assert session.page.locator("[data-testid=import-contacts]").is_visible()
    assert page_width(session.page) <= PHONE["width"]
    session.shot("contact-list-phone")
