"""Who may do what with an account (SPEC §1): the team, managers above, global readers, and nobody else.

Every endpoint answers an outsider exactly like a missing id, so a stranger learns nothing.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.db import transaction

from irontriangle.accounts.models import Account, AccountTeamMember
from tests.conftest import api_as
from tests.factories import add_to_team

MISSING_ID = 987_654_321


def _call(client, action: str, account_id: int, member_id: int, user_ids: dict[str, int]) -> Any:
    base = f"/accounts/{account_id}"
    if action == "get":
        return client.get(base)
    if action == "patch":
        return client.patch(base, {"version": 1, "region": "上海"})
    if action == "delete":
        return client.delete(base)
    if action == "history":
        return client.get(f"{base}/history")
    if action == "team_get":
        return client.get(f"{base}/team")
    if action == "team_post":
        return client.post(f"{base}/team", {"user_id": user_ids["newcomer"], "role": "fr"})
    if action == "team_delete":
        return client.delete(f"{base}/team/{member_id}")
    raise AssertionError(action)


ACTIONS = ["get", "patch", "delete", "history", "team_get", "team_post", "team_delete"]

# Expected status per caller and action. The SR is on the team but does not own the account: they
# edit it, and only the owner, a manager above or an administrator moves it to the trash.
EXPECTED: dict[str, dict[str, int]] = {
    "owner": {
        "get": 200,
        "patch": 200,
        "delete": 204,
        "history": 200,
        "team_get": 200,
        "team_post": 201,
        "team_delete": 204,
    },
    "team_member": {
        "get": 200,
        "patch": 200,
        "delete": 403,
        "history": 200,
        "team_get": 200,
        "team_post": 201,
        "team_delete": 204,
    },
    "manager_above": {
        "get": 200,
        "patch": 200,
        "delete": 204,
        "history": 200,
        "team_get": 200,
        "team_post": 201,
        "team_delete": 204,
    },
    "admin": {
        "get": 200,
        "patch": 200,
        "delete": 204,
        "history": 200,
        "team_get": 200,
        "team_post": 201,
        "team_delete": 204,
    },
    "global_reader": {
        "get": 200,
        "patch": 403,
        "delete": 403,
        "history": 200,
        "team_get": 200,
        "team_post": 403,
        "team_delete": 403,
    },
    "unrelated_manager": dict.fromkeys(ACTIONS, 404),
    "outsider": dict.fromkeys(ACTIONS, 404),
    "finance_outsider": dict.fromkeys(ACTIONS, 404),
}


@pytest.fixture
def callers(org, reader, team_account) -> dict[str, Any]:
    return {
        "owner": org["ar"],
        "team_member": org["sr"],
        "manager_above": org["manager"],
        "admin": org["admin"],
        "global_reader": reader,
        "unrelated_manager": org["north_manager"],
        "outsider": org["outsider"],
        "finance_outsider": org["finance_user"],
    }


@pytest.mark.parametrize("caller", list(EXPECTED))
def test_account_endpoint_access(org, callers, team_account, caller):
    from tests.factories import make_user

    newcomer = make_user("newcomer", units=[org["units"]["shanghai"]])
    sr_member = AccountTeamMember.objects.get(account=team_account, user=org["sr"])
    ids = {"newcomer": newcomer.pk}
    client = api_as(callers[caller])
    failures = []
    for action in ACTIONS:
        # Each action starts from the same state: its writes are rolled back before the next one.
        with transaction.atomic():
            response = _call(client, action, team_account.pk, sr_member.pk, ids)
            status = response.status_code
            if status != EXPECTED[caller][action]:
                failures.append(f"{action}: {status} (expected {EXPECTED[caller][action]}) {response.content[:200]!r}")
            if status == 404:
                missing = _call(client, action, MISSING_ID, sr_member.pk, ids)
                if (missing.status_code, missing.json()) != (404, response.json()):
                    failures.append(f"{action}: a hidden account does not look exactly like a missing one")
            if status >= 400:
                account = Account.all_objects.get(pk=team_account.pk)
                untouched = (account.version, account.region, account.deleted_at) == (1, "", None)
                team_intact = AccountTeamMember.objects.get(pk=sr_member.pk).ended_on is None
                if not (untouched and team_intact and not AccountTeamMember.objects.filter(user=newcomer).exists()):
                    failures.append(f"{action}: refused with {status} but changed the account or its team")
            transaction.set_rollback(True)

    assert not failures, "\n".join(failures)


def test_lists_show_only_visible_accounts(org, reader, team_account):
    from tests.factories import make_account

    other = make_account(org["outsider"], name="华北客户")

    def ids(user):
        response = api_as(user).get("/accounts")
        assert response.status_code == 200
        return {item["id"] for item in response.json()["items"]}

    assert ids(org["ar"]) == {team_account.pk}
    assert ids(org["sr"]) == {team_account.pk}
    assert ids(org["manager"]) == {team_account.pk}
    assert ids(org["outsider"]) == {other.pk}
    assert ids(org["north_manager"]) == {other.pk}
    assert ids(org["finance_user"]) == set()
    assert ids(reader) == {team_account.pk, other.pk}
    assert ids(org["admin"]) == {team_account.pk, other.pk}


def test_joining_the_team_grants_visibility_and_leaving_takes_it_away(org, team_account):
    owner, outsider = api_as(org["ar"]), api_as(org["outsider"])
    assert outsider.get(f"/accounts/{team_account.pk}").status_code == 404

    added = owner.post(f"/accounts/{team_account.pk}/team", {"user_id": org["outsider"].pk, "role": "fr"})
    assert added.status_code == 201, added.content
    assert outsider.get(f"/accounts/{team_account.pk}").status_code == 200
    assert team_account.pk in [item["id"] for item in outsider.get("/accounts").json()["items"]]

    removed = owner.delete(f"/accounts/{team_account.pk}/team/{added.json()['id']}")
    assert removed.status_code == 204
    assert outsider.get(f"/accounts/{team_account.pk}").status_code == 404
    assert outsider.get("/accounts").json()["items"] == []
    team = owner.get(f"/accounts/{team_account.pk}/team").json()
    assert org["outsider"].pk not in [member["user_id"] for member in team]


def test_removed_member_can_rejoin(org, team_account):
    owner = api_as(org["ar"])
    sr_member = AccountTeamMember.objects.get(account=team_account, user=org["sr"])
    assert owner.delete(f"/accounts/{team_account.pk}/team/{sr_member.pk}").status_code == 204
    assert api_as(org["sr"]).get(f"/accounts/{team_account.pk}").status_code == 404

    again = owner.post(f"/accounts/{team_account.pk}/team", {"user_id": org["sr"].pk, "role": "sr"})

    assert again.status_code == 201, again.content
    assert api_as(org["sr"]).get(f"/accounts/{team_account.pk}").status_code == 200


def test_team_member_of_another_account_cannot_be_removed_through_this_one(org, team_account):
    from tests.factories import make_account

    other = make_account(org["ar"], name="另一个客户")
    other_sr = add_to_team(other, org["sr"], "sr")

    response = api_as(org["ar"]).delete(f"/accounts/{team_account.pk}/team/{other_sr.pk}")

    assert response.status_code == 404
    assert AccountTeamMember.objects.get(pk=other_sr.pk).ended_on is None


def test_team_post_validates_user_and_role(org, team_account):
    owner = api_as(org["ar"])

    unknown_user = owner.post(f"/accounts/{team_account.pk}/team", {"user_id": 999999, "role": "sr"})
    bad_role = owner.post(f"/accounts/{team_account.pk}/team", {"user_id": org["outsider"].pk, "role": "boss"})
    twice = owner.post(f"/accounts/{team_account.pk}/team", {"user_id": org["sr"].pk, "role": "sr"})

    assert unknown_user.status_code == 422 and unknown_user.json()["errors"][0]["field"] == "user_id"
    assert bad_role.status_code == 422 and bad_role.json()["errors"][0]["field"] == "role"
    assert twice.status_code == 422 and twice.json()["errors"][0]["field"] == "user_id"


def test_new_primary_takes_over_and_the_former_stays_as_backup(org, team_account):
    owner = api_as(org["ar"])

    response = owner.post(f"/accounts/{team_account.pk}/team", {"user_id": org["outsider"].pk, "role": "sr"})

    assert response.status_code == 201
    team = {(m["user_id"], m["role"]): m["is_primary"] for m in owner.get(f"/accounts/{team_account.pk}/team").json()}
    assert team[(org["outsider"].pk, "sr")] is True
    assert team[(org["sr"].pk, "sr")] is False


def test_manager_of_the_owner_unit_itself_sees_the_account(org, team_account):
    from tests.factories import make_user

    branch_head = make_user("branch_head", units=[org["units"]["shanghai"]], manager_of=[org["units"]["shanghai"]])

    assert api_as(branch_head).get(f"/accounts/{team_account.pk}").status_code == 200


def test_moving_the_owner_unit_moves_manager_visibility(org, team_account):
    manager = api_as(org["manager"])
    assert manager.get(f"/accounts/{team_account.pk}").status_code == 200

    moved = api_as(org["admin"]).patch(f"/accounts/{team_account.pk}", {"version": 1, "owner_unit_code": "ka-north"})

    assert moved.status_code == 200, moved.content
    assert manager.get(f"/accounts/{team_account.pk}").status_code == 404
    assert api_as(org["north_manager"]).get(f"/accounts/{team_account.pk}").status_code == 200
    # The team keeps its access wherever the account is owned.
    assert api_as(org["sr"]).get(f"/accounts/{team_account.pk}").status_code == 200
