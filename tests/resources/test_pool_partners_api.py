"""The pool and the partners: every colleague reads them, only their keepers change them; utilisation is
load ÷ capacity with each assignment's hours spread over its weeks."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from django.utils import timezone

from irontriangle.common.access import viewer_of
from irontriangle.resources.capacity import week_start
from irontriangle.resources.reports import utilisation
from tests.conftest import api_as
from tests.resources.conftest import raise_request


def test_colleagues_read_the_pool_but_only_its_unit_managers_change_it(org, centre):
    resource = centre["match_res"]
    outsider = api_as(org["outsider"])
    assert outsider.get(f"/resource-pool/{resource.pk}").status_code == 200
    assert len(outsider.get("/resource-pool").json()["items"]) == 3
    assert outsider.patch(f"/resource-pool/{resource.pk}", {"version": 1, "region": "外地"}).status_code == 403
    assert outsider.delete(f"/resource-pool/{resource.pk}").status_code == 403

    head = api_as(centre["head"])
    changed = head.patch(f"/resource-pool/{resource.pk}", {"version": 1, "weekly_capacity_hours": 32})
    assert changed.status_code == 200 and changed.json()["weekly_capacity_hours"] == 32
    stale = head.patch(f"/resource-pool/{resource.pk}", {"version": 1, "weekly_capacity_hours": 30})
    assert stale.status_code == 409 and stale.json()["code"] == "version_conflict"
    too_many = head.patch(f"/resource-pool/{resource.pk}", {"version": 2, "weekly_capacity_hours": 200})
    assert too_many.status_code == 422 and too_many.json()["errors"][0]["field"] == "weekly_capacity_hours"
    twice = head.post(
        "/resource-pool", {"user_id": centre["match"].pk, "support_tier": "tier1", "weekly_capacity_hours": 8}
    )
    assert twice.status_code == 422 and twice.json()["errors"][0]["field"] == "user_id"


def test_partners_are_kept_by_the_middle_office_and_their_channel_manager(org, partners):
    alpha = partners["alpha"]
    assert api_as(org["outsider"]).get(f"/partners/{alpha.pk}").json()["name"] == "甲伙伴"
    created = api_as(org["outsider"]).post("/partners", {"name": "丙伙伴", "type": "si", "tier": "gold"})
    assert created.status_code == 403
    assert api_as(org["outsider"]).patch(f"/partners/{alpha.pk}", {"version": 1, "notes": "x"}).status_code == 403
    channel = api_as(partners["channel"])
    updated = channel.patch(f"/partners/{alpha.pk}", {"version": 1, "capabilities": ["CRM", "ERP", "CRM"]})
    assert updated.status_code == 200 and updated.json()["capabilities"] == ["CRM", "ERP"]
    duplicate = channel.post("/partners", {"name": "甲伙伴", "type": "si", "tier": "gold"})
    assert duplicate.status_code == 422 and duplicate.json()["errors"][0]["field"] == "name"
    contact = channel.post(f"/partners/{alpha.pk}/contacts", {"name": "钱经理", "is_primary": True})
    assert contact.status_code == 201
    meeting = channel.post(
        f"/partners/{alpha.pk}/meetings",
        {"occurred_on": timezone.localdate().isoformat(), "subject": "项目例会", "minutes": "同步方案进展"},
    )
    assert meeting.status_code == 201 and meeting.json()["participants"] == ["渠道经理"]
    future = channel.post(
        f"/partners/{alpha.pk}/meetings",
        {"occurred_on": (timezone.localdate() + timedelta(days=3)).isoformat(), "subject": "未来"},
    )
    assert future.status_code == 422 and future.json()["errors"][0]["field"] == "occurred_on"


def test_utilisation_is_load_over_capacity_with_hours_spread_over_the_weeks(org, centre, tier1_deal):
    today = timezone.localdate()
    monday = week_start(today)
    head = api_as(centre["head"])
    # 16 h due next week's Sunday: 2 calendar weeks → 8 h a week.
    first = raise_request(tier1_deal, org["ar"], hours=16, needed_by=monday + timedelta(days=13))
    head.post(f"/resource-requests/{first.pk}/assign", {"resource_id": centre["match_res"].pk})
    # 30 h due the Sunday after: 3 calendar weeks → 10 h a week.
    second = raise_request(tier1_deal, org["ar"], hours=30, needed_by=monday + timedelta(days=20))
    head.post(f"/resource-requests/{second.pk}/assign", {"resource_id": centre["match_res"].pk})
    # 12 h due this Sunday: 1 week → 12 h.
    third = raise_request(tier1_deal, org["ar"], hours=12, needed_by=monday + timedelta(days=6))
    head.post(f"/resource-requests/{third.pk}/assign", {"resource_id": centre["far_res"].pk})

    report = utilisation(viewer_of(centre["head"]), start=today)
    people = {row.label: (row.load_hours, row.capacity_hours, row.utilisation) for row in report.people}
    # se_match: 8 + 10 = 18 of 40 = 45 %; se_far: 12 of 40 = 30 %; se_junior: nothing.
    assert people == {
        "SE_MATCH": (Decimal("18.00"), Decimal("40"), Decimal("45.0")),
        "SE_FAR": (Decimal("12.00"), Decimal("40"), Decimal("30.0")),
        "SE_JUNIOR": (Decimal("0"), Decimal("40"), Decimal("0.0")),
    }
    # The unit: 30 of 120 = 25 %.
    assert [(u.label, u.load_hours, u.utilisation) for u in report.units] == [
        ("解决方案中心", Decimal("30.00"), Decimal("25.0"))
    ]
    api = head.get("/resource-reports/utilisation", {"start": today.isoformat(), "weeks": 4}).json()
    assert api["weeks"][0] == week_start(today).isoformat()
    assert api["total"]["utilisation"] == "25.0" or api["total"]["weekly_load"][0] == "30.00"


def test_pool_lists_cost_the_same_whatever_their_length(org, centre, django_assert_max_num_queries):
    client = api_as(org["outsider"])
    client.get("/resource-pool")
    with django_assert_max_num_queries(6):
        assert len(client.get("/resource-pool").json()["items"]) == 3
    with django_assert_max_num_queries(6):
        assert client.get(f"/resource-pool/{centre['match_res'].pk}").status_code == 200


def test_request_reports_count_fulfilment_and_tiers(org, centre, tier1_deal):
    head = api_as(centre["head"])
    done = raise_request(tier1_deal, org["ar"])
    head.post(f"/resource-requests/{done.pk}/assign", {"resource_id": centre["match_res"].pk})
    declined = raise_request(tier1_deal, org["ar"])
    head.post(f"/resource-requests/{declined.pk}/decline", {"reason": "排不开"})
    raise_request(tier1_deal, org["ar"])

    rows = {row["key"]: row for row in head.get("/resource-reports/requests").json()}
    assert rows["all"]["by_status"] == {"requested": 1, "assigned": 1, "declined": 1, "done": 0}
    assert rows["all"]["fulfilment_rate"] == "50.0" and rows["all"]["sla_rate"] == "100.0"
    assert rows["tier1"]["raised"] == 3 and rows["tier2"]["raised"] == 0
    assert rows["all"]["open_by_age"]["lt_1d"] == 1
    counted = head.get("/resource-reports/double-counting").json()
    assert counted == [{"unit": "解决方案中心", "deals": 1, "open_amount": "1000000.00", "won_amount": "0.00"}]
