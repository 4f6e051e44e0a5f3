"""Notifications and trash pages through the Django test client."""

from __future__ import annotations

from django.utils import translation

from irontriangle.accounts.models import Account
from irontriangle.accounts.services import account_delete, team_member_add
from irontriangle.common.access import viewer_of
from irontriangle.notifications.models import Notification
from tests.factories import make_account


def _notify_sr(org):
    account = make_account(org["ar"], name="宝钢集团")
    team_member_add(viewer=viewer_of(org["ar"]), actor=org["ar"], account=account, user_id=org["sr"].pk, role="sr")
    return account, Notification.objects.get(recipient=org["sr"])


def test_notifications_in_the_reader_language(client, org):
    _account, _notification = _notify_sr(org)
    client.force_login(org["sr"])
    english = client.get("/notifications/", headers={"Accept-Language": "en"}).content.decode()
    assert "王磊 added 李娜 to the team of 宝钢集团" in english
    chinese = client.get("/notifications/", headers={"Accept-Language": "zh-hans"}).content.decode()
    assert "王磊 将 李娜 加入 宝钢集团 的团队" in chinese
    translation.activate("en")


def test_open_marks_read_and_follows_the_link(client, org):
    account, notification = _notify_sr(org)
    client.force_login(org["sr"])
    response = client.post(f"/notifications/{notification.pk}/open/")
    assert response["Location"] == f"/accounts/{account.pk}/"
    notification.refresh_from_db()
    assert notification.read_at is not None


def test_others_cannot_touch_my_notifications(client, org):
    _account, notification = _notify_sr(org)
    client.force_login(org["outsider"])
    assert client.post(f"/notifications/{notification.pk}/read/").status_code == 404
    notification.refresh_from_db()
    assert notification.read_at is None


def test_mark_all_read(client, org):
    _notify_sr(org)
    client.force_login(org["sr"])
    assert client.post("/notifications/read-all/").status_code == 302
    assert not Notification.objects.filter(recipient=org["sr"], read_at__isnull=True).exists()


def test_trash_restore_for_admin_404_for_others(client, org):
    account = make_account(org["ar"], name="上汽集团")
    account_delete(viewer=viewer_of(org["ar"]), actor=org["ar"], account=account)
    url = f"/trash/accounts.account/{account.pk}/restore/"
    for someone in ("ar", "manager", "outsider"):
        client.force_login(org[someone])
        assert client.get("/trash/").status_code == 404
        assert client.post(url).status_code == 404
    assert Account.all_objects.get(pk=account.pk).deleted_at is not None
    client.force_login(org["admin"])
    assert "上汽集团" in client.get("/trash/").content.decode()
    assert client.post(url).status_code == 302
    assert Account.objects.filter(pk=account.pk).exists()
    assert client.post(url).status_code == 404  # no longer in the trash
    assert client.post(f"/trash/no.such/{account.pk}/restore/").status_code == 404
