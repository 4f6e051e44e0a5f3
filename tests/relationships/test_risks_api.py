"""The relationship risk radar: `/accounts/{id}/risks` and `/risks`."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from irontriangle.relationships.models import Interaction, RelationshipSettings
from tests.conftest import api_as
from tests.factories import add_owner, grant_permission, log_interaction, make_account, make_contact


def _kinds(risks, contact) -> set[str]:
    return {risk["kind"] for risk in risks if risk["subject_type"] == "contact" and risk["subject_id"] == contact.pk}


@pytest.fixture
def owned(org, team_account):
    """A key decision maker with a primary owner and a backup, met last week: no risk of their own."""
    contact = make_contact(
        team_account, name="王总", is_key=True, buying_roles=["decision_maker", "economic_buyer"], stance="supporter"
    )
    add_owner(contact, org["ar"], primary=True)
    add_owner(contact, org["sr"])
    log_interaction(team_account, contact_ids=[contact.pk], occurred_at=timezone.now() - timedelta(days=7))
    return contact


def test_a_well_kept_key_contact_carries_no_risk(org, team_account, owned):
    risks = api_as(org["ar"]).get(f"/accounts/{team_account.pk}/risks").json()
    assert _kinds(risks, owned) == set()


def test_a_key_contact_without_a_backup_owner(org, team_account, owned):
    lonely = make_contact(team_account, name="陈主任", is_key=True)
    add_owner(lonely, org["ar"], primary=True)
    log_interaction(team_account, contact_ids=[lonely.pk])
    nobody = make_contact(team_account, name="刘处长", is_key=True)
    log_interaction(team_account, contact_ids=[nobody.pk])

    risks = api_as(org["ar"]).get(f"/accounts/{team_account.pk}/risks").json()

    assert _kinds(risks, lonely) == {"no_backup"}
    assert _kinds(risks, nobody) == {"no_owner"}
    item = next(risk for risk in risks if risk["kind"] == "no_backup")
    assert item["account_id"] == team_account.pk and "陈主任" in item["message"] and item["action"].strip()


def test_a_key_contact_not_met_for_too_long(org, team_account, owned):
    client = api_as(org["ar"])
    assert "not_met" not in _kinds(client.get(f"/accounts/{team_account.pk}/risks").json(), owned)

    Interaction.objects.filter(contacts=owned).update(occurred_at=timezone.now() - timedelta(days=61))
    risks = client.get(f"/accounts/{team_account.pk}/risks").json()
    assert _kinds(risks, owned) == {"not_met"}
    assert "61" in next(risk["message"] for risk in risks if risk["kind"] == "not_met")

    RelationshipSettings.objects.update_or_create(pk=1, defaults={"key_contact_stale_days": 90})
    assert _kinds(client.get(f"/accounts/{team_account.pk}/risks").json(), owned) == set()

    # A deleted visit is no meeting.
    RelationshipSettings.objects.filter(pk=1).update(key_contact_stale_days=60)
    recent = log_interaction(team_account, contact_ids=[owned.pk])
    assert _kinds(client.get(f"/accounts/{team_account.pk}/risks").json(), owned) == set()
    client.delete(f"/interactions/{recent.pk}")
    assert _kinds(client.get(f"/accounts/{team_account.pk}/risks").json(), owned) == {"not_met"}


def test_a_key_contact_who_left_or_moved(org, team_account, owned):
    client = api_as(org["ar"])
    mover = make_contact(team_account, name="赵主任", is_key=True)
    client.patch(f"/contacts/{owned.pk}", {"version": 1, "status": "left"})
    client.patch(f"/contacts/{mover.pk}", {"version": 1, "status": "moved"})

    risks = client.get(f"/accounts/{team_account.pk}/risks").json()

    assert _kinds(risks, owned) == {"contact_left"}
    assert _kinds(risks, mover) == {"contact_moved"}
    left = next(risk for risk in risks if risk["kind"] == "contact_left")
    assert left["severity"] == "high" and left["action"].strip()
    # The decision maker left: nobody on the power map decides any more.
    assert any(risk["kind"] == "role_uncovered" and risk["subject_type"] == "account" for risk in risks)


def test_an_opponent_decision_maker(org, team_account, owned):
    opponent = make_contact(team_account, name="孙总", buying_roles=["decision_maker"], stance="opponent")

    risks = api_as(org["ar"]).get(f"/accounts/{team_account.pk}/risks").json()

    assert _kinds(risks, opponent) == {"opponent_decision_maker"}
    item = next(risk for risk in risks if risk["kind"] == "opponent_decision_maker")
    assert item["severity"] == "high" and "孙总" in item["message"] and item["action"].strip()


def test_every_risk_names_its_record_and_an_action(org, team_account, owned):
    make_contact(team_account, name="甲", is_key=True)
    make_contact(team_account, name="乙", buying_roles=["decision_maker"], stance="opponent")

    for language in ("en", "zh-Hans"):
        risks = api_as(org["ar"], language=language).get(f"/accounts/{team_account.pk}/risks").json()
        assert risks
        for risk in risks:
            assert set(risk) >= {"kind", "subject_type", "subject_id", "message", "action"}
            assert risk["message"].strip() and risk["action"].strip()
            assert risk["subject_type"] in ("contact", "account", "opportunity")


def test_my_risks_cover_only_the_accounts_i_act_on(org, team_account, owned):
    mine = make_contact(team_account, name="陈主任", is_key=True)
    north = make_account(org["outsider"], name="华北客户")
    theirs = make_contact(north, name="北方联系人", is_key=True)

    def subjects(user) -> set[int]:
        response = api_as(user).get("/risks")
        assert response.status_code == 200
        return {risk["subject_id"] for risk in response.json() if risk["subject_type"] == "contact"}

    assert mine.pk in subjects(org["ar"]) and theirs.pk not in subjects(org["ar"])
    assert mine.pk in subjects(org["sr"]) and theirs.pk not in subjects(org["sr"])
    assert mine.pk in subjects(org["manager"]) and theirs.pk not in subjects(org["manager"])
    assert theirs.pk in subjects(org["outsider"]) and mine.pk not in subjects(org["outsider"])
    # Reading everything is not acting on it.
    assert subjects(grant_permission(org["finance_user"], "read_all_records")) == set()
    only = api_as(org["ar"]).get("/risks", {"kind": "no_owner"}).json()
    assert only and {risk["kind"] for risk in only} == {"no_owner"}


def test_risks_of_an_invisible_account_are_404(org, team_account):
    assert api_as(org["outsider"]).get(f"/accounts/{team_account.pk}/risks").status_code == 404
