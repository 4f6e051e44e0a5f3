"""Two people saving the same version at the same moment: one wins, the other gets 409 (SPEC §1)."""

from __future__ import annotations

import threading

import pytest
from django.db import connection

from irontriangle.accounts.models import Account
from tests.conftest import api_as
from tests.factories import add_to_team, make_account


@pytest.mark.django_db(transaction=True)
def test_simultaneous_saves_of_one_version_never_both_win(org):
    if connection.vendor == "sqlite" and connection.settings_dict["NAME"].startswith(("file:memorydb", ":memory:")):
        pytest.skip("an in-memory SQLite test database cannot be shared between threads")
    account = make_account(org["ar"], name="并发客户")
    add_to_team(account, org["sr"], "sr")
    clients = {"ar": api_as(org["ar"]), "sr": api_as(org["sr"])}
    barrier = threading.Barrier(2)
    statuses: dict[str, int] = {}

    def save(who: str) -> None:
        try:
            barrier.wait(timeout=10)
            response = clients[who].patch(f"/accounts/{account.pk}", {"version": 1, "region": who})
            statuses[who] = response.status_code
        finally:
            connection.close()

    threads = [threading.Thread(target=save, args=(who,)) for who in clients]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert sorted(statuses.values()) == [200, 409], statuses
    winner = next(who for who, status in statuses.items() if status == 200)
    saved = Account.objects.get(pk=account.pk)
    assert (saved.region, saved.version) == (winner, 2)
