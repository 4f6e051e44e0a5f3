"""A request left unanswered past its SLA goes to the pool's managers, then one level up: each level
announced once, with notifications, and visible in the request's events."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from irontriangle.notifications.models import Notification
from irontriangle.resources.models import ResourceRequest
from irontriangle.resources.services import escalations_run
from tests.conftest import api_as
from tests.resources.conftest import raise_request


def test_an_unanswered_request_escalates_to_the_pool_head_then_one_level_up(org, centre, tier1_deal):
    request = raise_request(tier1_deal, org["ar"])  # solution design: 24 hours to answer
    raised_at = timezone.now()
    assert request.answer_due_at - raised_at < timedelta(hours=24, seconds=5)

    assert escalations_run(raised_at + timedelta(hours=23)) == 0
    assert escalations_run(raised_at + timedelta(hours=25)) == 1
    assert escalations_run(raised_at + timedelta(hours=26)) == 0  # level 1 is announced once
    head_notes = Notification.objects.filter(recipient=centre["head"], event__kind="resource_request.escalated")
    assert head_notes.count() == 1
    assert "Escalated (level 1)" in head_notes.get().title_en
    assert not Notification.objects.filter(recipient=centre["gm"], event__kind="resource_request.escalated").exists()

    assert escalations_run(raised_at + timedelta(hours=49)) == 1
    gm_notes = Notification.objects.filter(recipient=centre["gm"], event__kind="resource_request.escalated")
    assert gm_notes.count() == 1 and "level 2" in gm_notes.get().title_en
    # The requester hears of both.
    assert Notification.objects.filter(recipient=org["ar"], event__kind="resource_request.escalated").count() == 2
    assert ResourceRequest.objects.get(pk=request.pk).escalation_level == 2

    events = api_as(org["ar"]).get(f"/resource-requests/{request.pk}/events").json()
    assert [(e["kind"], e["level"], e["unit"]) for e in events] == [
        ("raised", 0, "解决方案中心"),
        ("escalated", 1, "解决方案中心"),
        ("escalated", 2, "总部"),
    ]
    assert events[1]["notified"] == [centre["head"].pk] and events[2]["notified"] == [centre["gm"].pk]
    assert escalations_run(raised_at + timedelta(hours=200)) == 0  # two levels, no more
    # The GM, one level up, now sees the request it was told about.
    assert api_as(centre["gm"]).get(f"/resource-requests/{request.pk}").json()["escalation_level"] == 2


def test_an_answered_request_never_escalates(org, centre, tier1_deal):
    request = raise_request(tier1_deal, org["ar"])
    api_as(centre["head"]).post(f"/resource-requests/{request.pk}/assign", {"resource_id": centre["match_res"].pk})

    assert escalations_run(timezone.now() + timedelta(days=5)) == 0
    assert not Notification.objects.filter(event__kind="resource_request.escalated").exists()


def test_a_rule_without_a_pool_unit_escalates_to_the_account_owner_units_managers(org, centre, tier1_deal):
    from irontriangle.resources.models import RoutingRule

    RoutingRule.objects.update(pool_unit=None)
    request = raise_request(tier1_deal, org["ar"])
    escalations_run(timezone.now() + timedelta(hours=25))
    # The Shanghai branch has no manager: the nearest unit above with one (East) is told.
    event = request.events.get(kind="escalated")
    assert (event.unit.code, event.notified) == ("ka-east", [org["manager"].pk])
