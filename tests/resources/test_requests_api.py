"""Calling for fire through the API: routing to the right tier and pool, the best match proposed, who may
answer, and the assigned person's view of the deal that ends with the work."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from irontriangle.resources.capacity import week_start
from irontriangle.resources.models import DoubleCount, RequestEvent
from tests.conftest import api_as
from tests.resources.conftest import raise_request


def _body(deal, **extra):
    return {
        "opportunity_id": deal.pk,
        "kind": "solution_design",
        "skills": ["CRM", "POC"],
        "hours": 16,
        "needed_by": (week_start(timezone.localdate()) + timedelta(days=13)).isoformat(),
        "success_criteria": "客户认可方案架构",
        **extra,
    }


def test_a_tier1_request_goes_to_the_solution_centre_and_proposes_the_matching_engineer(org, centre, tier1_deal):
    response = api_as(org["ar"]).post("/resource-requests", _body(tier1_deal))

    assert response.status_code == 201, response.content
    data = response.json()
    assert data["routed_tier"] == "tier1"
    assert data["pool_unit"] == "解决方案中心"
    assert data["status"] == "requested"
    # 1,000,000 → 20 of 40; tier S → 30 of 30; verify stage at 10% → 3 of 30.
    assert [(p["factor"], p["points"]) for p in data["priority_parts"]] == [("value", 20), ("tier", 30), ("stage", 3)]
    assert data["priority"] == 53
    proposed = [c["resource_id"] for c in data["proposed"]]
    # Both skills and the region: first; both skills, other region: second; neither skill: last.
    assert proposed == [centre["match_res"].pk, centre["far_res"].pk, centre["junior_res"].pk]
    top = data["proposed"][0]
    assert top["skills_matched"] == ["CRM", "POC"] and top["region_match"] and top["has_capacity"]
    # 16 hours over the two calendar weeks to the needed-by date (next week's Sunday).
    assert top["needed_per_week"] == "8.00"


def test_a_busy_engineer_drops_below_one_with_room(org, centre, tier1_deal):
    head = centre["head"]
    first = raise_request(tier1_deal, org["ar"], hours=70)
    api_as(head).post(f"/resource-requests/{first.pk}/assign", {"resource_id": centre["match_res"].pk})

    second = api_as(org["ar"]).post("/resource-requests", _body(tier1_deal, hours=20)).json()

    match = next(c for c in second["proposed"] if c["resource_id"] == centre["match_res"].pk)
    assert match["load_hours"] == "35.00" and match["available_hours"] == "5.00" and not match["has_capacity"]
    assert second["proposed"][0]["resource_id"] == centre["far_res"].pk


def test_only_the_pool_answers_and_a_decline_needs_a_reason(org, centre, tier1_deal):
    request = raise_request(tier1_deal, org["ar"])
    assign = {"resource_id": centre["match_res"].pk}

    assert api_as(org["ar"]).post(f"/resource-requests/{request.pk}/assign", assign).status_code == 403
    assert api_as(org["outsider"]).post(f"/resource-requests/{request.pk}/assign", assign).status_code == 404
    no_reason = api_as(centre["head"]).post(f"/resource-requests/{request.pk}/decline", {"reason": "  "})
    assert no_reason.status_code == 422 and no_reason.json()["errors"][0]["field"] == "reason"

    declined = api_as(centre["head"]).post(f"/resource-requests/{request.pk}/decline", {"reason": "本周满负荷"})
    assert declined.status_code == 200 and declined.json()["decline_reason"] == "本周满负荷"
    late = api_as(centre["head"]).post(f"/resource-requests/{request.pk}/assign", assign)
    assert late.status_code == 409 and late.json()["code"] == "invalid_status"
    kinds = list(RequestEvent.objects.filter(request=request).values_list("kind", flat=True))
    assert kinds == ["raised", "declined"]


def test_the_assigned_person_sees_the_deal_only_while_assigned(org, centre, tier1_deal):
    engineer = api_as(centre["match"])
    request = raise_request(tier1_deal, org["ar"])
    assert engineer.get(f"/opportunities/{tier1_deal.pk}").status_code == 404

    assigned = api_as(centre["head"]).post(
        f"/resource-requests/{request.pk}/assign", {"resource_id": centre["match_res"].pk}
    )
    assert assigned.status_code == 200
    assert assigned.json()["assignment"]["user_id"] == centre["match"].pk
    assert engineer.get(f"/opportunities/{tier1_deal.pk}").status_code == 200
    assert tier1_deal.pk in [o["id"] for o in engineer.get("/opportunities").json()["items"]]
    # The solution centre double-counts the deal it serves (tier-1 rule).
    assert list(DoubleCount.objects.values_list("opportunity_id", "unit_id")) == [(tier1_deal.pk, centre["unit"].pk)]

    done = engineer.post(f"/resource-requests/{request.pk}/done", {"outcome": "方案已交付"})
    assert done.status_code == 200 and done.json()["status"] == "done"
    assert engineer.get(f"/opportunities/{tier1_deal.pk}").status_code == 404
    assert tier1_deal.pk not in [o["id"] for o in engineer.get("/opportunities").json()["items"]]


def test_requests_are_seen_by_the_team_the_pool_and_not_by_outsiders(org, centre, tier1_deal):
    request = raise_request(tier1_deal, org["ar"])
    for user in (org["ar"], org["sr"], org["manager"], centre["head"], centre["gm"], org["admin"]):
        assert api_as(user).get(f"/resource-requests/{request.pk}").status_code == 200, user
        assert [r["id"] for r in api_as(user).get("/resource-requests").json()["items"]] == [request.pk], user
    for user in (org["outsider"], org["north_manager"], centre["match"]):
        assert api_as(user).get(f"/resource-requests/{request.pk}").status_code == 404, user
        assert api_as(user).get("/resource-requests").json()["items"] == [], user


def test_bad_requests_name_their_field(org, centre, tier1_deal):
    client = api_as(org["ar"])
    past = client.post("/resource-requests", _body(tier1_deal, needed_by="2020-01-01"))
    assert past.status_code == 422 and past.json()["errors"][0]["field"] == "needed_by"
    zero = client.post("/resource-requests", _body(tier1_deal, hours=0))
    assert zero.status_code == 422 and zero.json()["errors"][0]["field"] == "hours"
    kind = client.post("/resource-requests", _body(tier1_deal, kind="pizza"))
    assert kind.status_code == 422 and kind.json()["errors"][0]["field"] == "kind"
    hidden = api_as(org["outsider"]).post("/resource-requests", _body(tier1_deal))
    assert hidden.status_code == 422 and hidden.json()["errors"][0]["field"] == "opportunity_id"


def test_request_lists_cost_the_same_whatever_their_length(org, centre, tier1_deal, django_assert_max_num_queries):
    for _n in range(3):
        raise_request(tier1_deal, org["ar"])
    client = api_as(centre["head"])
    client.get("/resource-requests")
    with django_assert_max_num_queries(8):
        short = client.get("/resource-requests")
    for _n in range(12):
        raise_request(tier1_deal, org["ar"])
    with django_assert_max_num_queries(8):
        long = client.get("/resource-requests")
    assert len(short.json()["items"]) == 3 and len(long.json()["items"]) == 15
    with django_assert_max_num_queries(12):
        assert client.get(f"/resource-requests/{long.json()['items'][0]['id']}").status_code == 200
