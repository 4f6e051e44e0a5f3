"""`/notifications` (the caller's own) and `/webhooks` (administrators)."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

from django.http import HttpRequest, HttpResponse
from django.utils.translation import get_language
from ninja import Query, Router, Schema, Status
from pydantic import Field

from irontriangle.common.apitools import ErrorOut, Id, ListOut, RawStr, SafeStr, viewer
from irontriangle.common.pagination import DEFAULT_LIMIT, MAX_LIMIT, keyset_page
from irontriangle.notifications import selectors, services
from irontriangle.notifications.models import Notification, WebhookDelivery, WebhookFormat, WebhookSubscription

router = Router(tags=["notifications"])
ERRORS: dict[int, type[Schema]] = {401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut}


class NotificationOut(Schema):
    id: int
    event: str
    title: str
    title_en: str
    title_zh: str
    link: str
    read: bool
    created_at: datetime


def notification_out(notification: Notification, language: str | None) -> dict[str, Any]:
    return {
        "id": notification.pk,
        "event": notification.event.kind,
        "title": notification.title_zh if (language or "").startswith("zh") else notification.title_en,
        "title_en": notification.title_en,
        "title_zh": notification.title_zh,
        "link": notification.link,
        "read": notification.read_at is not None,
        "created_at": notification.created_at,
    }


class NotificationQuery(Schema):
    unread: bool = False
    limit: Annotated[int, Field(ge=1, le=MAX_LIMIT)] = DEFAULT_LIMIT
    cursor: Annotated[SafeStr, Field(max_length=500)] | None = None


@router.get("/notifications", response={200: ListOut[NotificationOut], **ERRORS})
def list_notifications(request: HttpRequest, query: Query[NotificationQuery]) -> Any:
    rows = selectors.notifications_of(viewer(request)).select_related("event")
    if query.unread:
        rows = rows.filter(read_at__isnull=True)
    page = keyset_page(rows, order="-id", cursor=query.cursor, limit=query.limit)
    language = get_language()
    return {"items": [notification_out(n, language) for n in page.items], "next_cursor": page.next_cursor}


@router.post("/notifications/{notification_id}/read", response={200: NotificationOut, **ERRORS})
def mark_read(request: HttpRequest, notification_id: Id) -> Any:
    notification = services.notification_mark_read(viewer=viewer(request), notification_id=notification_id)
    return notification_out(notification, get_language())


class CountOut(Schema):
    count: int


@router.post("/notifications/read-all", response={200: CountOut, **ERRORS})
def mark_all_read(request: HttpRequest) -> Any:
    return {"count": services.notifications_mark_all_read(viewer=viewer(request))}


class WebhookIn(Schema):
    url: Annotated[SafeStr, Field(min_length=1, max_length=500)]
    events: Annotated[list[Annotated[SafeStr, Field(max_length=60)]], Field(min_length=1, max_length=50)]
    secret: Annotated[RawStr, Field(max_length=200)] = ""
    format: WebhookFormat = WebhookFormat.JSON
    name: Annotated[SafeStr, Field(max_length=100)] = ""


class WebhookOut(Schema):
    id: int
    name: str
    url: str
    events: list[str]
    format: str
    is_active: bool
    has_secret: bool
    created_at: datetime


def webhook_out(subscription: WebhookSubscription) -> dict[str, Any]:
    return {
        "id": subscription.pk,
        "name": subscription.name,
        "url": subscription.url,
        "events": subscription.events,
        "format": subscription.format,
        "is_active": subscription.is_active,
        "has_secret": bool(subscription.secret),
        "created_at": subscription.created_at,
    }


@router.get("/webhooks", response={200: list[WebhookOut], **ERRORS}, tags=["webhooks"])
def list_webhooks(request: HttpRequest) -> Any:
    return [webhook_out(s) for s in selectors.webhooks_visible(viewer(request)).order_by("id")]


@router.post("/webhooks", response={201: WebhookOut, **ERRORS}, tags=["webhooks"])
def create_webhook(request: HttpRequest, payload: WebhookIn) -> Any:
    subscription = services.webhook_create(
        viewer=viewer(request),
        url=payload.url,
        events=payload.events,
        secret=payload.secret,
        format=payload.format,
        name=payload.name,
    )
    return Status(201, webhook_out(subscription))


@router.get("/webhooks/{webhook_id}", response={200: WebhookOut, **ERRORS}, tags=["webhooks"])
def get_webhook(request: HttpRequest, webhook_id: Id) -> Any:
    return webhook_out(selectors.webhook_get(viewer(request), webhook_id))


@router.delete("/webhooks/{webhook_id}", response={204: None, **ERRORS}, tags=["webhooks"])
def delete_webhook(request: HttpRequest, webhook_id: Id) -> Any:
    who = viewer(request)
    services.webhook_delete(viewer=who, subscription=selectors.webhook_get(who, webhook_id))
    return HttpResponse(status=204)


class AttemptOut(Schema):
    attempted_at: datetime
    status_code: int | None
    error: str
    duration_ms: int


class DeliveryOut(Schema):
    id: int
    event: str
    event_id: int
    status: str
    attempts: int
    last_status_code: int | None
    last_error: str
    next_attempt_at: datetime | None
    delivered_at: datetime | None
    created_at: datetime
    log: list[AttemptOut]


def delivery_out(delivery: WebhookDelivery) -> dict[str, Any]:
    return {
        "id": delivery.pk,
        "event": delivery.event.kind,
        "event_id": delivery.event_id,
        "status": delivery.status,
        "attempts": delivery.attempts,
        "last_status_code": delivery.last_status_code,
        "last_error": delivery.last_error,
        "next_attempt_at": delivery.next_attempt_at,
        "delivered_at": delivery.delivered_at,
        "created_at": delivery.created_at,
        "log": [
            {
                "attempted_at": a.attempted_at,
                "status_code": a.status_code,
                "error": a.error,
                "duration_ms": a.duration_ms,
            }
            for a in delivery.log.all()
        ],
    }


@router.get("/webhooks/{webhook_id}/deliveries", response={200: ListOut[DeliveryOut], **ERRORS}, tags=["webhooks"])
def list_deliveries(request: HttpRequest, webhook_id: Id, page: Query[NotificationQuery]) -> Any:
    subscription = selectors.webhook_get(viewer(request), webhook_id)
    rows = selectors.webhook_deliveries(subscription).prefetch_related("log")
    result = keyset_page(rows, order="-id", cursor=page.cursor, limit=page.limit)
    return {"items": [delivery_out(d) for d in result.items], "next_cursor": result.next_cursor}
