"""`irontriangle demo`: the demo data set loads through the services, once, and shows every feature."""

from __future__ import annotations

from datetime import timedelta
from io import StringIO
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from irontriangle.accounts.credit_code import is_valid
from irontriangle.accounts.models import (
    Account,
    AccountTeamMember,
    CustomerInfo,
    MatrixClass,
    OwnershipRequest,
    PurchaseDriver,
    Tier,
)
from irontriangle.accounts.selectors import (
    account_tree,
    drivers_estimate,
    ka_suggestion,
    missing_roles,
    ownership_requests_visible,
    with_triangle,
)
from irontriangle.collections.models import CollectionAction, Contract, Evidence, Payment, PaymentMilestone
from irontriangle.common.access import viewer_of
from irontriangle.demo import data
from irontriangle.notifications.models import Event
from irontriangle.org.models import User
from irontriangle.pipeline.models import (
    Lead,
    LeadFollowUp,
    Opportunity,
    ProcurementTemplate,
    Quote,
    ReviewItem,
    ReviewMeeting,
    SalesProcess,
    Split,
    StageChange,
)
from irontriangle.relationships.cadence import org_cadences, visit_cadence
from irontriangle.relationships.models import (
    Contact,
    ContactOwner,
    Interaction,
    OrgActivity,
    PlanAction,
    RelationshipEvaluation,
    RelationshipPlan,
)
from irontriangle.relationships.risks import account_risks
from irontriangle.relationships.selectors import has_backup, power_map, primary_owner
from irontriangle.resources.models import DealRegistration, Partner, RequestEvent, Resource, ResourceRequest
from tests.factories import make_unit


def run_demo(*args: str) -> str:
    out = StringIO()
    call_command("demo", *args, stdout=out)
    return out.getvalue()


@pytest.fixture
def demo(db: Any) -> str:
    return run_demo()


def _snapshot() -> dict[str, Any]:
    return {
        "accounts": list(Account.all_objects.order_by("pk").values_list("pk", "version", "updated_at")),
        "account_history": Account.history.count(),  # type: ignore[attr-defined]
        "team": AccountTeamMember.objects.count(),
        "drivers": PurchaseDriver.all_objects.count(),
        "information": CustomerInfo.all_objects.count(),
        "ownership": list(OwnershipRequest.objects.order_by("pk").values_list("pk", "status")),
        "events": Event.objects.count(),
        "users": User.objects.count(),
        "contacts": list(Contact.all_objects.order_by("pk").values_list("pk", "version")),
        "owners": ContactOwner.objects.count(),
        "plans": RelationshipPlan.all_objects.count(),
        "actions": PlanAction.all_objects.count(),
        "interactions": Interaction.all_objects.count(),
        "activities": OrgActivity.all_objects.count(),
        "evaluations": RelationshipEvaluation.all_objects.count(),
        "templates": ProcurementTemplate.objects.count(),
        "leads": list(Lead.all_objects.order_by("pk").values_list("pk", "version", "status")),
        "follow_ups": LeadFollowUp.objects.count(),
        "opportunities": list(Opportunity.all_objects.order_by("pk").values_list("pk", "version", "stage_id")),
        "stage_changes": StageChange.objects.count(),
        "quotes": list(Quote.all_objects.order_by("pk").values_list("pk", "version", "status")),
        "splits": Split.objects.count(),
        "reviews": ReviewItem.objects.count(),
        "contracts": list(Contract.all_objects.order_by("pk").values_list("pk", "version")),
        "milestones": list(
            PaymentMilestone.all_objects.order_by("pk").values_list("pk", "version", "received", "status")
        ),
        "payments": Payment.all_objects.count(),
        "evidence": Evidence.objects.count(),
        "collection_actions": CollectionAction.objects.count(),
        "pool": Resource.all_objects.count(),
        "requests": list(ResourceRequest.all_objects.order_by("pk").values_list("pk", "version", "status")),
        "request_events": RequestEvent.objects.count(),
        "partners": Partner.all_objects.count(),
        "registrations": list(DealRegistration.all_objects.order_by("pk").values_list("pk", "version", "status")),
    }


def test_the_demo_loads_prints_the_logins_and_a_second_run_changes_nothing(demo):
    assert "Demo data loaded." in demo
    for username, *_rest in [*data.USERS, *data.RESOURCE_USERS, *data.PARTNER_LOGINS]:
        assert f"  {username} " in demo
    assert data.DEMO_PASSWORD in demo
    before = _snapshot()
    assert len(before["accounts"]) == len(data.ACCOUNTS)

    again = run_demo()
    assert "already loaded; nothing changed" in again
    assert data.DEMO_PASSWORD in again
    assert _snapshot() == before
    assert len(before["leads"]) == len(data.LEADS)
    assert len(before["opportunities"]) == len(data.DEALS)
    assert before["templates"] == len(data.PROCUREMENT_TEMPLATES) == 3
    # Every won deal has its contract.
    won = Opportunity.objects.filter(stage__outcome="won")
    assert len(before["contracts"]) == len(data.CONTRACTS) == won.count()
    assert set(won.values_list("contracts__number", flat=True)) == {entry.number for entry in data.CONTRACTS.values()}


def test_the_demo_loads_only_into_an_empty_database(db):
    make_unit("elsewhere", "别的公司", "ka")
    assert "was not loaded" in run_demo("--if-empty")
    assert not Account.all_objects.exists()
    with pytest.raises(CommandError):
        run_demo()


def test_credit_codes_carry_a_valid_check_character(demo):
    codes = [code for code in Account.objects.values_list("credit_code", flat=True) if code]
    assert len(codes) >= 8
    assert all(is_valid(code) for code in codes)
    websites = [site for site in Account.objects.values_list("website", flat=True) if site]
    assert websites and all(".example" in site for site in websites)


def test_accounts_form_trees_at_least_three_levels_deep_with_roll_ups(demo):
    depth = max(path.count("/") - 1 for path in Account.objects.values_list("tree_path", flat=True))
    assert depth >= 3
    group = Account.objects.get(name="中国电信集团")
    province = Account.objects.get(name="中国电信广东公司")
    assert set(province.children.values_list("name", flat=True)) == {"中国电信深圳分公司", "中国电信广州分公司"}
    assert province.parent == group
    mobile = Account.objects.get(name="中国移动通信集团")
    assert mobile.children.count() == 2

    manager = User.objects.get(username="director")
    _ancestors, nodes = account_tree(viewer_of(manager), group)
    assert len(nodes) == 4 and max(node.depth for node in nodes) == 2
    total = sum(a.potential for a in Account.objects.filter(tree_path__startswith=group.tree_path))
    assert nodes[0].rolled_up_potential == total


def test_every_matrix_class_and_tier_occurs(demo):
    assert set(Account.objects.values_list("matrix_class", flat=True)) == set(MatrixClass.values)
    assert set(Account.objects.values_list("tier", flat=True)) == set(Tier.values)


def test_one_regional_key_account_waits_for_its_ka_confirmation(demo):
    pending = [account for account in Account.objects.all() if (s := ka_suggestion(account)) and s.pending]
    assert len(pending) == 1
    account = pending[0]
    assert (account.segment, account.coverage, account.ka_rule) == ("smb", "regional", "regional")
    assert account.region and account.annual_revenue is not None and account.annual_revenue > 50_000_000
    # Another account matched a KA profile and a person kept it SMB, with the reason in its history.
    kept = Account.objects.get(name="Pacific Rim Logistics Ltd.")
    assert kept.ka_rule == "global" and kept.segment == "smb" and kept.segment_confirmed_at is not None


def test_customer_types_of_the_seeds_are_present(demo):
    steel = Account.objects.get(name="华东精工钢铁集团")
    assert steel.purchase_pattern == "continuous" and steel.on_vendor_list
    consulting = Account.objects.get(name="明德管理咨询")
    assert consulting.purchase_pattern == "occasional"
    cash_flow = Account.objects.get(cash_flow_customer=True)
    assert cash_flow.strategic_fit == "divergent"
    assert cash_flow.annual_revenue is not None and cash_flow.annual_revenue >= 1_000_000_000


def test_purchase_drivers_and_customer_information(demo):
    by_drivers = Account.objects.get(potential_basis="drivers")
    estimate = drivers_estimate(by_drivers)
    assert len(estimate.lines) >= 2
    assert by_drivers.potential == estimate.total
    assert PurchaseDriver.objects.values("account").distinct().count() >= 3
    assert set(CustomerInfo.objects.values_list("kind", flat=True)) == {"production", "equipment", "business"}
    assert not CustomerInfo.objects.filter(recorded_on__isnull=True).exists()


def test_account_teams_have_primaries_backups_and_gaps(demo):
    accounts = list(with_triangle(Account.objects.all()))
    complete = [account for account in accounts if not missing_roles(account)]
    incomplete = [account for account in accounts if missing_roles(account)]
    assert complete and incomplete
    assert any(account.name == "中国电信广州分公司" for account in incomplete)
    assert AccountTeamMember.objects.filter(is_primary=False, ended_on__isnull=True).exists()
    for role in ("ar", "sr", "fr"):
        assert AccountTeamMember.objects.filter(role=role, is_primary=True).exists()


def test_one_ownership_conflict_waits_for_the_middle_office(demo):
    pending = OwnershipRequest.objects.filter(status="pending").select_related("account__owner_unit")
    assert pending.count() == 1
    claim = pending.get()
    assert claim.kind == "claim"
    assert claim.from_unit.segment == "smb" and claim.account.owner_unit.segment == "smb"
    assert claim.to_unit.segment == "ka"
    assert claim.requested_by.memberships.filter(unit=claim.to_unit).exists()
    ops = User.objects.get(username="ops")
    assert claim in ownership_requests_visible(viewer_of(ops)).filter(status="pending")
    assert OwnershipRequest.objects.exclude(status="pending").filter(decided_by=ops).exists()


def test_demo_pages_render_for_the_demo_people(demo):
    from django.test import Client

    from irontriangle.accounts.selectors import accounts_visible

    for username in ("ar", "smb", "ops", "gm"):
        person = User.objects.get(username=username)
        client = Client()
        client.force_login(person)
        assert client.get("/accounts/").status_code == 200, username
        for account in accounts_visible(viewer_of(person)):
            response = client.get(f"/accounts/{account.pk}/")
            assert response.status_code == 200, (username, account.name)
        requests = client.get("/ownership-requests/")
        assert requests.status_code == 200, username
        if username == "ops":
            assert "浙江天越新材料" in requests.content.decode()
    admin = Client()
    admin.force_login(User.objects.get(username="admin"))
    for model in ("account", "kaprofilerule", "ownershiprequest", "purchasedriver", "customerinfo"):
        assert admin.get(f"/admin/accounts/{model}/").status_code == 200, model


# --- relationships ------------------------------------------------------------------------------------


def test_the_group_crm_purchase_has_a_whole_buying_centre_on_its_power_map(demo):
    group = Account.objects.get(name="中国电信集团")
    chart = power_map(group)
    roles = {role for contact in chart.nodes if contact.status == "active" for role in contact.roles}
    for role in ("decision_maker", "technical_evaluator", "procurement", "finance", "legal", "risk_audit", "user"):
        assert role in roles, role
    vp = next(contact for contact in chart.nodes if contact.title == "销售副总裁")
    assert "decision_maker" in vp.roles and vp.stance == "supporter"
    assert (vp.reports_to_id, vp.pk) in chart.edges
    assert len(chart.edges) >= 6
    assert {contact.stance for contact in chart.nodes} == {"supporter", "neutral", "opponent"}


def test_stances_nine_grid_owners_and_drift(demo):
    assert Contact.objects.filter(stance="opponent", buying_roles__contains="decision_maker").exists()
    key = list(Contact.objects.filter(is_key=True, status="active").prefetch_related("owners"))
    assert len({(contact.intimacy, contact.support) for contact in key}) >= 6
    assert all(primary_owner(contact) is not None for contact in key)
    assert any(has_backup(contact) for contact in key) and any(not has_backup(contact) for contact in key)
    left = Contact.objects.get(status="left")
    assert left.status_changed_on is not None and left.status_changed_on < timezone.localdate()
    assert Contact.objects.filter(status="moved", is_key=True).exists()
    kinds = {risk.kind for account in Account.objects.all() for risk in account_risks(account)}
    assert {"contact_left", "contact_moved", "no_backup", "opponent_decision_maker"} <= kinds
    # The owners heard that their key person left.
    assert Event.objects.filter(kind="contact.status_changed").count() == 2


def test_plans_visits_and_the_visit_cadence(demo):
    assert RelationshipPlan.objects.filter(status="active").count() >= 2
    assert PlanAction.objects.filter(done_on__isnull=False).exists()
    assert PlanAction.objects.filter(done_on__isnull=True).exists()
    now = timezone.now()
    assert not Interaction.objects.filter(occurred_at__gt=now).exists()
    assert Interaction.objects.filter(occurred_at__lt=now - timedelta(weeks=7)).exists()
    assert Interaction.objects.filter(minutes__contains="招标").exists()
    assert Interaction.objects.filter(minutes__contains="数字化转型").exists()
    report = visit_cadence(viewer_of(User.objects.get(username="gm")), timezone.localdate())
    people = {person.user.username: person for person in report.people}
    assert not people["ar"].below_target and not people["ar2"].below_target
    assert people["sr"].below_target and people["fr"].below_target
    # Calls were logged this week and do not count.
    assert people["sr"].visits == sum(weeks[-1] for group, weeks, _keys in data.ROUTINE_VISITS if "sr" in group)
    assert sum(people["ar"].trend) >= 30


def test_org_activities_with_an_overdue_cadence_and_an_evaluation(demo):
    kinds = set(OrgActivity.objects.values_list("kind", flat=True))
    assert kinds == {"strategic_alignment_meeting", "executive_visit", "strategic_agreement", "joint_innovation_centre"}
    agreement = OrgActivity.objects.get(kind="strategic_agreement")
    assert agreement.exclusive and agreement.key_projects and agreement.valid_until
    today = timezone.localdate()
    overdue = [cadence for cadence in org_cadences(list(Account.objects.all()), today) if cadence.overdue(today)]
    assert overdue and all(cadence.account.tier in ("s", "a") for cadence in overdue)
    assert any(cadence.account.tier == "s" for cadence in overdue)
    evaluation = RelationshipEvaluation.objects.get()
    assert evaluation.year == today.year and 0 < evaluation.checked < 9


def test_relationship_pages_render_for_the_demo_people(demo):
    from django.test import Client

    admin = Client()
    admin.force_login(User.objects.get(username="admin"))
    for model in ("contact", "interaction", "orgactivity", "ninegridcell", "orgcadencetarget"):
        assert admin.get(f"/admin/relationships/{model}/").status_code == 200, model


# --- pipeline -----------------------------------------------------------------------------------------


def _leads_in_every_status_with_bant_spin_and_follow_ups() -> None:
    assert set(Lead.objects.values_list("status", flat=True)) == {
        "new",
        "working",
        "qualified",
        "disqualified",
        "converted",
    }
    states = {state for lead in Lead.objects.all() for state in (lead.bant_budget, lead.bant_timeline)}
    assert states == {"unknown", "partial", "confirmed"}
    assert Lead.objects.exclude(spin_situation="").count() >= 5
    assert LeadFollowUp.objects.values("lead").distinct().count() >= 5
    converted = Lead.objects.filter(status="converted")
    assert converted.count() == 3 and all(lead.opportunity for lead in converted)
    # One was converted by a manager without BANT, with the reason kept.
    override = converted.exclude(conversion_override_reason="").get()
    assert override.missing_bant == ["T"]
    assert Lead.objects.get(status="disqualified").disqualified_reason


def _opportunities_at_every_stage_of_both_processes() -> None:
    for process in SalesProcess.objects.prefetch_related("stages"):
        occupied = set(Opportunity.objects.filter(process=process).values_list("stage__code", flat=True))
        assert occupied == {stage.code for stage in process.stages.all()}, process.code
    won = Opportunity.objects.filter(stage__outcome="won")
    lost = Opportunity.objects.filter(stage__outcome="lost")
    assert won and lost and all(deal.win_loss_reason and deal.closed_on for deal in [*won, *lost])
    # Every move went through a gate; the one forced open says who and why.
    override = StageChange.objects.exclude(override_reason="").select_related("by").get()
    assert override.overridden == ["guide"] and override.by.username == "director"
    assert Opportunity.objects.filter(checklist_score__gte=70).exists()
    assert Opportunity.objects.filter(checklist_score__lt=70, stage__outcome="").exists()


def _a_multi_team_deal_with_splits_and_a_lead_team() -> None:
    deal = Opportunity.objects.get(name="宁波基地 2 号高炉在线检测系统")
    splits = {split.unit.code: split for split in deal.splits.select_related("unit")}
    assert {code: split.percent for code, split in splits.items()} == {"ka-mfg": 60, "ka-telecom-south": 40}
    assert all(split.agreement_ref for split in splits.values())
    assert deal.lead_unit.code == "ka-mfg" and deal.lead_basis == "relationship"
    # The telecom director manages a unit holding a split: the deal is before him.
    from irontriangle.pipeline.selectors import opportunities_visible

    assert opportunities_visible(viewer_of(User.objects.get(username="director"))).filter(pk=deal.pk).exists()


def _a_quote_below_the_floor_waits_for_a_manager() -> None:
    quote = Quote.objects.select_related("sr_approved_by").get(status="pending_manager")
    assert quote.below_floor and quote.margin_percent is not None and quote.margin_percent < 15
    assert quote.sr_approved_by.username == "sr" and quote.manager_approved_by is None
    assert Quote.objects.filter(status="approved", below_floor=False).count() >= 4
    assert Quote.objects.filter(status="draft").exists()


def _deal_visits_procurement_templates_and_the_radar() -> None:
    assert Interaction.objects.filter(opportunity__isnull=False).count() == len(data.DEAL_VISITS)
    crm = Opportunity.objects.get(name="集团 CRM 平台")
    assert crm.procurement_template.code == "group-crm"
    kinds = {
        (risk.kind, risk.subject_id)
        for account in Account.objects.all()
        for risk in account_risks(account)
        if risk.subject_type == "opportunity"
    }
    # The group CRM deal met many people and has the whole buying centre; the Zhejiang deal has neither.
    assert ("single_threaded", crm.pk) not in kinds and ("procurement_role_uncovered", crm.pk) not in kinds
    zhejiang = Opportunity.objects.get(name="浙江移动 IT 支撑中心容量扩容")
    assert ("single_threaded", zhejiang.pk) in kinds and ("procurement_role_uncovered", zhejiang.pk) in kinds


def _a_review_meeting_with_decisions() -> None:
    meeting = ReviewMeeting.objects.get()
    assert meeting.chair.username == "director" and meeting.participants.count() == 4
    items = list(meeting.items.all())
    assert len(items) == 3 and all(item.decision and item.owner_id and item.due_on for item in items)


def _pipeline_admin_pages_render() -> None:
    from django.test import Client

    admin = Client()
    admin.force_login(User.objects.get(username="admin"))
    for model in ("salesprocess", "stage", "pipelinesettings", "procurementtemplate", "lead", "opportunity", "quote"):
        response = admin.get(f"/admin/pipeline/{model}/", follow=True)
        assert response.status_code == 200, model
    template = ProcurementTemplate.objects.get(code="group-crm")
    assert admin.get(f"/admin/pipeline/procurementtemplate/{template.pk}/change/").status_code == 200


# One load of the demo serves several checks: loading it is the slow part.


def test_leads_deals_splits_and_quotes(demo):
    _leads_in_every_status_with_bant_spin_and_follow_ups()
    _opportunities_at_every_stage_of_both_processes()
    _a_multi_team_deal_with_splits_and_a_lead_team()
    _a_quote_below_the_floor_waits_for_a_manager()


def test_deal_visits_the_radar_reviews_and_the_admin(demo):
    _deal_visits_procurement_templates_and_the_radar()
    _a_review_meeting_with_decisions()
    _pipeline_admin_pages_render()
