"""Ownership requests (seed 004): claims and transfers, decided by the middle office with a reason."""

from __future__ import annotations

import pytest

from irontriangle.accounts.models import Account, AccountTeamMember
from irontriangle.notifications.models import Notification
from tests.conftest import api_as
from tests.factories import make_account, make_user


@pytest.fixture
def middle_office(org):
    return make_user("mo", units=[org["units"]["ops"]], display_name="吴静")


@pytest.fixture
def smb_rep(org):
    return make_user("smb_rep", units=[org["units"]["smb"]], display_name="孙丽")


@pytest.fixture
def smb_account(smb_rep):
    """The conflict of seed 004: the SMB team already owns a customer that is KA by profile."""
    return make_account(smb_rep, name="杭州钢铁", coverage="regional", region="浙江", annual_revenue="9e7")


def _claim(user, account, unit="ka-sh", reason="区域性重点客户, 应由大客户部经营"):
    return api_as(user).post("/ownership-requests", {"account_id": account.pk, "unit_code": unit, "reason": reason})


def test_a_ka_rep_claims_an_smb_account_and_the_middle_office_moves_it(org, middle_office, smb_rep, smb_account):
    ar = org["ar"]
    assert api_as(ar).get(f"/accounts/{smb_account.pk}").status_code == 404

    created = _claim(ar, smb_account)

    assert created.status_code == 201, created.content
    request = created.json()
    assert request["kind"] == "claim" and request["status"] == "pending"
    assert request["from_unit_code"] == "smb" and request["unit_code"] == "ka-sh"
    # The owner and the middle office hear of it.
    assert Notification.objects.filter(recipient=smb_rep, event__kind="ownership.requested").exists()
    assert Notification.objects.filter(recipient=middle_office, event__kind="ownership.requested").exists()

    decided = api_as(middle_office).post(
        f"/ownership-requests/{request['id']}/decide", {"approve": True, "reason": "符合区域 KA 画像"}
    )

    assert decided.status_code == 200, decided.content
    assert decided.json()["status"] == "approved" and decided.json()["decided_by_id"] == middle_office.pk
    account = Account.objects.get(pk=smb_account.pk)
    assert account.owner_unit.code == "ka-sh" and account.owner_id == ar.pk
    # The claimant now sees the account and leads it as AR; the former owner's AR role has ended.
    assert api_as(ar).get(f"/accounts/{account.pk}").status_code == 200
    team = {
        (m.user_id, m.role, m.is_primary, m.ended_on is None) for m in AccountTeamMember.objects.filter(account=account)
    }
    assert (ar.pk, "ar", True, True) in team
    assert (smb_rep.pk, "ar", False, False) in team
    # In the account's history, attributed to the middle office.
    history = api_as(ar).get(f"/accounts/{account.pk}/history").json()
    unit_change = next(entry for entry in history if any(c["field"] == "owner_unit" for c in entry["changes"]))
    assert unit_change["user_id"] == middle_office.pk
    # Requester and former owner are told.
    for person in (ar, smb_rep):
        assert Notification.objects.filter(recipient=person, event__kind="ownership.decided").exists()


def test_a_rejection_keeps_the_account_where_it_is(org, middle_office, smb_account):
    request = _claim(org["ar"], smb_account).json()

    response = api_as(middle_office).post(
        f"/ownership-requests/{request['id']}/decide", {"approve": False, "reason": "客户仍属中小企业"}
    )

    assert response.status_code == 200 and response.json()["status"] == "rejected"
    assert response.json()["decision_reason"] == "客户仍属中小企业"
    assert Account.objects.get(pk=smb_account.pk).owner_unit.code == "smb"
    assert Notification.objects.filter(recipient=org["ar"], event__kind="ownership.decided").exists()


def test_only_the_middle_office_decides(org, middle_office, smb_rep, smb_account):
    request = _claim(org["ar"], smb_account).json()
    url = f"/ownership-requests/{request['id']}/decide"
    body = {"approve": True, "reason": "自己批准"}

    assert api_as(org["ar"]).post(url, body).status_code == 403  # the requester sees it, may not decide
    assert api_as(smb_rep).post(url, body).status_code == 403  # the owner sees it, may not decide
    assert api_as(org["outsider"]).post(url, body).status_code == 404
    assert api_as(org["admin"]).post(url, body).status_code == 200  # administrators stand in


def test_decisions_need_a_reason_and_happen_once(org, middle_office, smb_account):
    request = _claim(org["ar"], smb_account).json()
    url = f"/ownership-requests/{request['id']}/decide"
    client = api_as(middle_office)

    empty = client.post(url, {"approve": True, "reason": "  "})
    assert empty.status_code == 422 and empty.json()["errors"][0]["field"] == "reason"
    assert client.post(url, {"approve": True, "reason": "同意"}).status_code == 200
    again = client.post(url, {"approve": False, "reason": "改主意"})
    assert again.status_code == 409 and again.json()["code"] == "already_decided"


def test_invalid_claims_are_refused_naming_the_field(org, smb_account):
    ar = api_as(org["ar"])

    foreign = _claim(org["ar"], smb_account, unit="ka-north")
    owner = _claim(org["ar"], smb_account, unit="smb")
    unknown = _claim(org["ar"], smb_account, unit="no-such")
    no_reason = _claim(org["ar"], smb_account, reason="")

    assert foreign.status_code == 422 and foreign.json()["errors"][0]["field"] == "unit_code"
    assert owner.status_code == 422 and owner.json()["errors"][0]["code"] == "already_owner"
    assert unknown.status_code == 422 and unknown.json()["errors"][0]["code"] == "unknown_unit"
    assert no_reason.status_code == 422 and no_reason.json()["errors"][0]["field"] == "reason"
    missing = ar.post("/ownership-requests", {"account_id": 987654, "unit_code": "ka-sh", "reason": "x"})
    assert missing.status_code == 404


def test_a_second_pending_claim_for_the_same_unit_is_a_conflict(org, smb_account):
    assert _claim(org["ar"], smb_account).status_code == 201

    again = _claim(org["sr"], smb_account)

    assert again.status_code == 409 and again.json()["code"] == "ownership_pending"


def test_the_owner_side_asks_for_a_transfer(org, middle_office):
    account = make_account(org["ar"], name="北方客户")

    response = api_as(org["ar"]).post(
        "/ownership-requests", {"account_id": account.pk, "unit_code": "ka-north", "reason": "总部迁往北京"}
    )

    assert response.status_code == 201 and response.json()["kind"] == "transfer"
    assert api_as(org["north_manager"]).get(f"/ownership-requests/{response.json()['id']}").status_code == 200


def test_who_sees_a_request(org, middle_office, smb_rep, smb_account):
    request_id = _claim(org["ar"], smb_account).json()["id"]

    def visible(user) -> bool:
        status = api_as(user).get(f"/ownership-requests/{request_id}").status_code
        assert status in (200, 404)
        listed = [item["id"] for item in api_as(user).get("/ownership-requests").json()["items"]]
        assert (status == 200) == (request_id in listed)
        return status == 200

    assert visible(org["ar"])  # requester
    assert visible(smb_rep)  # current owner
    assert visible(middle_office)
    assert visible(org["manager"])  # manages the unit that would receive it
    assert not visible(org["outsider"])
    assert not visible(org["sr"])


def test_the_requester_withdraws(org, middle_office, smb_account):
    request_id = _claim(org["ar"], smb_account).json()["id"]

    assert api_as(org["sr"]).post(f"/ownership-requests/{request_id}/withdraw").status_code == 404
    withdrawn = api_as(org["ar"]).post(f"/ownership-requests/{request_id}/withdraw")

    assert withdrawn.status_code == 200 and withdrawn.json()["status"] == "withdrawn"
    decide = api_as(middle_office).post(f"/ownership-requests/{request_id}/decide", {"approve": True, "reason": "x"})
    assert decide.status_code == 409


def test_list_filters_by_status(org, middle_office, smb_account):
    first = _claim(org["ar"], smb_account).json()["id"]
    api_as(middle_office).post(f"/ownership-requests/{first}/decide", {"approve": False, "reason": "不符合"})
    second = _claim(org["ar"], smb_account).json()["id"]
    client = api_as(middle_office)

    assert [item["id"] for item in client.get("/ownership-requests", {"status": "pending"}).json()["items"]] == [second]
    assert [item["id"] for item in client.get("/ownership-requests", {"status": "rejected"}).json()["items"]] == [first]
    assert client.get("/ownership-requests", {"status": "maybe"}).status_code == 422


def test_the_list_costs_the_same_for_few_and_many(org, middle_office, django_assert_max_num_queries):
    client = api_as(middle_office)
    for count in (2, 12):
        while Account.objects.filter(owner_unit__code="smb").count() < count:
            rep = make_user(units=[org["units"]["smb"]])
            account = make_account(rep, name=f"客户{rep.pk}")
            _claim(org["ar"], account)
        with django_assert_max_num_queries(6):
            assert len(client.get("/ownership-requests").json()["items"]) == count
