"""Logging a visit for a deal from the web form: the deal is offered, kept, shown and counted."""

from __future__ import annotations

import pytest
from django.utils import timezone

from irontriangle.pipeline.models import Opportunity
from irontriangle.relationships.models import Interaction
from tests.factories import make_account, make_contact, make_opportunity

pytestmark = pytest.mark.django_db


@pytest.fixture
def deal(org, team_account):
    return make_opportunity(team_account, name="核心网扩容")


def test_the_form_opened_from_a_deal_preselects_its_account_and_the_deal(client, org, deal):
    client.force_login(org["ar"])
    page = client.get(f"/interactions/new/?opportunity={deal.pk}").content.decode()
    assert f'<option value="{deal.pk}" selected>核心网扩容' in page
    assert f'<option value="{deal.account_id}" selected' in page


def test_choosing_the_account_offers_its_open_deals_only(client, org, deal, team_account):
    lost = make_opportunity(team_account, name="旧项目")
    from irontriangle.common.access import viewer_of
    from irontriangle.pipeline.services import opportunity_advance

    opportunity_advance(
        viewer=viewer_of(org["ar"]), actor=org["ar"], opportunity=lost, to_stage="lost", reason="预算取消"
    )
    client.force_login(org["ar"])
    fragment = client.get(f"/interactions/contacts/?account_id={team_account.pk}").content.decode()
    assert 'id="deal-choice" hx-swap-oob="true"' in fragment
    assert "核心网扩容" in fragment and "旧项目" not in fragment


def test_a_visit_logged_for_a_deal_is_linked_and_makes_it_multi_threaded(client, org, deal, team_account):
    first, second = make_contact(team_account, name="张总"), make_contact(team_account, name="王处")
    client.force_login(org["ar"])
    for contact in (first, second):
        response = client.post(
            "/interactions/new/",
            {
                "kind": "visit",
                "occurred_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M"),
                "account_id": team_account.pk,
                "contact_ids": [contact.pk],
                "participant_ids": [org["ar"].pk],
                "opportunity_id": deal.pk,
                "minutes": "讨论扩容方案",
            },
        )
        assert response.status_code == 302
    visits = Interaction.objects.filter(opportunity=deal)
    assert visits.count() == 2
    detail = client.get(f"/interactions/{visits.first().pk}/").content.decode()
    assert 'data-testid="interaction-opportunity"' in detail and "核心网扩容" in detail
    from irontriangle.pipeline.checklist import checklist

    state = {item.key: item.done for item in checklist(Opportunity.objects.get(pk=deal.pk))}
    assert state["multi_threaded"] is True


def test_a_deal_of_another_account_is_refused_on_the_field(client, org, deal):
    other = make_account(org["ar"], name="另一客户")
    client.force_login(org["ar"])
    response = client.post(
        "/interactions/new/",
        {
            "kind": "visit",
            "occurred_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M"),
            "account_id": other.pk,
            "participant_ids": [org["ar"].pk],
            "opportunity_id": deal.pk,
        },
    )
    assert response.status_code == 200
    assert not Interaction.objects.exists()
