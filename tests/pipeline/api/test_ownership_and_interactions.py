"""A lead or deal opened by another unit raises an ownership claim (seed 004); interactions link to deals
and make them multi-threaded."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from irontriangle.accounts.models import OwnershipRequest
from irontriangle.notifications.models import Notification
from irontriangle.relationships.models import Interaction
from tests.conftest import api_as
from tests.factories import add_to_team, make_account, make_contact, make_opportunity, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def north_on_team(org, team_account) -> Any:
    """The north user sits on the Shanghai account's team, so they see it and may work on it."""
    add_to_team(team_account, org["outsider"], "fr", is_primary=False)
    return org["outsider"]


@pytest.fixture
def shanghai_manager(org) -> Any:
    return make_user("sh_manager", units=[org["units"]["shanghai"]], manager_of=[org["units"]["shanghai"]])


def _claims(account: Any) -> list[tuple[str, str, str]]:
    return [
        (request.to_unit.code, request.kind, request.status)
        for request in OwnershipRequest.objects.filter(account=account).select_related("to_unit")
    ]


def test_a_lead_from_another_unit_raises_one_claim_and_tells_the_owner_side(
    org, team_account, north_on_team, shanghai_manager
):
    client = api_as(north_on_team)
    body = {"name": "北方发现的需求", "source": "exhibition", "scenario": "continuous", "account_id": team_account.pk}

    first = client.post("/leads", body)

    assert first.status_code == 201, first.content
    assert first.json()["owner_unit_code"] == "ka-north"
    assert _claims(team_account) == [("ka-north", "claim", "pending")]
    told = set(
        Notification.objects.filter(event__kind="ownership.requested").values_list("recipient__username", flat=True)
    )
    assert {"sh_manager", "ar"} <= told and "outsider" not in told

    second = client.post("/leads", {**body, "name": "第二条线索"})
    deal = client.post("/opportunities", {"account_id": team_account.pk, "name": "北方的商机"})
    assert second.status_code == 201 and deal.status_code == 201
    assert _claims(team_account) == [("ka-north", "claim", "pending")]
    assert Notification.objects.filter(event__kind="ownership.requested", recipient=shanghai_manager).count() == 1


def test_a_deal_from_another_unit_raises_a_claim_too(org, team_account, north_on_team, shanghai_manager):
    response = api_as(north_on_team).post("/opportunities", {"account_id": team_account.pk, "name": "北方的商机"})

    assert response.status_code == 201, response.content
    assert response.json()["owner_id"] == north_on_team.pk
    assert _claims(team_account) == [("ka-north", "claim", "pending")]
    assert Notification.objects.filter(event__kind="ownership.requested", recipient=shanghai_manager).exists()


def test_the_owner_unit_and_the_managers_above_raise_no_claim(org, team_account):
    api_as(org["ar"]).post("/opportunities", {"account_id": team_account.pk, "name": "自己的商机"})
    api_as(org["sr"]).post(
        "/leads", {"name": "自己的线索", "source": "referral", "scenario": "continuous", "account_id": team_account.pk}
    )
    api_as(org["manager"]).post("/opportunities", {"account_id": team_account.pk, "name": "经理开的商机"})
    assert _claims(team_account) == []


def test_a_lead_moved_onto_the_account_later_raises_the_claim(org, team_account, north_on_team):
    client = api_as(north_on_team)
    lead = client.post(
        "/leads", {"name": "新公司", "source": "inbound", "scenario": "occasional", "company_name": "某公司"}
    )
    assert _claims(team_account) == []

    moved = client.patch(f"/leads/{lead.json()['id']}", {"version": 1, "account_id": team_account.pk})

    assert moved.status_code == 200, moved.content
    assert _claims(team_account) == [("ka-north", "claim", "pending")]


# --- interactions on deals --------------------------------------------------------------------------


def _visit(client: Any, account: Any, contacts: list[Any], deal: Any | None, **extra: Any) -> Any:
    when = (timezone.now() - timedelta(days=1)).replace(microsecond=0)
    return client.post(
        "/interactions",
        {
            "kind": "visit",
            "occurred_at": when.isoformat(),
            "account_id": account.pk,
            "contact_ids": [contact.pk for contact in contacts],
            "opportunity_id": deal.pk if deal is not None else None,
            "minutes": "交流方案",
            **extra,
        },
    )


def _multi_threaded(client: Any, deal: Any) -> bool:
    items = client.get(f"/opportunities/{deal.pk}/checklist").json()
    return next(item for item in items if item["key"] == "multi_threaded")["done"]


def test_meeting_two_different_contacts_makes_the_deal_multi_threaded(org, team_account, deal):
    client = api_as(org["ar"])
    first, second = make_contact(team_account, name="甲"), make_contact(team_account, name="乙")

    logged = _visit(client, team_account, [first], deal)
    assert logged.status_code == 201, logged.content
    assert logged.json()["opportunity_id"] == deal.pk
    assert not _multi_threaded(client, deal)
    _visit(client, team_account, [first], deal)
    assert not _multi_threaded(client, deal)  # the same person twice is still one thread
    _visit(client, team_account, [second], None)
    assert not _multi_threaded(client, deal)  # met, but not about this deal

    again = _visit(client, team_account, [second], deal)
    assert again.status_code == 201
    assert _multi_threaded(client, deal)

    assert client.delete(f"/interactions/{again.json()['id']}").status_code == 204
    assert not _multi_threaded(client, deal)


def test_the_interactions_list_filters_by_deal(org, team_account, deal):
    client = api_as(org["ar"])
    contact = make_contact(team_account)
    other_deal = make_opportunity(team_account, name="另一个商机")
    on_deal = _visit(client, team_account, [contact], deal).json()["id"]
    _visit(client, team_account, [contact], other_deal)
    _visit(client, team_account, [contact], None)

    listed = client.get("/interactions", {"opportunity_id": deal.pk})

    assert listed.status_code == 200
    assert [row["id"] for row in listed.json()["items"]] == [on_deal]
    assert len(client.get("/interactions").json()["items"]) == 3
    assert client.get("/interactions", {"opportunity_id": 0}).status_code == 422
    assert api_as(org["outsider"]).get("/interactions", {"opportunity_id": deal.pk}).json()["items"] == []


def test_a_deal_of_another_account_or_an_invisible_one_is_refused(org, team_account, deal):
    client = api_as(org["ar"])
    contact = make_contact(team_account)
    other = make_account(org["ar"], name="另一个客户")
    elsewhere = make_opportunity(other, name="别处的商机")
    hidden = make_opportunity(make_account(org["north_manager"], name="北方客户"), by=org["north_manager"])

    wrong_account = _visit(client, team_account, [contact], elsewhere)
    invisible = _visit(client, team_account, [contact], hidden)
    missing = client.post(
        "/interactions",
        {"kind": "call", "account_id": team_account.pk, "opportunity_id": 987654, "contact_ids": [contact.pk]},
    )

    for response, code in (
        (wrong_account, "other_account"),
        (invisible, "unknown_opportunity"),
        (missing, "unknown_opportunity"),
    ):
        assert response.status_code == 422, response.content
        assert response.json()["errors"][0]["field"] == "opportunity_id"
        assert response.json()["errors"][0]["code"] == code
    assert not Interaction.all_objects.exists()

    logged = _visit(client, team_account, [contact], None).json()
    moved = client.patch(f"/interactions/{logged['id']}", {"version": 1, "opportunity_id": elsewhere.pk})
    assert moved.status_code == 422 and moved.json()["errors"][0]["code"] == "other_account"
    assert Interaction.objects.get(pk=logged["id"]).opportunity_id is None
