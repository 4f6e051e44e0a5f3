"""The pool manager's queue: the open requests they answer, most important first, each with its best three
matches, answered in place (htmx) or by a plain form; its cost does not grow with its rows."""

from __future__ import annotations

from irontriangle.resources.models import RequestStatus
from tests.factories import make_opportunity
from tests.pipeline.api.conftest import add_member
from tests.resources.conftest import raise_request
from tests.resources.web.conftest import browser_as, html

URL = "/resources/queue/"


def test_the_head_sees_the_queue_with_three_matches_each(org, centre, tier1_deal, team_account):
    small = make_opportunity(team_account, name="小项目", amount="300000.00", project_type="company_led")
    add_member(small, org["sr"], "sr")
    low = raise_request(small, org["ar"])
    high = raise_request(tier1_deal, org["ar"])
    response = browser_as(centre["head"]).get(URL)
    assert response.status_code == 200
    rows = response.context["rows"]
    assert [row["item"].pk for row in rows] == [high.pk, low.pk]
    assert [c.resource.pk for c in rows[0]["matches"]] == [
        centre["match_res"].pk,
        centre["far_res"].pk,
        centre["junior_res"].pk,
    ]
    assert html(response).count('data-testid="assign"') == 6


def test_the_manager_above_sees_it_the_requester_and_outsider_see_nothing(org, centre, tier1_deal):
    item = raise_request(tier1_deal, org["ar"])
    assert [row["item"].pk for row in browser_as(centre["gm"]).get(URL).context["rows"]] == [item.pk]
    for user in (org["ar"], org["outsider"], centre["match"]):
        response = browser_as(user).get(URL)
        assert response.status_code == 200 and response.context["rows"] == []
        assert 'data-testid="queue-empty"' in html(response)


def test_assigning_from_the_queue_answers_the_row_in_place(org, centre, tier1_deal):
    item = raise_request(tier1_deal, org["ar"])
    client = browser_as(centre["head"])
    response = client.post(
        f"/resources/requests/{item.pk}/assign/", {"resource_id": centre["far_res"].pk}, headers={"HX-Request": "true"}
    )
    assert response.status_code == 200
    body = html(response)
    assert f'id="queue-row-{item.pk}"' in body and 'data-answered="1"' in body and "SE_FAR" in body
    item.refresh_from_db()
    assert item.status == RequestStatus.ASSIGNED
    assert client.get(URL).context["rows"] == []
    # Too late for a second answer: the row says so.
    again = client.post(
        f"/resources/requests/{item.pk}/assign/",
        {"resource_id": centre["match_res"].pk},
        headers={"HX-Request": "true"},
    )
    assert again.status_code == 409 and 'data-answered="0"' in html(again)


def test_declining_from_the_queue(org, centre, tier1_deal):
    item = raise_request(tier1_deal, org["ar"])
    client = browser_as(centre["head"])
    empty = client.post(
        f"/resources/requests/{item.pk}/decline/", {"decline-reason": ""}, headers={"HX-Request": "true"}
    )
    assert empty.status_code == 422
    response = client.post(
        f"/resources/requests/{item.pk}/decline/", {"decline-reason": "资源已满"}, headers={"HX-Request": "true"}
    )
    assert response.status_code == 200 and 'data-answered="1"' in html(response)
    item.refresh_from_db()
    assert item.status == RequestStatus.DECLINED


def test_the_queue_costs_the_same_for_2_and_8_requests(
    org, centre, tier1_deal, team_account, django_assert_max_num_queries
):
    client = browser_as(centre["head"])
    for _ in range(2):
        raise_request(tier1_deal, org["ar"])
    client.get(URL)  # the session and the viewer warm up
    with django_assert_max_num_queries(12):
        assert len(client.get(URL).context["rows"]) == 2
    for _ in range(6):
        raise_request(tier1_deal, org["ar"], kind="poc")
    with django_assert_max_num_queries(12):
        assert len(client.get(URL).context["rows"]) == 8
