"""`/reports/funnel` and `/reports/lead-conversion`: figures over what the caller may see, in a fixed
number of queries."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from irontriangle.common.access import viewer_of
from irontriangle.pipeline import services
from tests.conftest import api_as
from tests.factories import make_account, make_lead, make_opportunity, pass_verify_gate

pytestmark = pytest.mark.django_db

# Authentication and the viewer (4), the processes and their stages (2, and 1 to make sure the defaults
# exist), then three grouped queries per process (here KA and SMB): none of it grows with the rows.
REPORT_BUDGET = 13


def _ka(report: dict[str, Any]) -> dict[str, Any]:
    return next(process for process in report["processes"] if process["process"] == "ka")


def _stage(process: dict[str, Any], code: str) -> dict[str, Any]:
    return next(stage for stage in process["stages"] if stage["code"] == code)


def _pipeline(org: dict[str, Any], account: Any) -> None:
    """Three deals in verify (100k each), one in guide (200k), one won (300k), one lost."""
    ar = org["ar"]
    for number in range(3):
        make_opportunity(account, name=f"验证中{number}", amount="100000.00")
    guide = pass_verify_gate(make_opportunity(account, name="引导中", amount="200000.00"))
    services.opportunity_advance(viewer=viewer_of(ar), actor=ar, opportunity=guide)
    won = make_opportunity(account, name="赢了", amount="300000.00")
    services.opportunity_advance(
        viewer=viewer_of(org["manager"]),
        actor=org["manager"],
        opportunity=won,
        to_stage="won",
        override_reason="集团直签",
        reason="战略合作",
    )
    lost = make_opportunity(account, name="输了", amount="50000.00")
    services.opportunity_advance(viewer=viewer_of(ar), actor=ar, opportunity=lost, to_stage="lost", reason="价格")


def test_the_funnel_counts_what_the_caller_sees(org, team_account):
    _pipeline(org, team_account)
    elsewhere = make_account(org["north_manager"], name="北方客户", segment="ka")
    make_opportunity(elsewhere, by=org["north_manager"], amount="999999.00")

    response = api_as(org["ar"]).get("/reports/funnel")

    assert response.status_code == 200, response.content
    ka = _ka(response.json())
    assert [stage["code"] for stage in ka["stages"]] == ["verify", "guide", "trial", "bid", "negotiate"]
    verify, guide = _stage(ka, "verify"), _stage(ka, "guide")
    assert (verify["open_count"], verify["open_amount"]) == (3, "300000.00")
    assert (guide["open_count"], guide["open_amount"]) == (1, "200000.00")
    assert (ka["won"], ka["lost"], ka["won_amount"], ka["win_rate"]) == (1, 1, "300000.00", 50)
    assert (ka["open_count"], ka["open_amount"]) == (4, "500000.00")
    # Six deals entered verify; the one now in guide and the won one went further.
    assert (verify["entered"], verify["advanced"], verify["conversion"]) == (6, 2, 33)
    assert (guide["entered"], guide["advanced"], guide["conversion"]) == (1, 0, 0)
    assert _stage(ka, "bid")["conversion"] is None
    assert ka["currencies"] == ["CNY"]

    north = _ka(api_as(org["north_manager"]).get("/reports/funnel").json())
    assert (north["open_count"], north["open_amount"], north["won"]) == (1, "999999.00", 0)
    outsider = _ka(api_as(org["outsider"]).get("/reports/funnel").json())
    assert (outsider["open_count"], outsider["won"], outsider["lost"], outsider["win_rate"]) == (0, 0, 0, None)
    assert all(stage["entered"] == 0 for stage in outsider["stages"])
    manager = _ka(api_as(org["manager"]).get("/reports/funnel").json())
    assert manager["open_count"] == 4


def test_the_funnel_filters(org, team_account):
    _pipeline(org, team_account)
    client = api_as(org["manager"])

    only_ka = client.get("/reports/funnel", {"process": "ka"}).json()
    assert [process["process"] for process in only_ka["processes"]] == ["ka"]
    north = _ka(client.get("/reports/funnel", {"unit_code": "ka-north"}).json())
    assert north["open_count"] == 0
    shanghai = _ka(client.get("/reports/funnel", {"unit_code": "ka-sh"}).json())
    assert shanghai["open_count"] == 4
    assert _ka(client.get("/reports/funnel", {"owner_id": org["sr"].pk}).json())["open_count"] == 0

    for params, field in (
        ({"unit_code": "nowhere"}, "unit_code"),
        ({"process": "enterprise"}, "process"),
        ({"process": "KA!"}, "process"),
        ({"closing_from": "2026-12-01", "closing_to": "2026-01-01"}, "closing_to"),
        ({"closing_from": "yesterday"}, "closing_from"),
        ({"owner_id": 0}, "owner_id"),
    ):
        response = client.get("/reports/funnel", params)
        assert response.status_code == 422, (params, response.content)
        assert response.json()["errors"][0]["field"] == field


def _leads(org: dict[str, Any], account: Any, smb_account: Any, scale: int) -> None:
    ar = org["ar"]
    for number in range(scale):
        converted = make_lead(ar, account=account, bant="confirmed", source="exhibition", name=f"展会{number}")
        services.lead_convert(viewer=viewer_of(ar), actor=ar, lead=converted)
        make_lead(ar, account=account, source="exhibition", name=f"展会未转{number}")
        make_lead(ar, account=smb_account, source="referral", scenario="occasional", name=f"转介{number}")
        make_lead(ar, source="internet", name=f"网络{number}")


def test_lead_conversion_by_source_scenario_and_segment(org, team_account):
    smb_account = make_account(org["ar"], name="小微客户", segment="smb")
    _leads(org, team_account, smb_account, 2)
    make_lead(org["north_manager"], source="exhibition", name="北方展会")

    response = api_as(org["ar"]).get("/reports/lead-conversion")

    assert response.status_code == 200, response.content
    report = response.json()
    assert (report["total"]["created"], report["total"]["converted"], report["total"]["rate"]) == (8, 2, "25.0")
    assert report["baseline"] == "15"
    source = {row["code"]: row for row in next(b for b in report["breakdowns"] if b["dimension"] == "source")["rows"]}
    assert (source["exhibition"]["created"], source["exhibition"]["converted"], source["exhibition"]["rate"]) == (
        4,
        2,
        "50.0",
    )
    assert source["partner"] == {**source["partner"], "created": 0, "converted": 0, "rate": None}
    assert all(row["label"] for row in source.values())
    segment = {row["code"]: row for row in next(b for b in report["breakdowns"] if b["dimension"] == "segment")["rows"]}
    # A lead on a new company takes the default segment, KA.
    assert segment["ka"]["created"] == 6 and segment["smb"]["created"] == 2
    assert {b["dimension"] for b in report["breakdowns"]} == {"source", "scenario", "segment"}

    outsider = api_as(org["outsider"]).get("/reports/lead-conversion").json()
    assert (outsider["total"]["created"], outsider["total"]["rate"]) == (0, None)
    north = api_as(org["north_manager"]).get("/reports/lead-conversion").json()
    assert north["total"]["created"] == 1


def test_lead_conversion_period(org, team_account):
    make_lead(org["ar"], account=team_account)
    client = api_as(org["ar"])
    past = client.get("/reports/lead-conversion", {"start": "2020-01-01", "end": "2020-12-31"}).json()
    assert (past["start"], past["end"], past["total"]["created"]) == ("2020-01-01", "2020-12-31", 0)
    for params, field in (
        ({"start": "2026-12-01", "end": "2026-01-01"}, "end"),
        ({"start": "1900-01-01", "end": "2999-12-31"}, "start"),
        ({"start": "not a day"}, "start"),
        ({"end": "3000-01-01"}, "end"),
    ):
        response = client.get("/reports/lead-conversion", params)
        assert response.status_code == 422, (params, response.content)
        assert response.json()["errors"][0]["field"] == field


def _queries(client: Any, path: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(path).status_code == 200
    return len(queries)


def test_reports_cost_the_same_however_many_deals_and_leads(org, team_account, django_assert_max_num_queries):
    smb_account = make_account(org["ar"], name="小微客户", segment="smb")
    _pipeline(org, team_account)
    _leads(org, team_account, smb_account, 1)
    clients = {name: api_as(org[name]) for name in ("ar", "manager", "outsider")}
    for client in clients.values():
        assert client.get("/me").status_code == 200
    few = {
        (name, path): _queries(client, path)
        for name, client in clients.items()
        for path in ("/reports/funnel", "/reports/lead-conversion")
    }

    for _round in range(3):
        _pipeline(org, team_account)
    _leads(org, team_account, smb_account, 6)
    for (name, path), before in few.items():
        with django_assert_max_num_queries(REPORT_BUDGET):
            after = _queries(clients[name], path)
        assert after == before, (name, path, before, after)
