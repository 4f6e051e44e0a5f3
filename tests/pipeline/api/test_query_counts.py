"""Pipeline requests cost a fixed number of SQL queries, whatever the number of rows (ARCHITECTURE.md)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from irontriangle.common.access import viewer_of
from irontriangle.pipeline import services
from tests.conftest import api_as
from tests.factories import log_interaction, make_contact, make_lead, make_opportunity, make_user
from tests.pipeline.api.conftest import add_member, make_quote

pytestmark = pytest.mark.django_db

BUDGET = 8


def _count(client: Any, path: str, params: Any = None) -> tuple[int, Any]:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path, params)
    assert response.status_code == 200, response.content
    return len(queries), response.json()


def _warm(client: Any) -> Any:
    # The first request with a fresh token records its use; later ones within a minute do not.
    assert client.get("/me").status_code == 200
    return client


def _deals(org: dict[str, Any], account: Any, start: int, stop: int) -> list[Any]:
    if "fr" not in org:
        org["fr"] = make_user("fr_user", units=[org["units"]["shanghai"]])
    fr = org["fr"]
    made = []
    for number in range(start, stop):
        deal = make_opportunity(account, name=f"商机{number:02}", amount=f"{number + 1}0000.00")
        add_member(deal, org["sr"], "sr")
        add_member(deal, fr, "fr")
        services.splits_replace(
            viewer=viewer_of(org["ar"]),
            actor=org["ar"],
            opportunity=deal,
            rows=[{"unit_code": "ka-sh", "percent": Decimal("100"), "agreement_ref": "纪要"}],
        )
        made.append(deal)
    return made


def _quotes(deals: list[Any]) -> None:
    for deal in deals:
        quote = make_quote(deal)
        services.quote_update(
            viewer=viewer_of(deal.owner),
            actor=deal.owner,
            quote=quote,
            data={"lines": [{"product": f"产品{n}", "quantity": "2", "list_price": "100"} for n in range(3)]},
            version=quote.version,
        )


def _leads(org: dict[str, Any], account: Any, start: int, stop: int) -> None:
    for number in range(start, stop):
        contact = make_contact(account)
        make_lead(org["ar"], account=account, contact_id=contact.pk, name=f"线索{number:02}", bant="partial")
        make_lead(org["ar"], name=f"新公司线索{number:02}")


def _reviews(org: dict[str, Any], deals: list[Any], start: int, stop: int) -> None:
    ar = org["ar"]
    for number in range(start, stop):
        meeting = services.review_create(
            viewer=viewer_of(ar),
            actor=ar,
            data={
                "title": f"例会{number}",
                "held_on": f"2026-10-{number + 1:02}",
                "unit_code": "ka-sh",
                "participant_ids": [org["sr"].pk, org["manager"].pk],
            },
        )
        for deal in deals[:2]:
            services.review_item_add(
                viewer=viewer_of(ar),
                actor=ar,
                meeting=meeting,
                data={"opportunity_id": deal.pk, "decision": "推进", "owner_id": org["sr"].pk},
            )


LISTS = ("/leads", "/opportunities", "/quotes", "/reviews")


def test_lists_cost_the_same_for_3_and_20_rows(org, team_account, django_assert_max_num_queries):
    deals = _deals(org, team_account, 0, 3)
    _quotes(deals)
    _leads(org, team_account, 0, 2)  # 4 leads: two on the account, two on new companies
    _reviews(org, deals, 0, 3)
    clients = {name: _warm(api_as(org[name])) for name in ("ar", "sr", "manager")}
    few: dict[tuple[str, str], int] = {}
    for path in LISTS:
        for name, client in clients.items():
            with django_assert_max_num_queries(BUDGET):
                few[path, name], body = _count(client, path, {"limit": 50})
            if name != "sr" or path != "/leads":
                assert len(body["items"]) >= 3, (path, name)

    more = _deals(org, team_account, 3, 20)
    _quotes(more)
    _leads(org, team_account, 2, 10)
    _reviews(org, deals, 3, 20)
    for path in LISTS:
        for name, client in clients.items():
            with django_assert_max_num_queries(BUDGET):
                many, body = _count(client, path, {"limit": 50})
            if name != "sr" or path != "/leads":
                assert len(body["items"]) == 20, (path, name, len(body["items"]))
            assert many == few[path, name], (path, name, few[path, name], many)


def test_second_pages_and_filters_cost_no_more(org, team_account, django_assert_max_num_queries):
    deals = _deals(org, team_account, 0, 12)
    _quotes(deals)
    client = _warm(api_as(org["manager"]))
    first = client.get("/opportunities", {"limit": 5, "sort": "-amount"}).json()
    with django_assert_max_num_queries(BUDGET):
        _used, body = _count(client, "/opportunities", {"limit": 5, "sort": "-amount", "cursor": first["next_cursor"]})
    assert [row["name"] for row in body["items"]] == [f"商机{n:02}" for n in range(6, 1, -1)]
    for params in ({"status": "open", "stage": "verify"}, {"mine": "true"}, {"q": "商机", "min_amount": "1"}):
        with django_assert_max_num_queries(BUDGET):
            _count(client, "/opportunities", params)
    with django_assert_max_num_queries(BUDGET):
        _count(client, "/quotes", {"opportunity_id": deals[0].pk, "sort": "-total"})


def test_detail_endpoints_stay_within_the_budget(org, team_account, django_assert_max_num_queries):
    deal = _deals(org, team_account, 0, 1)[0]
    _quotes([deal])
    lead = make_lead(org["ar"], account=team_account, bant="confirmed")
    services.lead_follow_up_add(
        viewer=viewer_of(org["ar"]), actor=org["ar"], lead=lead, data={"note": "电话", "next_step": "拜访"}
    )
    _reviews(org, [deal], 0, 1)
    contacts = [make_contact(team_account) for _ in range(4)]
    for contact in contacts:
        services.guide_add(
            viewer=viewer_of(org["ar"]),
            actor=org["ar"],
            opportunity=deal,
            data={"contact_id": contact.pk, "level": "advise"},
        )
        services.pain_link_add(
            viewer=viewer_of(org["ar"]),
            actor=org["ar"],
            opportunity=deal,
            data={"contact_id": contact.pk, "pain": "成本高"},
        )
        services.competitor_add(
            viewer=viewer_of(org["ar"]), actor=org["ar"], opportunity=deal, data={"name": f"对手{contact.pk}"}
        )
        log_interaction(team_account, contact_ids=[contact.pk], opportunity_id=deal.pk)
    quote_id = deal.quotes.get().pk
    meeting_id = deal.reviews.get().meeting_id
    paths = [
        f"/leads/{lead.pk}",
        f"/leads/{lead.pk}/follow-ups",
        f"/leads/{lead.pk}/history",
        f"/opportunities/{deal.pk}",
        f"/opportunities/{deal.pk}/history",
        f"/opportunities/{deal.pk}/team",
        f"/opportunities/{deal.pk}/guides",
        f"/opportunities/{deal.pk}/competitors",
        f"/opportunities/{deal.pk}/pain-chain",
        f"/opportunities/{deal.pk}/splits",
        f"/quotes/{quote_id}",
        f"/quotes/{quote_id}/history",
        f"/reviews/{meeting_id}",
        "/sales-processes",
    ]
    for name in ("ar", "manager"):
        client = _warm(api_as(org[name]))
        for path in paths:
            with django_assert_max_num_queries(BUDGET):
                _count(client, path)


def test_the_checklist_costs_the_same_however_much_is_recorded(org, team_account, django_assert_max_num_queries):
    """One query per fact the data decides, whatever the number of guides, competitors or interactions."""
    deal = _deals(org, team_account, 0, 1)[0]
    client = _warm(api_as(org["ar"]))
    few, _body = _count(client, f"/opportunities/{deal.pk}/checklist")
    for _number in range(5):
        contact = make_contact(team_account, buying_roles="decision_maker")
        services.guide_add(
            viewer=viewer_of(org["ar"]),
            actor=org["ar"],
            opportunity=deal,
            data={"contact_id": contact.pk, "level": "advise"},
        )
        services.competitor_add(
            viewer=viewer_of(org["ar"]),
            actor=org["ar"],
            opportunity=deal,
            data={"name": f"对手{contact.pk}", "strengths": "价格", "weaknesses": "服务"},
        )
        log_interaction(team_account, contact_ids=[contact.pk], opportunity_id=deal.pk)
    many, body = _count(client, f"/opportunities/{deal.pk}/checklist")
    assert many == few
    assert {row["key"] for row in body if row["done"]} >= {"guide", "decision_maker", "competitors", "sr"}
