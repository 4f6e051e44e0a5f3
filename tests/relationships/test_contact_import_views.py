"""The contact import (upload, preview, apply) and export pages, through the test client and every middleware."""

from __future__ import annotations

import io
import re

import pytest

from irontriangle.accounts.models import Account
from irontriangle.common.importing import get_kind
from irontriangle.common.tabular import read_table
from irontriangle.relationships.models import Contact, Stance
from tests.accounts import test_import_export as account_files
from tests.factories import make_account, make_contact
from tests.relationships.test_contact_import import chinese, csv_bytes

HX = {"HX-Request": "true"}
HEADER = ["external_id", "account", "name", "title", "reports_to", "stance", "is_key"]
ACCOUNT = "中国移动上海公司"


@pytest.fixture(autouse=True)
def data_dir(settings, tmp_path):
    # Each test keeps its uploads to itself, so counting the stored files means something.
    settings.DATA_DIR = tmp_path


def chinese_header() -> list[str]:
    labels = {column.name: column.label for column in get_kind("contacts").columns()}
    return [chinese(labels[name]) for name in HEADER]


def rows() -> list[list[str]]:
    """A buyer who reports to a CIO further down the file, the CIO, and a CFO who reports to him by name."""
    return [
        ["C-2", ACCOUNT, "刘采购", "采购经理", "C-1", chinese(Stance.NEUTRAL.label), "否"],
        ["C-1", ACCOUNT, "张信息", "CIO", "", "Supporter", "是"],
        ["", ACCOUNT, "王财务", "CFO", "张信息", "opponent", "yes"],
    ]


def gbk_upload(body: list[list[str]], name: str = "联系人.csv") -> io.BytesIO:
    upload = io.BytesIO(csv_bytes(body, header=chinese_header(), encoding="gbk"))
    upload.name = name
    return upload


def token_of(body: str) -> str:
    match = re.search(r'name="token" value="([^"]+)"', body)
    assert match, "the preview offers no apply"
    return match[1]


def preview(client, body: list[list[str]]) -> str:
    response = client.post("/contacts/import/", {"file": gbk_upload(body)})
    assert response.status_code == 200
    return response.content.decode()


@pytest.mark.parametrize("who", ["sr", "manager"])
def test_gbk_csv_with_chinese_headers_previews_then_applies(client, org, team_account, settings, who):
    client.force_login(org[who])
    page = client.get("/contacts/import/")
    assert page.status_code == 200
    body = page.content.decode()
    assert "Import contacts" in body and "/contacts/export.xlsx" in body and 'action="/contacts/import/"' in body

    body = preview(client, rows())
    assert body.count('data-action="create"') == 3
    assert "刘采购" in body and "张信息" in body and "王财务" in body
    assert not Contact.objects.exists()
    token = token_of(body)
    assert 'action="/contacts/import/apply/"' in body
    stored = list((settings.DATA_DIR / "imports").iterdir())
    assert len(stored) == 1

    response = client.post("/contacts/import/apply/", {"token": token})
    assert response.status_code == 302 and response["Location"] == "/contacts/"
    assert Contact.objects.filter(account=team_account).count() == 3
    cio = Contact.objects.get(external_id="C-1")
    assert (cio.stance, cio.is_key) == ("supporter", True)
    assert Contact.objects.get(name="刘采购").reports_to == cio
    assert Contact.objects.get(name="王财务").reports_to == cio
    assert not [path for path in stored if path.exists()]
    assert "3 created" in client.get("/contacts/").content.decode()

    # The token is spent with its file: a second apply changes nothing and sends the person back.
    again = client.post("/contacts/import/apply/", {"token": token})
    assert again.status_code == 302 and again["Location"] == "/contacts/import/"
    assert Contact.objects.count() == 3


def test_the_apply_page_takes_only_posts(client, org):
    client.force_login(org["sr"])
    assert client.get("/contacts/import/apply/").status_code == 405


def test_a_file_with_errors_names_row_and_column_and_offers_no_apply(client, org, team_account, settings):
    client.force_login(org["sr"])
    bad = rows()
    bad[1][5] = "敌对"  # row 3: no such stance
    bad[2][4] = "无此人"  # row 4: reports to nobody known
    body = preview(client, bad)
    assert 'data-action="error"' in body and 'data-error-column="stance"' in body
    assert 'data-error-column="reports_to"' in body and "Unknown value" in body
    errors = re.findall(r'<tr data-action="error" class="table-danger">\s*<td[^>]*>(\d+)</td>', body)
    assert "3" in errors and "4" in errors
    assert 'name="token"' not in body and "Apply import" not in body and 'data-testid="not-imported"' in body
    uploads = settings.DATA_DIR / "imports"
    assert not uploads.exists() or not any(uploads.iterdir())
    assert not Contact.objects.exists()


def test_an_outsider_cannot_name_an_account_they_do_not_see(client, org, team_account):
    client.force_login(org["outsider"])
    body = preview(client, rows())
    assert 'data-error-column="account"' in body and 'name="token"' not in body
    assert not Contact.objects.exists()


def test_a_token_of_another_person_is_refused(client, org, team_account):
    client.force_login(org["sr"])
    token = token_of(preview(client, rows()))

    for other in ("manager", "outsider"):
        client.force_login(org[other])
        response = client.post("/contacts/import/apply/", {"token": token})
        assert response.status_code == 302 and response["Location"] == "/contacts/import/"
        assert not Contact.objects.exists()

    # The refusal left the upload in place for the person who made it.
    client.force_login(org["sr"])
    assert client.post("/contacts/import/apply/", {"token": token}).status_code == 302
    assert Contact.objects.count() == 3


def test_a_token_of_another_kind_is_refused(client, org, team_account):
    client.force_login(org["ar"])
    upload = io.BytesIO(account_files.csv_bytes(account_files.rows(), encoding="gbk"))
    upload.name = "accounts.csv"
    accounts_token = token_of(client.post("/accounts/import/", {"file": upload}).content.decode())
    response = client.post("/contacts/import/apply/", {"token": accounts_token}, follow=True)
    assert response.redirect_chain == [("/contacts/import/", 302)]
    assert "upload the file again" in response.content.decode()
    assert Account.objects.count() == 1 and not Contact.objects.exists()

    contacts_token = token_of(preview(client, rows()))
    assert client.post("/accounts/import/apply/", {"token": contacts_token})["Location"] == "/accounts/import/"
    assert Account.objects.count() == 1 and not Contact.objects.exists()

    # Each token still works where it belongs.
    assert client.post("/accounts/import/apply/", {"token": accounts_token})["Location"] == "/accounts/"
    assert client.post("/contacts/import/apply/", {"token": contacts_token})["Location"] == "/contacts/"
    assert Account.objects.count() == 4 and Contact.objects.count() == 3


@pytest.fixture
def people(org, team_account):
    """Two contacts at the team's account, one key, and one at an account of another region."""
    make_contact(team_account, name="张信息", is_key=True, stance="supporter")
    make_contact(team_account, name="刘采购", stance="neutral")
    theirs = make_account(org["outsider"], name="北京银行")
    make_contact(theirs, name="赵行长", is_key=True)
    return team_account


def exported(client, fmt: str = "csv", **params: str) -> list[str]:
    response = client.get(f"/contacts/export.{fmt}", params)
    assert response.status_code == 200 and "attachment" in response["Content-Disposition"]
    assert "contacts-" in response["Content-Disposition"]
    table = read_table(b"".join(response.streaming_content), f"contacts.{fmt}")
    name = table.headers.index("Name")
    return sorted(row.cells[name] for row in table.rows)


@pytest.mark.parametrize(
    ("who", "everyone"),
    [("sr", ["刘采购", "张信息"]), ("manager", ["刘采购", "张信息"]), ("outsider", ["赵行长"])],
)
def test_export_shows_only_what_the_person_sees_narrowed_by_the_filters(client, org, people, who, everyone):
    client.force_login(org[who])
    assert exported(client) == everyone
    assert exported(client, "xlsx") == everyone
    key_people = [name for name in everyone if name != "刘采购"]
    assert exported(client, key="1") == key_people
    assert exported(client, "xlsx", q="张") == [name for name in everyone if name == "张信息"]
    assert exported(client, account=str(people.pk), stance="neutral") == (["刘采购"] if who != "outsider" else [])
    # A filter that does not parse is dropped, as on the list.
    assert exported(client, stance="hostile") == everyone


def test_the_export_imports_back_unchanged(client, org, people):
    client.force_login(org["sr"])
    response = client.get("/contacts/export.csv")
    upload = io.BytesIO(b"".join(response.streaming_content))
    upload.name = "contacts.csv"
    body = client.post("/contacts/import/", {"file": upload}).content.decode()
    assert body.count('data-action="unchanged"') == 2 and 'name="token"' in body


def test_the_list_offers_import_and_exports_with_its_filters(client, org, people):
    client.force_login(org["sr"])
    body = client.get("/contacts/", {"stance": "neutral", "cursor": "x"}).content.decode()
    assert 'href="/contacts/import/"' in body
    assert 'href="/contacts/export.csv?stance=neutral"' in body
    assert 'href="/contacts/export.xlsx?stance=neutral"' in body
    assert "hx-swap-oob" not in body
    # A search typed on the page replaces the results only; the export links follow it.
    partial = client.get("/contacts/", {"q": "张", "key": "1"}, headers=HX).content.decode()
    assert 'id="contact-export" hx-swap-oob="true"' in partial
    assert 'href="/contacts/export.csv?q=%E5%BC%A0&amp;key=1"' in partial
