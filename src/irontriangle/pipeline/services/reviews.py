"""Opportunity review meetings (seed 002): the deals looked at, what was decided, who does what next."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from irontriangle.common.access import Viewer
from irontriangle.common.errors import FieldError, Forbidden, InvalidInput, NotFound
from irontriangle.common.services import validate
from irontriangle.notifications.messages import bilingual
from irontriangle.notifications.services import event_emit
from irontriangle.org.models import OrgUnit, User
from irontriangle.pipeline.models import Opportunity, ReviewItem, ReviewMeeting
from irontriangle.pipeline.selectors import opportunity_scope
from irontriangle.pipeline.services.common import text


def can_run_review(viewer: Viewer, meeting: ReviewMeeting) -> bool:
    return viewer.is_admin or meeting.chair_id == viewer.user_id or viewer.manages_path(meeting.unit.path)


@transaction.atomic
def review_create(*, viewer: Viewer, actor: User, data: dict[str, Any]) -> ReviewMeeting:
    unit = OrgUnit.objects.filter(code=data.get("unit_code") or "").first()
    if unit is None:
        raise InvalidInput.single("unit_code", "unknown_unit", _("Unknown org unit."))
    if not (viewer.is_admin or unit.pk in viewer.unit_ids or viewer.manages_path(unit.path)):
        raise InvalidInput.single("unit_code", "not_your_unit", _("You may hold reviews only for your own units."))
    held_on: Any = data.get("held_on")
    meeting = ReviewMeeting(
        title=text(data.get("title")),
        held_on=held_on,
        unit=unit,
        chair=actor,
        notes=text(data.get("notes")),
    )
    validate(meeting)
    meeting._history_user = actor  # type: ignore[attr-defined]
    meeting.save()
    participant_ids = [pk for pk in data.get("participant_ids") or [] if pk]
    participants = list(User.objects.filter(pk__in=participant_ids, is_active=True))
    if len(participants) != len(set(participant_ids)):
        raise InvalidInput.single("participant_ids", "unknown_user", _("Unknown user."))
    meeting.participants.set(participants)
    return meeting


@transaction.atomic
def review_item_add(*, viewer: Viewer, actor: User, meeting: ReviewMeeting, data: dict[str, Any]) -> ReviewItem:
    """Record the decision on one deal. Only deals the chair may see can be put on the table."""
    if not can_run_review(viewer, meeting):
        raise Forbidden()
    errors: list[FieldError] = []
    opportunity = Opportunity.objects.filter(opportunity_scope(viewer), pk=data.get("opportunity_id") or 0).first()
    if opportunity is None:
        errors.append(FieldError("opportunity_id", "unknown_opportunity", _("Unknown opportunity.")))
    owner = None
    if data.get("owner_id"):
        owner = User.objects.filter(pk=data["owner_id"], is_active=True).first()
        if owner is None:
            errors.append(FieldError("owner_id", "unknown_user", _("Unknown user.")))
    if errors:
        raise InvalidInput(errors)
    assert opportunity is not None
    item = ReviewItem.objects.filter(meeting=meeting, opportunity=opportunity).first() or ReviewItem(
        meeting=meeting, opportunity=opportunity
    )
    item.decision = text(data.get("decision"))
    item.next_actions = text(data.get("next_actions"))
    item.owner = owner
    item.due_on = data.get("due_on")
    validate(item, exclude=["meeting", "opportunity"])
    item._history_user = actor  # type: ignore[attr-defined]
    item.save()
    event_emit(
        kind="opportunity.reviewed",
        subject=opportunity,
        actor=actor,
        data={"opportunity_id": opportunity.pk, "meeting_id": meeting.pk, "decision": item.decision},
        recipient_ids={opportunity.owner_id} | ({owner.pk} if owner else set()),
        message=bilingual(
            lambda: (
                _("%(meeting)s decided on %(name)s: %(decision)s")
                % {"meeting": meeting.title, "name": opportunity.name, "decision": item.decision[:120]}
            ),
            link=f"/opportunities/{opportunity.pk}/",
        ),
    )
    return item


@transaction.atomic
def review_item_remove(*, viewer: Viewer, actor: User, meeting: ReviewMeeting, item_id: Any) -> None:
    if not can_run_review(viewer, meeting):
        raise Forbidden()
    item = ReviewItem.objects.filter(pk=item_id, meeting=meeting).first()
    if item is None:
        raise NotFound()
    item._history_user = actor  # type: ignore[attr-defined]
    item.delete()
