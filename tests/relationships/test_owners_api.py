"""`/contacts/{id}/owners`: a primary owner and backups for each key contact (seed 000)."""

from __future__ import annotations

import pytest

from irontriangle.relationships.models import ContactOwner
from tests.conftest import api_as
from tests.factories import make_contact, make_user


@pytest.fixture
def key_contact(team_account):
    return make_contact(team_account, name="陈主任", is_key=True, buying_roles=["decision_maker"])


def _owners(client, contact) -> list[tuple[int, bool]]:
    response = client.get(f"/contacts/{contact.pk}/owners")
    assert response.status_code == 200
    return [(owner["user_id"], owner["is_primary"]) for owner in response.json()]


def test_primary_and_backups_and_the_has_backup_flag(org, team_account, key_contact):
    client = api_as(org["ar"])
    assert client.get(f"/contacts/{key_contact.pk}").json()["has_backup"] is False

    primary = client.post(f"/contacts/{key_contact.pk}/owners", {"user_id": org["ar"].pk, "is_primary": True})
    assert primary.status_code == 201
    assert primary.json()["user_id"] == org["ar"].pk and primary.json()["is_primary"] is True
    assert primary.json()["user_label"]
    assert client.get(f"/contacts/{key_contact.pk}").json()["has_backup"] is False
    assert [item["name"] for item in client.get("/contacts", {"no_backup": True}).json()["items"]] == ["陈主任"]

    backup = client.post(f"/contacts/{key_contact.pk}/owners", {"user_id": org["sr"].pk})
    assert backup.status_code == 201 and backup.json()["is_primary"] is False

    assert _owners(client, key_contact) == [(org["ar"].pk, True), (org["sr"].pk, False)]
    detail = client.get(f"/contacts/{key_contact.pk}").json()
    assert detail["has_backup"] is True
    assert [owner["user_id"] for owner in detail["owners"]] == [org["ar"].pk, org["sr"].pk]
    assert client.get("/contacts", {"no_backup": True}).json()["items"] == []
    # Adding the same person again changes nothing.
    again = client.post(f"/contacts/{key_contact.pk}/owners", {"user_id": org["sr"].pk})
    assert again.status_code == 201
    assert ContactOwner.objects.filter(contact=key_contact).count() == 2


def test_a_second_primary_demotes_the_first_to_backup(org, team_account, key_contact):
    client = api_as(org["ar"])
    client.post(f"/contacts/{key_contact.pk}/owners", {"user_id": org["ar"].pk, "is_primary": True})

    response = client.post(f"/contacts/{key_contact.pk}/owners", {"user_id": org["sr"].pk, "is_primary": True})

    assert response.status_code == 201
    assert _owners(client, key_contact) == [(org["sr"].pk, True), (org["ar"].pk, False)]
    assert ContactOwner.objects.filter(contact=key_contact, is_primary=True).count() == 1
    assert client.get(f"/contacts/{key_contact.pk}").json()["has_backup"] is True


def test_an_owner_must_be_able_to_see_the_account(org, team_account, key_contact):
    client = api_as(org["ar"])

    refused = client.post(f"/contacts/{key_contact.pk}/owners", {"user_id": org["outsider"].pk})
    unknown = client.post(f"/contacts/{key_contact.pk}/owners", {"user_id": 10**9})
    inactive = make_user("gone", units=[org["units"]["shanghai"]])
    inactive.is_active = False
    inactive.save()
    gone = client.post(f"/contacts/{key_contact.pk}/owners", {"user_id": inactive.pk})

    assert refused.status_code == 422
    assert refused.json()["errors"][0]["field"] == "user_id" and refused.json()["errors"][0]["code"] == "no_access"
    assert unknown.status_code == 422 and unknown.json()["errors"][0]["field"] == "user_id"
    assert gone.status_code == 422
    assert not ContactOwner.objects.filter(contact=key_contact).exists()
    # The unit's manager sees the account through the org chart: they may own the relationship.
    assert client.post(f"/contacts/{key_contact.pk}/owners", {"user_id": org["manager"].pk}).status_code == 201


def test_removing_an_owner(org, team_account, key_contact):
    client = api_as(org["ar"])
    client.post(f"/contacts/{key_contact.pk}/owners", {"user_id": org["ar"].pk, "is_primary": True})
    backup = client.post(f"/contacts/{key_contact.pk}/owners", {"user_id": org["sr"].pk}).json()

    assert client.delete(f"/contacts/{key_contact.pk}/owners/{backup['id']}").status_code == 204

    assert _owners(client, key_contact) == [(org["ar"].pk, True)]
    assert client.get(f"/contacts/{key_contact.pk}").json()["has_backup"] is False
    assert client.delete(f"/contacts/{key_contact.pk}/owners/{backup['id']}").status_code == 404


def test_an_owner_of_another_contact_cannot_be_removed_through_this_one(org, team_account, key_contact):
    other = make_contact(team_account, name="别的联系人")
    client = api_as(org["ar"])
    owner = client.post(f"/contacts/{other.pk}/owners", {"user_id": org["sr"].pk}).json()

    assert client.delete(f"/contacts/{key_contact.pk}/owners/{owner['id']}").status_code == 404
    assert ContactOwner.objects.filter(pk=owner["id"]).exists()


def test_who_may_manage_owners(org, team_account, key_contact):
    from tests.factories import grant_permission

    assert api_as(org["sr"]).post(f"/contacts/{key_contact.pk}/owners", {"user_id": org["sr"].pk}).status_code == 201
    assert api_as(org["manager"]).get(f"/contacts/{key_contact.pk}/owners").status_code == 200
    outsider = api_as(org["outsider"])
    assert outsider.get(f"/contacts/{key_contact.pk}/owners").status_code == 404
    assert outsider.post(f"/contacts/{key_contact.pk}/owners", {"user_id": org["outsider"].pk}).status_code == 404
    reader = api_as(grant_permission(org["finance_user"], "read_all_records"))
    assert reader.get(f"/contacts/{key_contact.pk}/owners").status_code == 200
    refused = reader.post(f"/contacts/{key_contact.pk}/owners", {"user_id": org["finance_user"].pk})
    assert refused.status_code == 403
    assert list(ContactOwner.objects.filter(contact=key_contact).values_list("user_id", flat=True)) == [org["sr"].pk]
