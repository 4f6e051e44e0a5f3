"""A partner's login sees its registrations and the deals shared with it; every other address answers
404 in the API and the web, exactly as if it did not exist."""

from __future__ import annotations

import pytest
from django.test import Client

from irontriangle.common.access import viewer_of
from irontriangle.pipeline import services as pipeline
from tests.conftest import api_as
from tests.factories import make_contact, make_opportunity


@pytest.fixture
def shared_deal(org, partners, team_account):
    deal = make_opportunity(team_account, name="共享商机", amount="500000.00")
    pipeline.opportunity_team_add(
        viewer=viewer_of(org["ar"]), actor=org["ar"], opportunity=deal, user_id=partners["login"].pk, role="partner"
    )
    return deal


def test_the_partner_login_sees_the_shared_deal_and_nothing_else_through_the_api(
    org, partners, team_account, shared_deal
):
    hidden_deal = make_opportunity(team_account, name="不共享的商机", amount="800000.00")
    contact = make_contact(team_account, name="周处长")
    client = api_as(partners["login"])

    assert client.get(f"/opportunities/{shared_deal.pk}").status_code == 200
    assert [o["id"] for o in client.get("/opportunities").json()["items"]] == [shared_deal.pk]
    for path in (
        f"/opportunities/{hidden_deal.pk}",
        f"/accounts/{team_account.pk}",
        f"/contacts/{contact.pk}",
        f"/opportunities/{shared_deal.pk}/team",
        f"/opportunities/{shared_deal.pk}/history",
        "/accounts",
        "/contacts",
        "/interactions",
        "/users",
        "/org-units",
        "/resource-pool",
        "/resource-requests",
        "/contracts",
        "/battle-map",
        f"/partners/{partners['beta'].pk}",
    ):
        response = client.get(path)
        assert response.status_code == 404 and response.json()["code"] == "not_found", path
    assert client.patch(f"/opportunities/{shared_deal.pk}", {"version": 1, "name": "改名"}).status_code == 404
    assert [p["id"] for p in client.get("/partners").json()["items"]] == [partners["alpha"].pk]
    assert client.get("/me").status_code == 200


def test_a_partner_login_cannot_join_a_team_in_another_role(org, partners, team_account):
    deal = make_opportunity(team_account, name="另一商机", amount="100000.00")
    response = api_as(org["ar"]).post(f"/opportunities/{deal.pk}/team", {"user_id": partners["login"].pk, "role": "sr"})
    assert response.status_code == 422 and response.json()["errors"][0]["field"] == "role"


def test_the_partner_login_meets_404_on_every_internal_page(org, partners, team_account, shared_deal):
    contact = make_contact(team_account, name="周处长")
    browser = Client()
    browser.force_login(partners["login"])
    home = browser.get("/")
    assert home.status_code == 302 and home["Location"].endswith("/partner/")
    for path in (
        "/accounts/",
        f"/accounts/{team_account.pk}/",
        "/contacts/",
        f"/contacts/{contact.pk}/",
        f"/opportunities/{shared_deal.pk}/",
        "/opportunities/",
        "/battle-map/",
        "/trash/",
        "/admin/",
    ):
        assert browser.get(path).status_code == 404, path


def test_a_colleague_is_not_affected_by_the_partner_wall(org, team_account):
    browser = Client()
    browser.force_login(org["ar"])
    assert browser.get("/accounts/").status_code == 200
    assert browser.get(f"/accounts/{team_account.pk}/").status_code == 200


def test_a_registration_link_takes_the_partner_login_to_its_portal(org, partners, team_account):
    from irontriangle.resources.services import registration_create

    mine = registration_create(
        viewer=viewer_of(partners["login"]), actor=partners["login"], data={"customer_name": "某客户", "project": "CRM"}
    )
    theirs = registration_create(
        viewer=viewer_of(partners["beta_login"]),
        actor=partners["beta_login"],
        data={"customer_name": "别的客户", "project": "ERP"},
    )
    browser = Client()
    browser.force_login(partners["login"])
    followed = browser.get(f"/registrations/{mine.pk}/")
    assert followed.status_code == 302 and followed["Location"] == f"/partner/#registration-{mine.pk}"
    assert browser.get(f"/registrations/{theirs.pk}/").status_code == 404
    assert browser.get(f"/registrations/{mine.pk}/decide/").status_code == 404
