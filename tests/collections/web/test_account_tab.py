"""The account 360 page's contracts tab: the account's contracts, what came in, what is late."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from irontriangle.collections.models import PaymentMilestone
from tests.collections.conftest import record
from tests.factories import make_contract, make_opportunity


@pytest.fixture
def signed(org, deal, team_account):
    today = timezone.localdate()
    first = make_contract(
        deal,
        number="HT-TAB-1",
        signed_on=today - timedelta(days=60),
        milestones=[
            {"kind": "down_payment", "percent": Decimal("30"), "due_on": today - timedelta(days=40)},
            {"kind": "on_acceptance", "percent": Decimal("70"), "due_on": today + timedelta(days=40)},
        ],
    )
    record(PaymentMilestone.objects.get(contract=first, position=1), "100000", today - timedelta(days=5), by=org["ar"])
    other = make_opportunity(team_account, name="二期", amount="200000.00")
    make_contract(other, number="HT-TAB-2", milestones="100-signing")
    return first


@pytest.mark.parametrize(("who", "status"), [("ar", 200), ("manager", 200), ("outsider", 404)])
def test_the_tab_shows_the_accounts_contracts_and_money(client, org, signed, who, status):
    client.force_login(org[who])
    detail = client.get(f"/accounts/{signed.account_id}/")
    assert detail.status_code == status
    if status != 200:
        assert client.get(f"/contracts/for-account/{signed.account_id}/").status_code == 404
        return
    assert 'data-testid="contracts-tab-button"' in detail.content.decode()
    html = client.get(f"/contracts/for-account/{signed.account_id}/").content.decode()
    assert html.count('data-testid="account-contract-row"') == 2
    assert "HT-TAB-1" in html and "HT-TAB-2" in html
    # 1,000,000 + 200,000 contracted; 100,000 received; the down payment's 200,000 left is overdue.
    assert 'data-testid="account-contracted">1,200,000<' in html
    assert 'data-testid="account-received">100,000<' in html
    assert 'data-testid="account-outstanding">1,100,000<' in html
    assert 'data-testid="account-overdue">200,000<' in html
    assert f"/battle-map/?account={signed.account_id}" in html


def test_the_tab_costs_a_fixed_number_of_queries(client, org, signed, django_assert_max_num_queries):
    client.force_login(org["manager"])
    with django_assert_max_num_queries(12):
        assert client.get(f"/contracts/for-account/{signed.account_id}/").status_code == 200
