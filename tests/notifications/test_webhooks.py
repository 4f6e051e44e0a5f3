"""Webhooks: signed deliveries to a real HTTP receiver, retries with back-off, the delivery log, and
the WeCom / DingTalk / Feishu robot formats."""

from __future__ import annotations

import base64
import hashlib
import hmac
import itertools
import json
import socket
import time
from datetime import timedelta
from urllib.parse import parse_qs, unquote, urlparse

import pytest
from django.utils import timezone

from irontriangle.common.access import viewer_of
from irontriangle.notifications.formats import SIGNATURE_HEADER, build_request
from irontriangle.notifications.models import DeliveryStatus, Event, WebhookDelivery, WebhookSubscription
from irontriangle.notifications.services import (
    RETRY_MAX_SECONDS,
    deliveries_run_due,
    retry_delay,
    webhook_create,
)
from tests.conftest import api_as
from tests.factories import make_account, update_account

SECRET = "whsec-铁三角-0123456789"


def _subscribe(org, url: str, *, format: str = "json", secret: str = SECRET, events=("account.updated",)):
    return webhook_create(viewer=viewer_of(org["admin"]), url=url, events=list(events), secret=secret, format=format)


def _update(org, account, **changes) -> None:
    account.refresh_from_db()
    response = api_as(org["ar"]).patch(f"/accounts/{account.pk}", {"version": account.version, **changes})
    assert response.status_code == 200, response.content


def _expected_signature(body: bytes, secret: str = SECRET) -> str:
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


# --- subscriptions ---------------------------------------------------------------------------------


def test_admin_subscribes_and_the_secret_is_never_returned(org):
    admin = api_as(org["admin"])

    response = admin.post(
        "/webhooks",
        {"url": "https://hooks.example.com/it", "events": ["account.updated"], "secret": SECRET, "format": "json"},
    )

    assert response.status_code == 201, response.content
    body = response.json()
    assert "secret" not in body and SECRET not in response.content.decode()
    assert body["has_secret"] is True
    assert (body["url"], body["events"], body["format"], body["is_active"]) == (
        "https://hooks.example.com/it",
        ["account.updated"],
        "json",
        True,
    )
    listed = admin.get("/webhooks")
    assert [item["id"] for item in listed.json()] == [body["id"]]
    assert SECRET not in listed.content.decode()
    assert SECRET not in admin.get(f"/webhooks/{body['id']}").content.decode()


def test_non_admins_may_not_manage_webhooks(org):
    manager = api_as(org["manager"])

    created = manager.post("/webhooks", {"url": "https://hooks.example.com/x", "events": ["account.updated"]})

    assert created.status_code == 403
    assert manager.get("/webhooks").status_code == 403
    assert not WebhookSubscription.objects.exists()


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"url": "ftp://example.com/x", "events": ["account.updated"]}, "url"),
        ({"url": "not a url", "events": ["account.updated"]}, "url"),
        ({"url": "https://example.com/x", "events": ["account.exploded"]}, "events"),
        ({"url": "https://example.com/x", "events": []}, "events"),
        ({"url": "https://example.com/x", "events": ["account.updated"], "format": "slack"}, "format"),
        ({"url": "https://example.com/x", "events": ["account.updated"], "secret": "s" * 201}, "secret"),
    ],
)
def test_invalid_subscription_is_422_naming_the_field(org, payload, field):
    response = api_as(org["admin"]).post("/webhooks", payload)

    assert response.status_code == 422, response.content
    assert field in {error["field"] for error in response.json()["errors"]}
    assert not WebhookSubscription.objects.exists()


def test_deleted_subscription_gets_nothing_more(org, team_account, receiver):
    admin = api_as(org["admin"])
    subscription = _subscribe(org, receiver.url)

    assert admin.delete(f"/webhooks/{subscription.pk}").status_code == 204
    assert admin.get(f"/webhooks/{subscription.pk}").status_code == 404
    _update(org, team_account, region="上海")

    assert not WebhookDelivery.objects.exists()


def test_only_subscribed_events_are_delivered(org, receiver):
    updated_only = _subscribe(org, receiver.url, events=["account.updated"])
    everything = _subscribe(org, receiver.url, events=["account.*"])

    account = make_account(org["ar"], name="新客户")

    assert not WebhookDelivery.objects.filter(subscription=updated_only).exists()
    assert WebhookDelivery.objects.filter(subscription=everything, event__kind="account.created").count() == 1
    assert WebhookDelivery.objects.get(subscription=everything).event.subject_id == account.pk


# --- delivery, retry and the log ------------------------------------------------------------------


def test_failed_first_attempt_is_retried_then_delivered_with_a_valid_signature(
    org, team_account, receiver, django_capture_on_commit_callbacks
):
    receiver.statuses = [500, 200]
    admin = api_as(org["admin"])
    created = admin.post(
        "/webhooks", {"url": receiver.url, "events": ["account.updated"], "secret": SECRET, "format": "json"}
    )
    assert created.status_code == 201
    webhook_id = created.json()["id"]

    before = timezone.now()
    with django_capture_on_commit_callbacks(execute=True):
        _update(org, team_account, region="上海", tier="a")

    delivery = WebhookDelivery.objects.get(subscription_id=webhook_id)
    assert len(receiver.requests) == 1, "the first attempt is made as soon as the change commits"
    assert delivery.status == DeliveryStatus.RETRYING
    assert (delivery.attempts, delivery.last_status_code) == (1, 500)
    assert delivery.next_attempt_at > timezone.now()
    assert delivery.next_attempt_at >= before + retry_delay(1)

    assert deliveries_run_due(now=timezone.now()) == 0, "not due yet"
    assert deliveries_run_due(now=delivery.next_attempt_at + timedelta(seconds=1)) == 1

    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.DELIVERED
    assert delivery.attempts == 2 and delivery.delivered_at is not None and delivery.next_attempt_at is None
    assert len(receiver.requests) == 2
    last = receiver.requests[-1]
    assert last.headers[SIGNATURE_HEADER.lower()] == _expected_signature(last.body)
    assert last.headers["x-irontriangle-event"] == "account.updated"
    assert last.body == receiver.requests[0].body, "a retry sends the same payload"
    payload = json.loads(last.body)
    assert payload["event"] == "account.updated"
    assert payload["subject"] == {"type": "accounts.account", "id": team_account.pk}
    assert payload["actor"]["username"] == "ar"
    assert payload["data"]["changes"]["region"] == ["", "上海"]
    assert payload["data"]["changes"]["tier"] == ["s", "a"]
    assert payload["text"]["en"]

    log = admin.get(f"/webhooks/{webhook_id}/deliveries")
    assert log.status_code == 200
    [item] = log.json()["items"]
    assert (item["status"], item["attempts"], item["event"]) == ("delivered", 2, "account.updated")
    assert [attempt["status_code"] for attempt in item["log"]] == [500, 200]
    assert item["log"][0]["error"] == "HTTP 500"

    assert deliveries_run_due(now=timezone.now() + timedelta(days=1)) == 0
    assert len(receiver.requests) == 2, "a delivered event is never sent again"


def test_signature_does_not_verify_with_another_secret(org, team_account, receiver, django_capture_on_commit_callbacks):
    _subscribe(org, receiver.url)

    with django_capture_on_commit_callbacks(execute=True):
        _update(org, team_account, region="上海")

    [received] = receiver.requests
    assert received.headers[SIGNATURE_HEADER.lower()] != _expected_signature(received.body, "another-secret")
    assert WebhookDelivery.objects.get().status == DeliveryStatus.DELIVERED


def test_gives_up_after_the_maximum_attempts(org, team_account, receiver, settings, django_capture_on_commit_callbacks):
    settings.IRONTRIANGLE_WEBHOOK_MAX_ATTEMPTS = 3
    receiver.statuses = [503]
    _subscribe(org, receiver.url)

    with django_capture_on_commit_callbacks(execute=True):
        _update(org, team_account, region="上海")
    for _round in range(5):
        delivery = WebhookDelivery.objects.get()
        if delivery.next_attempt_at is None:
            break
        deliveries_run_due(now=delivery.next_attempt_at + timedelta(seconds=1))

    delivery = WebhookDelivery.objects.get()
    assert delivery.status == DeliveryStatus.FAILED
    assert (delivery.attempts, delivery.next_attempt_at, delivery.last_status_code) == (3, None, 503)
    assert len(receiver.requests) == 3
    assert delivery.log.count() == 3
    assert deliveries_run_due(now=timezone.now() + timedelta(days=30)) == 0
    assert len(receiver.requests) == 3


def test_unreachable_receiver_is_recorded_and_retried(org, team_account, django_capture_on_commit_callbacks):
    with socket.socket() as probe:  # a port nobody listens on once closed
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    _subscribe(org, f"http://127.0.0.1:{port}/hook")

    with django_capture_on_commit_callbacks(execute=True):
        _update(org, team_account, region="上海")

    delivery = WebhookDelivery.objects.get()
    assert delivery.status == DeliveryStatus.RETRYING
    assert delivery.last_status_code is None and delivery.last_error
    assert delivery.log.get().error == delivery.last_error


def test_retry_delay_grows_then_stops_at_the_cap():
    delays = [retry_delay(attempt) for attempt in range(1, 20)]

    assert delays[0] == timedelta(seconds=30)
    assert delays[1] == 2 * delays[0] and delays[2] == 2 * delays[1]
    assert all(later >= earlier for earlier, later in itertools.pairwise(delays))
    assert max(delays) == timedelta(seconds=RETRY_MAX_SECONDS)
    assert delays[-1] == timedelta(seconds=RETRY_MAX_SECONDS)


def test_deliveries_of_another_webhook_are_not_listed(org, team_account, receiver):
    first = _subscribe(org, receiver.url)
    second = _subscribe(org, receiver.url, events=["account.deleted"])
    _update(org, team_account, region="上海")

    admin = api_as(org["admin"])
    assert len(admin.get(f"/webhooks/{first.pk}/deliveries").json()["items"]) == 1
    assert admin.get(f"/webhooks/{second.pk}/deliveries").json()["items"] == []


# --- robot formats -----------------------------------------------------------------------------------


@pytest.fixture
def event(org, team_account) -> Event:
    update_account(team_account, org["ar"], region="上海")
    return Event.objects.get(kind="account.updated")


def _build(org, event, format: str, *, secret: str = SECRET, url: str = "https://robot.example.com/send"):
    subscription = _subscribe(org, url, format=format, secret=secret)
    url, body, headers = build_request(subscription, event)
    assert headers[SIGNATURE_HEADER] == _expected_signature(body, secret)
    assert headers["Content-Type"].startswith("application/json")
    return url, json.loads(body)


def test_wecom_body_is_a_markdown_message(org, event):
    url, body = _build(org, event, "wecom")

    assert url == "https://robot.example.com/send"
    assert body["msgtype"] == "markdown"
    content = body["markdown"]["content"]
    assert "中国移动上海公司" in content
    assert f"/accounts/{event.subject_id}/" in content


def test_dingtalk_body_and_signed_url(org, event):
    before_ms = int(time.time() * 1000)
    url, body = _build(org, event, "dingtalk", url="https://oapi.dingtalk.com/robot/send?access_token=abc")

    assert body["msgtype"] == "markdown"
    assert body["markdown"]["title"] and "中国移动上海公司" in body["markdown"]["text"]
    query = parse_qs(urlparse(url).query)
    assert query["access_token"] == ["abc"]
    timestamp = query["timestamp"][0]
    assert before_ms <= int(timestamp) <= int(time.time() * 1000)
    expected = base64.b64encode(
        hmac.new(SECRET.encode(), f"{timestamp}\n{SECRET}".encode(), hashlib.sha256).digest()
    ).decode()
    assert query["sign"] == [expected]
    assert unquote(url.split("sign=")[1]) == expected


def test_dingtalk_without_a_secret_sends_no_signature(org, event):
    url, _body = _build(org, event, "dingtalk", secret="")

    assert "sign=" not in url and "timestamp=" not in url


def test_feishu_body_is_text_with_timestamp_and_sign(org, event):
    before = int(time.time())
    url, body = _build(org, event, "feishu")

    assert url == "https://robot.example.com/send"
    assert body["msg_type"] == "text"
    assert "中国移动上海公司" in body["content"]["text"]
    assert before <= int(body["timestamp"]) <= int(time.time())
    expected = base64.b64encode(
        hmac.new(f"{body['timestamp']}\n{SECRET}".encode(), b"", hashlib.sha256).digest()
    ).decode()
    assert body["sign"] == expected


def test_feishu_without_a_secret_has_no_sign(org, event):
    _url, body = _build(org, event, "feishu", secret="")

    assert "sign" not in body and "timestamp" not in body


def test_robot_format_reaches_a_real_receiver(org, team_account, receiver, django_capture_on_commit_callbacks):
    _subscribe(org, receiver.url, format="dingtalk")

    with django_capture_on_commit_callbacks(execute=True):
        _update(org, team_account, region="上海")

    [received] = receiver.requests
    query = parse_qs(urlparse(received.path).query)
    assert set(query) == {"timestamp", "sign"}
    assert json.loads(received.body)["msgtype"] == "markdown"
    assert received.headers[SIGNATURE_HEADER.lower()] == _expected_signature(received.body)
