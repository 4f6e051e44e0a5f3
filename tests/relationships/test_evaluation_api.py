"""The yearly relationship evaluation of an account: the nine key actions of seed 001."""

from __future__ import annotations

from tests.conftest import api_as
from tests.factories import add_owner, grant_permission, log_interaction, make_contact

KEYS = [
    "strategy_set",
    "plan_made",
    "information_maintained",
    "key_relationships_owned",
    "strategic_agreement",
    "satisfaction_survey",
    "contact_activities_standardised",
    "voice_of_customer_closed",
    "executive_minutes_timely",
]


def test_get_and_put_with_versions(org, team_account):
    client = api_as(org["ar"])
    url = f"/accounts/{team_account.pk}/evaluation"

    empty = client.get(url, {"year": 2026}).json()
    assert [item["key"] for item in empty["items"]] == KEYS
    assert (empty["score"], empty["checked"], empty["version"], empty["year"]) == (0, 0, None, 2026)

    saved = client.put(f"{url}?year=2026", {"strategy_set": True, "plan_made": True, "notes": "年度复盘"})
    assert saved.status_code == 200, saved.content
    body = saved.json()
    assert (body["checked"], body["score"], body["version"], body["notes"]) == (2, 22, 1, "年度复盘")

    again = client.put(f"{url}?year=2026", {"version": 1, "satisfaction_survey": True})
    assert again.status_code == 200 and again.json()["checked"] == 3 and again.json()["version"] == 2
    stale = client.put(f"{url}?year=2026", {"version": 1, "strategy_set": False})
    assert stale.status_code == 409 and stale.json()["code"] == "version_conflict"
    assert client.get(url, {"year": 2026}).json()["checked"] == 3
    assert client.get(url, {"year": 2025}).json()["checked"] == 0  # each year on its own
    assert client.get(url, {"year": 1999}).status_code == 422


def test_evidence_and_results_come_from_the_records(org, team_account):
    contact = make_contact(team_account, name="王总", is_key=True, stance="supporter", intimacy="high")
    add_owner(contact, org["ar"], primary=True)
    add_owner(contact, org["sr"])
    log_interaction(team_account, contact_ids=[contact.pk])

    from django.utils import timezone

    body = api_as(org["ar"]).get(f"/accounts/{team_account.pk}/evaluation").json()

    assert body["year"] == timezone.localdate().year
    evidence = {item["key"]: item["evidence"] for item in body["items"]}
    assert "1" in evidence["key_relationships_owned"]
    assert body["results"]["key_contacts_owned"] == 1 and body["results"]["interactions"] == 1
    assert body["results"]["relationship_strength"] == 100


def test_who_may_evaluate(org, team_account):
    url = f"/accounts/{team_account.pk}/evaluation"
    assert api_as(org["manager"]).put(url, {"strategy_set": True}).status_code == 200
    assert api_as(org["outsider"]).get(url).status_code == 404
    assert api_as(org["outsider"]).put(url, {"strategy_set": False}).status_code == 404
    reader = api_as(grant_permission(org["finance_user"], "read_all_records"))
    assert reader.get(url).json()["checked"] == 1
    assert reader.put(url, {"version": 1, "strategy_set": False}).status_code == 403
