"""Restricted fields (common/restricted.py): a value some people may not see never leaks through
detail, lists, sorting, filtering or history."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from irontriangle.accounts.models import Account
from irontriangle.accounts.selectors import AccountFilters, accounts_page
from irontriangle.common.access import Viewer, viewer_of
from irontriangle.common.errors import InvalidInput
from irontriangle.common.restricted import can_see, require_queryable, restrict, unrestrict
from tests.conftest import api_as
from tests.factories import add_to_team, make_account


def _finance_only(viewer: Viewer, record: Account | None) -> bool:
    return viewer.finance


@pytest.fixture
def potential_for_finance() -> Iterator[None]:
    restrict(Account, "potential", _finance_only)
    yield
    unrestrict(Account, "potential")


@pytest.fixture
def profiled(org) -> Account:
    """An account with a potential, on whose team a finance colleague sits."""
    account = make_account(org["ar"], name="国家电网江苏公司", potential="8800000.00", annual_revenue="1000.00")
    add_to_team(account, org["finance_user"], "other")
    return account


def test_hidden_in_detail_and_list_for_others_visible_for_finance(org, profiled, potential_for_finance):
    ar, finance = api_as(org["ar"]), api_as(org["finance_user"])

    assert ar.get(f"/accounts/{profiled.pk}").json()["potential"] is None
    assert [item["potential"] for item in ar.get("/accounts").json()["items"]] == [None]
    assert finance.get(f"/accounts/{profiled.pk}").json()["potential"] == "8800000.00"
    assert [item["potential"] for item in finance.get("/accounts").json()["items"]] == ["8800000.00"]
    # Only the restricted field is hidden.
    assert ar.get(f"/accounts/{profiled.pk}").json()["annual_revenue"] == "1000.00"


def test_hidden_in_the_answer_to_the_users_own_write(org, profiled, potential_for_finance):
    response = api_as(org["ar"]).patch(f"/accounts/{profiled.pk}", {"version": 1, "region": "南京"})

    assert response.status_code == 200
    assert response.json()["potential"] is None


def test_hidden_in_the_current_state_of_a_version_conflict(org, profiled, potential_for_finance):
    response = api_as(org["ar"]).patch(f"/accounts/{profiled.pk}", {"version": 7, "region": "南京"})

    assert response.status_code == 409
    assert response.json()["current"]["potential"] is None


def test_visible_to_everyone_without_a_rule(org, profiled):
    assert api_as(org["ar"]).get(f"/accounts/{profiled.pk}").json()["potential"] == "8800000.00"


def test_history_hides_the_field_from_others(org, profiled, potential_for_finance):
    finance = api_as(org["finance_user"])
    changed = finance.patch(f"/accounts/{profiled.pk}", {"version": 1, "potential": "9900000.00", "region": "南京"})
    assert changed.status_code == 200, changed.content

    def fields_changed(user) -> dict[str, tuple]:
        latest = api_as(user).get(f"/accounts/{profiled.pk}/history").json()[0]
        return {change["field"]: (change["old"], change["new"]) for change in latest["changes"]}

    assert fields_changed(org["ar"]) == {"region": ("", "南京")}
    assert fields_changed(org["finance_user"]) == {
        "region": ("", "南京"),
        "potential": ("8800000.00", "9900000.00"),
    }


def test_sorting_by_the_field_is_refused_naming_the_param(org, profiled, potential_for_finance):
    with pytest.raises(InvalidInput) as refused:
        accounts_page(viewer_of(org["ar"]), AccountFilters(sort="-potential"), cursor=None, limit=10)

    assert [error.field for error in refused.value.errors] == ["sort"]
    finance_page = accounts_page(
        viewer_of(org["finance_user"]), AccountFilters(sort="-potential"), cursor=None, limit=10
    )
    assert [account.pk for account in finance_page.items] == [profiled.pk]


def test_filtering_by_the_field_is_refused_naming_the_param(org, potential_for_finance):
    with pytest.raises(InvalidInput) as refused:
        require_queryable(viewer_of(org["ar"]), Account, ["potential"], "potential_min")

    assert [(error.field, error.code) for error in refused.value.errors] == [("potential_min", "restricted_field")]
    require_queryable(viewer_of(org["finance_user"]), Account, ["potential", "name"], "potential_min")
    require_queryable(viewer_of(org["ar"]), Account, ["name", "annual_revenue"], "sort")


def test_api_never_offers_sorting_by_the_field(org, profiled, potential_for_finance):
    for user in (org["ar"], org["finance_user"]):
        response = api_as(user).get("/accounts", {"sort": "-potential"})
        assert response.status_code == 422
        assert [error["field"] for error in response.json()["errors"]] == ["sort"]


def test_can_see_answers_per_record(org, profiled, potential_for_finance):
    assert can_see(viewer_of(org["finance_user"]), profiled, "potential") is True
    assert can_see(viewer_of(org["ar"]), profiled, "potential") is False
    assert can_see(viewer_of(org["ar"]), profiled, "name") is True


def test_a_rule_on_an_unknown_field_fails_at_once():
    from django.core.exceptions import FieldDoesNotExist

    with pytest.raises(FieldDoesNotExist):
        restrict(Account, "potentiall", _finance_only)
