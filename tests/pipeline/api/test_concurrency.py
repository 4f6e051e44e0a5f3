"""Racing writes on one opportunity (SPEC §1): two saves of the same version, and a stage advance against
an edit. One wins, the other gets 409, and whatever was answered 200 is what the database holds."""

from __future__ import annotations

import pytest
from django.db import connection

from irontriangle.pipeline.models import Opportunity
from tests.conftest import api_as, race
from tests.factories import pass_verify_gate

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def _shared_database() -> None:
    if connection.vendor == "sqlite" and connection.settings_dict["NAME"].startswith(("file:memorydb", ":memory:")):
        pytest.fail("the concurrency tests need a file or server database (see irontriangle/test_settings.py)")


def test_two_saves_of_the_same_version_one_wins_one_409(org, deal):
    clients = {"ar": api_as(org["ar"]), "sr": api_as(org["sr"])}
    version = deal.version
    names = {"ar": "AR 改的名字", "sr": "SR 改的名字"}

    answers = race(
        {
            who: (
                lambda who=who: clients[who].patch(
                    f"/opportunities/{deal.pk}", {"version": version, "name": names[who], "probability": 40}
                )
            )
            for who in clients
        }
    )

    statuses = {who: answer.status_code for who, answer in answers.items()}
    assert sorted(statuses.values()) == [200, 409], {w: (a.status_code, a.content[:200]) for w, a in answers.items()}
    winner = next(who for who, status in statuses.items() if status == 200)
    loser = next(who for who, status in statuses.items() if status == 409)
    assert answers[loser].json()["code"] == "version_conflict"
    saved = Opportunity.objects.get(pk=deal.pk)
    assert (saved.name, saved.version) == (names[winner], version + 1)
    assert answers[winner].json()["version"] == saved.version
    # The loser is told the state that won, so nothing is silently dropped.
    assert answers[loser].json()["current"]["name"] == names[winner]


def test_an_advance_racing_an_edit_loses_nothing(org, deal):
    deal = pass_verify_gate(deal)
    before = Opportunity.objects.select_related("stage").get(pk=deal.pk)
    ar, sr = api_as(org["ar"]), api_as(org["sr"])

    answers = race(
        {
            "edit": lambda: sr.patch(f"/opportunities/{deal.pk}", {"version": before.version, "name": "改名后的商机"}),
            "advance": lambda: ar.post(f"/opportunities/{deal.pk}/advance", {}),
        }
    )

    edit, advance = answers["edit"], answers["advance"]
    assert advance.status_code == 200, advance.content[:300]
    assert edit.status_code in (200, 409), edit.content[:300]
    saved = Opportunity.objects.select_related("stage").get(pk=deal.pk)
    assert saved.stage.code == "guide" and saved.stage_id != before.stage_id
    assert advance.json()["stage"] == "guide"
    if edit.status_code == 200:
        # The edit went first or last; either way both changes are in the record.
        assert saved.name == "改名后的商机"
        assert saved.version == before.version + 2
    else:
        assert edit.json()["code"] == "version_conflict"
        assert saved.name == before.name
        assert saved.version == advance.json()["version"]
    history = sr.get(f"/opportunities/{deal.pk}/history").json()
    fields = {change["field"] for entry in history for change in entry["changes"]}
    assert "stage" in fields or any("stage" in str(entry) for entry in history)


def test_two_advances_of_the_same_version_move_the_deal_once(org, deal):
    deal = pass_verify_gate(deal)
    before = Opportunity.objects.get(pk=deal.pk)
    ar, sr = api_as(org["ar"]), api_as(org["sr"])

    answers = race(
        {
            who: (lambda client=client: client.post(f"/opportunities/{deal.pk}/advance", {"version": before.version}))
            for who, client in (("ar", ar), ("sr", sr))
        }
    )

    statuses = sorted(answer.status_code for answer in answers.values())
    assert statuses[0] == 200 and statuses[1] in (403, 409, 422), statuses
    saved = Opportunity.objects.select_related("stage").get(pk=deal.pk)
    assert saved.stage.code == "guide" and saved.version == before.version + 1
