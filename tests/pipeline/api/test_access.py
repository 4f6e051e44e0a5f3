"""Every pipeline endpoint as a member of the deal's team, as the manager above, as an outsider (404),
and as someone who sees the record but may not do the thing (403). Each call gets fresh records where
the call consumes them (a delete, a conversion, an approval)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from itertools import count
from typing import Any

import pytest

from irontriangle.common.access import viewer_of
from irontriangle.pipeline import services
from irontriangle.pipeline.models import (
    Competitor,
    Lead,
    Opportunity,
    OpportunityTeamMember,
    Quote,
    ReviewItem,
    ReviewMeeting,
)
from tests.conftest import api_as
from tests.factories import make_account, make_contact, make_lead, make_opportunity, make_user
from tests.pipeline.api.conftest import add_member, make_quote

pytestmark = pytest.mark.django_db
_n = count(1)


@dataclass
class World:
    org: dict[str, Any]
    account: Any
    deal: Any
    lead: Any
    quote: Any
    meeting: Any

    def fresh_deal(self) -> Any:
        opportunity = make_opportunity(self.account, name=f"商机 {next(_n)}")
        add_member(opportunity, self.org["sr"], "sr")
        return opportunity

    def version(self, model: Any, pk: int) -> int:
        return model.all_objects.get(pk=pk).version


@pytest.fixture
def world(org, team_account, deal) -> World:
    ar = org["ar"]
    lead = make_lead(ar, account=team_account, name="云化改造线索")
    quote = make_quote(deal)
    meeting = services.review_create(
        viewer=viewer_of(ar), actor=ar, data={"title": "周例会", "held_on": "2026-11-02", "unit_code": "ka-sh"}
    )
    return World(org, team_account, deal, lead, quote, meeting)


Build = Callable[[World, str], tuple[str, str, Any]]


def _fresh_lead(w: World) -> Lead:
    return make_lead(w.org["ar"], account=w.account, bant="confirmed", name=f"线索 {next(_n)}")


def _guide(w: World) -> Any:
    contact = make_contact(w.account, name=f"向导 {next(_n)}")
    ar = w.org["ar"]
    return services.guide_add(
        viewer=viewer_of(ar), actor=ar, opportunity=w.deal, data={"contact_id": contact.pk, "level": "advise"}
    )


def _competitor(w: World) -> Competitor:
    ar = w.org["ar"]
    return services.competitor_add(viewer=viewer_of(ar), actor=ar, opportunity=w.deal, data={"name": f"对手{next(_n)}"})


def _pain(w: World) -> Any:
    ar = w.org["ar"]
    contact = make_contact(w.account)
    return services.pain_link_add(
        viewer=viewer_of(ar), actor=ar, opportunity=w.deal, data={"contact_id": contact.pk, "pain": "库存积压"}
    )


def _waiting_quote(w: World, who: str) -> Quote:
    """The SR approves a submitted quote; the manager one the SR passed below the margin floor."""
    if who != "manager":
        return make_quote(w.deal, submit=True)
    quote = make_quote(w.deal, submit=True, unit_cost="8500.00")
    sr = w.org["sr"]
    quote = services.quote_approve(viewer=viewer_of(sr), actor=sr, quote=quote)
    assert quote.status == "pending_manager"
    return quote


def _review_item(w: World) -> ReviewItem:
    ar = w.org["ar"]
    return services.review_item_add(
        viewer=viewer_of(ar),
        actor=ar,
        meeting=w.meeting,
        data={"opportunity_id": w.fresh_deal().pk, "decision": "暂停"},
    )


# name → (build, the status a permitted caller gets, who acts as the team member)
CASES: dict[str, tuple[Build, int, str]] = {
    "lead get": (lambda w, who: ("get", f"/leads/{w.lead.pk}", None), 200, "ar"),
    "lead patch": (
        lambda w, who: ("patch", f"/leads/{w.lead.pk}", {"version": w.version(Lead, w.lead.pk), "notes": who}),
        200,
        "ar",
    ),
    "lead delete": (lambda w, who: ("delete", f"/leads/{_fresh_lead(w).pk}", None), 204, "ar"),
    "lead history": (lambda w, who: ("get", f"/leads/{w.lead.pk}/history", None), 200, "ar"),
    "lead convert": (lambda w, who: ("post", f"/leads/{_fresh_lead(w).pk}/convert", {}), 201, "ar"),
    "lead follow-ups": (lambda w, who: ("get", f"/leads/{w.lead.pk}/follow-ups", None), 200, "ar"),
    "lead follow-up add": (
        lambda w, who: ("post", f"/leads/{w.lead.pk}/follow-ups", {"note": f"电话沟通 {who}"}),
        201,
        "ar",
    ),
    "deal get": (lambda w, who: ("get", f"/opportunities/{w.deal.pk}", None), 200, "sr"),
    "deal patch": (
        lambda w, who: (
            "patch",
            f"/opportunities/{w.deal.pk}",
            {"version": w.version(Opportunity, w.deal.pk), "amount": "1200000.00"},
        ),
        200,
        "sr",
    ),
    "deal delete": (lambda w, who: ("delete", f"/opportunities/{w.fresh_deal().pk}", None), 204, "ar"),
    "deal history": (lambda w, who: ("get", f"/opportunities/{w.deal.pk}/history", None), 200, "sr"),
    "deal advance": (
        lambda w, who: (
            "post",
            f"/opportunities/{w.fresh_deal().pk}/advance",
            {"to_stage": "lost", "reason": "预算取消"},
        ),
        200,
        "sr",
    ),
    "checklist": (lambda w, who: ("get", f"/opportunities/{w.deal.pk}/checklist", None), 200, "sr"),
    "checklist tick": (
        lambda w, who: ("post", f"/opportunities/{w.deal.pk}/checklist/solution", {"done": True, "evidence": who}),
        200,
        "sr",
    ),
    "team": (lambda w, who: ("get", f"/opportunities/{w.deal.pk}/team", None), 200, "sr"),
    "team add": (
        lambda w, who: (
            "post",
            f"/opportunities/{w.deal.pk}/team",
            {"user_id": make_user(units=[w.org["units"]["shanghai"]]).pk, "role": "presales"},
        ),
        201,
        "sr",
    ),
    "team remove": (
        lambda w, who: (
            "delete",
            f"/opportunities/{w.deal.pk}/team/"
            f"{add_member(w.deal, make_user(units=[w.org['units']['shanghai']]), 'presales').pk}",
            None,
        ),
        204,
        "sr",
    ),
    "guides": (lambda w, who: ("get", f"/opportunities/{w.deal.pk}/guides", None), 200, "sr"),
    "guide add": (
        lambda w, who: (
            "post",
            f"/opportunities/{w.deal.pk}/guides",
            {"contact_id": make_contact(w.account).pk, "level": "intervene"},
        ),
        201,
        "sr",
    ),
    "guide remove": (lambda w, who: ("delete", f"/opportunities/{w.deal.pk}/guides/{_guide(w).pk}", None), 204, "sr"),
    "competitors": (lambda w, who: ("get", f"/opportunities/{w.deal.pk}/competitors", None), 200, "sr"),
    "competitor add": (
        lambda w, who: ("post", f"/opportunities/{w.deal.pk}/competitors", {"name": f"对手-{who}"}),
        201,
        "sr",
    ),
    "competitor patch": (
        lambda w, who: (
            "patch",
            f"/opportunities/{w.deal.pk}/competitors/{_competitor(w).pk}",
            {"threat": "high", "weaknesses": "交付慢"},
        ),
        200,
        "sr",
    ),
    "competitor remove": (
        lambda w, who: ("delete", f"/opportunities/{w.deal.pk}/competitors/{_competitor(w).pk}", None),
        204,
        "sr",
    ),
    "pain chain": (lambda w, who: ("get", f"/opportunities/{w.deal.pk}/pain-chain", None), 200, "sr"),
    "pain add": (
        lambda w, who: (
            "post",
            f"/opportunities/{w.deal.pk}/pain-chain",
            {"contact_id": make_contact(w.account).pk, "pain": "审批慢"},
        ),
        201,
        "sr",
    ),
    "pain remove": (
        lambda w, who: ("delete", f"/opportunities/{w.deal.pk}/pain-chain/{_pain(w).pk}", None),
        204,
        "sr",
    ),
    "splits": (lambda w, who: ("get", f"/opportunities/{w.deal.pk}/splits", None), 200, "sr"),
    "splits put": (
        lambda w, who: (
            "put",
            f"/opportunities/{w.deal.pk}/splits",
            [{"unit_code": "ka-sh", "percent": "100", "agreement_ref": f"纪要 {who}"}],
        ),
        200,
        "sr",
    ),
    "quote get": (lambda w, who: ("get", f"/quotes/{w.quote.pk}", None), 200, "sr"),
    "quote patch": (
        lambda w, who: ("patch", f"/quotes/{w.quote.pk}", {"version": w.version(Quote, w.quote.pk), "notes": who}),
        200,
        "ar",
    ),
    "quote delete": (lambda w, who: ("delete", f"/quotes/{make_quote(w.deal).pk}", None), 204, "ar"),
    "quote history": (lambda w, who: ("get", f"/quotes/{w.quote.pk}/history", None), 200, "sr"),
    "quote submit": (lambda w, who: ("post", f"/quotes/{make_quote(w.deal).pk}/submit", None), 200, "ar"),
    "quote approve": (lambda w, who: ("post", f"/quotes/{_waiting_quote(w, who).pk}/approve", None), 200, "sr"),
    "quote reject": (
        lambda w, who: ("post", f"/quotes/{_waiting_quote(w, who).pk}/reject", {"reason": "折扣过大"}),
        200,
        "sr",
    ),
    "review get": (lambda w, who: ("get", f"/reviews/{w.meeting.pk}", None), 200, "ar"),
    "review item add": (
        lambda w, who: (
            "post",
            f"/reviews/{w.meeting.pk}/items",
            {"opportunity_id": w.deal.pk, "decision": f"加快推进 {who}"},
        ),
        201,
        "ar",
    ),
    "review item remove": (
        lambda w, who: ("delete", f"/reviews/{w.meeting.pk}/items/{_review_item(w).pk}", None),
        204,
        "ar",
    ),
}


def _call(user: Any, method: str, url: str, body: Any) -> Any:
    client = api_as(user)
    if method in ("get", "delete"):
        return getattr(client, method)(url)
    return getattr(client, method)(url, body)


def _snapshot() -> tuple[Any, ...]:
    """What a refused call must leave as it was."""
    return (
        sorted(Lead.all_objects.values_list("pk", "version", "status", "deleted_at")),
        sorted(Opportunity.all_objects.values_list("pk", "version", "stage_id", "deleted_at")),
        sorted(Quote.all_objects.values_list("pk", "version", "status", "deleted_at")),
        OpportunityTeamMember.objects.count(),
        sorted(Competitor.objects.values_list("pk", "threat")),
        ReviewItem.objects.count(),
        ReviewMeeting.objects.count(),
    )


@pytest.mark.parametrize("name", list(CASES))
def test_member_and_manager_may_outsider_gets_404(name, world):
    build, ok, member = CASES[name]
    org = world.org

    method, url, body = build(world, "outsider")
    before = _snapshot()
    refused = _call(org["outsider"], method, url, body)
    assert refused.status_code == 404, (name, refused.content)
    assert refused.json()["code"] == "not_found"
    assert _snapshot() == before

    for who in (member, "manager"):
        method, url, body = build(world, who)
        response = _call(org[who], method, url, body)
        assert response.status_code == ok, (name, who, response.content)


# Writes a global reader sees but may not make: 403, and nothing changes.
WRITES = [
    name for name, (_build, _ok, _member) in CASES.items() if _build.__code__.co_consts and name not in {"review get"}
]
WRITES = [
    "lead patch",
    "lead delete",
    "lead convert",
    "lead follow-up add",
    "deal patch",
    "deal delete",
    "deal advance",
    "checklist tick",
    "team add",
    "team remove",
    "guide add",
    "guide remove",
    "competitor add",
    "competitor patch",
    "competitor remove",
    "pain add",
    "pain remove",
    "splits put",
    "quote patch",
    "quote delete",
    "quote submit",
    "quote approve",
    "quote reject",
    "review item add",
    "review item remove",
]


@pytest.mark.parametrize("name", WRITES)
def test_a_global_reader_sees_but_may_not_write(name, world, reader):
    build, _ok, _member = CASES[name]
    method, url, body = build(world, "reader")
    before = _snapshot()

    response = _call(reader, method, url, body)

    assert response.status_code == 403, (name, response.content)
    assert response.json()["code"] == "forbidden"
    assert _snapshot() == before
    # ...while the reader does see the record the write was aimed at.
    parent = "/".join(url.split("/")[:3])
    assert api_as(reader).get(parent).status_code == 200, parent


def test_lists_show_the_records_to_the_team_and_the_manager_only(world, reader):
    org = world.org
    for path, record in (
        ("/leads", world.lead),
        ("/opportunities", world.deal),
        ("/quotes", world.quote),
        ("/reviews", world.meeting),
    ):
        for who in (org["ar"], org["sr"], org["manager"], reader):
            if path == "/leads" and who == org["sr"]:
                continue  # a lead is its owner's, the owner unit's managers' and the account's team's
            ids = [row["id"] for row in api_as(who).get(path).json()["items"]]
            assert record.pk in ids, (path, who.username)
        assert api_as(org["outsider"]).get(path).json()["items"] == [], path


def test_the_ar_cannot_approve_and_nor_can_the_sr_who_is_also_ar(world):
    org = world.org
    quote = make_quote(world.deal, submit=True)
    assert api_as(org["ar"]).post(f"/quotes/{quote.pk}/approve").status_code == 403
    assert api_as(org["ar"]).post(f"/quotes/{quote.pk}/reject", {"reason": "自己驳回"}).status_code == 403
    assert api_as(org["manager"]).post(f"/quotes/{quote.pk}/approve").status_code == 403  # not the SR
    add_member(world.deal, org["sr"], "ar")
    assert api_as(org["sr"]).post(f"/quotes/{quote.pk}/approve").status_code == 403  # player and referee
    assert Quote.objects.get(pk=quote.pk).status == "submitted"


def test_only_a_manager_reopens_or_overrides(world):
    org = world.org
    deal = world.fresh_deal()
    sr = api_as(org["sr"])
    assert sr.post(f"/opportunities/{deal.pk}/advance", {"to_stage": "lost", "reason": "预算砍掉"}).status_code == 200

    reopen = {"to_stage": "verify", "override_reason": "客户重启项目"}
    assert sr.post(f"/opportunities/{deal.pk}/advance", reopen).status_code == 403
    assert api_as(org["north_manager"]).post(f"/opportunities/{deal.pk}/advance", reopen).status_code == 404
    reopened = api_as(org["manager"]).post(f"/opportunities/{deal.pk}/advance", reopen)
    assert reopened.status_code == 200 and reopened.json()["stage"] == "verify"

    override = sr.post(f"/opportunities/{deal.pk}/advance", {"override_reason": "老板同意"})
    assert override.status_code == 403
    assert Opportunity.objects.get(pk=deal.pk).stage.code == "verify"


def test_creating_on_what_one_cannot_see_is_404_or_422(world):
    org = world.org
    outsider = api_as(org["outsider"])
    before = _snapshot()

    deal = outsider.post("/opportunities", {"account_id": world.account.pk, "name": "偷来的商机"})
    quote = outsider.post(
        "/quotes", {"opportunity_id": world.deal.pk, "lines": [{"product": "x", "quantity": "1", "list_price": "1"}]}
    )
    lead = outsider.post(
        "/leads", {"name": "偷来的线索", "source": "referral", "scenario": "continuous", "account_id": world.account.pk}
    )
    review = outsider.post("/reviews", {"title": "别人的会", "held_on": "2026-11-02", "unit_code": "ka-sh"})

    # An id named in a body that the caller cannot see is invalid input, like one that does not exist.
    for response, field, code in (
        (deal, "account_id", "unknown_account"),
        (quote, "opportunity_id", "unknown_opportunity"),
        (lead, "account_id", "unknown_account"),
    ):
        assert response.status_code == 422, response.content
        assert (response.json()["errors"][0]["field"], response.json()["errors"][0]["code"]) == (field, code)
    assert review.status_code == 422 and review.json()["errors"][0]["code"] == "not_your_unit"
    assert _snapshot() == before


def test_a_team_member_without_a_triangle_role_reads_but_does_not_edit(world):
    presales = make_user("presales_user", units=[world.org["units"]["north"]])
    add_member(world.deal, presales, "presales")
    client = api_as(presales)
    assert client.get(f"/opportunities/{world.deal.pk}").status_code == 200
    patched = client.patch(f"/opportunities/{world.deal.pk}", {"version": world.deal.version, "name": "改名"})
    assert patched.status_code == 403
    assert client.get(f"/accounts/{world.account.pk}").status_code == 404


def test_a_deal_on_another_account_is_invisible_to_this_accounts_sr(world):
    other = make_account(world.org["manager"], name="别人的客户")
    hidden = make_opportunity(other, by=world.org["manager"])
    assert api_as(world.org["sr"]).get(f"/opportunities/{hidden.pk}").status_code == 404
    assert api_as(world.org["manager"]).get(f"/opportunities/{hidden.pk}").status_code == 200
