"""The board through the Django test client: columns, figures, and moves through the stage gate."""

from __future__ import annotations

import pytest

from irontriangle.pipeline.models import Opportunity, StageChange
from tests.factories import make_user
from tests.pipeline.web.board_data import force, fulfil_verify, open_deal


@pytest.fixture
def deal(org, team_account):
    return open_deal(team_account, name="移动云平台", amount="1200000", expected_close="2030-03-31")


def move(client, deal, to_stage, **extra):
    return client.post(f"/opportunities/{deal.pk}/move/", {"to_stage": to_stage, **extra})


def test_board_has_a_column_per_stage_in_order(client, org, deal, team_account):
    open_deal(team_account, name="移动安全项目", amount="300000")
    client.force_login(org["ar"])
    response = client.get("/opportunities/board/")
    assert response.status_code == 200
    columns = response.context["columns"]
    assert [column.stage.code for column in columns] == ["verify", "guide", "trial", "bid", "negotiate", "won", "lost"]
    verify = columns[0]
    assert verify.count == 2 and [card.name for card in verify.cards] == ["移动云平台", "移动安全项目"]
    assert [(currency, int(total)) for currency, total in verify.totals] == [("CNY", 1500000)]
    page = response.content.decode()
    assert page.count('data-testid="board-column"') == 7
    assert f'href="/opportunities/{deal.pk}/"' in page and 'data-testid="move-select"' in page
    assert f'data-move-url="/opportunities/{deal.pk}/move/"' in page
    assert "1,500,000 CNY" in page
    assert 'data-testid="nav-board"' in page


def test_process_switch_and_outsider(client, org, deal):
    client.force_login(org["ar"])
    smb = client.get("/opportunities/board/", {"process": "smb"})
    assert [column.stage.code for column in smb.context["columns"]][-2:] == ["won", "lost"]
    assert all(column.count == 0 for column in smb.context["columns"])
    client.force_login(org["outsider"])
    response = client.get("/opportunities/board/")
    assert all(column.count == 0 for column in response.context["columns"])
    assert "移动云平台" not in response.content.decode()
    assert move(client, deal, "guide").status_code == 404


def test_board_queries_are_bounded(client, org, team_account, django_assert_max_num_queries):
    for _n in range(15):
        open_deal(team_account)
    client.force_login(org["manager"])
    client.get("/opportunities/board/")
    with django_assert_max_num_queries(12):
        client.get("/opportunities/board/")


def test_move_refused_by_the_gate_then_accepted(client, org, deal):
    client.force_login(org["ar"])
    refused = move(client, deal, "guide")
    assert refused.status_code == 422
    answer = refused.json()
    assert answer["code"] == "stage_gate_unmet" and answer["can_override"] is False
    assert {item["key"] for item in answer["unmet"]} == {"bant", "guide", "decision_maker"}
    assert "Decision maker mapped on the power map" in [item["label"] for item in answer["unmet"]]
    assert Opportunity.objects.get(pk=deal.pk).stage.code == "verify"

    fulfil_verify(deal, by=org["ar"])
    moved = move(client, deal, "guide")
    assert moved.status_code == 200
    answer = moved.json()
    assert answer["ok"] and answer["stage"] == "guide"
    assert answer["columns"]["verify"] == {"count": 0, "total": "0"}
    assert answer["columns"]["guide"] == {"count": 1, "total": "1,200,000 CNY"}
    assert 'data-stage="guide"' in answer["card"] and "移动云平台" in answer["card"]
    assert Opportunity.objects.get(pk=deal.pk).stage.code == "guide"


def test_a_manager_may_override_with_a_reason(client, org, deal):
    client.force_login(org["manager"])
    refused = move(client, deal, "guide")
    assert refused.status_code == 422 and refused.json()["can_override"] is True
    moved = move(client, deal, "guide", override_reason="客户高层已口头确认")
    assert moved.status_code == 200
    change = StageChange.objects.filter(opportunity=deal).order_by("-id").first()
    assert change.override_reason == "客户高层已口头确认" and set(change.overridden) == {
        "bant",
        "guide",
        "decision_maker",
    }
    # Someone who is not a manager cannot override: a clear 403.
    client.force_login(org["ar"])
    forbidden = move(client, deal, "bid", override_reason="我觉得可以")
    assert forbidden.status_code == 403
    assert "only a manager" in forbidden.json()["detail"].lower()


def test_closing_asks_for_the_reason(client, org, deal):
    client.force_login(org["ar"])
    refused = move(client, deal, "lost")
    assert refused.status_code == 422
    assert [error["field"] for error in refused.json()["errors"]] == ["reason"]
    lost = move(client, deal, "lost", reason="预算取消")
    assert lost.status_code == 200 and lost.json()["columns"]["lost"]["count"] == 1
    deal = Opportunity.objects.get(pk=deal.pk)
    assert deal.stage.code == "lost" and deal.win_loss_reason == "预算取消"


def test_someone_who_sees_but_may_not_edit_gets_403(client, org, deal):
    presales = make_user("presales", units=[org["units"]["north"]])
    from tests.pipeline.web.board_data import join

    join(deal, presales, "presales", by=org["ar"])
    client.force_login(presales)
    response = move(client, deal, "guide")
    assert response.status_code == 403
    assert response.json()["code"] == "forbidden" and "may not move this deal" in response.json()["detail"]


def test_move_needs_post_and_a_stage(client, org, deal):
    client.force_login(org["ar"])
    assert client.get(f"/opportunities/{deal.pk}/move/").status_code == 405
    assert client.post(f"/opportunities/{deal.pk}/move/", {}).status_code == 422
    assert move(client, deal, "nowhere").json()["errors"][0]["code"] == "unknown_stage"


def test_closed_deals_stay_on_the_board(client, org, deal):
    force(deal, "won", manager=org["manager"], reason="价格与方案最优")
    client.force_login(org["ar"])
    columns = {column.stage.code: column for column in client.get("/opportunities/board/").context["columns"]}
    assert [card.name for card in columns["won"].cards] == ["移动云平台"]
