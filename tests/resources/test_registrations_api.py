"""Deal registration: one live claim per customer and project; a second inside the window is refused,
after the window (or a withdrawal) it is accepted; decisions belong to the channel manager."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from irontriangle.resources.models import DealRegistration
from tests.conftest import api_as


def _register(user, **body):
    return api_as(user).post("/deal-registrations", {"project": "CRM 二期", **body})


def test_a_second_registration_inside_the_window_is_refused_and_accepted_after_it(org, partners, team_account):
    channel = partners["channel"]
    first = _register(channel, partner_id=partners["alpha"].pk, account_id=team_account.pk)
    assert first.status_code == 201, first.content
    assert first.json()["live"] and first.json()["state"] == "submitted"
    # Default window: 90 days.
    assert first.json()["expires_on"] == (timezone.localdate() + timedelta(days=90)).isoformat()

    # Another partner, the same project written differently.
    clash = _register(channel, partner_id=partners["beta"].pk, account_id=team_account.pk, project="ｃｒｍ二期 ")
    assert clash.status_code == 409
    assert clash.json()["code"] == "registration_conflict"
    assert "protected until" in clash.json()["detail"]
    # A unit of our own may not divert it either.
    unit = _register(org["ar"], unit_code="ka-sh", account_id=team_account.pk)
    assert unit.status_code == 409 and unit.json()["code"] == "registration_conflict"
    # Another project of the same customer is free.
    assert (
        _register(channel, partner_id=partners["beta"].pk, account_id=team_account.pk, project="呼叫中心").status_code
        == 201
    )

    DealRegistration.objects.filter(pk=first.json()["id"]).update(expires_on=timezone.localdate() - timedelta(days=1))
    assert api_as(channel).get(f"/deal-registrations/{first.json()['id']}").json()["state"] == "expired"
    again = _register(channel, partner_id=partners["beta"].pk, account_id=team_account.pk)
    assert again.status_code == 201


def test_a_partner_login_names_the_customer_and_is_matched_to_the_account(org, partners, team_account):
    mine = _register(partners["login"], customer_name=team_account.name)
    assert mine.status_code == 201, mine.content
    assert mine.json()["partner_id"] == partners["alpha"].pk and mine.json()["account_id"] is None
    assert DealRegistration.objects.get(pk=mine.json()["id"]).account_id == team_account.pk
    # The other partner's login, same customer and project: refused, without naming who holds it.
    clash = _register(partners["beta_login"], customer_name=team_account.name, project="crm 二期")
    assert clash.status_code == 409 and "甲伙伴" not in clash.json()["detail"]
    # An account id is nothing a partner login can know.
    assert _register(partners["login"], account_id=team_account.pk).status_code == 422

    withdrawn = api_as(partners["login"]).post(f"/deal-registrations/{mine.json()['id']}/withdraw")
    assert withdrawn.status_code == 200 and not withdrawn.json()["live"]
    assert _register(partners["beta_login"], customer_name=team_account.name).status_code == 201


def test_the_window_cannot_be_stretched_or_in_the_past(org, partners, team_account):
    today = timezone.localdate()
    long = _register(
        partners["channel"],
        partner_id=partners["alpha"].pk,
        account_id=team_account.pk,
        expires_on=(today + timedelta(days=91)).isoformat(),
    )
    assert long.status_code == 422 and long.json()["errors"][0]["field"] == "expires_on"
    past = _register(partners["login"], customer_name="某客户", expires_on=today.isoformat())
    assert past.status_code == 422 and past.json()["errors"][0]["field"] == "expires_on"


def test_approval_shares_the_deal_with_the_partner_login(org, partners, deal):
    login = api_as(partners["login"])
    registration = _register(partners["login"], customer_name=deal.account.name).json()
    assert login.get(f"/opportunities/{deal.pk}").status_code == 404

    assert api_as(org["ar"]).post(f"/deal-registrations/{registration['id']}/approve", {}).status_code == 403
    approved = api_as(partners["channel"]).post(
        f"/deal-registrations/{registration['id']}/approve", {"opportunity_id": deal.pk, "note": "首家报备"}
    )
    assert approved.status_code == 200 and approved.json()["state"] == "approved"
    assert login.get(f"/opportunities/{deal.pk}").status_code == 200
    assert [o["id"] for o in login.get("/opportunities").json()["items"]] == [deal.pk]
    # Rejecting needs a reason; an approved one cannot be decided again.
    again = api_as(partners["channel"]).post(f"/deal-registrations/{registration['id']}/reject", {"reason": "重复"})
    assert again.status_code == 409


def test_registrations_are_seen_by_their_partner_the_account_team_and_the_channel_only(org, partners, team_account):
    alpha = _register(partners["channel"], partner_id=partners["alpha"].pk, account_id=team_account.pk).json()
    for user in (partners["channel"], partners["login"], org["ar"], org["sr"], org["manager"]):
        assert api_as(user).get(f"/deal-registrations/{alpha['id']}").status_code == 200, user
    for user in (partners["beta_login"], org["outsider"], org["north_manager"]):
        assert api_as(user).get(f"/deal-registrations/{alpha['id']}").status_code == 404, user
        assert api_as(user).get("/deal-registrations").json()["items"] == [], user
