"""Relationship lists and details cost a fixed number of SQL queries, however many rows they show."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from irontriangle.common.access import viewer_of
from irontriangle.relationships.services import org_activity_create
from tests.conftest import api_as
from tests.factories import add_owner, add_to_team, log_interaction, make_account, make_contact, make_user

# Authentication, the viewer's memberships and permissions (4), the page and its prefetches.
LIST_BUDGET = 8
DETAIL_BUDGET = {
    "contacts": 6,  # the contact, its owners with their users
    # The record and its two many-to-many lists (contacts met, our participants): one query each.
    "interactions": 7,
    "org-activities": 7,
}


def _count(client, path: str, params=None) -> tuple[int, dict]:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path, params)
    assert response.status_code == 200, response.content
    return len(queries), response.json()


@pytest.fixture
def people(org):
    return [make_user(f"rep{number}", units=[org["units"]["shanghai"]]) for number in range(3)]


def _grow(org, account, people, start: int, stop: int) -> None:
    for number in range(start, stop):
        contact = make_contact(account, name=f"联系人{number:02}", buying_roles=["user", "decision_maker"], is_key=True)
        add_owner(contact, org["ar"], primary=True)
        add_owner(contact, people[number % 3])
        log_interaction(
            account,
            contact_ids=[contact.pk],
            participant_ids=[org["ar"].pk, people[number % 3].pk],
            minutes=f"第{number}次拜访,讨论预算",
        )
        org_activity_create(
            viewer=viewer_of(org["ar"]),
            actor=org["ar"],
            data={
                "kind": "executive_visit",
                "account_id": account.pk,
                "occurred_on": f"2026-0{number % 9 + 1}-01",
                "participant_ids": [org["ar"].pk, people[number % 3].pk],
                "contact_ids": [contact.pk],
            },
        )


@pytest.mark.parametrize("who", ["sr", "manager"])
@pytest.mark.parametrize(
    ("path", "params"),
    [
        ("/contacts", {"limit": 50}),
        ("/contacts", {"limit": 50, "no_backup": False, "role": "decision_maker"}),
        ("/interactions", {"limit": 50}),
        ("/interactions", {"limit": 50, "q": "讨论预算"}),
        ("/org-activities", {"limit": 50}),
    ],
)
def test_lists_cost_the_same_for_3_and_20_rows(org, people, who, path, params):
    account = make_account(org["ar"], name="中国移动上海公司", tier="s")
    add_to_team(account, org["sr"], "sr")
    for person in people:
        add_to_team(account, person, "other")
    _grow(org, account, people, 0, 3)
    client = api_as(org[who])
    client.get("/me")  # the first request with a fresh token records its use

    few, body = _count(client, path, params)
    assert len(body["items"]) == 3
    _grow(org, account, people, 3, 20)
    many, body = _count(client, path, params)

    assert len(body["items"]) == 20
    assert many == few
    assert many <= LIST_BUDGET, f"{path}: {many} queries"


@pytest.mark.parametrize("kind", ["contacts", "interactions", "org-activities"])
def test_details_cost_a_fixed_small_number(org, people, kind):
    account = make_account(org["ar"], name="中国移动上海公司", tier="s")
    add_to_team(account, org["sr"], "sr")
    for person in people:
        add_to_team(account, person, "other")
    _grow(org, account, people, 0, 1)
    client = api_as(org["sr"])
    client.get("/me")
    first = client.get(f"/{kind}").json()["items"][0]["id"]

    small, _body = _count(client, f"/{kind}/{first}")
    _grow(org, account, people, 1, 10)
    if kind == "contacts":
        from irontriangle.relationships.models import Contact

        contact = Contact.objects.get(pk=first)
        for person in people:
            add_owner(contact, person)
    large, _body = _count(client, f"/{kind}/{first}")

    assert large == small
    assert large <= DETAIL_BUDGET[kind], f"/{kind}/{{id}}: {large} queries"


def test_power_map_nine_grid_and_risks_do_not_grow_with_contacts(org, people):
    account = make_account(org["ar"], name="中国移动上海公司", tier="s")
    for person in people:
        add_to_team(account, person, "other")
    _grow(org, account, people, 0, 3)
    client = api_as(org["ar"])
    client.get("/me")
    paths = [f"/accounts/{account.pk}/{view}" for view in ("power-map", "nine-grid", "risks")] + ["/risks"]
    for path in paths:
        client.get(path)  # the first reads install the default configuration (nine-grid actions, cadences)
    few = {path: _count(client, path)[0] for path in paths}

    _grow(org, account, people, 3, 20)
    many = {path: _count(client, path)[0] for path in paths}

    assert many == few
