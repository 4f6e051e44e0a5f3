"""Webhook bodies: generic JSON, or the group-robot formats of WeCom, DingTalk and Feishu."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import time
from typing import Any
from urllib.parse import quote_plus

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder

from irontriangle.notifications.models import Event, WebhookFormat, WebhookSubscription

SIGNATURE_HEADER = "X-IronTriangle-Signature"


def _text(event: Event) -> str:
    message = event.data.get("message", {})
    lines = [message.get("title_zh", ""), message.get("title_en", "")]
    link = message.get("link")
    if link:
        lines.append(settings.IRONTRIANGLE_BASE_URL.rstrip("/") + link)
    return "\n".join(line for line in lines if line)


def json_body(event: Event) -> dict[str, Any]:
    actor = event.actor
    return {
        "id": event.pk,
        "event": event.kind,
        "occurred_at": event.created_at.isoformat(),
        "actor": {"id": actor.pk, "username": actor.username} if actor else None,
        "subject": {"type": event.subject_type, "id": event.subject_id},
        "data": {key: value for key, value in event.data.items() if key != "message"},
        "text": {
            "en": event.data.get("message", {}).get("title_en", ""),
            "zh-hans": event.data.get("message", {}).get("title_zh", ""),
        },
    }


def build_request(subscription: WebhookSubscription, event: Event) -> tuple[str, bytes, dict[str, str]]:
    """URL, body and headers of one delivery. Every format carries our HMAC signature header; the
    robot formats also carry the robot's own signature where that platform defines one."""
    url = subscription.url
    text = _text(event)
    body: dict[str, Any]
    if subscription.format == WebhookFormat.WECOM:
        body = {"msgtype": "markdown", "markdown": {"content": text}}
    elif subscription.format == WebhookFormat.DINGTALK:
        body = {"msgtype": "markdown", "markdown": {"title": text.split("\n", 1)[0], "text": text}}
        if subscription.secret:
            timestamp = str(int(time.time() * 1000))
            digest = hmac.new(
                subscription.secret.encode(), f"{timestamp}\n{subscription.secret}".encode(), hashlib.sha256
            ).digest()
            separator = "&" if "?" in url else "?"
            url = f"{url}{separator}timestamp={timestamp}&sign={quote_plus(base64.b64encode(digest).decode())}"
    elif subscription.format == WebhookFormat.FEISHU:
        body = {"msg_type": "text", "content": {"text": text}}
        if subscription.secret:
            timestamp = str(int(time.time()))
            digest = hmac.new(f"{timestamp}\n{subscription.secret}".encode(), b"", hashlib.sha256).digest()
            body.update({"timestamp": timestamp, "sign": base64.b64encode(digest).decode()})
    else:
        body = json_body(event)
    raw = json.dumps(body, cls=DjangoJSONEncoder, ensure_ascii=False).encode()
    headers = {
        "Content-Type": "application/json; charset=utf-8",
        "User-Agent": "IronTriangle-Webhook/1",
        "X-IronTriangle-Event": event.kind,
        "X-IronTriangle-Delivery": str(event.pk),
        SIGNATURE_HEADER: "sha256=" + sign(subscription.secret, raw),
    }
    return url, raw, headers


def sign(secret: str, body: bytes) -> str:
    return hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()
