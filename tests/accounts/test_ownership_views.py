"""Ownership on the web: the transfer request from the account page, the request pages, the decision."""

from __future__ import annotations

import pytest

from irontriangle.accounts.models import Account, OwnershipRequest
from irontriangle.notifications.models import Notification
from tests.factories import make_user

HX = {"HX-Request": "true"}


@pytest.fixture
def middle_office(org):
    return make_user("mo", units=[org["units"]["ops"]], display_name="吴静")


def request_transfer(client, account, unit="ka-north", reason="客户总部迁往北京"):
    return client.post(f"/accounts/{account.pk}/ownership/transfer/", {"unit_code": unit, "reason": reason}, headers=HX)


def test_an_editor_opens_the_form_and_sends_a_transfer_request(client, org, team_account):
    client.force_login(org["sr"])

    form = client.get(f"/accounts/{team_account.pk}/ownership/transfer/", headers=HX).content.decode()
    sent = request_transfer(client, team_account)

    assert 'data-testid="transfer-form"' in form and 'value="ka-north"' in form
    assert 'value="ka-sh"' not in form and 'value="finance"' not in form  # not the owner, not a non-selling unit
    assert sent.status_code == 200 and "sent to the middle office" in sent.content.decode()
    request = OwnershipRequest.objects.get(account=team_account)
    assert (request.kind, request.status, request.to_unit.code, request.requested_by_id) == (
        "transfer",
        "pending",
        "ka-north",
        org["sr"].pk,
    )
    assert "客户总部迁往北京" in sent.content.decode()


def test_a_transfer_request_needs_a_reason_and_one_pending_per_unit(client, org, team_account):
    client.force_login(org["ar"])
    missing = request_transfer(client, team_account, reason="")
    request_transfer(client, team_account)
    again = request_transfer(client, team_account)

    assert 'data-field-error="reason"' in missing.content.decode()
    assert "already waiting for a decision" in again.content.decode()
    assert OwnershipRequest.objects.filter(account=team_account).count() == 1


def test_who_sees_the_request_pages(client, org, team_account, middle_office):
    client.force_login(org["sr"])
    request_transfer(client, team_account)
    request = OwnershipRequest.objects.get(account=team_account)
    for user, expected in [
        (org["sr"], 200),  # the requester
        (org["ar"], 200),  # the owner
        (org["manager"], 200),  # manages the owner unit
        (org["north_manager"], 200),  # manages the unit it would go to
        (middle_office, 200),
        (org["finance_user"], 404),
        (org["outsider"], 404),
    ]:
        client.force_login(user)
        assert client.get(f"/ownership-requests/{request.pk}/").status_code == expected, user.username
        listed = client.get("/ownership-requests/").content.decode()
        assert (team_account.name in listed) == (expected == 200), user.username


def test_the_list_puts_pending_first_and_filters_by_status(client, org, team_account, middle_office):
    client.force_login(org["ar"])
    request_transfer(client, team_account, unit="ka-north")
    request_transfer(client, team_account, unit="smb")
    rejected = OwnershipRequest.objects.get(to_unit__code="smb")
    client.force_login(middle_office)
    client.post(f"/ownership-requests/{rejected.pk}/decide/", {"decision": "reject", "reason": "不符合规则"})

    page = client.get("/ownership-requests/")
    body = page.content.decode()

    assert [r.to_unit.code for r in page.context["pending"].items] == ["ka-north"]
    assert [r.to_unit.code for r in page.context["page"].items] == ["smb"]
    assert body.index('data-testid="ownership-pending"') < body.index('data-testid="ownership-decided"')
    only = client.get("/ownership-requests/", {"status": "rejected"}).context["page"].items
    assert [r.pk for r in only] == [rejected.pk]
    # The middle office's navigation counts what waits for it.
    assert 'data-testid="ownership-pending-count">1<' in body


def test_only_the_middle_office_decides(client, org, team_account):
    client.force_login(org["sr"])
    request_transfer(client, team_account)
    request = OwnershipRequest.objects.get(account=team_account)

    for user in (org["ar"], org["manager"]):
        client.force_login(user)
        page = client.get(f"/ownership-requests/{request.pk}/").content.decode()
        assert 'data-testid="decision-form"' not in page
        refused = client.post(f"/ownership-requests/{request.pk}/decide/", {"decision": "approve", "reason": "我批"})
        assert refused.status_code == 403
    assert OwnershipRequest.objects.get(pk=request.pk).status == "pending"


def test_the_middle_office_approves_and_the_account_moves(client, org, team_account, middle_office):
    client.force_login(org["sr"])
    request_transfer(client, team_account)
    request = OwnershipRequest.objects.get(account=team_account)
    client.force_login(middle_office)
    assert 'data-testid="decision-form"' in client.get(f"/ownership-requests/{request.pk}/").content.decode()

    without_reason = client.post(f"/ownership-requests/{request.pk}/decide/", {"decision": "approve", "reason": ""})
    response = client.post(
        f"/ownership-requests/{request.pk}/decide/", {"decision": "approve", "reason": "总部已迁"}, follow=True
    )

    assert without_reason.status_code == 422
    assert response.status_code == 200
    body = response.content.decode()
    assert "Approved" in body and "总部已迁" in body and 'data-testid="decision-form"' not in body
    account = Account.objects.get(pk=team_account.pk)
    assert account.owner_unit.code == "ka-north"
    # The requester and the previous owner are told, with a link to the request.
    for user in (org["sr"], org["ar"]):
        note = Notification.objects.get(recipient=user, event__kind="ownership.decided")
        assert note.link == f"/ownership-requests/{request.pk}/"
    # The account's history and ownership card show the move (the north manager now sees the account).
    client.force_login(org["north_manager"])
    page = client.get(f"/accounts/{account.pk}/")
    history = page.context["history"]
    assert any(c.field == "owner_unit" and c.new == "华北大客户部" for entry in history for c in entry.changes)
    assert 'data-testid="ownership-status">Approved' in page.content.decode()
    # Deciding twice is refused with a message, not an error page.
    client.force_login(middle_office)
    again = client.post(f"/ownership-requests/{request.pk}/decide/", {"decision": "reject", "reason": "x"}, follow=True)
    assert "already been decided" in again.content.decode()


def test_the_requester_withdraws_a_pending_request(client, org, team_account, middle_office):
    client.force_login(org["sr"])
    request_transfer(client, team_account)
    request = OwnershipRequest.objects.get(account=team_account)

    client.force_login(org["ar"])
    assert 'data-testid="withdraw-form"' not in client.get(f"/ownership-requests/{request.pk}/").content.decode()
    assert client.post(f"/ownership-requests/{request.pk}/withdraw/").status_code == 403
    client.force_login(org["sr"])
    response = client.post(f"/ownership-requests/{request.pk}/withdraw/", follow=True)

    assert OwnershipRequest.objects.get(pk=request.pk).status == "withdrawn"
    assert "withdrawn" in response.content.decode()
    client.force_login(middle_office)
    assert 'data-testid="decision-form"' not in client.get(f"/ownership-requests/{request.pk}/").content.decode()
