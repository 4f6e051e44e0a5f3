"""Reads of the caller's own notifications and, for administrators, webhooks and their log."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from irontriangle.common.access import Viewer, get_visible
from irontriangle.common.errors import Forbidden, NotFound
from irontriangle.notifications.models import DeliveryAttempt, Notification, WebhookDelivery, WebhookSubscription


def notifications_of(viewer: Viewer) -> QuerySet[Notification]:
    return Notification.objects.filter(recipient_id=viewer.user_id)


def unread_count(viewer: Viewer) -> int:
    if viewer.is_anonymous:
        return 0
    return Notification.objects.filter(recipient_id=viewer.user_id, read_at__isnull=True).count()


def webhooks_visible(viewer: Viewer) -> QuerySet[WebhookSubscription]:
    if not viewer.is_admin:
        raise Forbidden()
    return WebhookSubscription.objects.filter(deleted_at__isnull=True)


def webhook_get(viewer: Viewer, pk: Any) -> WebhookSubscription:
    if not viewer.is_admin:
        raise NotFound()  # an object route: whoever may not see webhooks learns nothing about one
    return get_visible(webhooks_visible(viewer), pk)


def webhook_deliveries(subscription: WebhookSubscription) -> QuerySet[WebhookDelivery]:
    return subscription.deliveries.select_related("event")


def delivery_log(delivery: WebhookDelivery) -> QuerySet[DeliveryAttempt]:
    return delivery.log.all()
