"""Web forms of a signed-in person need the CSRF token: without it the POST is 403 and changes nothing."""

from __future__ import annotations

import pytest
from django.test import Client

from irontriangle.accounts.models import Account
from irontriangle.relationships.models import Interaction
from tests.factories import make_account

FORM = {
    "name": "跨站伪造的客户",
    "segment": "smb",
    "lifecycle_stage": "exploring",
    "strategic_fit": "neutral",
    "currency": "CNY",
}


@pytest.fixture
def browser(org) -> Client:
    client = Client(enforce_csrf_checks=True)
    client.force_login(org["ar"])
    return client


def test_a_form_post_without_the_token_is_403_and_changes_nothing(org, browser):
    account = make_account(org["ar"], name="原来的客户")
    for url, data in (
        ("/accounts/new/", FORM),
        (f"/accounts/{account.pk}/delete/", {}),
        ("/interactions/new/", {"kind": "visit", "account": account.pk, "minutes": "伪造的纪要"}),
        ("/logout/", {}),
    ):
        response = browser.post(url, data)
        assert response.status_code == 403, (url, response.status_code)
    assert list(Account.objects.values_list("name", flat=True)) == ["原来的客户"]
    assert not Interaction.objects.exists()
    assert browser.get("/accounts/").status_code == 200  # still signed in: logout was refused too


def test_a_form_post_with_a_wrong_token_is_403(org, browser):
    browser.get("/accounts/new/")
    response = browser.post("/accounts/new/", {**FORM, "csrfmiddlewaretoken": "x" * 64})
    assert response.status_code == 403
    assert not Account.objects.exists()


def test_the_same_post_with_the_token_goes_through(org, browser):
    page = browser.get("/accounts/new/")
    token = page.cookies["csrftoken"].value if "csrftoken" in page.cookies else browser.cookies["csrftoken"].value
    response = browser.post("/accounts/new/", {**FORM, "csrfmiddlewaretoken": token})
    assert response.status_code in (200, 302)
    assert Account.objects.filter(name="跨站伪造的客户").exists()
