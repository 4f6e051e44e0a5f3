"""Two people saving the same version at the same moment: one wins, the other gets 409 (SPEC §1)."""

from __future__ import annotations

import pytest
from django.db import connection

from irontriangle.accounts.models import Account
from tests.conftest import api_as, race
from tests.factories import add_to_team, make_account


@pytest.mark.django_db(transaction=True)
def test_simultaneous_saves_of_one_version_never_both_win(org):
    if connection.vendor == "sqlite" and connection.settings_dict["NAME"].startswith(("file:memorydb", ":memory:")):
        pytest.skip("an in-memory SQLite test database cannot be shared between threads")
    account = make_account(org["ar"], name="并发客户")
    add_to_team(account, org["sr"], "sr")
    clients = {"ar": api_as(org["ar"]), "sr": api_as(org["sr"])}
    answers = race(
        {
            who: (lambda who=who: clients[who].patch(f"/accounts/{account.pk}", {"version": 1, "region": who}))
            for who in clients
        }
    )
    statuses = {who: response.status_code for who, response in answers.items()}

    assert sorted(statuses.values()) == [200, 409], statuses
    winner = next(who for who, status in statuses.items() if status == 200)
    saved = Account.objects.get(pk=account.pk)
    assert (saved.region, saved.version) == (winner, 2)
