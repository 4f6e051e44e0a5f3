"""Opportunity-level risks of the radar: single-threaded deals and procurement stakeholders nobody covers."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from irontriangle.common.access import viewer_of
from irontriangle.pipeline.models import ProcurementStep, ProcurementTemplate
from irontriangle.pipeline.services import opportunity_advance, opportunity_create
from irontriangle.relationships.risks import opportunity_risks, risks_for_viewer
from tests.conftest import api_as
from tests.factories import log_interaction, make_account, make_contact


def _deal(account, name="集团 CRM 平台", **data):
    owner = account.owner
    return opportunity_create(viewer=viewer_of(owner), actor=owner, account=account, data={"name": name, **data})


def _of(risks, deal, kind: str) -> list[dict]:
    return [
        risk
        for risk in risks
        if risk["kind"] == kind and risk["subject_type"] == "opportunity" and risk["subject_id"] == deal.pk
    ]


@pytest.fixture
def template(db):
    template = ProcurementTemplate.objects.create(
        code="group-crm", name_en="Group company buys a CRM", name_zh="集团公司采购 CRM"
    )
    ProcurementStep.objects.create(
        template=template, position=1, name_en="Needs", name_zh="需求提出", stakeholder_roles="decision_maker,user"
    )
    ProcurementStep.objects.create(
        template=template, position=2, name_en="Legal review", name_zh="法务审核", stakeholder_roles="legal"
    )
    return template


def test_a_deal_with_one_contact_met_is_single_threaded_and_two_clear_it(org, team_account):
    deal = _deal(team_account)
    first = make_contact(team_account, name="王总")
    second = make_contact(team_account, name="李处长")
    client = api_as(org["ar"])

    nobody = _of(client.get(f"/accounts/{team_account.pk}/risks").json(), deal, "single_threaded")
    assert len(nobody) == 1 and "集团 CRM 平台" in nobody[0]["message"]

    log_interaction(team_account, contact_ids=[first.pk], opportunity_id=deal.pk)
    # A visit to someone else, not logged against the deal, does not thread it.
    log_interaction(team_account, contact_ids=[second.pk])
    risks = client.get(f"/accounts/{team_account.pk}/risks").json()
    [single] = _of(risks, deal, "single_threaded")
    assert single["severity"] == "high" and single["account_id"] == team_account.pk
    assert "王总" in single["message"] and single["action"].strip()

    log_interaction(team_account, contact_ids=[first.pk, second.pk], opportunity_id=deal.pk)
    assert _of(client.get(f"/accounts/{team_account.pk}/risks").json(), deal, "single_threaded") == []


def test_a_deleted_visit_threads_nothing(org, team_account):
    deal = _deal(team_account)
    first, second = make_contact(team_account, name="甲"), make_contact(team_account, name="乙")
    log_interaction(team_account, contact_ids=[first.pk], opportunity_id=deal.pk)
    visit = log_interaction(team_account, contact_ids=[second.pk], opportunity_id=deal.pk)
    client = api_as(org["ar"])
    assert _of(client.get(f"/accounts/{team_account.pk}/risks").json(), deal, "single_threaded") == []

    assert client.delete(f"/interactions/{visit.pk}").status_code in (200, 204)
    assert len(_of(client.get(f"/accounts/{team_account.pk}/risks").json(), deal, "single_threaded")) == 1


def test_a_closed_deal_carries_no_risk(org, team_account):
    deal = _deal(team_account)
    manager = org["manager"]
    opportunity_advance(viewer=viewer_of(manager), actor=manager, opportunity=deal, to_stage="lost", reason="预算取消")
    risks = api_as(org["ar"]).get(f"/accounts/{team_account.pk}/risks").json()
    assert not [risk for risk in risks if risk["subject_type"] == "opportunity"]


def test_an_uncovered_procurement_role_is_flagged_until_a_contact_holds_it(org, team_account, template):
    make_contact(team_account, name="王总", buying_roles=["decision_maker", "user"])
    deal = _deal(team_account, procurement_template_id=template.pk)
    client = api_as(org["ar"])

    [legal] = _of(client.get(f"/accounts/{team_account.pk}/risks").json(), deal, "procurement_role_uncovered")
    assert "Legal" in legal["message"] and "Legal review" in legal["message"]
    assert legal["severity"] == "medium" and legal["action"].strip()
    chinese = api_as(org["ar"], "zh-hans").get(f"/accounts/{team_account.pk}/risks").json()
    [legal_zh] = _of(chinese, deal, legal["kind"])
    assert "法务审核" in legal_zh["message"]

    # A contact who has left covers nothing.
    gone = make_contact(team_account, name="前法务", buying_roles=["legal"], status="left")
    assert gone.status == "left"
    assert len(_of(client.get(f"/accounts/{team_account.pk}/risks").json(), deal, legal["kind"])) == 1

    make_contact(team_account, name="郑律师", buying_roles=["legal"])
    assert _of(client.get(f"/accounts/{team_account.pk}/risks").json(), deal, legal["kind"]) == []


def test_a_deal_without_a_template_has_no_procurement_risk(org, team_account, template):
    deal = _deal(team_account)
    risks = api_as(org["ar"]).get(f"/accounts/{team_account.pk}/risks").json()
    assert _of(risks, deal, "procurement_role_uncovered") == []


def test_my_risks_include_the_deals_of_my_accounts(org, team_account, template):
    deal = _deal(team_account, procurement_template_id=template.pk)
    north = make_account(org["outsider"], name="华北客户")
    theirs = _deal(north, name="华北项目")

    def deals(user) -> set[tuple[str, int]]:
        risks = api_as(user).get("/risks").json()
        return {(risk["kind"], risk["subject_id"]) for risk in risks if risk["subject_type"] == "opportunity"}

    mine = deals(org["ar"])
    assert ("single_threaded", deal.pk) in mine and ("procurement_role_uncovered", deal.pk) in mine
    assert ("single_threaded", theirs.pk) not in mine
    assert ("single_threaded", theirs.pk) in deals(org["outsider"])
    only = api_as(org["ar"]).get("/risks", {"kind": "single_threaded"}).json()
    assert only and {risk["kind"] for risk in only} == {"single_threaded"}


def test_deal_risks_cost_the_same_queries_for_one_deal_or_many(org, team_account, template):
    contacts = [make_contact(team_account, name=f"联系人{number}", buying_roles=["user"]) for number in range(3)]
    other = make_account(org["ar"], name="第二客户")

    def count() -> int:
        accounts = [team_account, other]
        with CaptureQueriesContext(connection) as queries:
            opportunity_risks(accounts)
        return len(queries)

    first = _deal(team_account, procurement_template_id=template.pk)
    log_interaction(team_account, contact_ids=[contacts[0].pk], opportunity_id=first.pk)
    few = count()
    for number in range(6):
        deal = _deal(other if number % 2 else team_account, name=f"项目{number}", procurement_template_id=template.pk)
        if number % 2 == 0:
            log_interaction(team_account, contact_ids=[c.pk for c in contacts], opportunity_id=deal.pk)
    many = count()
    assert many == few <= 4
    risks = risks_for_viewer(viewer_of(org["ar"]))
    assert len({risk.subject_id for risk in risks if risk.kind == "single_threaded"}) == 4
