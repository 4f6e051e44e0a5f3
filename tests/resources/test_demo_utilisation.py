"""The pool's utilisation in the demo, checked against figures worked out by hand.

Every demo assignment starts on a Monday and ends on a Sunday, counted from the Monday of the week the
demo is loaded, so each covers whole weeks and the figures are the same on any day of the week. An
assignment's load is its hours ÷ its weeks, in every week it touches; this week's load is the sum of the
assignments that touch this week; utilisation = load ÷ weekly capacity.

    request                               serves               hours  weeks (Monday = 0)   h/week
    集团 CRM 平台 solution design          se1 许文博             60    3  (0 … 20)          20
    广东营销中台试点 solution design (done) se1 许文博             12    1  (0 … 6, ends today) 12
    深圳 5G 专网 POC                        se2 林嘉怡             48    3  (-7 … 13)         16
    高炉在线检测 bid writing                sr  李娜               24    1  (0 … 6)           24
    广州政企门户 (partner-led, large)       tech 何俊              30    2  (0 … 13)          15
    深圳排队叫号 (partner-led, small)       华南智联售前团队        20    1  (0 … 6)           20
    集团 CRM 平台 executive sponsor         gm 陈建国               4    2  (0 … 13)           2
"""

from __future__ import annotations

from decimal import Decimal
from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command

from irontriangle.common.access import viewer_of
from irontriangle.org.models import OrgUnit, User
from irontriangle.pipeline.models import OpportunityTeamMember
from irontriangle.resources import reports
from irontriangle.resources.models import DealRegistration, RequestEvent, ResourceRequest
from irontriangle.resources.services.registrations import state_of

D = Decimal


@pytest.fixture
def head(db: Any) -> Any:
    call_command("demo", stdout=StringIO())
    return viewer_of(User.objects.get(username="pool"))


def test_utilisation_this_week_per_person_unit_and_tier(head):
    report = reports.utilisation(head, weeks=1)
    people = {row.label: (row.load_hours, row.capacity_hours, row.utilisation) for row in report.people}
    label = {user.username: user.label for user in User.objects.all()}
    assert people == {
        # username: (load this week, capacity, load ÷ capacity)
        label["sr"]: (D("24"), D("32"), D("75.0")),  # 24/1 = 24; 24 ÷ 32 = 75 %
        label["sr2"]: (D("0"), D("24"), D("0")),  # nothing assigned
        label["se1"]: (D("32"), D("40"), D("80.0")),  # 60/3 + 12/1 = 20 + 12 = 32; 32 ÷ 40 = 80 %
        label["se2"]: (D("16"), D("40"), D("40.0")),  # 48/3 = 16 (started last week); 16 ÷ 40 = 40 %
        label["tech"]: (D("15"), D("40"), D("37.5")),  # 30/2 = 15; 15 ÷ 40 = 37.5 %
        "华南智联售前团队": (D("20"), D("60"), D("33.3")),  # 20/1 = 20; 20 ÷ 60 = 33.33 %
        label["gm"]: (D("2"), D("8"), D("25.0")),  # 4/2 = 2; 2 ÷ 8 = 25 %
    }

    units = {row.label: (row.load_hours, row.capacity_hours, row.utilisation) for row in report.units}
    unit = {code: OrgUnit.objects.get(code=code).label for code in ("presales", "tech-south", "hq")}
    assert units == {
        # 24 + 0 + 32 + 16 = 72 of 32 + 24 + 40 + 40 = 136; 72 ÷ 136 = 52.94 %
        unit["presales"]: (D("72"), D("136"), D("52.9")),
        # 15 + 20 = 35 of 40 + 60 = 100
        unit["tech-south"]: (D("35"), D("100"), D("35.0")),
        unit["hq"]: (D("2"), D("8"), D("25.0")),
    }

    tiers = {row.tier: (row.load_hours, row.capacity_hours, row.utilisation) for row in report.tiers}
    assert tiers == {
        "tier1": (D("74"), D("144"), D("51.4")),  # the solution centre 72 + gm 2 = 74 of 136 + 8 = 144
        "tier2": (D("35"), D("100"), D("35.0")),
    }
    # 72 + 35 + 2 = 109 of 136 + 100 + 8 = 244; 109 ÷ 244 = 44.67 %
    assert (report.total.load_hours, report.total.capacity_hours, report.total.utilisation) == (
        D("109"),
        D("244"),
        D("44.7"),
    )


def test_requests_registrations_and_the_partner_login_of_the_demo(head):
    statuses = set(ResourceRequest.objects.values_list("status", flat=True))
    assert statuses == {"requested", "assigned", "declined", "done"}
    escalated = ResourceRequest.objects.get(escalation_level=2)
    levels = dict(RequestEvent.objects.filter(request=escalated, kind="escalated").values_list("level", "unit__code"))
    assert levels == {1: "presales", 2: "hq"}
    fresh = ResourceRequest.objects.get(status="requested", escalation_level=0)
    assert fresh.routed_tier == "tier3" and fresh.pool_unit.code == "callcentre"
    assert ResourceRequest.objects.get(kind="executive_sponsor").assignment.user.username == "gm"
    assert ResourceRequest.objects.exclude(decline_reason="").get().status == "declined"

    states = sorted(state_of(registration) for registration in DealRegistration.objects.all())
    assert states == ["approved", "expired", "submitted"]
    approved = DealRegistration.objects.get(status="approved")
    shared = OpportunityTeamMember.objects.get(opportunity=approved.opportunity, role="partner")
    assert shared.user.username == "partner" and shared.user.is_external
