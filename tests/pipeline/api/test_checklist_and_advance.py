"""The sales checklist through the API and the stage gates of `advance` (SPEC §5, seed 000)."""

from __future__ import annotations

from typing import Any

import pytest

from irontriangle.pipeline.models import ChecklistTick, Opportunity, StageChange
from tests.conftest import api_as
from tests.factories import make_contact, make_contract, make_user, pass_verify_gate

pytestmark = pytest.mark.django_db


def _items(client: Any, deal: Any) -> dict[str, dict[str, Any]]:
    response = client.get(f"/opportunities/{deal.pk}/checklist")
    assert response.status_code == 200, response.content
    return {item["key"]: item for item in response.json()}


def _unmet(response: Any) -> list[str]:
    assert response.status_code == 422, response.content
    assert response.json()["code"] == "stage_gate_unmet"
    return sorted(item["key"] for item in response.json()["unmet"])


def _in_guide(org: dict[str, Any], deal: Any) -> Any:
    """Past verify, with the guide stage's required items met (pain chain, analysed competitor, SR)."""
    deal = pass_verify_gate(deal)
    client = api_as(org["ar"])
    assert client.post(f"/opportunities/{deal.pk}/advance", {}).json()["stage"] == "guide"
    contact = make_contact(deal.account, name="痛点人")
    client.post(f"/opportunities/{deal.pk}/pain-chain", {"contact_id": contact.pk, "pain": "计费延迟"})
    client.post(
        f"/opportunities/{deal.pk}/competitors", {"name": "友商A", "strengths": "价格低", "weaknesses": "交付慢"}
    )
    return deal


def test_the_checklist_lists_every_stage_with_what_is_done(org, deal):
    items = _items(api_as(org["sr"]), deal)

    stages = {item["stage"] for item in items.values()}
    assert stages == {"verify", "guide", "trial", "bid", "negotiate"}
    assert items["trial_accepted"]["required"] and items["trial_accepted"]["stage"] == "trial"
    assert items["sr"]["done"] and items["sr"]["automatic"]  # the SR is on the deal team
    assert not items["fr"]["done"] and not items["guide"]["done"] and not items["bid_submitted"]["done"]
    assert not items["bid_submitted"]["automatic"] and not items["solution"]["automatic"]
    assert all(item["label"] for item in items.values())
    # Only the stages reached so far count in the score.
    deal_out = api_as(org["sr"]).get(f"/opportunities/{deal.pk}").json()
    assert deal_out["checklist_total"] == sum(1 for item in items.values() if item["stage"] == "verify")


def test_a_competitor_without_weaknesses_is_not_analysed(org, deal):
    client = api_as(org["ar"])
    made = client.post(f"/opportunities/{deal.pk}/competitors", {"name": "友商B", "strengths": "关系好"})
    assert made.status_code == 201
    assert not _items(client, deal)["competitors"]["done"]

    client.patch(f"/opportunities/{deal.pk}/competitors/{made.json()['id']}", {"weaknesses": "   "})
    assert not _items(client, deal)["competitors"]["done"]

    client.patch(f"/opportunities/{deal.pk}/competitors/{made.json()['id']}", {"weaknesses": "没有本地团队"})
    assert _items(client, deal)["competitors"]["done"]

    # A second competitor not analysed yet opens the item again.
    client.post(f"/opportunities/{deal.pk}/competitors", {"name": "友商C"})
    assert not _items(client, deal)["competitors"]["done"]


def test_adding_an_fr_ticks_fr_and_removing_unticks(org, deal):
    fr = make_user("fr_user", units=[org["units"]["shanghai"]])
    client = api_as(org["ar"])
    added = client.post(f"/opportunities/{deal.pk}/team", {"user_id": fr.pk, "role": "fr"})
    assert added.status_code == 201
    assert _items(client, deal)["fr"]["done"]
    member = next(row for row in added.json() if row["user_id"] == fr.pk)
    assert member["weight"] == 10  # FR weighs little in verify

    assert client.delete(f"/opportunities/{deal.pk}/team/{member['id']}").status_code == 204
    assert not _items(client, deal)["fr"]["done"]
    again = client.post(f"/opportunities/{deal.pk}/team", {"user_id": fr.pk, "role": "fr"})
    assert client.post(f"/opportunities/{deal.pk}/team", {"user_id": fr.pk, "role": "fr"}).status_code == 409
    assert again.status_code == 201


def test_a_manual_tick_needs_evidence_and_can_be_undone(org, deal):
    client = api_as(org["ar"])
    missing = client.post(f"/opportunities/{deal.pk}/checklist/solution", {"done": True})
    assert missing.status_code == 422 and missing.json()["errors"][0]["field"] == "evidence"
    blank = client.post(f"/opportunities/{deal.pk}/checklist/solution", {"done": True, "evidence": "   "})
    assert blank.status_code == 422
    assert not ChecklistTick.objects.exists()

    ticked = client.post(
        f"/opportunities/{deal.pk}/checklist/solution", {"done": True, "evidence": "用户签字的汇报纪要"}
    )
    assert ticked.status_code == 200
    assert (ticked.json()["done"], ticked.json()["evidence"]) == (True, "用户签字的汇报纪要")
    assert _items(client, deal)["solution"]["done"]

    undone = client.post(f"/opportunities/{deal.pk}/checklist/solution", {"done": False})
    assert undone.status_code == 200 and not undone.json()["done"]
    assert not _items(client, deal)["solution"]["done"]


def test_jumping_ahead_needs_the_required_items_of_the_skipped_stages(org, deal):
    deal = pass_verify_gate(deal)
    client = api_as(org["ar"])

    to_bid = client.post(f"/opportunities/{deal.pk}/advance", {"to_stage": "bid"})
    # verify's items are met; guide's pain chain and competitors are not; the optional trial is skipped,
    # and bid's own items are for leaving bid, not for entering it.
    assert _unmet(to_bid) == ["competitors", "pain_chain"]
    to_won = client.post(f"/opportunities/{deal.pk}/advance", {"to_stage": "won", "reason": "赢了"})
    assert _unmet(to_won) == ["bid_submitted", "competitors", "fr", "milestones", "pain_chain", "quote"]
    assert Opportunity.objects.get(pk=deal.pk).stage.code == "verify"

    contact = make_contact(deal.account)
    client.post(f"/opportunities/{deal.pk}/pain-chain", {"contact_id": contact.pk, "pain": "成本高"})
    client.post(f"/opportunities/{deal.pk}/competitors", {"name": "友商", "strengths": "价低", "weaknesses": "慢"})
    jumped = client.post(f"/opportunities/{deal.pk}/advance", {"to_stage": "bid"})
    assert jumped.status_code == 200, jumped.content
    assert (jumped.json()["stage"], jumped.json()["probability"]) == ("bid", 50)


def test_moving_back_needs_nothing(org, deal):
    deal = _in_guide(org, deal)
    client = api_as(org["ar"])
    client.delete(f"/opportunities/{deal.pk}/guides/{deal.guides.get().pk}")  # verify's gate is open again

    back = client.post(f"/opportunities/{deal.pk}/advance", {"to_stage": "verify"})

    assert back.status_code == 200 and back.json()["stage"] == "verify"
    assert back.json()["probability"] == 10
    assert StageChange.objects.filter(opportunity=deal).latest("at").overridden == []


def test_the_optional_trial_is_skipped_by_default_and_entered_by_name(org, deal):
    deal = _in_guide(org, deal)
    client = api_as(org["ar"])

    trial = client.post(f"/opportunities/{deal.pk}/advance", {"to_stage": "trial"})
    assert trial.status_code == 200 and trial.json()["stage"] == "trial"
    assert "trial_accepted" in {i["key"] for i in _items(client, deal).values() if i["stage"] == "trial"}
    assert _unmet(client.post(f"/opportunities/{deal.pk}/advance", {})) == ["trial_accepted"]
    client.post(f"/opportunities/{deal.pk}/checklist/trial_accepted", {"done": True, "evidence": "试用报告已签"})
    assert client.post(f"/opportunities/{deal.pk}/advance", {}).json()["stage"] == "bid"

    other = _in_guide(org, make_other_deal(deal))
    skipped = client.post(f"/opportunities/{other.pk}/advance", {})
    assert skipped.status_code == 200 and skipped.json()["stage"] == "bid"
    # A deal that never tried counts no trial item in its score.
    items = _items(client, other)
    counted = sum(1 for item in items.values() if item["stage"] in ("verify", "guide", "bid"))
    assert skipped.json()["checklist_total"] == counted


def make_other_deal(deal: Any) -> Any:
    from tests.factories import make_opportunity
    from tests.pipeline.api.conftest import add_member

    other = make_opportunity(deal.account, name="另一个商机")
    add_member(other, Opportunity.objects.get(pk=deal.pk).team_members.get(role="sr").user, "sr")
    return other


def test_winning_needs_a_reason_and_the_last_gate(org, deal):
    client, manager = api_as(org["ar"]), api_as(org["manager"])
    assert (
        manager.post(f"/opportunities/{deal.pk}/advance", {"to_stage": "negotiate", "override_reason": "特批"}).json()[
            "stage"
        ]
        == "negotiate"
    )

    assert _unmet(client.post(f"/opportunities/{deal.pk}/advance", {"reason": "价格优势"})) == ["fr", "milestones"]
    fr = make_user("fr_user", units=[org["units"]["shanghai"]])
    client.post(f"/opportunities/{deal.pk}/team", {"user_id": fr.pk, "role": "fr"})
    # Agreed milestones are a contract's schedule, not a tick.
    make_contract(Opportunity.objects.get(pk=deal.pk), number="HT-WIN", milestones="30-60-10")

    no_reason = client.post(f"/opportunities/{deal.pk}/advance", {})
    assert no_reason.status_code == 422 and no_reason.json()["errors"][0]["field"] == "reason"
    assert Opportunity.objects.get(pk=deal.pk).stage.code == "negotiate"

    won = client.post(f"/opportunities/{deal.pk}/advance", {"reason": "技术方案领先，价格合理"})
    body = won.json()
    assert won.status_code == 200
    assert (body["stage"], body["outcome"], body["is_closed"], body["probability"]) == ("won", "won", True, 100)
    assert body["win_loss_reason"] == "技术方案领先，价格合理" and body["closed_on"]
    closed = client.post(f"/opportunities/{deal.pk}/advance", {})
    assert closed.status_code == 422 and closed.json()["errors"][0]["code"] == "closed"


def test_reopening_a_closed_deal_needs_a_manager_and_a_reason(org, deal):
    client, manager = api_as(org["ar"]), api_as(org["manager"])
    assert (
        client.post(f"/opportunities/{deal.pk}/advance", {"to_stage": "lost", "reason": "预算冻结"}).status_code == 200
    )

    by_ar = client.post(f"/opportunities/{deal.pk}/advance", {"to_stage": "verify", "override_reason": "预算解冻"})
    assert by_ar.status_code == 403
    without_reason = manager.post(f"/opportunities/{deal.pk}/advance", {"to_stage": "verify"})
    assert without_reason.status_code == 422
    assert without_reason.json()["errors"][0]["field"] == "override_reason"
    assert Opportunity.objects.get(pk=deal.pk).stage.code == "lost"

    reopened = manager.post(f"/opportunities/{deal.pk}/advance", {"to_stage": "verify", "override_reason": "预算解冻"})
    assert reopened.status_code == 200
    assert (reopened.json()["stage"], reopened.json()["closed_on"], reopened.json()["forecast_category"]) == (
        "verify",
        None,
        "pipeline",
    )
    history = manager.get(f"/opportunities/{deal.pk}/history").json()
    assert "预算解冻" in history[0]["reason"]


def test_advance_with_a_stale_version_is_409(org, deal):
    deal = pass_verify_gate(deal)
    client = api_as(org["ar"])
    stale = client.post(f"/opportunities/{deal.pk}/advance", {"version": deal.version - 1})
    assert stale.status_code == 409
    assert client.post(f"/opportunities/{deal.pk}/advance", {"version": deal.version}).json()["stage"] == "guide"
