"""The permission walker: every object route of the OpenAPI document answers an outsider and a partner
login 404, and answers the account team and the manager above with the record.

Object routes are the paths with a path parameter. ROUTES maps each path template to a fixture that
yields real ids of records the outsider cannot see (and a valid body where the method takes one), so
the answer tests access, not input validation. A new object route without an entry here makes
`test_every_object_route_has_an_entry` fail: add the route's fixture with its step. Exports, downloads,
history and mass operations are walked in test_access_bulk.py.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

import pytest

from irontriangle.accounts.models import Account, AccountTeamMember
from irontriangle.notifications.models import Notification, WebhookSubscription
from irontriangle.notifications.services import webhook_create
from tests.conftest import ApiClient, api_as
from tests.factories import add_to_team, make_account, update_account

METHODS = ("get", "post", "put", "patch", "delete")


@dataclass
class ObjectRoute:
    """Values for the path parameters of one template, and a valid body per method that takes one."""

    params: dict[str, Any]
    bodies: dict[str, Any] = field(default_factory=dict)
    # Directories every colleague may read (the presales pool, partners) are walked by a partner's login,
    # for whom they do not exist; a colleague's writes to them are refused in their own tests.
    outsider: str = "outsider"


# --- what the outsider may not see ---------------------------------------------------------------


@pytest.fixture
def hidden_account(org) -> Account:
    account = make_account(org["ar"], name="外人看不到的客户")
    add_to_team(account, org["sr"], "sr")
    return account


@pytest.fixture
def hidden_account_route(org, hidden_account) -> ObjectRoute:
    return ObjectRoute({"account_id": hidden_account.pk}, {"patch": {"version": 1, "region": "上海"}})


@pytest.fixture
def hidden_team_route(org, hidden_account) -> ObjectRoute:
    return ObjectRoute({"account_id": hidden_account.pk}, {"post": {"user_id": org["outsider"].pk, "role": "fr"}})


@pytest.fixture
def hidden_team_member_route(org, hidden_account) -> ObjectRoute:
    member = AccountTeamMember.objects.get(account=hidden_account, user=org["sr"])
    return ObjectRoute({"account_id": hidden_account.pk, "member_id": member.pk})


@pytest.fixture
def others_notification_route(org, hidden_account) -> ObjectRoute:
    update_account(hidden_account, org["ar"], region="浦东")  # notifies the SR
    notification = Notification.objects.get(recipient=org["sr"], event__kind="account.updated")
    return ObjectRoute({"notification_id": notification.pk})


@pytest.fixture
def webhook_route(org) -> ObjectRoute:
    from irontriangle.common.access import viewer_of

    subscription = webhook_create(
        viewer=viewer_of(org["admin"]), url="http://127.0.0.1:9/hook", events=["account.updated"], secret="s3cret"
    )
    return ObjectRoute({"webhook_id": subscription.pk})


@pytest.fixture
def trashed_account_route(org) -> ObjectRoute:
    from irontriangle.accounts.services import account_delete
    from irontriangle.common.access import viewer_of

    account = make_account(org["ar"], name="回收站里的客户")
    account_delete(viewer=viewer_of(org["ar"]), actor=org["ar"], account=account)
    return ObjectRoute({"kind": "accounts.account", "record_id": account.pk})


@pytest.fixture
def hidden_driver_route(org, hidden_account) -> ObjectRoute:
    from irontriangle.accounts.services import driver_create
    from irontriangle.common.access import viewer_of

    driver = driver_create(
        viewer=viewer_of(org["ar"]),
        actor=org["ar"],
        account=hidden_account,
        data={"name": "用户数", "volume": "1000", "factor": "12"},
    )
    return ObjectRoute(
        {"account_id": hidden_account.pk, "driver_id": driver.pk},
        {"post": {"name": "站点", "volume": "10", "factor": "5"}, "patch": {"version": 1, "volume": "2000"}},
    )


@pytest.fixture
def hidden_info_route(org, hidden_account) -> ObjectRoute:
    from irontriangle.accounts.services import customer_info_create
    from irontriangle.common.access import viewer_of

    info = customer_info_create(
        viewer=viewer_of(org["ar"]),
        actor=org["ar"],
        account=hidden_account,
        data={"kind": "equipment", "title": "两条产线", "recorded_on": "2026-10-01"},
    )
    return ObjectRoute(
        {"account_id": hidden_account.pk, "info_id": info.pk},
        {
            "post": {"kind": "business", "title": "新工厂", "recorded_on": "2026-11-01"},
            "patch": {"version": 1, "title": "三条产线"},
        },
    )


@pytest.fixture
def hidden_segment_route(org, hidden_account) -> ObjectRoute:
    return ObjectRoute({"account_id": hidden_account.pk}, {"post": {"segment": "ka", "reason": "区域龙头"}})


@pytest.fixture
def hidden_ownership_route(org, hidden_account) -> ObjectRoute:
    from irontriangle.accounts.services import ownership_request_create
    from irontriangle.common.access import viewer_of

    request = ownership_request_create(
        viewer=viewer_of(org["ar"]),
        actor=org["ar"],
        account_id=hidden_account.pk,
        unit_code="ka-north",
        reason="客户总部迁往北京",
    )
    return ObjectRoute({"request_id": request.pk}, {"post": {"approve": True, "reason": "同意"}})


@pytest.fixture
def hidden_contact_route(org, hidden_account) -> ObjectRoute:
    from tests.factories import add_owner, make_contact

    contact = make_contact(hidden_account, name="外人看不到的联系人", is_key=True)
    owner = add_owner(contact, org["sr"], primary=True)
    return ObjectRoute(
        {"account_id": hidden_account.pk, "contact_id": contact.pk, "owner_id": owner.pk},
        {
            "patch": {"version": 1, "title": "被改了"},
            "post": {"user_id": org["outsider"].pk, "is_primary": True},
            "put": {"strategy_set": True},
        },
    )


@pytest.fixture
def hidden_plan_route(org, hidden_contact_route) -> ObjectRoute:
    from irontriangle.common.access import viewer_of
    from irontriangle.relationships.models import Contact
    from irontriangle.relationships.services import plan_action_add, plan_create

    contact = Contact.objects.get(pk=hidden_contact_route.params["contact_id"])
    viewer = viewer_of(org["ar"])
    plan = plan_create(
        viewer=viewer,
        actor=org["ar"],
        contact=contact,
        data={"goal": "提升亲密度", "target_intimacy": "high", "target_support": "high", "target_stance": "supporter"},
    )
    action = plan_action_add(viewer=viewer, actor=org["ar"], plan=plan, data={"title": "拜访"})
    return ObjectRoute(
        {"contact_id": contact.pk, "plan_id": plan.pk, "action_id": action.pk},
        {
            "post": {"title": "外人的行动"},
            "patch": {"version": 1, "goal": "被改了", "title": "被改了"},
        },
    )


@pytest.fixture
def hidden_plans_route(org, hidden_contact_route) -> ObjectRoute:
    return ObjectRoute(
        {"contact_id": hidden_contact_route.params["contact_id"]},
        {
            "post": {
                "goal": "外人的计划",
                "target_intimacy": "high",
                "target_support": "high",
                "target_stance": "supporter",
            }
        },
    )


@pytest.fixture
def hidden_interaction_route(org, hidden_account) -> ObjectRoute:
    from tests.factories import log_interaction

    interaction = log_interaction(hidden_account, minutes="外人看不到的纪要")
    return ObjectRoute({"interaction_id": interaction.pk}, {"patch": {"version": 1, "minutes": "被改了"}})


@pytest.fixture
def hidden_org_activity_route(org, hidden_account) -> ObjectRoute:
    from irontriangle.common.access import viewer_of
    from irontriangle.relationships.services import org_activity_create

    activity = org_activity_create(
        viewer=viewer_of(org["ar"]),
        actor=org["ar"],
        data={"kind": "executive_visit", "account_id": hidden_account.pk, "occurred_on": "2026-05-01"},
    )
    return ObjectRoute({"activity_id": activity.pk}, {"patch": {"version": 1, "outcome": "被改了"}})


# --- the pipeline: a lead, a deal with everything hanging off it, a quote and a review ---------------


@dataclass
class HiddenDeal:
    lead: Any
    opportunity: Any
    contact: Any
    member: Any
    guide: Any
    competitor: Any
    pain: Any
    quote: Any
    meeting: Any
    item: Any


@pytest.fixture
def hidden_deal(org, hidden_account) -> HiddenDeal:
    from irontriangle.common.access import viewer_of
    from irontriangle.pipeline import services
    from irontriangle.pipeline.models import OpportunityTeamMember
    from tests.factories import make_contact, make_lead, make_opportunity

    ar, viewer = org["ar"], viewer_of(org["ar"])
    lead = make_lead(ar, account=hidden_account, name="外人看不到的线索")
    deal = make_opportunity(hidden_account, name="外人看不到的商机", amount="500000.00")
    contact = make_contact(hidden_account, name="商机向导")
    member = services.opportunity_team_add(viewer=viewer, actor=ar, opportunity=deal, user_id=org["sr"].pk, role="sr")
    guide = services.guide_add(
        viewer=viewer, actor=ar, opportunity=deal, data={"contact_id": contact.pk, "level": "advise"}
    )
    competitor = services.competitor_add(
        viewer=viewer, actor=ar, opportunity=deal, data={"name": "对手甲", "strengths": "价格", "weaknesses": "服务"}
    )
    pain = services.pain_link_add(
        viewer=viewer, actor=ar, opportunity=deal, data={"contact_id": contact.pk, "pain": "库存高"}
    )
    quote = services.quote_create(
        viewer=viewer,
        actor=ar,
        opportunity=deal,
        data={"lines": [{"product": "CRM", "quantity": "1", "list_price": "100000", "unit_cost": "40000"}]},
    )
    quote = services.quote_submit(viewer=viewer, actor=ar, quote=quote)
    meeting = services.review_create(
        viewer=viewer, actor=ar, data={"title": "周例会", "held_on": "2026-11-02", "unit_code": "ka-sh"}
    )
    item = services.review_item_add(
        viewer=viewer, actor=ar, meeting=meeting, data={"opportunity_id": deal.pk, "decision": "继续跟进"}
    )
    assert OpportunityTeamMember.objects.filter(opportunity=deal).count() == 2
    return HiddenDeal(lead, deal, contact, member, guide, competitor, pain, quote, meeting, item)


@pytest.fixture
def hidden_lead_route(hidden_deal) -> ObjectRoute:
    return ObjectRoute(
        {"lead_id": hidden_deal.lead.pk},
        {"patch": {"version": 1, "name": "被改了"}, "post": {"override_reason": "外人强转"}},
    )


@pytest.fixture
def hidden_follow_up_route(hidden_deal) -> ObjectRoute:
    return ObjectRoute({"lead_id": hidden_deal.lead.pk}, {"post": {"note": "外人的跟进"}})


def _deal_params(deal: HiddenDeal) -> dict[str, Any]:
    return {
        "opportunity_id": deal.opportunity.pk,
        "key": "solution",
        "member_id": deal.member.pk,
        "guide_id": deal.guide.pk,
        "competitor_id": deal.competitor.pk,
        "link_id": deal.pain.pk,
    }


@pytest.fixture
def hidden_deal_route(hidden_deal) -> ObjectRoute:
    return ObjectRoute(
        _deal_params(hidden_deal),
        {
            "patch": {"version": hidden_deal.opportunity.version, "name": "被改了"},
            "post": {"to_stage": "lost", "reason": "x"},
        },
    )


@pytest.fixture
def hidden_deal_tick_route(hidden_deal) -> ObjectRoute:
    return ObjectRoute(_deal_params(hidden_deal), {"post": {"done": True, "evidence": "外人勾的"}})


@pytest.fixture
def hidden_deal_team_route(org, hidden_deal) -> ObjectRoute:
    return ObjectRoute(_deal_params(hidden_deal), {"post": {"user_id": org["outsider"].pk, "role": "fr"}})


@pytest.fixture
def hidden_deal_guide_route(hidden_deal) -> ObjectRoute:
    return ObjectRoute(
        _deal_params(hidden_deal), {"post": {"contact_id": hidden_deal.contact.pk, "level": "intervene"}}
    )


@pytest.fixture
def hidden_deal_competitor_route(hidden_deal) -> ObjectRoute:
    return ObjectRoute(
        _deal_params(hidden_deal), {"post": {"name": "外人加的对手"}, "patch": {"threat": "high", "name": "被改了"}}
    )


@pytest.fixture
def hidden_deal_pain_route(hidden_deal) -> ObjectRoute:
    return ObjectRoute(_deal_params(hidden_deal), {"post": {"contact_id": hidden_deal.contact.pk, "pain": "外人的痛"}})


@pytest.fixture
def hidden_deal_splits_route(org, hidden_deal) -> ObjectRoute:
    return ObjectRoute(
        _deal_params(hidden_deal),
        {"put": [{"user_id": org["outsider"].pk, "percent": "100", "agreement_ref": "外人自己定的"}]},
    )


@pytest.fixture
def hidden_quote_route(hidden_deal) -> ObjectRoute:
    return ObjectRoute(
        {"quote_id": hidden_deal.quote.pk},
        {"patch": {"version": hidden_deal.quote.version, "notes": "被改了"}, "post": {"reason": "外人驳回"}},
    )


@pytest.fixture
def hidden_review_route(hidden_deal) -> ObjectRoute:
    return ObjectRoute(
        {"meeting_id": hidden_deal.meeting.pk, "item_id": hidden_deal.item.pk},
        {"post": {"opportunity_id": hidden_deal.opportunity.pk, "decision": "外人的决定"}},
    )


class Multipart(dict):
    """A body sent as a multipart form (file uploads) rather than JSON."""


PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@dataclass
class HiddenContract:
    contract: Any
    milestone: Any
    payment: Any
    evidence: Any
    sign_off: Any


@pytest.fixture
def hidden_contract(org, hidden_deal) -> HiddenContract:
    import io
    from datetime import date
    from decimal import Decimal

    from irontriangle.collections import services
    from irontriangle.common.access import viewer_of
    from tests.factories import make_contract

    ar, viewer = org["ar"], viewer_of(org["ar"])
    contract = make_contract(hidden_deal.opportunity, number="HT-外人", milestones="30-60-10")
    contract.refresh_from_db()
    milestone = contract.milestones.order_by("position").first()
    payment = services.payment_record(
        viewer=viewer, actor=ar, milestone=milestone, data={"amount": Decimal("1000"), "received_on": date.today()}
    )
    evidence = services.evidence_upload(
        viewer=viewer,
        actor=ar,
        contract=contract,
        milestone=milestone,
        kind="invoice",
        name="invoice.pdf",
        data=io.BytesIO(PDF),
        size=len(PDF),
    )
    sign_off = services.sign_off_add(
        viewer=viewer, actor=ar, milestone=milestone, data={"contact_id": hidden_deal.contact.pk, "role": "finance"}
    )
    return HiddenContract(contract, milestone, payment, evidence, sign_off)


def _contract_params(hidden: HiddenContract) -> dict[str, Any]:
    return {
        "contract_id": hidden.contract.pk,
        "milestone_id": hidden.milestone.pk,
        "payment_id": hidden.payment.pk,
        "evidence_id": hidden.evidence.pk,
        "sign_off_id": hidden.sign_off.pk,
        "key": "issues_closed",
    }


@pytest.fixture
def hidden_contract_route(hidden_contract) -> ObjectRoute:
    return ObjectRoute(
        _contract_params(hidden_contract),
        {
            "patch": {"version": hidden_contract.contract.version, "notes": "被改了"},
            "put": {"milestones": [{"kind": "down_payment", "percent": "100", "due_on": "2026-12-01"}]},
            "post": {"template": "100-signing"},
        },
    )


@pytest.fixture
def hidden_contract_post_route(org, hidden_contract) -> ObjectRoute:
    """The contract's sub-resources that take a POST: evidence (multipart), actions, checklist ticks."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    params = _contract_params(hidden_contract)
    return ObjectRoute(
        params,
        {
            "evidence": Multipart(
                {"file": SimpleUploadedFile("invoice.pdf", PDF, "application/pdf"), "kind": "invoice"}
            ),
            "actions": {"kind": "call", "outcome": "外人催款"},
            "checklist": {"done": True, "note": "外人勾的"},
        },
    )


@pytest.fixture
def hidden_milestone_route(hidden_contract) -> ObjectRoute:
    return ObjectRoute(
        _contract_params(hidden_contract),
        {
            "invoice": {"invoiced_on": "2026-11-01"},
            "dispute": {"reason": "外人说有争议"},
            "resolve-dispute": {"note": "外人说解决了"},
            "sign-offs": {"contact_id": 1, "role": "quality"},
            "patch": {"notes": "外人改的"},
        },
    )


@pytest.fixture
def hidden_request_route(org, hidden_deal) -> ObjectRoute:
    from datetime import timedelta

    from django.utils import timezone

    from irontriangle.common.access import viewer_of
    from irontriangle.resources.services import request_create

    request = request_create(
        viewer=viewer_of(org["ar"]),
        actor=org["ar"],
        opportunity=hidden_deal.opportunity,
        data={"kind": "poc", "hours": 8, "needed_by": timezone.localdate() + timedelta(days=7)},
    )
    return ObjectRoute(
        {"request_id": request.pk},
        {
            "assign": {"resource_id": 1},
            "decline": {"reason": "外人拒绝"},
            "done": {"outcome": "外人完成"},
            "patch": {"version": 1, "hours": 99},
        },
    )


@pytest.fixture
def directory_route(org) -> ObjectRoute:
    from irontriangle.common.access import viewer_of
    from irontriangle.resources.services import partner_create, partner_user_create, resource_create

    admin = org["admin"]
    partner = partner_create(
        viewer=viewer_of(admin), actor=admin, data={"name": "外部伙伴", "type": "si", "tier": "gold"}
    )
    other = partner_create(
        viewer=viewer_of(admin), actor=admin, data={"name": "别家伙伴", "type": "isv", "tier": "silver"}
    )
    partner_user_create(
        viewer=viewer_of(admin),
        actor=admin,
        partner=other,
        data={"username": "other_partner", "password": "Other-2026!x"},
    )
    resource = resource_create(
        viewer=viewer_of(admin),
        actor=admin,
        user=org["sr"],
        data={"support_tier": "tier1", "weekly_capacity_hours": 40, "unit_code": "ka-sh"},
    )
    return ObjectRoute(
        {"partner_id": partner.pk, "resource_id": resource.pk},
        {
            "contacts": {"name": "外人"},
            "users": {"username": "intruder", "password": "Intruder-2026!x"},
            "meetings": {"occurred_on": "2026-11-01", "subject": "外人会议"},
            "patch": {"version": 1, "notes": "外人改的"},
        },
        outsider="other_partner",
    )


@pytest.fixture
def hidden_registration_route(org, hidden_account) -> ObjectRoute:
    from irontriangle.common.access import viewer_of
    from irontriangle.resources.services import registration_create

    registration = registration_create(
        viewer=viewer_of(org["ar"]),
        actor=org["ar"],
        data={"project": "外人看不到的报备"},
        unit=org["units"]["shanghai"],
        account=hidden_account,
    )
    return ObjectRoute(
        {"registration_id": registration.pk},
        {"approve": {"note": "外人批准"}, "reject": {"reason": "外人驳回"}},
    )


ROUTES: dict[str, str] = {
    "/api/v1/resource-pool/{resource_id}": "directory_route",
    "/api/v1/resource-requests/{request_id}": "hidden_request_route",
    "/api/v1/resource-requests/{request_id}/assign": "hidden_request_route",
    "/api/v1/resource-requests/{request_id}/decline": "hidden_request_route",
    "/api/v1/resource-requests/{request_id}/done": "hidden_request_route",
    "/api/v1/resource-requests/{request_id}/events": "hidden_request_route",
    "/api/v1/resource-requests/{request_id}/history": "hidden_request_route",
    "/api/v1/partners/{partner_id}": "directory_route",
    "/api/v1/partners/{partner_id}/contacts": "directory_route",
    "/api/v1/partners/{partner_id}/users": "directory_route",
    "/api/v1/partners/{partner_id}/meetings": "directory_route",
    "/api/v1/deal-registrations/{registration_id}": "hidden_registration_route",
    "/api/v1/deal-registrations/{registration_id}/approve": "hidden_registration_route",
    "/api/v1/deal-registrations/{registration_id}/reject": "hidden_registration_route",
    "/api/v1/deal-registrations/{registration_id}/withdraw": "hidden_registration_route",
    "/api/v1/accounts/{account_id}/confirm-segment": "hidden_segment_route",
    "/api/v1/accounts/{account_id}/tree": "hidden_account_route",
    "/api/v1/accounts/{account_id}/potential": "hidden_account_route",
    "/api/v1/accounts/{account_id}/drivers": "hidden_driver_route",
    "/api/v1/accounts/{account_id}/drivers/{driver_id}": "hidden_driver_route",
    "/api/v1/accounts/{account_id}/information": "hidden_info_route",
    "/api/v1/accounts/{account_id}/information/{info_id}": "hidden_info_route",
    "/api/v1/ownership-requests/{request_id}": "hidden_ownership_route",
    "/api/v1/ownership-requests/{request_id}/decide": "hidden_ownership_route",
    "/api/v1/ownership-requests/{request_id}/withdraw": "hidden_ownership_route",
    "/api/v1/accounts/{account_id}": "hidden_account_route",
    "/api/v1/accounts/{account_id}/history": "hidden_account_route",
    "/api/v1/accounts/{account_id}/team": "hidden_team_route",
    "/api/v1/accounts/{account_id}/team/{member_id}": "hidden_team_member_route",
    "/api/v1/notifications/{notification_id}/read": "others_notification_route",
    "/api/v1/webhooks/{webhook_id}": "webhook_route",
    "/api/v1/webhooks/{webhook_id}/deliveries": "webhook_route",
    "/api/v1/trash/{kind}/{record_id}/restore": "trashed_account_route",
    "/api/v1/accounts/{account_id}/power-map": "hidden_account_route",
    "/api/v1/accounts/{account_id}/nine-grid": "hidden_account_route",
    "/api/v1/accounts/{account_id}/risks": "hidden_account_route",
    "/api/v1/accounts/{account_id}/org-cadence": "hidden_account_route",
    "/api/v1/accounts/{account_id}/evaluation": "hidden_contact_route",
    "/api/v1/contacts/{contact_id}": "hidden_contact_route",
    "/api/v1/contacts/{contact_id}/history": "hidden_contact_route",
    "/api/v1/contacts/{contact_id}/owners": "hidden_contact_route",
    "/api/v1/contacts/{contact_id}/owners/{owner_id}": "hidden_contact_route",
    "/api/v1/contacts/{contact_id}/plans": "hidden_plans_route",
    "/api/v1/contacts/{contact_id}/plans/{plan_id}": "hidden_plan_route",
    "/api/v1/contacts/{contact_id}/plans/{plan_id}/actions": "hidden_plan_route",
    "/api/v1/contacts/{contact_id}/plans/{plan_id}/actions/{action_id}": "hidden_plan_route",
    "/api/v1/interactions/{interaction_id}": "hidden_interaction_route",
    "/api/v1/org-activities/{activity_id}": "hidden_org_activity_route",
    "/api/v1/leads/{lead_id}": "hidden_lead_route",
    "/api/v1/leads/{lead_id}/convert": "hidden_lead_route",
    "/api/v1/leads/{lead_id}/history": "hidden_lead_route",
    "/api/v1/leads/{lead_id}/follow-ups": "hidden_follow_up_route",
    "/api/v1/opportunities/{opportunity_id}": "hidden_deal_route",
    "/api/v1/opportunities/{opportunity_id}/advance": "hidden_deal_route",
    "/api/v1/opportunities/{opportunity_id}/history": "hidden_deal_route",
    "/api/v1/opportunities/{opportunity_id}/checklist": "hidden_deal_route",
    "/api/v1/opportunities/{opportunity_id}/checklist/{key}": "hidden_deal_tick_route",
    "/api/v1/opportunities/{opportunity_id}/team": "hidden_deal_team_route",
    "/api/v1/opportunities/{opportunity_id}/team/{member_id}": "hidden_deal_team_route",
    "/api/v1/opportunities/{opportunity_id}/guides": "hidden_deal_guide_route",
    "/api/v1/opportunities/{opportunity_id}/guides/{guide_id}": "hidden_deal_guide_route",
    "/api/v1/opportunities/{opportunity_id}/competitors": "hidden_deal_competitor_route",
    "/api/v1/opportunities/{opportunity_id}/competitors/{competitor_id}": "hidden_deal_competitor_route",
    "/api/v1/opportunities/{opportunity_id}/pain-chain": "hidden_deal_pain_route",
    "/api/v1/opportunities/{opportunity_id}/pain-chain/{link_id}": "hidden_deal_pain_route",
    "/api/v1/opportunities/{opportunity_id}/splits": "hidden_deal_splits_route",
    "/api/v1/quotes/{quote_id}": "hidden_quote_route",
    "/api/v1/quotes/{quote_id}/history": "hidden_quote_route",
    "/api/v1/quotes/{quote_id}/submit": "hidden_quote_route",
    "/api/v1/quotes/{quote_id}/approve": "hidden_quote_route",
    "/api/v1/quotes/{quote_id}/reject": "hidden_quote_route",
    "/api/v1/reviews/{meeting_id}": "hidden_review_route",
    "/api/v1/reviews/{meeting_id}/items": "hidden_review_route",
    "/api/v1/reviews/{meeting_id}/items/{item_id}": "hidden_review_route",
    "/api/v1/contracts/{contract_id}": "hidden_contract_route",
    "/api/v1/contracts/{contract_id}/history": "hidden_contract_route",
    "/api/v1/contracts/{contract_id}/milestones": "hidden_contract_route",
    "/api/v1/contracts/{contract_id}/milestones/apply-template": "hidden_contract_route",
    "/api/v1/contracts/{contract_id}/evidence": "hidden_contract_post_route",
    "/api/v1/contracts/{contract_id}/actions": "hidden_contract_post_route",
    "/api/v1/contracts/{contract_id}/checklist": "hidden_contract_post_route",
    "/api/v1/contracts/{contract_id}/checklist/{key}": "hidden_contract_post_route",
    "/api/v1/milestones/{milestone_id}": "hidden_milestone_route",
    "/api/v1/milestones/{milestone_id}/history": "hidden_milestone_route",
    "/api/v1/milestones/{milestone_id}/invoice": "hidden_milestone_route",
    "/api/v1/milestones/{milestone_id}/dispute": "hidden_milestone_route",
    "/api/v1/milestones/{milestone_id}/resolve-dispute": "hidden_milestone_route",
    "/api/v1/milestones/{milestone_id}/sign-offs": "hidden_milestone_route",
    "/api/v1/milestones/{milestone_id}/sign-offs/{sign_off_id}": "hidden_milestone_route",
    "/api/v1/evidence/{evidence_id}": "hidden_contract_route",
    "/api/v1/evidence/{evidence_id}/download": "hidden_contract_route",
    "/api/v1/payments/{payment_id}": "hidden_contract_route",
}


# --- the walk ------------------------------------------------------------------------------------


@pytest.fixture
def openapi(db) -> dict[str, Any]:
    response = ApiClient().get("/api/v1/openapi.json")
    assert response.status_code == 200
    return response.json()


def _operations(openapi: dict[str, Any]) -> list[tuple[str, str, dict[str, Any]]]:
    return [
        (path, method, operation)
        for path, item in openapi["paths"].items()
        for method, operation in item.items()
        if method in METHODS
    ]


def _is_object_route(path: str) -> bool:
    return "{" in path


def _body_for(route: ObjectRoute, method: str, path: str) -> Any:
    """The body for this method, or (when one fixture serves several sub-resources) for the path's last
    literal segment, e.g. `dispute` or `sign-offs`."""
    segment = next((part for part in reversed(path.split("/")) if part and "{" not in part), "")
    for key in (segment, method):
        if key in route.bodies and not (key == method and segment in route.bodies):
            return route.bodies[key]
    if method in route.bodies:
        return route.bodies[method]
    raise AssertionError(f"{method.upper()} {path} takes a body: give a valid one in its fixture")


def test_every_object_route_has_an_entry(openapi):
    object_routes = {path for path, _method, _operation in _operations(openapi) if _is_object_route(path)}

    missing = sorted(object_routes - set(ROUTES))
    stale = sorted(set(ROUTES) - object_routes)

    assert not missing, f"object routes without an entry in ROUTES (add a fixture for them): {missing}"
    assert not stale, f"ROUTES names paths the API no longer has: {stale}"


def _call(client: ApiClient, route: ObjectRoute, path: str, method: str, operation: dict[str, Any]) -> Any:
    names = set(re.findall(r"{(\w+)}", path))
    assert names <= set(route.params), f"{path}: the fixture gives no value for {names - set(route.params)}"
    url = path.format(**route.params)
    if "requestBody" in operation:
        body = _body_for(route, method, path)
        if isinstance(body, Multipart):
            return client.upload(url, body)
        return getattr(client, method)(url, body)
    return getattr(client, method)(url)


def _walk_expecting_404(openapi, request, login_for: Any) -> None:
    """Every method of every object route, as the user `login_for(route)` names: 404 `not_found`."""
    from irontriangle.org.models import User

    clients: dict[str, ApiClient] = {}
    failures: list[str] = []
    calls = 0
    for path, method, operation in _operations(openapi):
        if not _is_object_route(path) or path not in ROUTES:
            continue
        route: ObjectRoute = request.getfixturevalue(ROUTES[path])
        username = login_for(route)
        if username not in clients:
            clients[username] = api_as(User.objects.get(username=username))
        response = _call(clients[username], route, path, method, operation)
        calls += 1
        if response.status_code != 404 or response.json().get("code") != "not_found":
            failures.append(f"{username}: {method.upper()} {path} → {response.status_code} {response.content[:200]!r}")

    assert calls >= len(ROUTES)
    assert not failures, "\n".join(failures)


def test_outsider_gets_404_on_every_object_route(org, openapi, request):
    _walk_expecting_404(openapi, request, lambda route: route.outsider)
    _assert_untouched(org, request)


def test_a_partner_login_gets_404_on_every_object_route(org, openapi, request):
    """An external user sees its own registrations and shared deals; none of these records is either."""
    request.getfixturevalue("directory_route")  # creates the partner login `other_partner`
    _walk_expecting_404(openapi, request, lambda route: "other_partner")
    _assert_untouched(org, request)


# Who reads each fixture's records: the account team (the AR owns them, the SR sits on the team) and the
# manager of the region above; the administrator's own webhooks only to administrators; another person's
# notification to nobody else; the directories to every colleague; an ownership request to who asked, the
# account's owner and the managers of the units it moves between (not the rest of the team).
READERS: dict[str, tuple[str, ...]] = {
    "hidden_ownership_route": ("ar", "manager"),
    "webhook_route": ("admin",),
    "others_notification_route": ("sr",),
    "trashed_account_route": ("ar",),
    "directory_route": ("ar", "sr", "manager", "outsider"),
}
TEAM_READERS = ("ar", "sr", "manager")


def test_the_team_and_the_manager_above_read_every_object_route(org, openapi, request):
    """The other side of the outsider walk: the same records answer 200 to the people who may see them,
    so the 404s above are about access and not about broken fixtures."""
    clients = {name: api_as(org[name]) for name in ("ar", "sr", "manager", "outsider", "admin")}
    failures: list[str] = []
    reads = 0
    for path, method, operation in _operations(openapi):
        if method != "get" or not _is_object_route(path):
            continue
        fixture = ROUTES[path]
        route: ObjectRoute = request.getfixturevalue(fixture)
        for who in READERS.get(fixture, TEAM_READERS):
            response = _call(clients[who], route, path, method, operation)
            reads += 1
            if response.status_code != 200:
                failures.append(f"{who}: GET {path} → {response.status_code} {response.content[:200]!r}")
    assert reads > 50
    assert not failures, "\n".join(failures)


def _assert_untouched(org, request) -> None:
    """The walk tried writes and deletes: every record must be as it was."""
    routes = {name: request.getfixturevalue(name) for name in set(ROUTES.values())}
    account = Account.all_objects.get(pk=routes["hidden_account_route"].params["account_id"])
    assert (account.version, account.region, account.deleted_at) == (2, "浦东", None)
    assert AccountTeamMember.objects.get(pk=routes["hidden_team_member_route"].params["member_id"]).ended_on is None
    assert not AccountTeamMember.objects.filter(user=org["outsider"]).exists()
    notification = Notification.objects.get(pk=routes["others_notification_route"].params["notification_id"])
    assert notification.read_at is None
    assert WebhookSubscription.objects.get(pk=routes["webhook_route"].params["webhook_id"]).is_active
    trashed = Account.all_objects.get(pk=routes["trashed_account_route"].params["record_id"])
    assert trashed.deleted_at is not None
    _assert_relationships_untouched(org, routes)
    _assert_pipeline_untouched(org, request.getfixturevalue("hidden_deal"))
    _assert_contract_untouched(request.getfixturevalue("hidden_contract"))
    _assert_resources_untouched(routes)


def _assert_resources_untouched(routes) -> None:
    from irontriangle.resources.models import (
        DealRegistration,
        Partner,
        PartnerContact,
        PartnerMeeting,
        PartnerUser,
        Resource,
        ResourceRequest,
    )

    request = ResourceRequest.all_objects.get(pk=routes["hidden_request_route"].params["request_id"])
    assert (request.status, request.hours, request.version, request.deleted_at) == ("requested", 8, 1, None)
    registration = DealRegistration.all_objects.get(pk=routes["hidden_registration_route"].params["registration_id"])
    assert (registration.status, registration.version) == ("submitted", 1)
    partner = Partner.all_objects.get(pk=routes["directory_route"].params["partner_id"])
    assert (partner.notes, partner.version, partner.deleted_at) == ("", 1, None)
    assert Resource.all_objects.get(pk=routes["directory_route"].params["resource_id"]).deleted_at is None
    assert not PartnerContact.objects.exists() and not PartnerMeeting.objects.exists()
    assert list(PartnerUser.objects.values_list("user__username", flat=True)) == ["other_partner"]


def _assert_contract_untouched(hidden: HiddenContract) -> None:
    from irontriangle.collections.models import (
        CollectionAction,
        Contract,
        ContractTick,
        Evidence,
        Payment,
        PaymentMilestone,
        SignOff,
    )

    contract = Contract.all_objects.get(pk=hidden.contract.pk)
    assert (contract.notes, contract.deleted_at, contract.version) == ("", None, hidden.contract.version)
    milestones = PaymentMilestone.all_objects.filter(contract=contract).order_by("position")
    assert [(m.kind, m.percent, m.invoiced_on, m.dispute_reason) for m in milestones] == [
        ("down_payment", 30, None, ""),
        ("on_delivery", 60, None, ""),
        ("on_acceptance", 10, None, ""),
    ]
    assert [(p.pk, p.deleted_at) for p in Payment.all_objects.all()] == [(hidden.payment.pk, None)]
    assert [(e.pk, e.removed_at) for e in Evidence.objects.all()] == [(hidden.evidence.pk, None)]
    assert [(s.pk, s.role, s.notes) for s in SignOff.objects.all()] == [(hidden.sign_off.pk, "finance", "")]
    assert not CollectionAction.all_objects.exists() and not ContractTick.objects.exists()


def _assert_relationships_untouched(org, routes) -> None:
    from irontriangle.relationships.models import (
        Contact,
        ContactOwner,
        Interaction,
        OrgActivity,
        PlanAction,
        RelationshipEvaluation,
        RelationshipPlan,
    )

    contact = Contact.all_objects.get(pk=routes["hidden_contact_route"].params["contact_id"])
    assert (contact.version, contact.title, contact.deleted_at) == (1, "", None)
    owners = ContactOwner.objects.filter(contact=contact)
    assert [(owner.user_id, owner.is_primary) for owner in owners] == [(org["sr"].pk, True)]
    plans = RelationshipPlan.all_objects.filter(contact=contact)
    assert [(plan.goal, plan.version, plan.deleted_at) for plan in plans] == [("提升亲密度", 1, None)]
    assert [(a.title, a.version, a.deleted_at) for a in PlanAction.all_objects.all()] == [("拜访", 1, None)]
    interaction = Interaction.all_objects.get(pk=routes["hidden_interaction_route"].params["interaction_id"])
    assert (interaction.minutes, interaction.version, interaction.deleted_at) == ("外人看不到的纪要", 1, None)
    activity = OrgActivity.all_objects.get(pk=routes["hidden_org_activity_route"].params["activity_id"])
    assert (activity.outcome, activity.version, activity.deleted_at) == ("", 1, None)
    assert not RelationshipEvaluation.objects.exists()


def _assert_pipeline_untouched(org, deal: HiddenDeal) -> None:
    from irontriangle.pipeline.models import (
        ChecklistTick,
        Competitor,
        Guide,
        Lead,
        LeadFollowUp,
        Opportunity,
        OpportunityTeamMember,
        PainChainLink,
        Quote,
        ReviewItem,
        Split,
    )

    lead = Lead.all_objects.get(pk=deal.lead.pk)
    assert (lead.name, lead.status, lead.version, lead.deleted_at) == ("外人看不到的线索", "new", 1, None)
    assert not LeadFollowUp.objects.exists()
    opportunity = Opportunity.all_objects.select_related("stage").get(pk=deal.opportunity.pk)
    assert (opportunity.name, opportunity.deleted_at) == ("外人看不到的商机", None)
    assert opportunity.stage_id == deal.opportunity.stage_id
    assert opportunity.version == deal.opportunity.version
    assert sorted(OpportunityTeamMember.objects.filter(opportunity=opportunity).values_list("role", flat=True)) == [
        "ar",
        "sr",
    ]
    assert [(g.contact_id, g.level) for g in Guide.objects.all()] == [(deal.contact.pk, "advise")]
    assert [(c.name, c.threat) for c in Competitor.objects.all()] == [("对手甲", "medium")]
    assert [p.pain for p in PainChainLink.objects.all()] == ["库存高"]
    assert not Split.objects.exists() and not ChecklistTick.objects.exists()
    quote = Quote.all_objects.get(pk=deal.quote.pk)
    assert (quote.status, quote.version, quote.notes, quote.deleted_at) == ("submitted", deal.quote.version, "", None)
    assert [(i.pk, i.decision) for i in ReviewItem.objects.all()] == [(deal.item.pk, "继续跟进")]
    assert not OpportunityTeamMember.objects.filter(user=org["outsider"]).exists()


def test_every_route_answers_401_without_credentials(org, openapi, request):
    anonymous = ApiClient()
    failures: list[str] = []
    for path, method, _operation in _operations(openapi):
        if _is_object_route(path):
            route: ObjectRoute = request.getfixturevalue(ROUTES[path]) if path in ROUTES else ObjectRoute({})
            try:
                url = path.format(**route.params)
            except KeyError:
                url = re.sub(r"{\w+}", "1", path)
            body = route.bodies.get(method, {})
        else:
            url, body = path, {}
        if method in ("get", "delete"):
            response = getattr(anonymous, method)(url)
        else:
            response = getattr(anonymous, method)(url, body)
        if response.status_code != 401 or response.json().get("code") != "unauthorized":
            failures.append(f"{method.upper()} {url} → {response.status_code}")

    assert not failures, "\n".join(failures)
    assert Account.all_objects.count() == Account.all_objects.filter(owner=org["ar"]).count()


def test_the_api_document_and_docs_need_no_credentials(db):
    client = ApiClient()

    assert client.get("/api/v1/openapi.json").status_code == 200
    docs = client.get("/api/v1/docs")
    assert docs.status_code == 200
    for host in (b"cdn.jsdelivr.net", b"unpkg.com", b"cdnjs.cloudflare.com"):
        assert host not in docs.content, f"the docs page loads {host.decode()}: it must work offline"
