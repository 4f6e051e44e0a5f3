"""Calling for fire: raising a request, answering it (assign or decline) and closing it."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from irontriangle.common.access import Viewer
from irontriangle.common.errors import Conflict, FieldError, Forbidden, InvalidInput
from irontriangle.common.services import check_version, lock_for_update, record_soft_delete, save_versioned, validate
from irontriangle.org.models import User
from irontriangle.pipeline.models import Opportunity
from irontriangle.pipeline.selectors import can_edit_opportunity
from irontriangle.resources.capacity import spread
from irontriangle.resources.models import (
    Assignment,
    DoubleCount,
    RequestEvent,
    RequestEventKind,
    RequestKind,
    RequestStatus,
    Resource,
    ResourceRequest,
)
from irontriangle.resources.priority import priority_of
from irontriangle.resources.routing import answer_due, rule_for, tier_for
from irontriangle.resources.selectors import can_answer, can_close
from irontriangle.resources.services.common import tags, tell, text

MAX_HOURS = 2000
MAX_DAYS_AHEAD = 730


def request_link(request: ResourceRequest) -> str:
    return f"/resources/requests/{request.pk}/"


def pool_manager_ids(request: ResourceRequest) -> set[int]:
    from irontriangle.resources.services.escalation import managers_at

    unit = request.pool_unit or request.opportunity.account.owner_unit
    return set(managers_at(unit)[1]) if unit is not None else set()


def _may_raise(viewer: Viewer, opportunity: Opportunity) -> bool:
    """Anyone on the deal's team (or who may edit it) calls for fire on it."""
    return (
        can_edit_opportunity(viewer, opportunity)
        or opportunity.team_members.filter(user_id=viewer.user_id or 0).exists()
    )


def _details(data: dict[str, Any], errors: list[FieldError], *, today: date) -> dict[str, Any]:
    cleaned: dict[str, Any] = {}
    if "skills" in data:
        cleaned["skills"] = tags(data["skills"], "skills", errors)
    if "hours" in data:
        hours = data["hours"]
        if not isinstance(hours, int) or not 1 <= hours <= MAX_HOURS:
            errors.append(FieldError("hours", "out_of_range", _("Hours go from 1 to %(n)d.") % {"n": MAX_HOURS}))
        else:
            cleaned["hours"] = hours
    if "needed_by" in data:
        needed_by = data["needed_by"]
        if not isinstance(needed_by, date):
            errors.append(FieldError("needed_by", "required", _("Say by when the help is needed.")))
        elif needed_by < today:
            errors.append(FieldError("needed_by", "in_past", _("The date the help is needed by has passed.")))
        elif (needed_by - today).days > MAX_DAYS_AHEAD:
            errors.append(FieldError("needed_by", "too_far", _("Ask for help at most two years ahead.")))
        else:
            cleaned["needed_by"] = needed_by
    for name in ("success_criteria", "notes"):
        if name in data:
            cleaned[name] = text(data[name])
    return cleaned


def _log(request: ResourceRequest, kind: str, actor: Any, *, note: str = "", level: int = 0, **extra: Any) -> None:
    RequestEvent.objects.create(
        request=request,
        kind=kind,
        level=level,
        actor=actor if getattr(actor, "pk", None) else None,
        note=note,
        at=timezone.now(),
        **extra,
    )


@transaction.atomic
def request_create(*, viewer: Viewer, actor: User, opportunity: Opportunity, data: dict[str, Any]) -> ResourceRequest:
    if not _may_raise(viewer, opportunity):
        raise Forbidden(_("Only the deal's team calls for fire on it."))
    errors: list[FieldError] = []
    kind = str(data.get("kind") or "")
    if kind not in RequestKind.values:
        errors.append(FieldError("kind", "invalid_choice", _("Choose what kind of help is needed.")))
    if opportunity.is_closed:
        errors.append(FieldError("opportunity_id", "opportunity_closed", _("This deal is closed: no more help.")))
    required = {"hours": data.get("hours"), "needed_by": data.get("needed_by")}
    details = _details({**data, **required}, errors, today=timezone.localdate())
    if errors:
        raise InvalidInput(errors)
    rule = rule_for(opportunity)
    now = timezone.now()
    priority, _parts = priority_of(opportunity)
    request = ResourceRequest(
        opportunity=opportunity,
        kind=kind,
        requested_by=actor,
        priority=priority,
        routed_tier=tier_for(opportunity, rule),
        routing_rule=rule,
        pool_unit=rule.pool_unit if rule is not None else None,
        answer_due_at=answer_due(kind, now),
        **details,
    )
    validate(request, exclude=["opportunity", "requested_by", "routing_rule", "pool_unit"])
    request._history_user = actor  # type: ignore[attr-defined]
    request.save()
    _log(request, RequestEventKind.RAISED, actor, unit=request.pool_unit)
    tell(
        request,
        kind="resource_request.raised",
        actor=actor,
        data={"request_id": request.pk, "opportunity_id": opportunity.pk, "kind": kind, "priority": priority},
        recipients=pool_manager_ids(request),
        title=lambda: (
            _("Call for fire: %(kind)s for %(deal)s (priority %(priority)s), needed by %(date)s")
            % {
                "kind": request.get_kind_display(),
                "deal": opportunity.name,
                "priority": priority,
                "date": request.needed_by.isoformat(),
            }
        ),
        link=request_link(request),
    )
    return request


def _require_open(request: ResourceRequest, *statuses: str) -> None:
    if request.status not in statuses:
        raise Conflict(
            _("This request is %(status)s: it can no longer change this way.")
            % {"status": request.get_status_display()},
            code="invalid_status",
        )


@transaction.atomic
def request_update(
    *, viewer: Viewer, actor: User, request: ResourceRequest, data: dict[str, Any], version: int | None
) -> ResourceRequest:
    if not can_close(viewer, request):
        raise Forbidden()
    current = lock_for_update(request)
    check_version(current, version)
    _require_open(current, RequestStatus.REQUESTED)
    errors: list[FieldError] = []
    details = _details(data, errors, today=timezone.localdate())
    if errors:
        raise InvalidInput(errors)
    for name, value in details.items():
        setattr(current, name, value)
    return save_versioned(current, actor=actor)


@transaction.atomic
def request_delete(*, viewer: Viewer, actor: User, request: ResourceRequest) -> None:
    """Withdrawing a request nobody answered yet; it goes to the trash like any record."""
    if not can_close(viewer, request):
        raise Forbidden()
    _require_open(request, RequestStatus.REQUESTED)
    record_soft_delete(request, actor=actor)


@transaction.atomic
def request_assign(
    *,
    viewer: Viewer,
    actor: User,
    request: ResourceRequest,
    resource: Resource,
    starts_on: date | None = None,
    ends_on: date | None = None,
) -> ResourceRequest:
    if not can_answer(viewer, request):
        raise Forbidden(_("Only the pool's managers assign its people."))
    current = lock_for_update(request)
    _require_open(current, RequestStatus.REQUESTED)
    if not resource.is_active or resource.deleted_at is not None:
        raise InvalidInput.single("resource_id", "unavailable", _("This resource takes no requests at the moment."))
    today = timezone.localdate()
    starts_on = starts_on or today
    ends_on = ends_on or max(current.needed_by, starts_on)
    if ends_on < starts_on:
        raise InvalidInput.single("ends_on", "before_start", _("The assignment cannot end before it starts."))
    if abs((starts_on - today).days) > MAX_DAYS_AHEAD or (ends_on - starts_on).days > MAX_DAYS_AHEAD:
        raise InvalidInput.single("ends_on", "too_far", _("An assignment lasts at most two years, from about now."))
    Assignment.objects.create(
        request=current,
        resource=resource,
        user_id=resource.user_id,
        starts_on=starts_on,
        ends_on=ends_on,
        hours_per_week=spread(current.hours, starts_on, ends_on),
        assigned_by=actor,
    )
    current.status = RequestStatus.ASSIGNED
    current.answered_at = timezone.now()
    save_versioned(current, actor=actor)
    _log(current, RequestEventKind.ASSIGNED, actor, note=resource.label)
    rule = current.routing_rule
    if rule is not None and rule.double_count and current.pool_unit_id:
        DoubleCount.objects.get_or_create(
            opportunity=current.opportunity, unit_id=current.pool_unit_id, defaults={"request": current}
        )
    tell(
        current,
        kind="resource_request.assigned",
        actor=actor,
        data={"request_id": current.pk, "resource_id": resource.pk, "user_id": resource.user_id},
        recipients={resource.user_id, current.requested_by_id, current.opportunity.owner_id},
        title=lambda: (
            _("%(who)s will serve %(deal)s: %(kind)s, %(hours)s h by %(date)s")
            % {
                "who": resource.label,
                "deal": current.opportunity.name,
                "kind": current.get_kind_display(),
                "hours": current.hours,
                "date": ends_on.isoformat(),
            }
        ),
        link=request_link(current),
    )
    return current


@transaction.atomic
def request_decline(*, viewer: Viewer, actor: User, request: ResourceRequest, reason: str) -> ResourceRequest:
    if not can_answer(viewer, request):
        raise Forbidden(_("Only the pool's managers decline a request."))
    reason = text(reason)
    if not reason:
        raise InvalidInput.single("reason", "required", _("Say why the request is declined."))
    current = lock_for_update(request)
    _require_open(current, RequestStatus.REQUESTED)
    current.status = RequestStatus.DECLINED
    current.decline_reason = reason
    current.answered_at = timezone.now()
    save_versioned(current, actor=actor)
    _log(current, RequestEventKind.DECLINED, actor, note=reason)
    tell(
        current,
        kind="resource_request.declined",
        actor=actor,
        data={"request_id": current.pk, "reason": reason},
        recipients={current.requested_by_id, current.opportunity.owner_id},
        title=lambda: (
            _("Your request for %(deal)s was declined: %(reason)s")
            % {"deal": current.opportunity.name, "reason": reason}
        ),
        link=request_link(current),
    )
    return current


@transaction.atomic
def request_done(*, viewer: Viewer, actor: User, request: ResourceRequest, outcome: str = "") -> ResourceRequest:
    """The work is delivered: the assignment ends today (or on its planned end, if earlier), and the person
    who served no longer sees the deal through it."""
    if not can_close(viewer, request):
        raise Forbidden()
    current = lock_for_update(request)
    _require_open(current, RequestStatus.ASSIGNED)
    today = timezone.localdate()
    assignment = Assignment.objects.select_for_update().get(request=current)
    assignment.is_active = False
    assignment.ends_on = max(assignment.starts_on, min(assignment.ends_on, today))
    assignment._history_user = actor  # type: ignore[attr-defined]
    assignment.save()
    current.status = RequestStatus.DONE
    current.done_at = timezone.now()
    current.outcome = text(outcome)
    save_versioned(current, actor=actor)
    _log(current, RequestEventKind.DONE, actor, note=current.outcome)
    tell(
        current,
        kind="resource_request.done",
        actor=actor,
        data={"request_id": current.pk},
        recipients={current.requested_by_id, current.opportunity.owner_id, assignment.user_id},
        title=lambda: (
            _("Done: %(kind)s for %(deal)s") % {"kind": current.get_kind_display(), "deal": current.opportunity.name}
        ),
        link=request_link(current),
    )
    return current


def priorities_refresh() -> int:
    """Keep the stored priority (used to sort the queue) in step with deals that moved on."""
    changed = []
    for request in ResourceRequest.objects.filter(status=RequestStatus.REQUESTED).select_related(
        "opportunity", "opportunity__account", "opportunity__stage"
    ):
        priority, _parts = priority_of(request.opportunity)
        if priority != request.priority:
            request.priority = priority
            changed.append(request)
    ResourceRequest.objects.bulk_update(changed, ["priority"])
    return len(changed)
