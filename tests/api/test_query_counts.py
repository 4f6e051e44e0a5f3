"""Requests cost a fixed number of SQL queries, however many rows they show (ARCHITECTURE.md budget)."""

from __future__ import annotations

from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.conftest import api_as
from tests.factories import add_to_team, make_account, make_user

# Authentication, the viewer's memberships and permissions, the page: well under the budget of 10.
LIST_BUDGET = 8


def _count(client, path: str, params=None) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path, params)
    assert response.status_code == 200, response.content
    return len(queries)


def _warm(client) -> None:
    # The first request with a fresh token records its use; later ones within a minute do not.
    assert client.get("/me").status_code == 200


def test_account_list_costs_the_same_for_5_and_40_rows(org, django_assert_max_num_queries):
    ar = org["ar"]
    for number in range(5):
        add_to_team(make_account(ar, name=f"客户{number:02}"), org["sr"], "sr")
    client = api_as(org["sr"])
    _warm(client)
    with django_assert_max_num_queries(LIST_BUDGET):
        few = _count(client, "/accounts", {"limit": 50})

    for number in range(5, 40):
        add_to_team(make_account(ar, name=f"客户{number:02}"), org["sr"], "sr")
    with django_assert_max_num_queries(LIST_BUDGET):
        many = _count(client, "/accounts", {"limit": 50})

    assert len(client.get("/accounts", {"limit": 50}).json()["items"]) == 40
    assert many == few


def test_account_list_of_a_manager_and_of_a_global_reader_is_flat_too(org, reader, django_assert_max_num_queries):
    ar = org["ar"]
    make_account(ar, name="母公司")
    for number in range(3):
        make_account(ar, name=f"子公司{number}")
    clients = {"manager": api_as(org["manager"]), "reader": api_as(reader)}
    for client in clients.values():
        _warm(client)
    few = {name: _count(client, "/accounts") for name, client in clients.items()}

    for number in range(3, 30):
        make_account(ar, name=f"子公司{number}")
    many = {name: _count(client, "/accounts") for name, client in clients.items()}

    assert many == few
    assert max(many.values()) <= LIST_BUDGET


def test_account_detail_costs_a_fixed_small_number(org, team_account, django_assert_max_num_queries):
    client = api_as(org["sr"])
    _warm(client)

    with django_assert_max_num_queries(6):
        response = client.get(f"/accounts/{team_account.pk}")

    assert response.status_code == 200


def test_me_costs_a_fixed_small_number(org, django_assert_max_num_queries):
    matrix = make_user("matrix", units=[org["units"]["north"], org["units"]["smb"], org["units"]["finance"]])
    client = api_as(matrix)
    _warm(client)

    with django_assert_max_num_queries(6):
        response = client.get("/me")

    assert len(response.json()["units"]) == 3


def test_team_and_history_do_not_grow_with_their_length(org, team_account):
    client = api_as(org["ar"])
    _warm(client)
    team_few = _count(client, f"/accounts/{team_account.pk}/team")
    history_few = _count(client, f"/accounts/{team_account.pk}/history")

    for number in range(6):
        add_to_team(team_account, make_user(f"member{number}", units=[org["units"]["shanghai"]]), "other")
        changed = client.patch(f"/accounts/{team_account.pk}", {"version": number + 1, "region": f"区{number}"})
        assert changed.status_code == 200

    assert _count(client, f"/accounts/{team_account.pk}/team") == team_few
    assert _count(client, f"/accounts/{team_account.pk}/history") == history_few


def test_user_list_does_not_grow_with_rows(org):
    client = api_as(org["ar"])
    _warm(client)
    few = _count(client, "/users")
    for number in range(20):
        make_user(f"extra{number}", units=[org["units"]["north"]])

    assert _count(client, "/users") == few
