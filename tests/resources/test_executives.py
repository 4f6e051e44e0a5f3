"""Asking for an executive to join a customer meeting is a request kind served by executives only, and
executive involvement per account is reported."""

from __future__ import annotations

from django.utils import timezone

from irontriangle.common.access import viewer_of
from irontriangle.resources.services import resource_create
from tests.conftest import api_as
from tests.pipeline.api.conftest import add_member
from tests.resources.conftest import raise_request


def test_an_executive_request_proposes_executives_and_is_reported(org, centre, tier1_deal):
    admin = org["admin"]
    executive = resource_create(
        viewer=viewer_of(admin),
        actor=admin,
        user=centre["gm"],
        data={"support_tier": "tier1", "weekly_capacity_hours": 4, "is_executive": True, "unit_code": "hq"},
    )
    ask = api_as(org["ar"]).post(
        "/resource-requests",
        {
            "opportunity_id": tier1_deal.pk,
            "kind": "executive_sponsor",
            "hours": 2,
            "needed_by": str(timezone.localdate(tier1_deal.created_at)),
            "success_criteria": "总经理与客户CIO会面,确认战略合作",
        },
    )
    assert ask.status_code == 201, ask.content
    assert [c["resource_id"] for c in ask.json()["proposed"]] == [executive.pk]
    add_member(tier1_deal, centre["gm"], "executive_sponsor")
    raise_request(tier1_deal, org["ar"])  # an ordinary request does not count

    rows = api_as(org["manager"]).get("/resource-reports/executive-involvement").json()
    assert rows == [
        {
            "account_id": tier1_deal.account_id,
            "account": "中国移动上海公司",
            "opportunities": 1,
            "sponsors_on_team": 1,
            "requests": 1,
            "requests_served": 0,
        }
    ]
    # The pool's head sees the ask (not the deal) and still reads whose account it is.
    pool_view = api_as(centre["head"]).get("/resource-reports/executive-involvement").json()
    assert [(r["account"], r["opportunities"], r["requests"]) for r in pool_view] == [("中国移动上海公司", 0, 1)]
    assert api_as(org["outsider"]).get("/resource-reports/executive-involvement").json() == []
