"""Lead pages through the test client and every middleware: list, form, detail, follow-ups, conversion."""

from __future__ import annotations

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from irontriangle.common.access import viewer_of
from irontriangle.pipeline.models import Lead, LeadFollowUp, Opportunity
from irontriangle.pipeline.services import lead_update
from tests.factories import make_account, make_contact, make_lead

HX = {"HX-Request": "true"}
# The owner and the manager above see the lead; someone of another region does not.
WHO = [("ar", 200), ("manager", 200), ("outsider", 404)]
PARTIAL_T = {"budget": "confirmed", "authority": "confirmed", "need": "confirmed", "timeline": "partial"}


@pytest.fixture(autouse=True)
def sales_processes(db):
    """The default processes come from a data migration, which a transactional test before this one on the
    same worker may have flushed away."""
    from irontriangle.pipeline.defaults import install_processes
    from irontriangle.pipeline.models import ChecklistItem, SalesProcess, Stage

    install_processes(SalesProcess, Stage, ChecklistItem)


@pytest.fixture
def account(org):
    return make_account(org["ar"], name="中国移动上海公司", segment="ka", tier="s")


@pytest.fixture
def lead(org, account):
    return make_lead(
        org["ar"],
        account=account,
        name="云专线扩容",
        source="exhibition",
        scenario="continuous",
        estimated_amount="500000",
        bant=PARTIAL_T,
        budget_evidence="",
        spin={"situation": "三地机房", "problem": "带宽不足", "implication": "业务中断", "need_payoff": "稳定"},
    )


def _login(client, org, username):
    client.force_login(org[username])


def _form_data(lead, **changes):
    data = {
        "name": lead.name,
        "source": lead.source,
        "scenario": lead.scenario,
        "segment": lead.segment,
        "estimated_amount": str(lead.estimated_amount or ""),
        "currency": lead.currency,
        "account_id": lead.account_id or "",
        "company_name": lead.company_name,
        "contact_id": lead.contact_id or "",
        "contact_name": lead.contact_name,
        "status": lead.status,
        "owner_id": lead.owner_id,
        "notes": lead.notes,
        "disqualified_reason": lead.disqualified_reason,
        "version": lead.version,
    }
    for name in ("budget", "authority", "need", "timeline"):
        data[f"bant_{name}"] = getattr(lead, f"bant_{name}")
        data[f"{name}_evidence"] = getattr(lead, f"{name}_evidence")
    for part in ("situation", "problem", "implication", "need_payoff"):
        data[f"spin_{part}"] = getattr(lead, f"spin_{part}")
    data.update(changes)
    return data


# --- list -------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("username", "expected"), WHO)
def test_the_list_shows_the_leads_a_person_may_see(client, org, lead, username, expected):
    _login(client, org, username)
    response = client.get("/leads/")
    assert response.status_code == 200
    names = [row[0].name for row in response.context["rows"]]
    if expected == 200:
        assert names == ["云专线扩容"]
        page = response.content.decode()
        # B, A and N confirmed, T partial: four letter badges coloured by state.
        badges = re.findall(r'data-letter="([BANT])" data-state="(\w+)"', page)
        assert badges == [("B", "confirmed"), ("A", "confirmed"), ("N", "confirmed"), ("T", "partial")]
        assert "Exhibition" in page and "中国移动上海公司" in page
    else:
        assert names == []


def test_list_filters_and_a_short_bookmarkable_address(client, org, lead, account):
    make_lead(org["ar"], name="官网咨询", source="internet", scenario="occasional", segment="smb")
    make_lead(org["manager"], name="经理的线索", source="referral", company_name="某公司")
    _login(client, org, "manager")

    def names(**params):
        return sorted(row[0].name for row in client.get("/leads/", params).context["rows"])

    assert names() == sorted(["云专线扩容", "官网咨询", "经理的线索"])
    assert names(source="internet") == ["官网咨询"]
    assert names(scenario="occasional") == ["官网咨询"]
    assert names(segment="smb") == ["官网咨询"]
    assert names(status="new") == sorted(["云专线扩容", "官网咨询", "经理的线索"])
    assert names(owner="me") == ["经理的线索"]
    assert names(owner=str(org["ar"].pk)) == sorted(["云专线扩容", "官网咨询"])
    assert names(q="移动") == ["云专线扩容"]
    assert client.get("/leads/", {"source": "carrier-pigeon", "owner": "x"}).status_code == 200

    response = client.get("/leads/", {"q": "", "source": "internet", "status": "", "owner": ""}, headers=HX)
    assert response["HX-Push-Url"] == "/leads/?source=internet"
    body = response.content.decode()
    assert '<nav class="navbar' not in body and 'data-testid="filter-chip"' in body


def test_the_list_costs_the_same_for_3_and_20_leads(client, org, account):
    other = make_account(org["ar"], name="华东客户")
    contact = make_contact(account, name="王总")
    for n in range(3):
        make_lead(org["ar"], account=account if n % 2 else other, name=f"线索{n:02}")
    _login(client, org, "manager")

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get("/leads/").status_code == 200
        return len(queries)

    client.get("/leads/")
    few = count()
    for n in range(3, 20):
        make_lead(
            org["ar"] if n % 2 else org["manager"],
            account=account if n % 3 else None,
            contact_id=contact.pk if n % 3 else None,
            name=f"线索{n:02}",
        )
    many = count()
    assert len(client.get("/leads/").context["rows"]) == 20
    assert many == few
    assert many <= 12


# --- detail -----------------------------------------------------------------------------------------


@pytest.mark.parametrize(("username", "expected"), WHO)
def test_the_lead_page_as_owner_manager_and_outsider(client, org, lead, username, expected):
    LeadFollowUp.objects.create(lead=lead, occurred_on="2026-11-02", note="电话沟通需求", author=org["ar"])
    _login(client, org, username)
    response = client.get(f"/leads/{lead.pk}/")
    assert response.status_code == expected
    if expected == 200:
        page = response.content.decode()
        assert 'data-testid="bant-table"' in page and "带宽不足" in page and "电话沟通需求" in page
        assert 'data-testid="convert-form"' in page
        # Only a manager of the lead's unit is offered to convert without BANT confirmed.
        assert ('name="override_reason"' in page) == (username == "manager")
    for path in ("edit/",):
        assert client.get(f"/leads/{lead.pk}/{path}").status_code == expected


def test_create_a_lead_in_the_form(client, org, account):
    _login(client, org, "ar")
    assert client.get("/leads/new/").status_code == 200
    response = client.post(
        "/leads/new/",
        {
            "name": "新一代网络",
            "source": "referral",
            "scenario": "occasional",
            "segment": "ka",
            "currency": "CNY",
            "account_id": account.pk,
            "status": "new",
            "bant_budget": "partial",
            "budget_evidence": "预算待批",
            "bant_authority": "unknown",
            "bant_need": "confirmed",
            "bant_timeline": "unknown",
            "spin_problem": "老设备",
        },
    )
    lead = Lead.objects.get(name="新一代网络")
    assert response.status_code == 302 and response["Location"] == f"/leads/{lead.pk}/"
    assert (lead.owner, lead.account, lead.bant_budget, lead.budget_evidence) == (
        org["ar"],
        account,
        "partial",
        "预算待批",
    )
    assert lead.bant_need == "confirmed" and lead.spin_problem == "老设备"

    # Neither an account nor a company: the service's message lands on the form.
    response = client.post(
        "/leads/new/",
        {
            "name": "无名",
            "source": "referral",
            "scenario": "occasional",
            "segment": "ka",
            "currency": "CNY",
            "status": "new",
            **{f"bant_{x}": "unknown" for x in ("budget", "authority", "need", "timeline")},
        },
    )
    assert response.status_code == 400
    assert "Name the account or the company." in response.content.decode()


def test_contact_options_follow_the_account(client, org, account):
    make_contact(account, name="陈主任", title="CIO")
    _login(client, org, "ar")
    body = client.get("/leads/contact-options/", {"account_id": account.pk}).content.decode()
    assert "陈主任 · CIO" in body
    _login(client, org, "outsider")
    assert "陈主任" not in client.get("/leads/contact-options/", {"account_id": account.pk}).content.decode()


def test_edit_saves_and_a_stale_version_gets_409(client, org, lead):
    _login(client, org, "ar")
    stale = _form_data(lead)
    response = client.post(
        f"/leads/{lead.pk}/edit/", _form_data(lead, bant_timeline="confirmed", timeline_evidence="Q1 上线")
    )
    assert response.status_code == 302
    lead.refresh_from_db()
    assert (lead.bant_timeline, lead.timeline_evidence, lead.version) == ("confirmed", "Q1 上线", 2)

    response = client.post(f"/leads/{lead.pk}/edit/", {**stale, "name": "被覆盖"})
    assert response.status_code == 409
    assert 'data-testid="version-conflict"' in response.content.decode()
    lead.refresh_from_db()
    assert lead.name == "云专线扩容"

    _login(client, org, "outsider")
    assert client.post(f"/leads/{lead.pk}/edit/", _form_data(lead)).status_code == 404


def test_follow_up_log(client, org, lead):
    _login(client, org, "ar")
    response = client.post(
        f"/leads/{lead.pk}/follow-ups/",
        {
            "followup-kind": "visit",
            "followup-occurred_on": "2026-11-20",
            "followup-note": "拜访信息中心",
            "followup-next_step": "出方案",
            "followup-next_on": "2026-11-27",
        },
    )
    assert response.status_code == 302
    entry = lead.follow_ups.get()
    assert (entry.kind, entry.note, entry.next_step, str(entry.next_on)) == (
        "visit",
        "拜访信息中心",
        "出方案",
        "2026-11-27",
    )
    page = client.get(f"/leads/{lead.pk}/").content.decode()
    assert "拜访信息中心" in page and "出方案" in page
    # A follow-up without what happened is refused next to its field.
    response = client.post(
        f"/leads/{lead.pk}/follow-ups/", {"followup-kind": "call", "followup-occurred_on": "2026-11-21"}
    )
    assert response.status_code == 400 and 'data-field-error="note"' in response.content.decode()


# --- conversion -------------------------------------------------------------------------------------


def test_conversion_is_refused_with_the_missing_letters_then_accepted(client, org, lead):
    _login(client, org, "ar")
    response = client.post(f"/leads/{lead.pk}/convert/", {})
    assert response.status_code == 422
    page = response.content.decode()
    assert re.findall(r'data-testid="missing-letter">(\w)<', page) == ["T"]
    assert not Opportunity.objects.exists()

    lead_update(
        viewer=viewer_of(org["ar"]),
        actor=org["ar"],
        lead=lead,
        data={"bant": {"timeline": "confirmed"}},
        version=lead.version,
    )
    response = client.post(f"/leads/{lead.pk}/convert/", {})
    opportunity = Opportunity.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/opportunities/{opportunity.pk}/"
    lead.refresh_from_db()
    assert lead.status == "converted" and opportunity.lead_id == lead.pk
    page = client.get(f"/leads/{lead.pk}/").content.decode()
    assert f'href="/opportunities/{opportunity.pk}/" data-testid="opportunity-link"' in page
    assert 'data-testid="convert-form"' not in page


def test_a_manager_converts_without_bant_with_a_reason(client, org, lead):
    # The owner may not override: the reason is refused as forbidden.
    _login(client, org, "ar")
    assert client.post(f"/leads/{lead.pk}/convert/", {"override_reason": "客户很急"}).status_code == 403
    _login(client, org, "manager")
    response = client.post(f"/leads/{lead.pk}/convert/", {"override_reason": "  "})
    assert response.status_code == 422
    response = client.post(f"/leads/{lead.pk}/convert/", {"override_reason": "总部战略客户，先立项"})
    opportunity = Opportunity.objects.get()
    assert response["Location"] == f"/opportunities/{opportunity.pk}/"
    lead.refresh_from_db()
    assert lead.conversion_override_reason == "总部战略客户，先立项"
    assert "总部战略客户，先立项" in client.get(f"/leads/{lead.pk}/").content.decode()


def test_a_lead_without_an_account_says_so(client, org):
    lead = make_lead(org["ar"], bant="confirmed", company_name="未建档公司")
    _login(client, org, "ar")
    response = client.post(f"/leads/{lead.pk}/convert/", {})
    assert response.status_code == 422
    assert 'data-testid="convert-error"' in response.content.decode()


def test_disqualify_with_a_reason(client, org, lead):
    _login(client, org, "ar")
    response = client.post(f"/leads/{lead.pk}/disqualify/", {"disqualified_reason": "", "version": lead.version})
    assert response.status_code == 400
    response = client.post(
        f"/leads/{lead.pk}/disqualify/", {"disqualified_reason": "预算取消", "version": lead.version}
    )
    assert response.status_code == 302
    lead.refresh_from_db()
    assert (lead.status, lead.disqualified_reason) == ("disqualified", "预算取消")
    page = client.get(f"/leads/{lead.pk}/").content.decode()
    assert 'data-testid="disqualified"' in page and 'data-testid="convert-form"' not in page


# --- the conversion report ------------------------------------------------------------------------


@pytest.mark.parametrize(("username", "created"), [("ar", 2), ("manager", 2), ("outsider", 0)])
def test_the_conversion_report_page(client, org, account, username, created):
    make_lead(org["ar"], account=account, bant="confirmed", source="referral")
    make_lead(org["ar"], account=account, source="internet")
    _login(client, org, username)
    response = client.get("/leads/conversion/")
    assert response.status_code == 200
    assert response.context["report"].total.created == created
    page = response.content.decode()
    assert 'data-conversion-chart="source-chart-data"' in page and "vendor/echarts/echarts.min.js" in page
    assert client.get("/leads/conversion/", {"start": "bad", "end": "2026-01-01"}).status_code == 200
