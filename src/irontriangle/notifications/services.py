"""Writes for events, notifications and webhooks. Everything leaves the building on commit."""

from __future__ import annotations

import time
import urllib.error
import urllib.request
from collections.abc import Iterable
from datetime import datetime, timedelta
from typing import Any
from urllib.parse import urlparse

from django.conf import settings
from django.core.mail import send_mail
from django.db import models, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from irontriangle.common.access import Viewer
from irontriangle.common.errors import FieldError, Forbidden, InvalidInput, NotFound
from irontriangle.notifications.formats import build_request
from irontriangle.notifications.messages import Message
from irontriangle.notifications.models import (
    DeliveryAttempt,
    DeliveryStatus,
    Event,
    Notification,
    WebhookDelivery,
    WebhookFormat,
    WebhookSubscription,
)

# Event kinds a subscription may name; later steps add theirs here.
EVENT_KINDS = [
    "account.created",
    "account.updated",
    "account.deleted",
    "account.restored",
    "account.team_changed",
    "account.segment_confirmed",
    "account.intelligence_changed",
    "ownership.requested",
    "ownership.decided",
    "ownership.withdrawn",
    "configuration.changed",
    "contact.created",
    "contact.updated",
    "contact.deleted",
    "contact.status_changed",
    "contact.owners_changed",
    "relationship_plan.changed",
    "relationship_evaluation.saved",
    "relationship.cadence_overdue",
    "interaction.logged",
    "interaction.updated",
    "interaction.deleted",
    "org_activity.logged",
    "org_activity.updated",
    "org_activity.deleted",
    "lead.created",
    "lead.updated",
    "lead.converted",
    "opportunity.created",
    "opportunity.updated",
    "opportunity.deleted",
    "opportunity.stage_changed",
    "opportunity.amount_changed",
    "opportunity.close_date_changed",
    "opportunity.team_changed",
    "opportunity.competitors_changed",
    "opportunity.guides_changed",
    "opportunity.pain_chain_changed",
    "opportunity.checklist_changed",
    "opportunity.splits_changed",
    "opportunity.reviewed",
    "quote.created",
    "quote.updated",
    "quote.submitted",
    "quote.pending_manager",
    "quote.approved",
    "quote.rejected",
    "contract.created",
    "contract.updated",
    "contract.deleted",
    "contract.milestones_changed",
    "contract.decision_chain_changed",
    "contract.checklist_changed",
    "milestone.invoiced",
    "milestone.disputed",
    "milestone.dispute_resolved",
    "milestone.due_soon",
    "milestone.overdue",
    "payment.recorded",
    "payment.reversed",
    "evidence.uploaded",
    "evidence.removed",
    "collection_action.logged",
    "resource_request.raised",
    "resource_request.assigned",
    "resource_request.declined",
    "resource_request.done",
    "resource_request.escalated",
    "deal_registration.submitted",
    "deal_registration.approved",
    "deal_registration.rejected",
]

RETRY_BASE_SECONDS = 30
RETRY_MAX_SECONDS = 6 * 3600
# A worker that claims a delivery holds it this long; a crashed worker's claim simply runs out.
CLAIM_SECONDS = 120


def event_emit(
    *,
    kind: str,
    subject: models.Model,
    actor: Any,
    data: dict[str, Any] | None = None,
    recipient_ids: Iterable[int] = (),
    message: Message | None = None,
) -> Event:
    """Record a change with its notifications and webhook outbox rows, in the caller's transaction."""
    payload = dict(data or {})
    if message is not None:
        payload["message"] = {"title_en": message.title_en, "title_zh": message.title_zh, "link": message.link}
    event = Event.objects.create(
        kind=kind,
        subject_type=subject._meta.label_lower,
        subject_id=subject.pk,
        actor=actor if getattr(actor, "pk", None) else None,
        data=payload,
    )
    actor_id = getattr(actor, "pk", None)
    recipients = sorted({pk for pk in recipient_ids if pk and pk != actor_id})
    if message is not None and recipients:
        Notification.objects.bulk_create(
            Notification(
                recipient_id=pk, event=event, title_en=message.title_en, title_zh=message.title_zh, link=message.link
            )
            for pk in recipients
        )
    now = timezone.now()
    subscriptions = [
        subscription
        for subscription in WebhookSubscription.objects.filter(is_active=True, deleted_at__isnull=True)
        if subscription.wants(kind)
    ]
    if subscriptions:
        WebhookDelivery.objects.bulk_create(
            WebhookDelivery(subscription=subscription, event=event, next_attempt_at=now)
            for subscription in subscriptions
        )
    transaction.on_commit(lambda: _dispatch(event.pk, bool(subscriptions), bool(recipients)))
    return event


def _dispatch(event_id: int, has_deliveries: bool, has_recipients: bool) -> None:
    from irontriangle.notifications import tasks

    if has_deliveries:
        tasks.deliver_event_webhooks.enqueue(event_id)
    if has_recipients and email_enabled():
        tasks.send_notification_emails.enqueue(event_id)


def email_enabled() -> bool:
    return settings.EMAIL_BACKEND != "django.core.mail.backends.dummy.EmailBackend"


# --- in-app ------------------------------------------------------------------------------------


def notification_mark_read(*, viewer: Viewer, notification_id: int) -> Notification:
    notification = Notification.objects.filter(pk=notification_id, recipient_id=viewer.user_id).first()
    if notification is None:
        raise NotFound()
    if notification.read_at is None:
        notification.read_at = timezone.now()
        notification.save(update_fields=["read_at"])
    return notification


def notifications_mark_all_read(*, viewer: Viewer) -> int:
    return Notification.objects.filter(recipient_id=viewer.user_id, read_at__isnull=True).update(read_at=timezone.now())


def notification_emails_send(event_id: int) -> int:
    """E-mail each recipient of the event who has an address, once."""
    sent = 0
    pending = (
        Notification.objects.filter(event_id=event_id, emailed_at__isnull=True)
        .exclude(recipient__email="")
        .select_related("recipient")
    )
    for notification in pending:
        body = "\n\n".join(
            filter(
                None,
                [
                    notification.title_zh,
                    notification.title_en,
                    settings.IRONTRIANGLE_BASE_URL.rstrip("/") + notification.link if notification.link else "",
                ],
            )
        )
        send_mail(
            # A header is one line: a name typed with a line break must not make the mail unsendable.
            subject=" ".join(f"[IronTriangle] {notification.title_zh} / {notification.title_en}".split())[:250],
            message=body,
            from_email=None,
            recipient_list=[notification.recipient.email],
            fail_silently=False,
        )
        Notification.objects.filter(pk=notification.pk).update(emailed_at=timezone.now())
        sent += 1
    return sent


# --- webhooks --------------------------------------------------------------------------------------


def _require_admin(viewer: Viewer) -> None:
    if not viewer.is_admin:
        raise Forbidden()


def webhook_problems(*, url: str, events: list[str], secret: str, format: str) -> list[FieldError]:
    """What is wrong with a subscription, field by field (shared by the API and the admin site)."""
    errors: list[FieldError] = []
    parsed = urlparse(url)
    if parsed.scheme not in {"http", "https"} or not parsed.hostname:
        errors.append(FieldError("url", "invalid_url", _("Enter an http or https URL.")))
    if len(url) > 500:
        errors.append(FieldError("url", "too_long", _("The URL is too long.")))
    if not events:
        errors.append(FieldError("events", "required", _("Name at least one event.")))
    unknown = [kind for kind in events if kind != "*" and kind not in EVENT_KINDS and not kind.endswith(".*")]
    for kind in unknown:
        errors.append(FieldError("events", "unknown_event", _("Unknown event: %(event)s") % {"event": kind}))
    if format not in WebhookFormat.values:
        errors.append(FieldError("format", "invalid_choice", _("Unknown format: %(value)s") % {"value": format}))
    if len(secret) > 200:
        errors.append(FieldError("secret", "too_long", _("The secret is too long.")))
    return errors


def webhook_create(
    *, viewer: Viewer, url: str, events: list[str], secret: str = "", format: str = "json", name: str = ""
) -> WebhookSubscription:
    _require_admin(viewer)
    errors = webhook_problems(url=url, events=events, secret=secret, format=format)
    if errors:
        raise InvalidInput(errors)
    return WebhookSubscription.objects.create(
        url=url,
        events=list(dict.fromkeys(events)),
        secret=secret,
        format=format,
        name=name[:100],
        created_by_id=viewer.user_id,
    )


def webhook_delete(*, viewer: Viewer, subscription: WebhookSubscription) -> None:
    _require_admin(viewer)
    subscription.is_active = False
    subscription.deleted_at = timezone.now()
    subscription.save(update_fields=["is_active", "deleted_at"])


def retry_delay(attempts: int) -> timedelta:
    """Exponential back-off: 30 s, 1 min, 2 min, … capped at six hours."""
    return timedelta(seconds=min(RETRY_BASE_SECONDS * 2 ** max(attempts - 1, 0), RETRY_MAX_SECONDS))


def _claim(delivery_id: int, now: datetime) -> WebhookDelivery | None:
    """Take a due delivery for this worker only, so two workers never post the same one twice."""
    claimed = WebhookDelivery.objects.filter(
        Q(next_attempt_at__lte=now) | Q(next_attempt_at__isnull=True),
        pk=delivery_id,
        status__in=[DeliveryStatus.PENDING, DeliveryStatus.RETRYING],
    ).update(next_attempt_at=now + timedelta(seconds=CLAIM_SECONDS))
    if not claimed:
        return None
    return WebhookDelivery.objects.select_related("subscription", "event", "event__actor").get(pk=delivery_id)


def delivery_attempt(delivery_id: int, *, now: datetime | None = None) -> WebhookDelivery | None:
    """Post one delivery once and record the outcome; None when it is not due or already taken."""
    now = now or timezone.now()
    delivery = _claim(delivery_id, now)
    if delivery is None:
        return None
    url, body, headers = build_request(delivery.subscription, delivery.event)
    # Only http(s) URLs are accepted at subscription time, so no file: or custom scheme reaches here.
    request = urllib.request.Request(url, data=body, headers=headers, method="POST")  # noqa: S310
    started = time.monotonic()
    status_code: int | None = None
    error = ""
    excerpt = ""
    try:
        with urllib.request.urlopen(request, timeout=settings.IRONTRIANGLE_WEBHOOK_TIMEOUT) as response:  # noqa: S310
            status_code = response.status
            excerpt = response.read(500).decode("utf-8", "replace")
    except urllib.error.HTTPError as exc:
        status_code = exc.code
        error = f"HTTP {exc.code}"
        excerpt = exc.read(500).decode("utf-8", "replace") if exc.fp else ""
    except (urllib.error.URLError, OSError, ValueError) as exc:
        error = str(getattr(exc, "reason", exc))[:500] or exc.__class__.__name__
    duration = int((time.monotonic() - started) * 1000)
    succeeded = status_code is not None and 200 <= status_code < 300
    with transaction.atomic():
        DeliveryAttempt.objects.create(
            delivery=delivery,
            status_code=status_code,
            error=error[:500],
            duration_ms=duration,
            response_excerpt=excerpt[:500],
        )
        delivery.attempts += 1
        delivery.last_status_code = status_code
        delivery.last_error = error[:500]
        finished_at = timezone.now()
        if succeeded:
            delivery.status = DeliveryStatus.DELIVERED
            delivery.delivered_at = finished_at
            delivery.next_attempt_at = None
        elif delivery.attempts >= settings.IRONTRIANGLE_WEBHOOK_MAX_ATTEMPTS:
            delivery.status = DeliveryStatus.FAILED
            delivery.next_attempt_at = None
        else:
            delivery.status = DeliveryStatus.RETRYING
            delivery.next_attempt_at = finished_at + retry_delay(delivery.attempts)
        delivery.save()
    return delivery


def deliveries_due(now: datetime | None = None, *, limit: int = 100) -> list[int]:
    now = now or timezone.now()
    return list(
        WebhookDelivery.objects.filter(
            status__in=[DeliveryStatus.PENDING, DeliveryStatus.RETRYING], next_attempt_at__lte=now
        )
        .order_by("next_attempt_at")
        .values_list("pk", flat=True)[:limit]
    )


def deliveries_run_due(now: datetime | None = None) -> int:
    """Attempt every delivery that is due (first tries the worker missed, and retries)."""
    now = now or timezone.now()
    done = 0
    for delivery_id in deliveries_due(now):
        if delivery_attempt(delivery_id, now=now) is not None:
            done += 1
    return done
