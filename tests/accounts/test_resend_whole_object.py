"""A client that sends the whole object back must not need rights for values it did not change."""

from tests.conftest import api_as
from tests.factories import add_to_team, make_account


def test_team_member_from_another_unit_can_resend_unchanged_references(org):
    parent = make_account(org["ar"], name="集团公司")
    account = make_account(org["ar"], name="省公司", parent_id=parent.pk)
    add_to_team(account, org["outsider"], "fr")
    client = api_as(org["outsider"])
    current = client.get(f"/accounts/{account.pk}").json()

    response = client.patch(f"/accounts/{account.pk}", {**current, "region": "浙江"})

    assert response.status_code == 200, response.json()
    assert response.json()["region"] == "浙江"
    assert response.json()["owner_unit_code"] == "ka-sh"
    assert response.json()["parent_id"] == parent.pk


def test_changing_the_owner_unit_to_a_foreign_one_is_still_refused(org):
    account = make_account(org["ar"], name="某客户")
    add_to_team(account, org["outsider"], "fr")
    client = api_as(org["outsider"])
    version = client.get(f"/accounts/{account.pk}").json()["version"]

    response = client.patch(f"/accounts/{account.pk}", {"version": version, "owner_unit_code": "smb"})

    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "owner_unit_code"
