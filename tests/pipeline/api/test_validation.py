"""Bad input answers 422 naming the field, stale versions 409 with the current state, and a refused
request leaves nothing half-written."""

from __future__ import annotations

import base64
import json
from typing import Any

import pytest

from irontriangle.pipeline.models import Competitor, Guide, Lead, Opportunity, Quote, QuoteLine, Split
from tests.conftest import api_as
from tests.factories import make_account, make_contact, make_lead, make_opportunity
from tests.pipeline.api.conftest import LINE, make_quote

pytestmark = pytest.mark.django_db


def _fields(response: Any) -> dict[str, str]:
    assert response.status_code == 422, response.content
    return {error["field"]: error["code"] for error in response.json()["errors"]}


def _cursor(order: str, value: Any, pk: Any) -> str:
    raw = json.dumps([order, value, pk], separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


LEAD = {"name": "新线索", "source": "referral", "scenario": "continuous", "company_name": "新公司"}


@pytest.mark.parametrize(
    ("path", "body", "field"),
    [
        ("/leads", {**LEAD, "source": "television"}, "source"),
        ("/leads", {**LEAD, "scenario": "sometimes"}, "scenario"),
        ("/leads", {**LEAD, "status": "converted"}, "status"),
        ("/leads", {**LEAD, "bant": {"budget": "yes"}}, "bant.budget"),
        ("/leads", {**LEAD, "estimated_amount": "-5"}, "estimated_amount"),
        ("/leads", {**LEAD, "name": "长" * 201}, "name"),
        ("/leads", {**LEAD, "name": "  "}, "name"),
        ("/leads", {**LEAD, "notes": "a\x00b"}, "notes"),
        ("/leads", {**LEAD, "owner_id": 987654}, "owner_id"),
        ("/leads", {**LEAD, "currency": "RMBY"}, "currency"),
        ("/opportunities", {"name": "x", "amount": "-1"}, "amount"),
        ("/opportunities", {"name": "x", "forecast_category": "maybe"}, "forecast_category"),
        ("/opportunities", {"name": "x", "project_type": "side_job"}, "project_type"),
        ("/opportunities", {"name": "x", "probability": 101}, "probability"),
        ("/opportunities", {"name": "x", "amount": "1.001"}, "amount"),
        ("/opportunities", {"name": "x", "amount": "1" * 19}, "amount"),
        ("/opportunities", {"name": "x", "lead_unit_code": "nowhere"}, "lead_unit_code"),
        ("/opportunities", {"name": "x", "process": "enterprise"}, "process"),
        ("/opportunities", {"name": "x", "procurement_template_id": 987654}, "procurement_template_id"),
        ("/opportunities", {"name": "x" * 201}, "name"),
        ("/opportunities", {"name": "x", "expected_close": "2026-02-30"}, "expected_close"),
    ],
)
def test_bad_input_on_create_is_422_naming_the_field(org, team_account, path, body, field):
    if path == "/opportunities":
        body = {**body, "account_id": team_account.pk}
    before = (Lead.all_objects.count(), Opportunity.all_objects.count())

    response = api_as(org["ar"]).post(path, body)

    assert field in _fields(response), response.json()
    assert (Lead.all_objects.count(), Opportunity.all_objects.count()) == before


@pytest.mark.parametrize(
    ("line", "field"),
    [
        ({"discount": "100.01"}, "lines.1.discount"),
        ({"discount": "-1"}, "lines.1.discount"),
        ({"quantity": "0"}, "lines.1.quantity"),
        ({"quantity": "-2"}, "lines.1.quantity"),
        ({"list_price": "-100"}, "lines.1.list_price"),
        ({"unit_cost": "-1"}, "lines.1.unit_cost"),
        ({"product": ""}, "lines.1.product"),
        ({"list_price": "abc"}, "lines.1.list_price"),
    ],
)
def test_a_bad_quote_line_writes_no_quote_and_no_line(org, deal, line, field):
    client = api_as(org["ar"])
    response = client.post("/quotes", {"opportunity_id": deal.pk, "lines": [LINE, {**LINE, **line}]})

    assert field in _fields(response)
    assert not Quote.all_objects.exists() and not QuoteLine.objects.exists()


def test_a_bad_line_in_a_quote_patch_keeps_the_old_lines(org, deal):
    quote = make_quote(deal)
    client = api_as(org["ar"])
    lines = [LINE, {**LINE, "quantity": "0"}]

    response = client.patch(f"/quotes/{quote.pk}", {"version": quote.version, "lines": lines, "notes": "改"})

    assert "lines.1.quantity" in _fields(response)
    after = client.get(f"/quotes/{quote.pk}").json()
    assert (after["version"], after["notes"], after["total"], len(after["lines"])) == (quote.version, "", "90000.00", 1)
    assert QuoteLine.objects.count() == 1
    assert "lines" in _fields(client.patch(f"/quotes/{quote.pk}", {"version": quote.version, "lines": []}))


def test_quote_lines_are_capped(org, deal):
    response = api_as(org["ar"]).post("/quotes", {"opportunity_id": deal.pk, "lines": [LINE] * 201})
    assert "lines" in _fields(response)
    assert not Quote.all_objects.exists()


def test_unknown_ids_in_deal_bodies_are_422_naming_the_field(org, deal):
    client = api_as(org["ar"])
    other_account = make_account(org["ar"], name="另一个客户")
    stranger = make_contact(other_account, name="别家的人")

    cases = [
        ("post", f"/opportunities/{deal.pk}/guides", {"contact_id": 987654, "level": "advise"}, "contact_id"),
        ("post", f"/opportunities/{deal.pk}/guides", {"contact_id": stranger.pk, "level": "advise"}, "contact_id"),
        ("post", f"/opportunities/{deal.pk}/guides", {"contact_id": stranger.pk, "level": "sometimes"}, "level"),
        ("post", f"/opportunities/{deal.pk}/pain-chain", {"contact_id": stranger.pk, "pain": "x"}, "contact_id"),
        ("post", f"/opportunities/{deal.pk}/pain-chain", {"contact_id": stranger.pk, "pain": ""}, "pain"),
        ("post", f"/opportunities/{deal.pk}/team", {"user_id": 987654, "role": "fr"}, "user_id"),
        ("post", f"/opportunities/{deal.pk}/team", {"user_id": org["sr"].pk, "role": "boss"}, "role"),
        ("post", f"/opportunities/{deal.pk}/competitors", {"name": "x", "threat": "extreme"}, "threat"),
        ("post", f"/opportunities/{deal.pk}/competitors", {"name": "x" * 201}, "name"),
        ("post", f"/opportunities/{deal.pk}/checklist/solution", {"done": True, "evidence": "x" * 20001}, "evidence"),
        ("post", f"/opportunities/{deal.pk}/checklist/nothing", {"done": True, "evidence": "x"}, "key"),
        ("post", f"/opportunities/{deal.pk}/advance", {"to_stage": "heaven"}, "to_stage"),
        ("post", f"/opportunities/{deal.pk}/advance", {"to_stage": "HEAVEN!"}, "to_stage"),
        ("post", f"/opportunities/{deal.pk}/advance", {"to_stage": "verify"}, "to_stage"),
        (
            "patch",
            f"/opportunities/{deal.pk}",
            {"version": deal.version, "lead_unit_code": "nowhere"},
            "lead_unit_code",
        ),
        ("patch", f"/opportunities/{deal.pk}", {"version": deal.version, "owner_id": 987654}, "owner_id"),
        ("patch", f"/opportunities/{deal.pk}", {"version": deal.version, "owner_id": org["outsider"].pk}, "owner_id"),
        ("patch", f"/opportunities/{deal.pk}", {"version": deal.version, "process": "smb"}, "process"),
        ("patch", f"/opportunities/{deal.pk}", {"name": "没带版本"}, "version"),
    ]
    for method, path, body, field in cases:
        response = getattr(client, method)(path, body)
        assert field in _fields(response), (path, body, response.json())

    assert not Guide.objects.exists() and not Competitor.objects.exists()
    saved = Opportunity.objects.get(pk=deal.pk)
    assert (saved.version, saved.owner_id, saved.lead_unit_id, saved.stage.code) == (
        deal.version,
        org["ar"].pk,
        None,
        "verify",
    )


def test_a_guide_from_another_account_names_the_contact_field(org, deal):
    stranger = make_contact(make_account(org["ar"], name="别的客户"), name="别家的处长")
    response = api_as(org["ar"]).post(
        f"/opportunities/{deal.pk}/guides", {"contact_id": stranger.pk, "level": "advise"}
    )
    assert response.status_code == 422
    assert response.json()["errors"] == [
        {"field": "contact_id", "code": "unknown_contact", "message": response.json()["errors"][0]["message"]}
    ]
    assert not Guide.objects.exists()


def test_a_refused_split_set_leaves_the_old_one(org, deal):
    client = api_as(org["ar"])
    kept = [{"unit_code": "ka-sh", "percent": "100", "agreement_ref": "纪要 1"}]
    assert client.put(f"/opportunities/{deal.pk}/splits", kept).status_code == 200

    bad_sets = [
        (
            [
                {"unit_code": "ka-sh", "percent": "60", "agreement_ref": "纪要"},
                {"user_id": 987654, "percent": "40", "agreement_ref": "纪要"},
            ],
            "splits.1.user_id",
        ),
        ([{"unit_code": "nowhere", "percent": "100", "agreement_ref": "纪要"}], "splits.0.unit_code"),
        ([{"unit_code": "ka-sh", "user_id": org["ar"].pk, "percent": "100", "agreement_ref": "纪要"}], "splits.0"),
        ([{"unit_code": "ka-sh", "percent": "100"}], "splits.0.agreement_ref"),
        ([{"unit_code": "ka-sh", "percent": "-100", "agreement_ref": "纪要"}], "splits.0.percent"),
        ([{"unit_code": "ka-sh", "percent": "0", "agreement_ref": "纪要"}], "splits.0.percent"),
        ([{"unit_code": "ka-sh", "percent": "100", "agreement_ref": "纪要", "kind": "bonus"}], "0.kind"),
        ([{"unit_code": "ka-sh", "percent": "50", "agreement_ref": "纪要"}] * 2, "splits"),
        ([{"unit_code": "ka-sh", "percent": "90", "agreement_ref": "纪要"}], "splits"),
    ]
    for rows, field in bad_sets:
        response = client.put(f"/opportunities/{deal.pk}/splits", rows)
        assert response.status_code == 422, (rows, response.content)
        fields = {error["field"] for error in response.json()["errors"]}
        assert field in fields, (rows, fields)
        assert list(Split.objects.values_list("unit__code", "percent", "agreement_ref")) == [("ka-sh", 100, "纪要 1")]
    too_many = [{"user_id": org["ar"].pk, "percent": "1", "agreement_ref": "x"}] * 51
    assert client.put(f"/opportunities/{deal.pk}/splits", too_many).status_code == 422
    assert client.put(f"/opportunities/{deal.pk}/splits", {"not": "a list"}).status_code == 422
    assert Split.objects.count() == 1


@pytest.mark.parametrize("path", ["/leads", "/opportunities", "/quotes", "/reviews"])
def test_garbage_cursors_are_422(org, deal, path):
    client = api_as(org["ar"])
    order = {
        "/leads": "-updated_at",
        "/opportunities": "-updated_at",
        "/quotes": "-created_at",
        "/reviews": "-held_on",
    }[path]
    for cursor in (
        "garbage",
        "!!!",
        "W10",  # []
        _cursor("name", None, 1),  # another order
        _cursor(order, "not a date", 1),
        _cursor(order, None, "1"),
        "x" * 501,
    ):
        response = client.get(path, {"cursor": cursor})
        assert response.status_code == 422, (path, cursor, response.content)
        assert response.json()["errors"][0]["field"] == "cursor"
    # Well-formed cursors whose key no row can have: an empty page or 422, never a server error.
    for cursor in (_cursor(order, "2026-01-01T00:00:00+00:00", 2**70), _cursor(order, "2026-01-01", -(2**70))):
        response = client.get(path, {"cursor": cursor})
        assert response.status_code in (200, 422), (path, cursor, response.content)
        assert response.status_code == 422 or response.json()["items"] == []
    bad_params: list[dict[str, Any]] = [{"limit": 0}, {"limit": 201}, {"limit": "many"}]
    if path != "/reviews":  # reviews come newest first and take no sort
        bad_params.append({"sort": "password"})
    for params in bad_params:
        assert client.get(path, params).status_code == 422, (path, params)


def test_list_filters_refuse_bad_values(org, deal):
    client = api_as(org["ar"])
    for path, params in (
        ("/leads", {"status": "maybe"}),
        ("/leads", {"source": "tv"}),
        ("/leads", {"owner_id": 0}),
        ("/leads", {"account_id": 2**64}),
        ("/opportunities", {"status": "pending"}),
        ("/opportunities", {"forecast_category": "maybe"}),
        ("/opportunities", {"min_amount": "-1"}),
        ("/opportunities", {"stage": "Robert'); DROP TABLE"}),
        ("/opportunities", {"q": "x" * 101}),
        ("/quotes", {"status": "lost"}),
    ):
        response = client.get(path, params)
        assert response.status_code == 422, (path, params, response.content)


# --- version conflicts ------------------------------------------------------------------------------


def test_a_stale_opportunity_patch_is_409_with_the_current_state(org, deal):
    ar, sr = api_as(org["ar"]), api_as(org["sr"])
    version = deal.version
    assert sr.patch(f"/opportunities/{deal.pk}", {"version": version, "amount": "2000000.00"}).status_code == 200

    stale = ar.patch(f"/opportunities/{deal.pk}", {"version": version, "amount": "1.00", "name": "覆盖"})

    assert stale.status_code == 409
    body = stale.json()
    assert body["code"] == "version_conflict" and body["current_version"] == version + 1
    assert (body["current"]["amount"], body["current"]["version"], body["current"]["name"]) == (
        "2000000.00",
        version + 1,
        "核心网扩容",
    )
    assert body["current"]["margin"] is None  # the current state is redacted like any answer
    by_header = ar.patch(f"/opportunities/{deal.pk}", {"name": "改名"}, **{"If-Match": f'W/"{version}"'})
    assert by_header.status_code == 409
    fresh = ar.patch(f"/opportunities/{deal.pk}", {"name": "改名"}, **{"If-Match": f'"{version + 1}"'})
    assert fresh.status_code == 200 and fresh.json()["version"] == version + 2
    assert Opportunity.objects.get(pk=deal.pk).amount == 2000000


def test_a_stale_lead_patch_is_409_with_the_current_state(org, team_account):
    lead = make_lead(org["ar"], account=team_account, name="旧线索")
    client = api_as(org["ar"])
    assert client.patch(f"/leads/{lead.pk}", {"version": 1, "name": "新名字"}).status_code == 200

    stale = client.patch(f"/leads/{lead.pk}", {"version": 1, "name": "又一个名字", "status": "working"})

    assert stale.status_code == 409
    assert (stale.json()["current"]["name"], stale.json()["current"]["version"]) == ("新名字", 2)
    saved = Lead.objects.get(pk=lead.pk)
    assert (saved.name, saved.status, saved.version) == ("新名字", "new", 2)


def test_a_stale_quote_patch_is_409_and_keeps_the_lines(org, deal):
    quote = make_quote(deal)
    client = api_as(org["ar"])
    assert client.patch(f"/quotes/{quote.pk}", {"version": quote.version, "notes": "第一版"}).status_code == 200

    stale = client.patch(
        f"/quotes/{quote.pk}", {"version": quote.version, "lines": [{**LINE, "quantity": "99"}], "notes": "覆盖"}
    )

    assert stale.status_code == 409
    current = stale.json()["current"]
    assert (current["notes"], current["total"], current["version"]) == ("第一版", "90000.00", quote.version + 1)
    assert list(QuoteLine.objects.values_list("quantity", flat=True)) == [10]


def test_editing_a_submitted_quote_is_409_and_a_converted_lead_422(org, deal, team_account):
    quote = make_quote(deal, submit=True)
    client = api_as(org["ar"])
    locked = client.patch(f"/quotes/{quote.pk}", {"version": quote.version, "notes": "改"})
    assert locked.status_code == 409 and locked.json()["code"] == "quote_locked"

    lead = make_lead(org["ar"], account=team_account, bant="confirmed")
    assert client.post(f"/leads/{lead.pk}/convert", {}).status_code == 201
    version = Lead.objects.get(pk=lead.pk).version
    assert "status" in _fields(client.patch(f"/leads/{lead.pk}", {"version": version, "name": "改"}))


def test_lead_patch_refuses_a_contact_of_another_account_and_changes_nothing(org, team_account):
    lead = make_lead(org["ar"], account=team_account, name="线索甲")
    stranger = make_contact(make_account(org["ar"], name="别的客户"))
    client = api_as(org["ar"])

    response = client.patch(f"/leads/{lead.pk}", {"version": 1, "contact_id": stranger.pk, "name": "改"})

    assert "contact_id" in _fields(response)
    assert "disqualified_reason" in _fields(client.patch(f"/leads/{lead.pk}", {"version": 1, "status": "disqualified"}))
    saved = Lead.objects.get(pk=lead.pk)
    assert (saved.name, saved.contact_id, saved.version, saved.status) == ("线索甲", None, 1, "new")


def test_a_deal_on_an_account_without_contacts_answers_the_empty_lists(org, team_account):
    deal = make_opportunity(team_account)
    client = api_as(org["ar"])
    for sub in ("guides", "competitors", "pain-chain", "splits"):
        assert client.get(f"/opportunities/{deal.pk}/{sub}").json() == []
