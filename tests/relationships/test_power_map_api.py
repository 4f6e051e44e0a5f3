"""The power map and the nine-grid of an account."""

from __future__ import annotations

import pytest

from tests.conftest import api_as
from tests.factories import add_owner, make_contact

LEVELS = ("low", "medium", "high")


@pytest.fixture
def people(org, team_account):
    boss = make_contact(
        team_account,
        name="王总",
        title="总经理",
        buying_roles=["decision_maker", "executive"],
        influence=5,
        stance="supporter",
        intimacy="high",
        support="high",
        is_key=True,
    )
    cio = make_contact(
        team_account,
        name="陈主任",
        reports_to_id=boss.pk,
        buying_roles=["technical_evaluator"],
        influence=4,
        stance="opponent",
        intimacy="low",
        support="medium",
        is_key=True,
    )
    engineer = make_contact(team_account, name="刘工", reports_to_id=cio.pk, buying_roles=["user"], influence=2)
    add_owner(boss, org["ar"], primary=True)
    add_owner(boss, org["sr"])
    return {"boss": boss, "cio": cio, "engineer": engineer}


def test_power_map_nodes_and_reporting_edges(org, team_account, people):
    response = api_as(org["sr"]).get(f"/accounts/{team_account.pk}/power-map")

    assert response.status_code == 200
    body = response.json()
    nodes = {node["name"]: node for node in body["nodes"]}
    assert set(nodes) == {"王总", "陈主任", "刘工"}
    boss = nodes["王总"]
    assert boss["buying_roles"] == ["decision_maker", "executive"]
    assert (boss["stance"], boss["influence"], boss["intimacy"], boss["support"]) == ("supporter", 5, "high", "high")
    assert boss["is_key"] and boss["has_backup"] and boss["primary_owner"]
    cio = nodes["陈主任"]
    assert (cio["stance"], cio["influence"], cio["intimacy"], cio["support"]) == ("opponent", 4, "low", "medium")
    assert cio["has_backup"] is False and cio["primary_owner"] is None
    edges = {(edge["source"], edge["target"]) for edge in body["edges"]}
    assert edges == {(people["boss"].pk, people["cio"].pk), (people["cio"].pk, people["engineer"].pk)}
    # Who is not covered yet: nobody buys, signs the money or runs procurement.
    assert "economic_buyer" in body["uncovered_roles"] and "procurement" in body["uncovered_roles"]
    assert "decision_maker" not in body["uncovered_roles"]


def test_power_map_of_an_account_without_contacts(org, team_account):
    body = api_as(org["ar"]).get(f"/accounts/{team_account.pk}/power-map").json()
    assert body["nodes"] == [] and body["edges"] == []
    assert len(body["uncovered_roles"]) == 10


def test_nine_grid_has_nine_cells_with_actions_and_only_key_contacts(org, team_account, people):
    response = api_as(org["ar"]).get(f"/accounts/{team_account.pk}/nine-grid")

    assert response.status_code == 200
    cells = response.json()
    assert len(cells) == 9
    assert {(cell["intimacy"], cell["support"]) for cell in cells} == {(i, s) for i in LEVELS for s in LEVELS}
    assert all(cell["action"].strip() for cell in cells)
    assert len({cell["action"] for cell in cells}) == 9
    placed = {(cell["intimacy"], cell["support"]): [c["name"] for c in cell["contacts"]] for cell in cells}
    assert placed[("high", "high")] == ["王总"]
    assert placed[("low", "medium")] == ["陈主任"]
    assert sum(len(names) for names in placed.values()) == 2  # 刘工 is not a key person


def test_nine_grid_actions_speak_chinese(org, team_account, people):
    english = api_as(org["ar"]).get(f"/accounts/{team_account.pk}/nine-grid").json()
    chinese = api_as(org["ar"], language="zh-Hans").get(f"/accounts/{team_account.pk}/nine-grid").json()

    by_cell = {(cell["intimacy"], cell["support"]): cell["action"] for cell in chinese}
    assert by_cell[("high", "high")] == "维护并借力:发展为向导,配备备份负责人,不可掉以轻心。"
    assert by_cell[("low", "low")].startswith("从零开始")
    assert all(any("\u4e00" <= char <= "\u9fff" for char in action) for action in by_cell.values())
    assert {cell["action"] for cell in english}.isdisjoint(by_cell.values())


def test_a_key_contact_who_left_is_no_longer_managed_on_the_grid(org, team_account, people):
    client = api_as(org["ar"])
    client.patch(f"/contacts/{people['cio'].pk}", {"version": 1, "status": "left"})

    cells = client.get(f"/accounts/{team_account.pk}/nine-grid").json()

    assert [c["name"] for cell in cells for c in cell["contacts"]] == ["王总"]


def test_outsider_gets_404_on_the_views(org, team_account, people):
    outsider = api_as(org["outsider"])
    for view in ("power-map", "nine-grid", "risks", "org-cadence", "evaluation"):
        assert outsider.get(f"/accounts/{team_account.pk}/{view}").status_code == 404, view
    for who in ("sr", "manager"):
        for view in ("power-map", "nine-grid"):
            assert api_as(org[who]).get(f"/accounts/{team_account.pk}/{view}").status_code == 200
