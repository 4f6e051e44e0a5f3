"""Background work of notifications; run by the worker that `irontriangle serve` starts."""

from __future__ import annotations

from django_tasks import task

from irontriangle.notifications.models import WebhookDelivery


@task()
def deliver_event_webhooks(event_id: int) -> int:
    from irontriangle.notifications.services import delivery_attempt

    attempted = 0
    for delivery_id in WebhookDelivery.objects.filter(event_id=event_id).values_list("pk", flat=True):
        if delivery_attempt(delivery_id) is not None:
            attempted += 1
    return attempted


@task()
def send_notification_emails(event_id: int) -> int:
    from irontriangle.notifications.services import notification_emails_send

    return notification_emails_send(event_id)
