"""In-app notifications and e-mail: whom a change concerns hears of it, in their language, once."""

from __future__ import annotations

import re

from django.core import mail

from irontriangle.notifications.models import Notification
from irontriangle.org.services import user_create
from tests.conftest import api_as
from tests.factories import PASSWORD, add_to_team

CJK = re.compile(r"[\u4e00-\u9fff]")


def _update_as_manager(org, account, **changes):
    account.refresh_from_db()
    response = api_as(org["manager"]).patch(f"/accounts/{account.pk}", {"version": account.version, **changes})
    assert response.status_code == 200, response.content
    return response


def test_update_notifies_owner_and_team_but_not_the_actor(org, team_account):
    _update_as_manager(org, team_account, region="上海")

    recipients = set(
        Notification.objects.filter(event__kind="account.updated").values_list("recipient__username", flat=True)
    )
    assert recipients == {"ar", "sr"}


def test_inbox_in_english_and_in_chinese(org, team_account):
    _update_as_manager(org, team_account, region="上海")

    english = api_as(org["ar"], "en").get("/notifications")
    chinese = api_as(org["ar"], "zh-hans").get("/notifications")

    assert english.status_code == 200
    latest_en, latest_zh = english.json()["items"][0], chinese.json()["items"][0]
    assert latest_en["event"] == "account.updated"
    assert latest_en["title"] == latest_en["title_en"]
    assert "张伟" in latest_en["title"] and "中国移动上海公司" in latest_en["title"]
    assert "updated" in latest_en["title"]
    assert latest_zh["title"] == latest_zh["title_zh"]
    assert latest_zh["title"] != latest_en["title"]
    assert CJK.search(latest_zh["title"].replace("张伟", "").replace("中国移动上海公司", "")), latest_zh["title"]
    assert latest_en["link"] == f"/accounts/{team_account.pk}/"
    assert latest_en["read"] is False


def test_outsiders_and_the_actor_get_nothing(org, team_account):
    _update_as_manager(org, team_account, region="上海")

    assert api_as(org["outsider"]).get("/notifications").json()["items"] == []
    manager_items = api_as(org["manager"]).get("/notifications").json()["items"]
    assert all(item["event"] != "account.updated" for item in manager_items)


def test_mark_one_read_then_all(org, team_account):
    _update_as_manager(org, team_account, region="上海")
    _update_as_manager(org, team_account, tier="a")
    sr = api_as(org["sr"])
    unread = sr.get("/notifications", {"unread": "true"}).json()["items"]
    assert len(unread) == 3  # added to the team, and two updates

    marked = sr.post(f"/notifications/{unread[0]['id']}/read")
    assert marked.status_code == 200 and marked.json()["read"] is True
    again = sr.post(f"/notifications/{unread[0]['id']}/read")
    assert again.status_code == 200 and again.json()["read"] is True
    assert len(sr.get("/notifications", {"unread": "true"}).json()["items"]) == 2

    read_all = sr.post("/notifications/read-all")
    assert read_all.status_code == 200 and read_all.json() == {"count": 2}
    assert sr.get("/notifications", {"unread": "true"}).json()["items"] == []
    assert len(sr.get("/notifications").json()["items"]) == 3
    # The owner's inbox is untouched by the SR reading theirs.
    assert len(api_as(org["ar"]).get("/notifications", {"unread": "true"}).json()["items"]) == 2


def test_someone_elses_notification_cannot_be_marked(org, team_account):
    _update_as_manager(org, team_account, region="上海")
    theirs = Notification.objects.filter(recipient=org["sr"]).first()

    response = api_as(org["ar"]).post(f"/notifications/{theirs.pk}/read")

    assert response.status_code == 404
    theirs.refresh_from_db()
    assert theirs.read_at is None


def test_inbox_pages_newest_first(org, team_account):
    for number in range(5):
        _update_as_manager(org, team_account, region=f"区{number}")
    client = api_as(org["ar"])

    first = client.get("/notifications", {"limit": 2}).json()
    second = client.get("/notifications", {"limit": 2, "cursor": first["next_cursor"]}).json()

    ids = [item["id"] for item in first["items"] + second["items"]]
    assert ids == sorted(ids, reverse=True) and len(set(ids)) == 4
    assert client.get("/notifications", {"limit": 201}).status_code == 422


def test_email_goes_to_recipients_with_an_address_after_commit(org, team_account, django_capture_on_commit_callbacks):
    no_mail = user_create(username="nomail", password=PASSWORD, unit_codes=["ka-sh"])
    add_to_team(team_account, no_mail, "fr")
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        _update_as_manager(org, team_account, region="上海")
        assert mail.outbox == [], "mail must wait for the commit"

    assert sorted(address for message in mail.outbox for address in message.to) == [
        "ar@example.com",
        "sr@example.com",
    ]
    message = mail.outbox[0]
    assert "中国移动上海公司" in message.subject
    assert f"/accounts/{team_account.pk}/" in message.body
    assert Notification.objects.get(recipient=no_mail, event__kind="account.updated").emailed_at is None
    assert Notification.objects.get(recipient=org["ar"], event__kind="account.updated").emailed_at is not None


def test_email_is_sent_once_per_notification(org, team_account, django_capture_on_commit_callbacks):
    from irontriangle.notifications.services import notification_emails_send

    with django_capture_on_commit_callbacks(execute=True):
        _update_as_manager(org, team_account, region="上海")
    event_id = Notification.objects.filter(event__kind="account.updated").first().event_id
    sent = len(mail.outbox)

    assert notification_emails_send(event_id) == 0
    assert len(mail.outbox) == sent


def test_a_rolled_back_change_sends_nothing(org, team_account, django_capture_on_commit_callbacks):
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        response = api_as(org["manager"]).patch(f"/accounts/{team_account.pk}", {"version": 1, "segment": "xx"})

    assert response.status_code == 422
    assert mail.outbox == []
    assert not Notification.objects.filter(event__kind="account.updated").exists()


def test_a_member_who_left_the_team_hears_no_more(org, team_account):
    from irontriangle.accounts.models import AccountTeamMember

    member = AccountTeamMember.objects.get(account=team_account, user=org["sr"])
    assert api_as(org["ar"]).delete(f"/accounts/{team_account.pk}/team/{member.pk}").status_code == 204

    _update_as_manager(org, team_account, region="上海")

    assert not Notification.objects.filter(recipient=org["sr"], event__kind="account.updated").exists()
    assert Notification.objects.filter(recipient=org["ar"], event__kind="account.updated").exists()


def test_a_line_break_in_a_name_does_not_stop_the_mail(org, django_capture_on_commit_callbacks):
    from tests.factories import make_account

    account = make_account(org["ar"], name="第一行\n第二行")
    add_to_team(account, org["sr"], "sr")
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        _update_as_manager(org, account, region="上海")

    assert sorted(address for message in mail.outbox for address in message.to) == [
        "ar@example.com",
        "sr@example.com",
    ]
    assert all("\n" not in message.subject and "第二行" in message.subject for message in mail.outbox)
