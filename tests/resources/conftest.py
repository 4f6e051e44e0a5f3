"""A call-for-fire world: a solution centre under HQ with its head, three solution engineers, the GM
above; a tier-1 (company-led) deal of 1,000,000 on the Shanghai AR's S account; a partner with a login."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from irontriangle.common.access import viewer_of
from irontriangle.resources import services
from irontriangle.resources.capacity import week_start
from irontriangle.resources.models import RoutingRule
from tests.factories import make_opportunity, make_unit, make_user, update_account
from tests.pipeline.api.conftest import add_member, deal  # noqa: F401  (the pipeline deal, shared)


@pytest.fixture
def centre(org: dict[str, Any]) -> dict[str, Any]:
    hq = org["units"]["hq"]
    unit = make_unit("sc", "解决方案中心", "presales", parent=hq)
    head = make_user("sc_head", units=[unit], manager_of=[unit], display_name="方案中心总监")
    gm = make_user("gm", units=[hq], manager_of=[hq], display_name="总经理")
    RoutingRule.objects.filter(tier="tier1").update(pool_unit=unit)
    admin = org["admin"]

    def engineer(username: str, skills: list[str], region: str, hours: int) -> Any:
        person = make_user(username, units=[unit], display_name=username.upper())
        resource = services.resource_create(
            viewer=viewer_of(admin),
            actor=admin,
            user=person,
            data={"skills": skills, "region": region, "support_tier": "tier1", "weekly_capacity_hours": hours},
        )
        return person, resource

    match, match_res = engineer("se_match", ["CRM", "POC", "数据中台"], "上海 Shanghai", 40)
    far, far_res = engineer("se_far", ["CRM", "POC"], "北京 Beijing", 40)
    junior, junior_res = engineer("se_junior", ["网络"], "上海 Shanghai", 40)
    return {
        "unit": unit,
        "head": head,
        "gm": gm,
        "match": match,
        "match_res": match_res,
        "far": far,
        "far_res": far_res,
        "junior": junior,
        "junior_res": junior_res,
    }


@pytest.fixture
def tier1_deal(org: dict[str, Any], team_account: Any, centre: dict[str, Any]) -> Any:
    update_account(team_account, org["ar"], region="上海 Shanghai")
    opportunity = make_opportunity(team_account, name="集团CRM项目", amount="1000000.00", project_type="company_led")
    add_member(opportunity, org["sr"], "sr")
    return opportunity


def raise_request(opportunity: Any, by: Any, **data: Any) -> Any:
    body = {
        "kind": "solution_design",
        "skills": ["CRM", "POC"],
        "hours": 16,
        # The Sunday of next week: two calendar weeks, whatever today's weekday.
        "needed_by": week_start(timezone.localdate()) + timedelta(days=13),
        **data,
    }
    return services.request_create(viewer=viewer_of(by), actor=by, opportunity=opportunity, data=body)


@pytest.fixture
def partners(org: dict[str, Any]) -> dict[str, Any]:
    ops_user = make_user("channel", units=[org["units"]["ops"]], display_name="渠道经理")
    who = viewer_of(ops_user)
    alpha = services.partner_create(viewer=who, actor=ops_user, data={"name": "甲伙伴", "type": "si", "tier": "gold"})
    beta = services.partner_create(viewer=who, actor=ops_user, data={"name": "乙伙伴", "type": "isv", "tier": "silver"})
    login = services.partner_user_create(
        viewer=who, actor=ops_user, partner=alpha, data={"username": "alpha_user", "password": "Partner-2026!x"}
    ).user
    beta_login = services.partner_user_create(
        viewer=who, actor=ops_user, partner=beta, data={"username": "beta_user", "password": "Partner-2026!y"}
    ).user
    return {"channel": ops_user, "alpha": alpha, "beta": beta, "login": login, "beta_login": beta_login}
