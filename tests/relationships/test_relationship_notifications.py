"""Who hears about relationship changes: a key contact who leaves, an overdue organisational cadence."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from irontriangle.notifications.models import Event, Notification
from irontriangle.relationships import services
from irontriangle.relationships.models import OrgActivity
from tests.conftest import api_as
from tests.factories import add_owner, add_to_team, make_account, make_contact, make_user


def test_a_key_contact_who_leaves_notifies_the_relationship_owners(org, team_account):
    owner = make_user("owner2", units=[org["units"]["shanghai"]])
    add_to_team(team_account, owner, "fr")
    contact = make_contact(team_account, name="陈主任", is_key=True)
    add_owner(contact, org["sr"], primary=True)
    add_owner(contact, owner)
    add_owner(contact, org["ar"])
    Notification.objects.all().delete()

    response = api_as(org["ar"]).patch(f"/contacts/{contact.pk}", {"version": 1, "status": "left"})

    assert response.status_code == 200
    event = Event.objects.get(kind="contact.status_changed")
    assert event.subject_id == contact.pk and event.data["status"] == "left" and event.actor == org["ar"]
    recipients = set(Notification.objects.filter(event=event).values_list("recipient_id", flat=True))
    assert {org["sr"].pk, owner.pk} <= recipients
    assert org["ar"].pk not in recipients  # the actor knows already
    notification = Notification.objects.get(event=event, recipient=org["sr"])
    assert "陈主任" in notification.title_en and "陈主任" in notification.title_zh


def test_an_ordinary_contact_or_an_unchanged_status_announces_nothing(org, team_account):
    plain = make_contact(team_account, name="刘工")
    key = make_contact(team_account, name="王总", is_key=True)
    add_owner(key, org["sr"], primary=True)
    client = api_as(org["ar"])

    client.patch(f"/contacts/{plain.pk}", {"version": 1, "status": "left"})
    client.patch(f"/contacts/{key.pk}", {"version": 1, "title": "总经理"})

    assert not Event.objects.filter(kind="contact.status_changed").exists()


def _overdue_account(org):
    account = make_account(org["ar"], name="中国联通上海公司", tier="s")
    add_to_team(account, org["sr"], "sr")
    OrgActivity.objects.create(
        kind="strategic_alignment_meeting",
        account=account,
        occurred_on=timezone.localdate() - timedelta(days=400),
        logged_by=org["ar"],
    )
    return account


def test_cadence_alerts_run_notifies_the_team_once_per_overdue_cadence(org):
    account = _overdue_account(org)
    make_account(org["ar"], name="普通客户", tier="b")

    sent = services.cadence_alerts_run()

    assert sent == 1
    event = Event.objects.get(kind="relationship.cadence_overdue")
    assert event.subject_id == account.pk and event.data["kind"] == "strategic_alignment_meeting"
    recipients = set(Notification.objects.filter(event=event).values_list("recipient_id", flat=True))
    assert recipients == {org["ar"].pk, org["sr"].pk}

    assert services.cadence_alerts_run() == 0
    assert Event.objects.filter(kind="relationship.cadence_overdue").count() == 1
    assert Notification.objects.filter(event__kind="relationship.cadence_overdue").count() == 2


def test_holding_the_meeting_stops_the_alerts(org):
    account = _overdue_account(org)
    api_as(org["ar"]).post(
        "/org-activities",
        {
            "kind": "strategic_alignment_meeting",
            "account_id": account.pk,
            "occurred_on": timezone.localdate().isoformat(),
        },
    )

    assert services.cadence_alerts_run() == 0


def test_an_account_in_the_trash_is_not_announced(org):
    from irontriangle.accounts.services import account_delete
    from irontriangle.common.access import viewer_of

    account = _overdue_account(org)
    account_delete(viewer=viewer_of(org["ar"]), actor=org["ar"], account=account)

    assert services.cadence_alerts_run() == 0
