"""Importing accounts in a real browser, in both languages: a bad file refused, the fixed one previewed, applied."""

from __future__ import annotations

import re

import pytest

from irontriangle.accounts.models import Account
from tests.accounts.test_import_export import EAST, GROUP, csv_bytes, rows

pytestmark = [pytest.mark.e2e]


@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_import_preview_apply_and_export(transactional_db, org, open_session, language, tmp_path):
    suffix = "zh" if language == "zh-hans" else "en"
    bad = tmp_path / "bad.csv"
    bad.write_bytes(csv_bytes(rows(east=["华润华东", EAST, "华东", "ka", "Z", "", "no", GROUP]), encoding="gbk"))
    good = tmp_path / "good.csv"
    good.write_bytes(csv_bytes(rows(), encoding="gbk"))

    session = open_session()
    page = session.page
    session.login("ar")
    if language != "en":
        session.switch_language(language)
    session.goto("/accounts/")
    page.click("[data-testid=import-accounts]")
    page.wait_for_url(re.compile(r"/accounts/import/$"))
    session.shot(f"import-{suffix}")

    page.set_input_files("input[name=file]", str(bad))
    with page.expect_navigation():
        page.click("[data-testid=import-form] button[type=submit]")
    # Row 4 has an unknown tier; row 2 names row 4 as its parent, so it cannot go in either.
    errors = page.locator("tr[data-action=error]")
    assert [errors.nth(i).locator("td").first.inner_text() for i in range(errors.count())] == ["2", "4"]
    assert errors.nth(1).locator("[data-error-column=tier]").count() == 1
    assert errors.nth(0).locator("[data-error-column=parent]").count() == 1
    assert page.locator("[data-testid=not-imported]").is_visible()
    assert page.locator("[data-testid=apply-import]").count() == 0
    session.shot(f"import-errors-{suffix}")
    assert Account.objects.count() == 0

    page.set_input_files("input[name=file]", str(good))
    with page.expect_navigation():
        page.click("[data-testid=import-form] button[type=submit]")
    assert page.locator("tr[data-action=create]").count() == 3
    session.shot(f"import-preview-{suffix}")
    with page.expect_navigation():
        page.click("[data-testid=apply-import]")
    assert page.url.endswith("/accounts/")
    assert "3" in page.locator(".alert-success").inner_text()
    table = page.locator("[data-testid=account-table]").inner_text()
    assert "华润集团" in table and "苏州分公司" in table
    session.shot(f"import-applied-{suffix}")
    assert Account.objects.count() == 3

    with page.expect_download() as download:
        page.click("[data-testid=export-csv]")
    exported = download.value.path().read_bytes().decode("utf-8-sig")
    assert "华润集团" in exported and ("名称" if language != "en" else "Name") in exported.splitlines()[0]
