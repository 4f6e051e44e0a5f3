"""The promises of Step 4 through the API: BANT conversion, stage gates, quote approval, margins, splits
and change notifications."""

from __future__ import annotations

from typing import Any

import pytest

from irontriangle.common.access import viewer_of
from irontriangle.notifications.models import Notification
from irontriangle.pipeline.models import Opportunity, StageChange
from irontriangle.pipeline.services import opportunity_team_add
from tests.conftest import api_as
from tests.factories import (
    grant_permission,
    make_account,
    make_contact,
    make_lead,
    make_opportunity,
    make_user,
    pass_verify_gate,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def account(org: dict[str, Any]) -> Any:
    return make_account(org["ar"], name="中国移动上海公司", segment="ka", tier="s")


def _team(opportunity: Any, org: dict[str, Any], **roles: Any) -> None:
    for role, user in roles.items():
        opportunity_team_add(
            viewer=viewer_of(org["ar"]), actor=org["ar"], opportunity=opportunity, user_id=user.pk, role=role
        )


# --- 1. BANT -------------------------------------------------------------------------------------------


def test_partial_timeline_refuses_conversion_naming_t(org: dict[str, Any], account: Any) -> None:
    lead = make_lead(
        org["ar"],
        account=account,
        bant={"budget": "confirmed", "authority": "confirmed", "need": "confirmed", "timeline": "partial"},
    )
    response = api_as(org["ar"]).post(f"/leads/{lead.pk}/convert", {})
    assert response.status_code == 422
    body = response.json()
    assert body["code"] == "bant_incomplete"
    assert body["missing"] == ["T"]
    assert not Opportunity.objects.exists()


def test_confirmed_bant_opens_a_deal_in_the_first_stage_of_the_segment_process(
    org: dict[str, Any], account: Any
) -> None:
    smb_account = make_account(org["ar"], name="小微客户", segment="smb")
    ka_lead = make_lead(org["ar"], account=account, bant="confirmed", estimated_amount="800000.00")
    smb_lead = make_lead(org["ar"], account=smb_account, bant="confirmed")
    client = api_as(org["ar"])

    ka = client.post(f"/leads/{ka_lead.pk}/convert", {})
    smb = client.post(f"/leads/{smb_lead.pk}/convert", {})

    assert ka.status_code == 201 and smb.status_code == 201
    ka_deal = client.get(f"/opportunities/{ka.json()['opportunity_id']}").json()
    assert (ka_deal["process"], ka_deal["stage"], ka_deal["amount"]) == ("ka", "verify", "800000.00")
    assert ka_deal["lead_id"] == ka_lead.pk
    assert client.get(f"/opportunities/{smb.json()['opportunity_id']}").json()["stage"] == "qualify"
    assert client.get(f"/leads/{ka_lead.pk}").json()["status"] == "converted"
    # Converting twice is refused: the lead already made its deal.
    assert client.post(f"/leads/{ka_lead.pk}/convert", {}).status_code == 422


def test_only_a_manager_overrides_bant_and_the_reason_is_audited(org: dict[str, Any], account: Any) -> None:
    lead = make_lead(org["ar"], account=account, bant="partial")
    refused = api_as(org["ar"]).post(f"/leads/{lead.pk}/convert", {"override_reason": "客户高层已口头确认"})
    assert refused.status_code == 403

    converted = api_as(org["manager"]).post(f"/leads/{lead.pk}/convert", {"override_reason": "客户高层已口头确认"})

    assert converted.status_code == 201
    history = api_as(org["manager"]).get(f"/leads/{lead.pk}/history").json()
    assert "客户高层已口头确认" in history[0]["reason"]
    assert api_as(org["ar"]).get(f"/leads/{lead.pk}").json()["conversion_override_reason"] == "客户高层已口头确认"


# --- 2. stage gates ------------------------------------------------------------------------------------


def test_leaving_verify_without_a_guide_lists_the_guide_item(org: dict[str, Any], account: Any) -> None:
    deal = make_opportunity(account)
    client = api_as(org["ar"])

    response = client.post(f"/opportunities/{deal.pk}/advance", {})

    assert response.status_code == 422
    body = response.json()
    assert body["code"] == "stage_gate_unmet"
    keys = [item["key"] for item in body["unmet"]]
    assert "guide" in keys and "bant" in keys and "decision_maker" in keys
    assert all(item["label"] for item in body["unmet"])
    assert client.get(f"/opportunities/{deal.pk}").json()["stage"] == "verify"


def test_a_guide_who_only_informs_does_not_open_the_gate(org: dict[str, Any], account: Any) -> None:
    deal = make_opportunity(account)
    informer = make_contact(account, buying_roles="decision_maker")
    client = api_as(org["ar"])
    client.post(f"/opportunities/{deal.pk}/checklist/bant", {"done": True, "evidence": "预算已批复"})
    client.post(f"/opportunities/{deal.pk}/guides", {"contact_id": informer.pk, "level": "inform"})

    refused = client.post(f"/opportunities/{deal.pk}/advance", {})
    assert [item["key"] for item in refused.json()["unmet"]] == ["guide"]

    client.post(f"/opportunities/{deal.pk}/guides", {"contact_id": informer.pk, "level": "advise"})
    advanced = client.post(f"/opportunities/{deal.pk}/advance", {})

    assert advanced.status_code == 200
    assert advanced.json()["stage"] == "guide"
    assert advanced.json()["probability"] == 30


def test_automatic_items_cannot_be_ticked_by_hand(org: dict[str, Any], account: Any) -> None:
    deal = make_opportunity(account)
    response = api_as(org["ar"]).post(f"/opportunities/{deal.pk}/checklist/guide", {"done": True, "evidence": "x"})
    assert response.status_code == 422
    assert response.json()["errors"][0]["code"] == "checked_by_system"


def test_override_needs_a_manager_and_a_reason_and_is_in_the_history(org: dict[str, Any], account: Any) -> None:
    deal = make_opportunity(account)

    by_ar = api_as(org["ar"]).post(f"/opportunities/{deal.pk}/advance", {"override_reason": "客户催得紧"})
    assert by_ar.status_code == 403
    by_outsider = api_as(org["outsider"]).post(f"/opportunities/{deal.pk}/advance", {"override_reason": "x"})
    assert by_outsider.status_code == 404

    manager = api_as(org["manager"])
    done = manager.post(f"/opportunities/{deal.pk}/advance", {"override_reason": "集团战略项目，特批推进"})

    assert done.status_code == 200 and done.json()["stage"] == "guide"
    history = manager.get(f"/opportunities/{deal.pk}/history").json()
    assert "集团战略项目，特批推进" in history[0]["reason"]
    assert any(change["field"] == "stage" for change in history[0]["changes"])
    change = StageChange.objects.filter(opportunity=deal).latest("at")
    assert set(change.overridden) == {"bant", "guide", "decision_maker"}


def test_stage_cannot_be_patched(org: dict[str, Any], account: Any) -> None:
    deal = make_opportunity(account)
    response = api_as(org["ar"]).patch(f"/opportunities/{deal.pk}", {"stage": "bid", "version": deal.version})
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "stage"


def test_losing_needs_a_reason_but_no_gate(org: dict[str, Any], account: Any) -> None:
    deal = make_opportunity(account)
    client = api_as(org["ar"])
    assert client.post(f"/opportunities/{deal.pk}/advance", {"to_stage": "lost"}).status_code == 422
    lost = client.post(f"/opportunities/{deal.pk}/advance", {"to_stage": "lost", "reason": "价格高于竞争对手 20%"})
    assert lost.status_code == 200
    assert (lost.json()["outcome"], lost.json()["forecast_category"]) == ("lost", "omitted")


# --- 3. quote approval ----------------------------------------------------------------------------------


def _quote(client: Any, deal: Any, unit_cost: str) -> dict[str, Any]:
    response = client.post(
        "/quotes",
        {
            "opportunity_id": deal.pk,
            "lines": [
                {
                    "product": "CRM 企业版",
                    "quantity": "10",
                    "list_price": "10000.00",
                    "discount": "10",
                    "unit_cost": unit_cost,
                }
            ],
        },
    )
    assert response.status_code == 201, response.json()
    quote = response.json()
    assert client.post(f"/quotes/{quote['id']}/submit").status_code == 200
    return quote


def test_ar_cannot_approve_the_sr_can(org: dict[str, Any], account: Any) -> None:
    deal = make_opportunity(account)
    _team(deal, org, sr=org["sr"])
    quote = _quote(api_as(org["ar"]), deal, unit_cost="5000.00")
    assert quote["total"] == "90000.00" and quote["margin_percent"] == "44.44"

    assert api_as(org["ar"]).post(f"/quotes/{quote['id']}/approve").status_code == 403
    approved = api_as(org["sr"]).post(f"/quotes/{quote['id']}/approve")

    assert approved.status_code == 200
    assert approved.json()["status"] == "approved"
    assert approved.json()["sr_approved_by_id"] == org["sr"].pk


def test_a_margin_under_the_floor_waits_for_a_manager(org: dict[str, Any], account: Any) -> None:
    deal = make_opportunity(account)
    _team(deal, org, sr=org["sr"])
    quote = _quote(api_as(org["ar"]), deal, unit_cost="8500.00")  # 90,000 against 85,000: 5.56 %

    after_sr = api_as(org["sr"]).post(f"/quotes/{quote['id']}/approve").json()
    assert after_sr["status"] == "pending_manager"
    assert api_as(org["sr"]).post(f"/quotes/{quote['id']}/approve").status_code == 403
    assert Notification.objects.filter(recipient=org["manager"], event__kind="quote.pending_manager").exists()

    final = api_as(org["manager"]).post(f"/quotes/{quote['id']}/approve")
    assert final.status_code == 200
    assert final.json()["status"] == "approved"
    assert final.json()["manager_approved_by_id"] == org["manager"].pk


# --- 4. margins stay hidden ------------------------------------------------------------------------------


def test_margin_is_hidden_everywhere_from_who_may_not_see_it(org: dict[str, Any], account: Any, reader: Any) -> None:
    fr = make_user("fr_user", units=[org["units"]["shanghai"]])
    deal = make_opportunity(account)
    _team(deal, org, sr=org["sr"], fr=fr)
    quote = _quote(api_as(org["ar"]), deal, unit_cost="5000.00")
    api_as(org["sr"]).post(f"/quotes/{quote['id']}/reject", {"reason": "折扣过大"})
    revised = api_as(org["ar"]).patch(
        f"/quotes/{quote['id']}",
        {
            "version": quote["version"] + 2,
            "lines": [{"product": "CRM", "quantity": "1", "list_price": "100", "unit_cost": "60"}],
        },
    )
    assert revised.status_code == 200, revised.json()
    client = api_as(fr)

    seen = client.get(f"/quotes/{quote['id']}").json()
    assert seen["margin"] is None and seen["cost"] is None and seen["margin_percent"] is None
    assert all(line["unit_cost"] is None for line in seen["lines"])
    assert client.get(f"/opportunities/{deal.pk}").json()["margin_percent"] is None
    listed = client.get("/opportunities").json()["items"]
    assert [row["id"] for row in listed] == [deal.pk] and listed[0]["margin"] is None
    assert client.get("/quotes").json()["items"][0]["margin"] is None
    for path in ("/opportunities?sort=-margin", "/opportunities?min_margin_percent=10", "/quotes?sort=margin"):
        refused = client.get(path)
        assert refused.status_code == 422, path
        assert refused.json()["errors"][0]["code"] == "restricted_field"
    history = client.get(f"/quotes/{quote['id']}/history").json()
    fields = {change["field"] for entry in history for change in entry["changes"]}
    assert "total" in fields and not fields & {"margin", "cost", "margin_percent", "below_floor"}
    deal_history = client.get(f"/opportunities/{deal.pk}/history").json()
    assert not {c["field"] for e in deal_history for c in e["changes"]} & {"margin", "margin_percent"}

    # The SR of the deal, the managers above and finance (here with the global read permission) see it;
    # a global reader without finance does not.
    finance = grant_permission(org["finance_user"], "read_all_records")
    for who in (org["sr"], org["manager"], finance):
        assert api_as(who).get(f"/opportunities/{deal.pk}").json()["margin_percent"] == "40.00"
    assert api_as(reader).get(f"/opportunities/{deal.pk}").json()["margin_percent"] is None
    assert api_as(org["sr"]).get("/opportunities?sort=-margin").status_code == 422  # not every row is theirs
    assert api_as(finance).get("/opportunities?sort=-margin").status_code == 200


def test_margin_is_not_in_the_export_for_who_may_not_see_it(org: dict[str, Any], account: Any) -> None:
    from irontriangle.common.importing import run_export
    from irontriangle.pipeline.exporting import OPPORTUNITIES

    fr = make_user("fr_user", units=[org["units"]["shanghai"]])
    deal = make_opportunity(account)
    _team(deal, org, sr=org["sr"], fr=fr)
    _quote(api_as(org["ar"]), deal, unit_cost="5000.00")

    def exported(user: Any) -> list[dict[str, Any]]:
        header, rows = run_export(OPPORTUNITIES, viewer_of(user))
        return [dict(zip(header, row, strict=True)) for row in rows]

    assert [(row["id"], row["margin"], row["margin_percent"]) for row in exported(fr)] == [(deal.pk, "", "")]
    assert str(exported(org["sr"])[0]["margin_percent"]) == "44.44"


# --- 5. splits -----------------------------------------------------------------------------------------


def test_splits_must_total_100_and_holders_see_the_deal(org: dict[str, Any], account: Any) -> None:
    deal = make_opportunity(account)
    north_ar = make_user("north_ar", units=[org["units"]["north"]])
    client = api_as(org["ar"])
    assert api_as(north_ar).get(f"/opportunities/{deal.pk}").status_code == 404

    wrong = client.put(
        f"/opportunities/{deal.pk}/splits",
        [
            {"user_id": org["ar"].pk, "percent": "60", "agreement_ref": "2026-11 分配会议纪要"},
            {"user_id": north_ar.pk, "percent": "30", "agreement_ref": "2026-11 分配会议纪要"},
        ],
    )
    assert wrong.status_code == 422 and wrong.json()["code"] == "split_total"
    assert client.get(f"/opportunities/{deal.pk}/splits").json() == []

    right = client.put(
        f"/opportunities/{deal.pk}/splits",
        [
            {"user_id": org["ar"].pk, "percent": "60", "agreement_ref": "2026-11 分配会议纪要"},
            {"user_id": north_ar.pk, "percent": "40", "agreement_ref": "2026-11 分配会议纪要"},
        ],
    )
    assert right.status_code == 200
    assert sorted(row["percent"] for row in right.json()) == ["40.00", "60.00"]
    assert api_as(north_ar).get(f"/opportunities/{deal.pk}").status_code == 200
    assert [row["id"] for row in api_as(north_ar).get("/opportunities").json()["items"]] == [deal.pk]
    # Seeing the deal is not seeing the account 360.
    assert api_as(north_ar).get(f"/accounts/{account.pk}").status_code == 404


def test_a_unit_split_brings_the_deal_before_that_units_managers(org: dict[str, Any], account: Any) -> None:
    deal = make_opportunity(account)
    manager = api_as(org["north_manager"])
    assert manager.get(f"/opportunities/{deal.pk}").status_code == 404
    api_as(org["ar"]).put(
        f"/opportunities/{deal.pk}/splits",
        [
            {"unit_code": "ka-sh", "percent": "70", "agreement_ref": "纪要 12"},
            {"unit_code": "ka-north", "percent": "30", "agreement_ref": "纪要 12"},
        ],
    )
    assert manager.get(f"/opportunities/{deal.pk}").status_code == 200
    assert api_as(org["outsider"]).get(f"/opportunities/{deal.pk}").status_code == 404


# --- 6. notifications -------------------------------------------------------------------------------------


def test_an_amount_change_notifies_the_team_but_not_the_one_who_changed_it(org: dict[str, Any], account: Any) -> None:
    fr = make_user("fr_user", units=[org["units"]["shanghai"]])
    deal = make_opportunity(account, amount="1000000.00")
    _team(deal, org, sr=org["sr"], fr=fr)
    Notification.objects.all().delete()

    response = api_as(org["sr"]).patch(f"/opportunities/{deal.pk}", {"amount": "1200000.00", "version": deal.version})

    assert response.status_code == 200
    told = set(
        Notification.objects.filter(event__kind="opportunity.amount_changed").values_list("recipient_id", flat=True)
    )
    assert told == {org["ar"].pk, fr.pk}
    assert "1,200,000.00" in Notification.objects.filter(recipient=fr).get().title_en


def test_team_membership_grants_visibility_and_removal_takes_it_away(org: dict[str, Any], account: Any) -> None:
    presales = make_user("presales", units=[org["units"]["north"]])
    deal = make_opportunity(account)
    client = api_as(presales)
    assert client.get(f"/opportunities/{deal.pk}").status_code == 404

    added = api_as(org["ar"]).post(f"/opportunities/{deal.pk}/team", {"user_id": presales.pk, "role": "presales"})
    assert added.status_code == 201
    assert client.get(f"/opportunities/{deal.pk}").status_code == 200
    member = next(row for row in added.json() if row["user_id"] == presales.pk)

    assert api_as(org["ar"]).delete(f"/opportunities/{deal.pk}/team/{member['id']}").status_code == 204
    assert client.get(f"/opportunities/{deal.pk}").status_code == 404


def test_a_verified_deal_passes_the_gate_after_the_factory_helper(org: dict[str, Any], account: Any) -> None:
    deal = pass_verify_gate(make_opportunity(account))
    assert api_as(org["ar"]).post(f"/opportunities/{deal.pk}/advance", {}).json()["stage"] == "guide"
