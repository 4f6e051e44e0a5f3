"""The admin site: administrators manage webhooks there with the same checks as the API."""

from django.test import Client

from irontriangle.notifications.models import WebhookSubscription
from tests.factories import make_account


def admin_client(user):
    client = Client()
    client.force_login(user)
    return client


def test_admin_site_lists_accounts_webhooks_and_deliveries(org):
    make_account(org["ar"], name="管理后台客户")
    client = admin_client(org["admin"])
    for path in (
        "/admin/accounts/account/",
        "/admin/notifications/webhooksubscription/",
        "/admin/notifications/webhookdelivery/",
        "/admin/notifications/event/",
        "/admin/org/orgunit/",
        "/admin/org/user/",
    ):
        assert client.get(path).status_code == 200, path
    assert "管理后台客户" in client.get("/admin/accounts/account/").content.decode()


def test_admin_form_refuses_an_unknown_event_and_saves_a_good_subscription(org):
    client = admin_client(org["admin"])
    form = {
        "name": "群机器人",
        "url": "https://robot.example.com/hook",
        "format": "wecom",
        "secret": "s3",
        "is_active": "on",
    }
    refused = client.post("/admin/notifications/webhooksubscription/add/", {**form, "events": '["no.such"]'})
    assert refused.status_code == 200
    assert "Unknown event: no.such" in refused.content.decode()
    assert not WebhookSubscription.objects.exists()

    saved = client.post("/admin/notifications/webhooksubscription/add/", {**form, "events": '["account.*"]'})
    assert saved.status_code == 302
    assert WebhookSubscription.objects.get().events == ["account.*"]


def test_non_administrators_cannot_open_the_admin_site(org):
    response = admin_client(org["ar"]).get("/admin/notifications/webhooksubscription/")
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]
