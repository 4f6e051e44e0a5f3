"""Relationship plans of a contact: targets, actions and the progress made."""

from __future__ import annotations

import pytest

from tests.conftest import api_as
from tests.factories import make_contact


@pytest.fixture
def opponent(team_account):
    return make_contact(team_account, name="孙总", buying_roles=["decision_maker"], stance="opponent", is_key=True)


def _plan(client, contact, **data):
    body = {
        "goal": "把孙总从反对者变为支持者",
        "target_intimacy": "high",
        "target_support": "low",
        "target_stance": "supporter",
        "due_on": "2026-12-31",
        **data,
    }
    return client.post(f"/contacts/{contact.pk}/plans", body)


def test_create_a_plan_and_only_one_active_at_a_time(org, team_account, opponent):
    client = api_as(org["ar"])

    created = _plan(client, opponent)

    assert created.status_code == 201, created.content
    plan = created.json()
    assert (plan["start_intimacy"], plan["start_stance"]) == ("low", "opponent")
    assert (plan["target_intimacy"], plan["target_stance"], plan["status"]) == ("high", "supporter", "active")
    assert plan["progress"] == 0 and plan["actions"] == [] and plan["version"] == 1

    second = _plan(client, opponent, goal="另一个计划")
    assert second.status_code == 409 and second.json()["code"] == "plan_active"

    closed = client.patch(f"/contacts/{opponent.pk}/plans/{plan['id']}", {"version": 1, "status": "dropped"})
    assert closed.status_code == 200 and closed.json()["status"] == "dropped"
    assert _plan(client, opponent, goal="重新开始").status_code == 201
    reopened = client.patch(f"/contacts/{opponent.pk}/plans/{plan['id']}", {"version": 2, "status": "active"})
    assert reopened.status_code == 409 and reopened.json()["code"] == "plan_active"
    assert len(client.get(f"/contacts/{opponent.pk}/plans").json()) == 2


def test_progress_moves_with_the_contact_and_the_actions(org, team_account, opponent):
    client = api_as(org["ar"])
    plan = _plan(client, opponent).json()  # wants intimacy low→high (2 steps) and stance opponent→supporter (2)
    url = f"/contacts/{opponent.pk}/plans/{plan['id']}"

    client.patch(f"/contacts/{opponent.pk}", {"version": 1, "intimacy": "medium"})
    assert client.get(f"/contacts/{opponent.pk}/plans").json()[0]["progress"] == 25
    client.patch(f"/contacts/{opponent.pk}", {"version": 2, "stance": "neutral"})
    current = client.get(f"/contacts/{opponent.pk}/plans").json()[0]
    assert current["progress"] == 50
    assert (current["current_intimacy"], current["current_stance"]) == ("medium", "neutral")

    first = client.post(
        f"{url}/actions", {"title": "安排高层拜访", "owner_id": org["manager"].pk, "due_on": "2026-06-30"}
    )
    assert first.status_code == 201, first.content
    assert first.json()["owner_id"] == org["manager"].pk and first.json()["done_on"] is None
    client.post(f"{url}/actions", {"title": "邀请参观样板点"})
    # Half for the distance (50 %), half for the actions (0 of 2).
    assert client.get(f"/contacts/{opponent.pk}/plans").json()[0]["progress"] == 25

    done = client.patch(f"{url}/actions/{first.json()['id']}", {"version": 1, "done_on": "2026-06-20"})
    assert done.status_code == 200 and done.json()["done_on"] == "2026-06-20"
    assert client.get(f"/contacts/{opponent.pk}/plans").json()[0]["progress"] == 50

    # Falling back does not count as progress.
    client.patch(f"/contacts/{opponent.pk}", {"version": 3, "stance": "opponent", "intimacy": "low"})
    assert client.get(f"/contacts/{opponent.pk}/plans").json()[0]["progress"] == 25

    achieved = client.patch(url, {"version": 1, "status": "achieved"})
    assert achieved.json()["progress"] == 100


def test_actions_are_edited_deleted_and_validated(org, team_account, opponent):
    client = api_as(org["ar"])
    plan = _plan(client, opponent).json()
    url = f"/contacts/{opponent.pk}/plans/{plan['id']}/actions"
    action = client.post(url, {"title": "送行业白皮书"}).json()

    assert client.post(url, {"title": ""}).status_code == 422
    unknown_owner = client.post(url, {"title": "某事", "owner_id": 10**9})
    assert unknown_owner.status_code == 422 and unknown_owner.json()["errors"][0]["field"] == "owner_id"
    stale = client.patch(f"{url}/{action['id']}", {"version": 5, "title": "改"})
    assert stale.status_code == 409
    assert client.delete(f"{url}/{action['id']}").status_code == 204
    assert client.get(f"/contacts/{opponent.pk}/plans").json()[0]["actions"] == []
    assert client.patch(f"{url}/{action['id']}", {"version": 1, "title": "改"}).status_code == 404


def test_a_plan_is_reached_only_through_its_own_contact(org, team_account, opponent):
    other = make_contact(team_account, name="别人")
    client = api_as(org["ar"])
    plan = _plan(client, opponent).json()

    assert client.patch(f"/contacts/{other.pk}/plans/{plan['id']}", {"version": 1, "goal": "x"}).status_code == 404
    assert client.delete(f"/contacts/{other.pk}/plans/{plan['id']}").status_code == 404


def test_who_may_plan(org, team_account, opponent):
    from tests.factories import grant_permission

    assert _plan(api_as(org["sr"]), opponent).status_code == 201
    plan_id = api_as(org["manager"]).get(f"/contacts/{opponent.pk}/plans").json()[0]["id"]
    outsider = api_as(org["outsider"])
    assert outsider.get(f"/contacts/{opponent.pk}/plans").status_code == 404
    assert _plan(outsider, opponent).status_code == 404
    assert outsider.delete(f"/contacts/{opponent.pk}/plans/{plan_id}").status_code == 404
    reader = api_as(grant_permission(org["finance_user"], "read_all_records"))
    assert reader.get(f"/contacts/{opponent.pk}/plans").status_code == 200
    assert reader.patch(f"/contacts/{opponent.pk}/plans/{plan_id}", {"version": 1, "goal": "x"}).status_code == 403
    assert reader.delete(f"/contacts/{opponent.pk}/plans/{plan_id}").status_code == 403
    assert api_as(org["ar"]).delete(f"/contacts/{opponent.pk}/plans/{plan_id}").status_code == 204
    assert api_as(org["ar"]).get(f"/contacts/{opponent.pk}/plans").json() == []
