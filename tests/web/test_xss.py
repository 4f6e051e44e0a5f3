"""Stored-XSS payloads in account names, contact names and interaction minutes come out of every web page
escaped: as text in HTML, and inside the power map's JSON only in a form the HTML parser cannot end early."""

from __future__ import annotations

import json
import re
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from irontriangle.relationships.models import ContactOwner
from tests.factories import add_owner, add_to_team, log_interaction, make_account, make_contact

SCRIPT = "<script>alert(1)</script>"
IMG = '"><img src=x onerror=alert(1)>'
PAYLOADS = (SCRIPT, IMG)


@pytest.fixture
def hostile(org) -> dict[str, Any]:
    account = make_account(org["ar"], name=f"客户{SCRIPT}{IMG}", region=IMG, segment="ka", tier="a")
    add_to_team(account, org["sr"], "sr")
    boss = make_contact(account, name=f"王总{SCRIPT}", title=IMG, department=SCRIPT, is_key=True)
    staff = make_contact(account, name=f"李工{IMG}", title=SCRIPT, reports_to=boss)
    add_owner(boss, org["ar"], primary=True)
    interaction = log_interaction(
        account, by=org["ar"], minutes=f"会谈纪要 {SCRIPT} 以及 {IMG} 结束", next_steps=SCRIPT, contact_ids=[boss.pk]
    )
    assert ContactOwner.objects.filter(contact=boss).exists()
    return {"account": account, "boss": boss, "staff": staff, "interaction": interaction}


def _page(client: Client, url: str, **headers: str) -> str:
    response = client.get(url, headers=headers)
    assert response.status_code == 200, (url, response.status_code)
    return response.content.decode()


def _assert_escaped(html: str, url: str) -> None:
    for payload in PAYLOADS:
        assert payload not in html, f"{url} shows {payload!r} unescaped"
    assert "<script>alert(1)" not in html, url
    assert "onerror=alert(1)>" not in html.replace("&gt;", ""), url
    assert not re.search(r"<img[^>]*onerror", html, flags=re.IGNORECASE), url


def _assert_shown_escaped(html: str, url: str) -> None:
    """The payload is on the page (as text), so the check above looked at the right thing."""
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html, url


@pytest.fixture
def browser(org) -> Client:
    client = Client()
    client.force_login(org["ar"])
    return client


def test_the_account_page_shows_names_escaped(browser, hostile):
    url = reverse("accounts:account-detail", args=[hostile["account"].pk])
    html = _page(browser, url)
    _assert_escaped(html, url)
    _assert_shown_escaped(html, url)


def test_the_account_list_shows_names_escaped(browser, hostile):
    for url in ("/accounts/", "/accounts/?q=%E5%AE%A2%E6%88%B7"):
        html = _page(browser, url)
        _assert_escaped(html, url)
        _assert_shown_escaped(html, url)


def test_the_contact_page_and_list_show_names_escaped(browser, hostile):
    for contact in (hostile["boss"], hostile["staff"]):
        url = reverse("contacts:contact-detail", args=[contact.pk])
        html = _page(browser, url)
        _assert_escaped(html, url)
        _assert_shown_escaped(html, url)
    html = _page(browser, "/contacts/")
    _assert_escaped(html, "/contacts/")
    _assert_shown_escaped(html, "/contacts/")


def test_the_interaction_list_and_search_show_minutes_escaped(browser, hostile):
    for url in (
        reverse("relationships:interaction-list"),
        reverse("relationships:interaction-list") + "?q=script",
        reverse("relationships:interaction-list") + "?q=%3Cscript%3E",
        reverse("relationships:interaction-detail", args=[hostile["interaction"].pk]),
    ):
        html = _page(browser, url)
        _assert_escaped(html, url)
        assert "alert(1)" in html, url  # the minutes are on the page, escaped


def test_the_power_map_data_cannot_break_out_of_its_script_element(browser, hostile):
    url = reverse("contacts:account-relationships", args=[hostile["account"].pk])
    html = _page(browser, url, **{"HX-Request": "true"})
    _assert_escaped(html, url)
    found = re.search(r'<script id="power-map-data" type="application/json">(.*?)</script>', html, flags=re.S)
    assert found, "the power map data is on the page"
    raw = found.group(1)
    assert "<" not in raw and ">" not in raw
    data = json.loads(raw)
    names = json.dumps(data, ensure_ascii=False)
    assert "王总<script>alert(1)</script>" in names or "王总\\u003Cscript" in raw


def test_the_power_map_api_returns_the_names_as_plain_json(org, hostile):
    from tests.conftest import api_as

    response = api_as(org["ar"]).get(f"/accounts/{hostile['account'].pk}/power-map")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")
    names = {node["name"] for node in response.json()["nodes"]}
    assert f"王总{SCRIPT}" in names
