"""Hostile input through the API and the imports: SQL and spreadsheet-formula payloads, oversized bodies and
fields, bytes that are not UTF-8. Every answer is a 4xx in the error format of API.md, never a 500, and
nothing hostile comes back out of an export as a live formula."""

from __future__ import annotations

import csv
import io
import json
from typing import Any

import openpyxl
import pytest
from django.test import Client

from irontriangle.accounts.models import Account
from irontriangle.relationships.models import Contact
from tests.conftest import api_as
from tests.factories import make_contact, make_opportunity

SQL = "'; DROP TABLE accounts_account;--"
FORMULAS = ["=cmd|' /C calc'!A0", "+1+1", "@SUM(1)", "-2+3"]
PAYLOADS = [SQL, *FORMULAS, "' OR '1'='1", '" OR 1=1 --']


def _is_error(response: Any, *statuses: int) -> dict[str, Any]:
    assert response.status_code in statuses, (response.status_code, response.content[:300])
    assert response["Content-Type"].startswith("application/json")
    body = response.json()
    assert set(body) >= {"code", "detail", "errors"}, body
    return body


@pytest.fixture
def world(org, team_account) -> dict[str, Any]:
    contact = make_contact(team_account, name="张三")
    deal = make_opportunity(team_account, name="云平台项目")
    return {"account": team_account, "contact": contact, "deal": deal}


# --- SQL and formula text in filters, sorts and searches ------------------------------------------------


LIST_QUERIES = [
    ("/accounts", "q"),
    ("/accounts", "region"),
    ("/accounts", "industry"),
    ("/accounts", "owner_unit_code"),
    ("/contacts", "q"),
    ("/interactions", "q"),
    ("/opportunities", "q"),
    ("/leads", "q"),
    ("/accounts/duplicates", "name"),
]


@pytest.mark.parametrize(("path", "param"), LIST_QUERIES)
def test_hostile_text_in_filters_and_searches_finds_nothing_and_breaks_nothing(org, world, path, param):
    client = api_as(org["ar"])
    for payload in PAYLOADS:
        response = client.get(path, {param: payload})
        assert response.status_code in (200, 422), (path, param, payload, response.content[:300])
        if response.status_code == 200:
            body = response.json()
            items = body["items"] if isinstance(body, dict) and "items" in body else body
            assert items == [], (path, param, payload, items)
        else:
            _is_error(response, 422)
    # Everything is still there and still found.
    assert Account.objects.filter(pk=world["account"].pk).exists()
    assert [row["id"] for row in client.get("/accounts", {"q": "中国移动"}).json()["items"]] == [world["account"].pk]


@pytest.mark.parametrize("path", ["/accounts", "/contacts", "/opportunities", "/quotes", "/leads"])
def test_hostile_sorts_are_422_naming_the_parameter(org, world, path):
    client = api_as(org["ar"])
    for payload in PAYLOADS:
        body = _is_error(client.get(path, {"sort": payload}), 422)
        assert [error["field"] for error in body["errors"]] == ["sort"], body


@pytest.mark.parametrize("path", ["/accounts", "/contacts", "/opportunities", "/quotes", "/leads", "/interactions"])
def test_hostile_cursors_are_422_naming_the_parameter(org, world, path):
    client = api_as(org["ar"])
    for payload in PAYLOADS:
        body = _is_error(client.get(path, {"cursor": payload}), 422)
        assert [error["field"] for error in body["errors"]] == ["cursor"], body


def test_hostile_text_is_stored_as_text(org, world):
    client = api_as(org["ar"])
    created = client.post("/accounts", {"name": SQL, "region": FORMULAS[0], "segment": "ka"})
    assert created.status_code == 201, created.content
    assert (created.json()["name"], created.json()["region"]) == (SQL, FORMULAS[0])
    assert [row["name"] for row in client.get("/accounts", {"q": "DROP TABLE"}).json()["items"]] == [SQL]
    assert Account.objects.count() == 2


# --- formulas in imports come back out of exports as text -----------------------------------------------


def _csv(header: list[str], rows: list[list[str]]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(header)
    writer.writerows(rows)
    return buffer.getvalue().encode("utf-8")


def _session(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _csv_rows(response: Any) -> list[dict[str, str]]:
    assert response.status_code == 200, response.content[:300]
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    return list(csv.DictReader(io.StringIO(text)))


def test_formula_cells_imported_are_neutralised_in_the_exports(org, world):
    from irontriangle.common.access import viewer_of
    from irontriangle.common.importing import get_kind, run_import

    accounts = _csv(["name", "region", "segment"], [[formula, formula, "ka"] for formula in FORMULAS])
    report = run_import(
        get_kind("accounts"), accounts, "accounts.csv", viewer=viewer_of(org["ar"]), actor=org["ar"], dry_run=False
    )
    assert report.ok, report.errors
    contacts = _csv(
        ["account", "name", "title"], [[world["account"].name, f"{formula}人", formula] for formula in FORMULAS]
    )
    report = run_import(
        get_kind("contacts"), contacts, "contacts.csv", viewer=viewer_of(org["ar"]), actor=org["ar"], dry_run=False
    )
    assert report.ok, report.errors
    assert Contact.objects.filter(title__in=FORMULAS).count() == len(FORMULAS)
    make_opportunity(world["account"], name='=HYPERLINK("http://x","go")')

    client = _session(org["ar"])
    account_cells = {cell for row in _csv_rows(client.get("/accounts/export.csv")) for cell in row.values()}
    assert {f"'{formula}" for formula in FORMULAS} <= account_cells
    assert not account_cells & set(FORMULAS)
    contact_cells = {cell for row in _csv_rows(client.get("/contacts/export.csv")) for cell in row.values()}
    assert {f"'{formula}" for formula in FORMULAS} <= contact_cells
    assert not contact_cells & set(FORMULAS)
    deal_cells = {cell for row in _csv_rows(client.get("/opportunities/export.csv")) for cell in row.values()}
    assert '\'=HYPERLINK("http://x","go")' in deal_cells
    assert not any(cell.startswith(("=", "+", "@")) for cell in deal_cells)

    for path in ("/accounts/export.xlsx", "/contacts/export.xlsx", "/opportunities/export.xlsx"):
        response = client.get(path)
        assert response.status_code == 200
        workbook = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))
        cells = [cell for row in workbook.active.iter_rows() for cell in row]
        assert all(cell.data_type != "f" for cell in cells), path
        assert not any(isinstance(cell.value, str) and cell.value.startswith(("=", "+", "@")) for cell in cells), path


# --- oversized bodies and fields -------------------------------------------------------------------------


def test_an_oversized_body_is_refused_in_the_error_format(org, world):
    client = api_as(org["ar"])
    huge = {"name": "大客户", "segment": "ka", "notes": "x" * (12 * 1024 * 1024)}
    body = _is_error(client.post("/accounts", huge), 413)
    assert body["code"] == "body_too_large" and body["errors"][0]["field"] == "body"
    assert Account.objects.count() == 1


@pytest.mark.parametrize(
    ("path", "payload", "field"),
    [
        ("/accounts", {"name": "名" * 5000, "segment": "ka"}, "name"),
        ("/accounts", {"name": "正常", "region": "区" * 5000, "segment": "ka"}, "region"),
        ("/contacts", {"name": "人" * 5000}, "name"),
        ("/opportunities", {"name": "项" * 5000}, "name"),
        ("/interactions", {"kind": "visit", "minutes": "纪" * 300_000}, "minutes"),
    ],
)
def test_an_oversized_field_is_422_naming_the_field(org, world, path, payload, field):
    payload = {**payload}
    if path != "/accounts":
        payload["account_id"] = world["account"].pk
    if path == "/interactions":
        payload["occurred_at"] = "2026-11-01T10:00:00+08:00"
    body = _is_error(api_as(org["ar"]).post(path, payload), 422)
    assert field in [error["field"] for error in body["errors"]], body


# --- bytes that are not UTF-8 ------------------------------------------------------------------------------


def _raw_post(org: dict[str, Any], path: str, raw: bytes, method: str = "post") -> Any:
    from irontriangle.org.services import token_create

    _token, token = token_create(user=org["ar"], name="raw")
    client = Client()
    return getattr(client, method)(
        f"/api/v1{path}", data=raw, content_type="application/json", headers={"Authorization": f"Bearer {token}"}
    )


@pytest.mark.parametrize(
    "raw",
    [
        b'{"name": "\xff\xfe\xfd", "segment": "ka"}',
        b'{"name": "\xc3\x28", "segment": "ka"}',
        '{"name": "中国移动", "segment": "ka"}'.encode("gbk"),
        b'{"name": "\xed\xa0\x80", "segment": "ka"}',  # a lone surrogate, encoded
        b"\x00\x01\x02",
        b'{"name": "ok", "segment": "ka"',
    ],
)
def test_bytes_that_are_not_utf8_json_are_refused_in_the_error_format(org, world, raw):
    _is_error(_raw_post(org, "/accounts", raw), 400, 422)
    assert Account.objects.count() == 1


def test_a_gbk_body_on_an_update_is_refused_and_changes_nothing(org, world):
    account = world["account"]
    raw = json.dumps({"version": 1, "region": "华东"}, ensure_ascii=False).encode("gbk")
    _is_error(_raw_post(org, f"/accounts/{account.pk}", raw, method="patch"), 400, 422)
    account.refresh_from_db()
    assert (account.version, account.region) == (1, "")


def test_an_escaped_lone_surrogate_in_json_is_refused(org, world):
    _is_error(_raw_post(org, "/accounts", b'{"name": "\\ud800", "segment": "ka"}'), 400, 422)
    assert Account.objects.count() == 1


def test_a_gbk_csv_upload_sent_as_utf8_is_read_as_gbk_or_refused(org, world):
    from irontriangle.common.access import viewer_of
    from irontriangle.common.importing import get_kind, run_import

    data = "name,region,segment\n华润集团,华东,ka\n".encode("gbk")
    report = run_import(
        get_kind("accounts"), data, "accounts.csv", viewer=viewer_of(org["ar"]), actor=org["ar"], dry_run=False
    )
    if report.ok:
        assert Account.objects.filter(name="华润集团", region="华东").exists()
    else:
        assert report.errors and Account.objects.count() == 1
