"""Calling for fire from the deal page, the request's page and its answers, through the Django test client:
the team raises, the pool's managers assign or decline, the people involved close; everyone else meets 404."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from irontriangle.resources.models import RequestStatus, ResourceRequest
from tests.resources.conftest import raise_request
from tests.resources.web.conftest import browser_as, html


def _card(deal) -> str:
    return f"/resources/for-opportunity/{deal.pk}/"


def _form(**extra):
    return {
        "cff-kind": "poc",
        "cff-skills": "CRM, POC",
        "cff-hours": "24",
        "cff-needed_by": (timezone.localdate() + timedelta(days=20)).isoformat(),
        "cff-success_criteria": "客户签字确认POC结果",
        "cff-notes": "",
        **extra,
    }


def test_the_deal_page_loads_the_card_lazily_and_the_card_lists_the_requests(org, centre, tier1_deal):
    raise_request(tier1_deal, org["ar"])
    client = browser_as(org["ar"])
    page = html(client.get(f"/opportunities/{tier1_deal.pk}/"))
    assert f'hx-get="{_card(tier1_deal)}"' in page
    card = client.get(_card(tier1_deal))
    assert card.status_code == 200
    body = html(card)
    assert 'data-testid="deal-request"' in body and "Solution design" in body
    assert 'data-testid="call-for-fire-form"' in body  # the AR may raise more
    assert 'data-status="requested"' in body


def test_the_ar_raises_a_request_from_the_deal(org, centre, tier1_deal):
    client = browser_as(org["ar"])
    response = client.post(f"{_card(tier1_deal)}new/", _form())
    assert response.status_code == 302
    assert response["Location"] == f"/opportunities/{tier1_deal.pk}/#call-for-fire"
    created = ResourceRequest.objects.get(opportunity=tier1_deal)
    assert created.kind == "poc" and created.skills == ["CRM", "POC"] and created.hours == 24
    assert created.pool_unit == centre["unit"] and created.routed_tier == "tier1"
    assert "解决方案中心" in html(client.get(f"/opportunities/{tier1_deal.pk}/"))  # the success message


def test_a_bad_request_form_comes_back_with_its_errors(org, centre, tier1_deal):
    client = browser_as(org["ar"])
    past = (timezone.localdate() - timedelta(days=1)).isoformat()
    response = client.post(f"{_card(tier1_deal)}new/", _form(**{"cff-needed_by": past}))
    assert response.status_code == 422
    assert 'data-field-error="needed_by"' in html(response)
    assert not ResourceRequest.objects.exists()


def test_a_colleague_off_the_deal_meets_404(org, centre, tier1_deal):
    # The manager above sees the deal and may edit it; the finance colleague sees nothing.
    client = browser_as(org["finance_user"])
    assert client.get(_card(tier1_deal)).status_code == 404
    assert client.post(f"{_card(tier1_deal)}new/", _form()).status_code == 404
    assert not ResourceRequest.objects.exists()


def test_outsider_and_partner_login_meet_404(org, centre, tier1_deal, partners):
    item = raise_request(tier1_deal, org["ar"])
    for user in (org["outsider"], partners["login"]):
        client = browser_as(user)
        for path in (_card(tier1_deal), f"/resources/requests/{item.pk}/"):
            assert client.get(path).status_code == 404, (user, path)
        assert client.post(f"/resources/requests/{item.pk}/assign/", {"resource_id": 1}).status_code == 404
    # The queue is a list: empty for the outsider, closed to the partner's login.
    assert browser_as(org["outsider"]).get("/resources/queue/").context["rows"] == []
    assert browser_as(partners["login"]).get("/resources/queue/").status_code == 404


def test_the_request_page_explains_priority_and_routing_to_the_requester(org, centre, tier1_deal):
    item = raise_request(tier1_deal, org["ar"])
    response = browser_as(org["ar"]).get(f"/resources/requests/{item.pk}/")
    assert response.status_code == 200
    body = html(response)
    assert "Deal value" in body and "Account tier" in body and "Stage" in body
    assert 'data-testid="routed-tier"' in body and "解决方案中心" in body
    assert 'data-kind="raised"' in body
    # The requester does not answer: no matches, no assign button, no decline.
    assert 'data-testid="assign"' not in body and 'data-testid="decline-form"' not in body


def test_the_pool_manager_sees_matches_and_assigns(org, centre, tier1_deal):
    item = raise_request(tier1_deal, org["ar"])
    client = browser_as(centre["head"])
    body = html(client.get(f"/resources/requests/{item.pk}/"))
    order = [body.index(f'data-resource="{centre[key].pk}"') for key in ("match_res", "far_res", "junior_res")]
    assert order == sorted(order)
    response = client.post(f"/resources/requests/{item.pk}/assign/", {"resource_id": centre["match_res"].pk})
    assert response.status_code == 302 and response["Location"] == f"/resources/requests/{item.pk}/"
    item.refresh_from_db()
    assert item.status == RequestStatus.ASSIGNED and item.assignment.resource == centre["match_res"]
    page = html(client.get(f"/resources/requests/{item.pk}/"))
    assert 'data-kind="assigned"' in page and 'data-testid="assignee"' in page


def test_the_requester_cannot_assign(org, centre, tier1_deal):
    item = raise_request(tier1_deal, org["ar"])
    response = browser_as(org["ar"]).post(
        f"/resources/requests/{item.pk}/assign/", {"resource_id": centre["match_res"].pk}
    )
    assert response.status_code == 403
    item.refresh_from_db()
    assert item.status == RequestStatus.REQUESTED


def test_a_decline_needs_a_reason_then_is_told(org, centre, tier1_deal):
    item = raise_request(tier1_deal, org["ar"])
    client = browser_as(centre["head"])
    empty = client.post(f"/resources/requests/{item.pk}/decline/", {"decline-reason": ""})
    assert empty.status_code == 422 and 'data-field-error="reason"' in html(empty)
    done = client.post(f"/resources/requests/{item.pk}/decline/", {"decline-reason": "本周满负荷"})
    assert done.status_code == 302
    item.refresh_from_db()
    assert item.status == RequestStatus.DECLINED and item.decline_reason == "本周满负荷"
    # The requester reads why.
    assert "本周满负荷" in html(browser_as(org["ar"]).get(f"/resources/requests/{item.pk}/"))


def test_the_engineer_closes_the_request_with_its_outcome(org, centre, tier1_deal):
    item = raise_request(tier1_deal, org["ar"])
    browser_as(centre["head"]).post(f"/resources/requests/{item.pk}/assign/", {"resource_id": centre["match_res"].pk})
    engineer = browser_as(centre["match"])
    page = html(engineer.get(f"/resources/requests/{item.pk}/"))
    assert 'data-testid="done-form"' in page
    response = engineer.post(f"/resources/requests/{item.pk}/done/", {"done-outcome": "方案通过评审"})
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.status == RequestStatus.DONE and item.outcome == "方案通过评审"
    # Twice is a conflict, told on the page.
    again = engineer.post(f"/resources/requests/{item.pk}/done/", {"done-outcome": ""})
    assert again.status_code in (404, 409)


def test_the_page_speaks_chinese(org, centre, tier1_deal):
    item = raise_request(tier1_deal, org["ar"])
    body = html(browser_as(centre["head"], "zh-hans").get(f"/resources/requests/{item.pk}/"))
    assert "呼唤炮火" in body and "分配" in body


def test_the_manager_above_the_team_reads_the_card_and_the_request(org, centre, tier1_deal):
    item = raise_request(tier1_deal, org["ar"])
    client = browser_as(org["manager"])
    assert f'href="/resources/requests/{item.pk}/"' in html(client.get(_card(tier1_deal)))
    page = client.get(f"/resources/requests/{item.pk}/")
    assert page.status_code == 200
    # Managing the sales team does not make one a manager of the solution centre's pool.
    assert 'data-testid="assign"' not in html(page)
    refused = client.post(f"/resources/requests/{item.pk}/assign/", {"resource_id": centre["match_res"].pk})
    assert refused.status_code == 403 and 'data-testid="action-error"' in html(refused)
