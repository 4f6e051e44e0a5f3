"""A milestone past due with money outstanding is overdue on read and in the battle map; the AR and the
FR hear of it once, whatever how often the hourly job runs."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from django.utils import timezone

from irontriangle.collections.models import MilestoneStatus, PaymentMilestone
from irontriangle.collections.services import milestone_alerts_run
from irontriangle.notifications.models import Notification
from tests.collections.conftest import record
from tests.conftest import api_as
from tests.factories import make_contract


def test_overdue_on_read_in_the_battle_map_and_announced_once(org, deal, fr):
    today = timezone.localdate()
    contract = make_contract(
        deal,
        number="HT-OD",
        signed_on=today - timedelta(days=80),
        milestones=[
            {"kind": "down_payment", "percent": Decimal("30"), "due_on": today - timedelta(days=45)},
            {"kind": "on_acceptance", "percent": Decimal("70"), "due_on": today + timedelta(days=3)},
        ],
    )
    late, soon = PaymentMilestone.objects.filter(contract=contract).order_by("position")
    record(late, "100000", today - timedelta(days=10), by=org["ar"])
    # The stored column still says partially paid; the read says what today makes of it.
    PaymentMilestone.objects.filter(pk=late.pk).update(status=MilestoneStatus.PARTIALLY_PAID)

    client = api_as(org["ar"])
    body = client.get(f"/milestones/{late.pk}").json()
    assert (body["status"], body["ageing_bucket"], Decimal(body["outstanding"])) == (
        "overdue",
        "31_90",
        Decimal("200000"),
    )
    rows = client.get("/battle-map", {"status": "overdue"}).json()["items"]
    assert [(row["milestone_id"], row["status"], row["ageing_bucket"]) for row in rows] == [
        (late.pk, "overdue", "31_90")
    ]

    assert milestone_alerts_run() == 2  # the overdue one, and the one due in 3 days (within 7)
    assert PaymentMilestone.objects.get(pk=late.pk).status == MilestoneStatus.OVERDUE
    overdue = Notification.objects.filter(event__kind="milestone.overdue")
    assert sorted(n.recipient_id for n in overdue) == sorted([org["ar"].pk, fr.pk])
    assert "HT-OD" in overdue.first().title_en and "200,000.00" in overdue.first().title_en
    soon_notes = Notification.objects.filter(event__kind="milestone.due_soon")
    assert sorted(n.recipient_id for n in soon_notes) == sorted([org["ar"].pk, fr.pk])

    assert milestone_alerts_run() == 0
    assert Notification.objects.filter(event__kind="milestone.overdue").count() == 2
    assert soon.pk != late.pk


def test_paid_and_disputed_milestones_are_not_chased(org, deal, fr):
    today = timezone.localdate()
    contract = make_contract(
        deal,
        number="HT-NC",
        signed_on=today - timedelta(days=80),
        milestones=[
            {"kind": "down_payment", "percent": Decimal("50"), "due_on": today - timedelta(days=40)},
            {"kind": "on_delivery", "percent": Decimal("50"), "due_on": today - timedelta(days=20)},
        ],
    )
    paid, disputed = PaymentMilestone.objects.filter(contract=contract).order_by("position")
    record(paid, "500000", today - timedelta(days=39), by=org["ar"])
    api_as(org["ar"]).post(f"/milestones/{disputed.pk}/dispute", {"reason": "到货数量不符"})
    assert milestone_alerts_run() == 0
    assert not Notification.objects.filter(event__kind="milestone.overdue").exists()
