"""The access matrix beyond single records: exports, downloads, history and mass operations answer the
account team and the manager above with the records, and an outsider or a partner login with nothing of
them (an empty file, a 404), never a hint that the records exist."""

from __future__ import annotations

import csv
import io
from datetime import date
from typing import Any

import openpyxl
import pytest
from django.test import Client

from irontriangle.common.access import viewer_of
from tests.conftest import api_as
from tests.factories import add_to_team, log_interaction, make_account, make_contact, make_contract, make_opportunity

SECRET = "机密客户"
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture
def world(org) -> dict[str, Any]:
    from irontriangle.collections import services as collections
    from irontriangle.resources.services import partner_create, partner_user_create

    account = make_account(org["ar"], name=SECRET, segment="ka", tier="a")
    add_to_team(account, org["sr"], "sr")
    contact = make_contact(account, name="机密联系人")
    deal = make_opportunity(account, name="机密商机", amount="1000000.00")
    contract = make_contract(deal, number="HT-机密", signed_on=date(2026, 9, 1), milestones="30-60-10")
    milestone = contract.milestones.order_by("position").first()
    evidence = collections.evidence_upload(
        viewer=viewer_of(org["ar"]),
        actor=org["ar"],
        contract=contract,
        milestone=milestone,
        kind="invoice",
        name="invoice.pdf",
        data=io.BytesIO(PDF),
        size=len(PDF),
    )
    log_interaction(account, minutes="机密纪要")
    admin = org["admin"]
    partner = partner_create(viewer=viewer_of(admin), actor=admin, data={"name": "伙伴", "type": "si", "tier": "gold"})
    login = {"username": "partner", "password": "Partner-2026!x"}
    partner_login = partner_user_create(viewer=viewer_of(admin), actor=admin, partner=partner, data=login)
    return {
        "account": account,
        "contact": contact,
        "deal": deal,
        "contract": contract,
        "evidence": evidence,
        "partner": getattr(partner_login, "user", partner_login),
    }


INSIDERS = ("ar", "sr", "manager")
OUTSIDERS = ("outsider", "north_manager", "partner")


def _user(org: dict[str, Any], world: dict[str, Any], who: str) -> Any:
    return world["partner"] if who == "partner" else org[who]


def _browser(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _body(response: Any) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


WEB_EXPORTS = ["/accounts/export.csv", "/contacts/export.csv", "/opportunities/export.csv"]


@pytest.mark.parametrize("who", INSIDERS + OUTSIDERS)
def test_exports_hold_the_records_for_the_team_and_nothing_for_others(org, world, who):
    user = _user(org, world, who)
    browser = _browser(user)
    insider = who in INSIDERS
    for url in WEB_EXPORTS:
        response = browser.get(url)
        if who == "partner":
            assert response.status_code == 404, url
            continue
        assert response.status_code == 200, (url, response.status_code)
        text = _body(response).decode("utf-8-sig")
        rows = list(csv.reader(io.StringIO(text)))
        assert len(rows) >= 1, url
        assert ("机密" in text) is insider, (who, url, text[:300])

    api_xlsx = api_as(user).get("/battle-map.xlsx")
    if who == "partner":
        assert api_xlsx.status_code == 404
    else:
        assert api_xlsx.status_code == 200
        sheet = openpyxl.load_workbook(io.BytesIO(_body(api_xlsx))).active
        cells = " ".join(str(cell.value) for row in sheet.iter_rows() for cell in row if cell.value is not None)
        assert ("HT-机密" in cells) is insider, (who, cells[:300])


@pytest.mark.parametrize("who", INSIDERS + OUTSIDERS)
def test_evidence_download_and_history_follow_the_record(org, world, who):
    client = api_as(_user(org, world, who))
    expected = 200 if who in INSIDERS else 404
    download = client.get(f"/evidence/{world['evidence'].pk}/download")
    assert download.status_code == expected
    if expected == 200:
        assert _body(download) == PDF
    else:
        assert download.json()["code"] == "not_found"
    for path in (
        f"/accounts/{world['account'].pk}/history",
        f"/contacts/{world['contact'].pk}/history",
        f"/opportunities/{world['deal'].pk}/history",
        f"/contracts/{world['contract'].pk}/history",
    ):
        response = client.get(path)
        assert response.status_code == expected, (who, path, response.status_code)
    web = _browser(_user(org, world, who)).get(f"/evidence/{world['evidence'].pk}/download/")
    assert web.status_code == expected, (who, web.status_code)


@pytest.mark.parametrize("who", INSIDERS + OUTSIDERS)
def test_lists_and_searches_show_the_records_only_to_the_team(org, world, who):
    client = api_as(_user(org, world, who))
    insider = who in INSIDERS
    for path, params in (
        ("/accounts", {"q": SECRET}),
        ("/contacts", {"q": "机密联系人"}),
        ("/interactions", {"q": "机密纪要"}),
        ("/opportunities", {"q": "机密商机"}),
        ("/contracts", {}),
        ("/battle-map", {}),
    ):
        response = client.get(path, params)
        if who == "partner" and path != "/opportunities":
            assert response.status_code == 404, (path, response.status_code)
            continue
        assert response.status_code == 200, (who, path, response.content[:200])
        assert ("机密" in response.content.decode()) is insider, (who, path)


def test_mass_operations_touch_only_the_callers_own_records(org, world):
    from irontriangle.notifications.models import Notification

    make_contact(world["account"], by=org["ar"], name="再建一个")  # more notifications for the team
    others_unread = Notification.objects.filter(read_at__isnull=True).exclude(recipient=org["outsider"]).count()
    assert others_unread > 0

    assert api_as(org["outsider"]).post("/notifications/read-all", {}).status_code in (200, 204)

    assert Notification.objects.filter(read_at__isnull=True).exclude(recipient=org["outsider"]).count() == others_unread


def test_an_import_cannot_reach_records_the_importer_does_not_see(org, world):
    from irontriangle.accounts.models import Account
    from irontriangle.common.importing import get_kind, run_import
    from irontriangle.relationships.models import Contact

    outsider = org["outsider"]

    def imported(kind: str, data: str) -> Any:
        return run_import(
            get_kind(kind), data.encode(), f"{kind}.csv", viewer=viewer_of(outsider), actor=outsider, dry_run=False
        )

    def codes(report: Any) -> list[tuple[int, str, str]]:
        return [(error.row, error.column, error.code) for error in report.errors]

    for kind, template in (
        ("accounts", "name,parent,segment\n外人的子公司,{},ka\n"),
        ("contacts", "account,name\n{},外人塞的联系人\n"),
    ):
        hidden = imported(kind, template.format(SECRET))
        missing = imported(kind, template.format("根本不存在的客户"))
        assert not hidden.ok and hidden.errors
        # The same answer as for an account that does not exist: nothing tells the outsider it does.
        assert codes(hidden) == codes(missing)
    assert not Account.objects.filter(name="外人的子公司").exists()
    assert not Contact.objects.filter(name="外人塞的联系人").exists()
