"""Seed 002: "when resources cannot meet the need, escalate to the leadership at once".

A request nobody answered within its SLA goes to the managers of the pool's unit (level 1); after one
more SLA period unanswered, to the managers one level up (level 2). Each level is announced once, even
with several schedulers running: the level's event row is the claim.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from irontriangle.org.models import Membership, OrgUnit
from irontriangle.resources.models import RequestEvent, RequestEventKind, RequestStatus, ResourceRequest
from irontriangle.resources.routing import sla_hours
from irontriangle.resources.services.common import tell

TOP_LEVEL = 2


def managers_at(unit: OrgUnit | None) -> tuple[OrgUnit | None, list[int]]:
    """The managers of a unit; a unit without one hands over to the nearest unit above that has one."""
    while unit is not None:
        ids = list(
            Membership.objects.filter(unit=unit, is_manager=True, user__is_active=True)
            .order_by("user_id")
            .values_list("user_id", flat=True)
        )
        if ids:
            return unit, ids
        unit = unit.parent
    return None, []


def _base_unit(request: ResourceRequest) -> OrgUnit | None:
    return request.pool_unit or request.opportunity.account.owner_unit


def escalation_target(request: ResourceRequest, level: int) -> tuple[OrgUnit | None, list[int]]:
    unit, ids = managers_at(_base_unit(request))
    if level >= 2 and unit is not None:
        # "One level up" from whoever answered level 1.
        return managers_at(unit.parent)
    return unit, ids


def level_due(request: ResourceRequest, now: datetime) -> int:
    if now < request.answer_due_at:
        return 0
    extra = timedelta(hours=sla_hours(request.kind))
    return TOP_LEVEL if now >= request.answer_due_at + extra else 1


def _escalate(request: ResourceRequest, level: int, now: datetime) -> bool:
    unit, manager_ids = escalation_target(request, level)
    try:
        with transaction.atomic():
            RequestEvent.objects.create(
                request=request,
                kind=RequestEventKind.ESCALATED,
                level=level,
                unit=unit,
                notified=manager_ids,
                at=now,
                note=unit.label if unit is not None else "",
            )
            ResourceRequest.all_objects.filter(pk=request.pk, escalation_level__lt=level).update(escalation_level=level)
            tell(
                request,
                kind="resource_request.escalated",
                actor=None,
                data={"request_id": request.pk, "level": level, "unit_id": unit.pk if unit else None},
                recipients={*manager_ids, request.requested_by_id},
                title=lambda: (
                    _("Escalated (level %(level)s): %(kind)s for %(deal)s has waited past its SLA since %(due)s")
                    % {
                        "level": level,
                        "kind": request.get_kind_display(),
                        "deal": request.opportunity.name,
                        "due": timezone.localtime(request.answer_due_at).strftime("%Y-%m-%d %H:%M"),
                    }
                ),
                link=f"/resources/requests/{request.pk}/",
            )
        return True
    except IntegrityError:
        return False  # another scheduler announced this level first


def escalations_run(now: datetime | None = None) -> int:
    """Escalate every request past its SLA by the levels it has reached; returns how many were sent."""
    from irontriangle.resources.services.requests import priorities_refresh

    now = now or timezone.now()
    priorities_refresh()
    sent = 0
    waiting = ResourceRequest.objects.filter(
        status=RequestStatus.REQUESTED, answer_due_at__lte=now, escalation_level__lt=TOP_LEVEL
    ).select_related("opportunity", "opportunity__account", "opportunity__account__owner_unit", "pool_unit")
    for request in waiting.order_by("answer_due_at", "pk"):
        for level in range(request.escalation_level + 1, level_due(request, now) + 1):
            sent += _escalate(request, level, now)
    return sent
