"""`/interactions`, `/org-activities` and `/visit-cadence`: general and organisational relationships."""

from __future__ import annotations

from typing import Annotated, Any

from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from ninja import Query, Router, Schema, Status
from pydantic import Field

from irontriangle.accounts.api import ERRORS
from irontriangle.common.apitools import Id, ListOut, SafeStr, actor, expected_version, viewer
from irontriangle.common.pagination import DEFAULT_LIMIT, MAX_LIMIT
from irontriangle.relationships import selectors, services
from irontriangle.relationships.cadence import visit_cadence
from irontriangle.relationships.models import InteractionKind, OrgActivityKind
from irontriangle.relationships.schemas import (
    Day,
    InteractionIn,
    InteractionOut,
    InteractionPatch,
    OrgActivityIn,
    OrgActivityOut,
    OrgActivityPatch,
    VisitCadenceOut,
    interaction_out,
    org_activity_out,
)

router = Router(tags=["relationships"])


class InteractionListFilters(Schema):
    q: Annotated[SafeStr, Field(max_length=200)] = ""
    account_id: Id | None = None
    contact_id: Id | None = None
    participant_id: Id | None = None
    opportunity_id: Id | None = None
    kind: InteractionKind | None = None
    since: Day | None = None
    until: Day | None = None
    limit: Annotated[int, Field(ge=1, le=MAX_LIMIT)] = DEFAULT_LIMIT
    cursor: Annotated[SafeStr, Field(max_length=500)] | None = None


@router.get("/interactions", response={200: ListOut[InteractionOut], **ERRORS})
def list_interactions(request: HttpRequest, filters: Query[InteractionListFilters]) -> Any:
    """Newest first. `q` searches minutes, next steps and the names involved, Chinese included; every
    word must match."""
    page = selectors.interactions_page(
        viewer(request),
        selectors.InteractionFilters(
            q=filters.q,
            account_id=filters.account_id,
            contact_id=filters.contact_id,
            participant_id=filters.participant_id,
            opportunity_id=filters.opportunity_id,
            kind=filters.kind or "",
            since=filters.since,
            until=filters.until,
        ),
        cursor=filters.cursor,
        limit=filters.limit,
    )
    return {"items": [interaction_out(item) for item in page.items], "next_cursor": page.next_cursor}


@router.post("/interactions", response={201: InteractionOut, **ERRORS})
def create_interaction(request: HttpRequest, payload: InteractionIn) -> Any:
    who = viewer(request)
    interaction = services.interaction_create(viewer=who, actor=actor(request), data=payload.model_dump())
    return Status(201, interaction_out(selectors.interaction_get(who, interaction.pk)))


@router.get("/interactions/{interaction_id}", response={200: InteractionOut, **ERRORS})
def get_interaction(request: HttpRequest, interaction_id: Id) -> Any:
    return interaction_out(selectors.interaction_get(viewer(request), interaction_id))


@router.patch("/interactions/{interaction_id}", response={200: InteractionOut, **ERRORS})
def update_interaction(request: HttpRequest, interaction_id: Id, payload: InteractionPatch) -> Any:
    who = viewer(request)
    interaction = selectors.interaction_get(who, interaction_id)
    sent = payload.model_dump(exclude_unset=True)
    version = expected_version(request, sent.pop("version", None))
    data = {key: value for key, value in sent.items() if value is not None or key == "opportunity_id"}
    services.interaction_update(viewer=who, actor=actor(request), interaction=interaction, data=data, version=version)
    return interaction_out(selectors.interaction_get(who, interaction_id))


@router.delete("/interactions/{interaction_id}", response={204: None, **ERRORS})
def delete_interaction(request: HttpRequest, interaction_id: Id) -> Any:
    who = viewer(request)
    services.interaction_delete(
        viewer=who, actor=actor(request), interaction=selectors.interaction_get(who, interaction_id)
    )
    return HttpResponse(status=204)


class OrgActivityListFilters(Schema):
    account_id: Id | None = None
    kind: OrgActivityKind | None = None
    since: Day | None = None
    until: Day | None = None
    limit: Annotated[int, Field(ge=1, le=MAX_LIMIT)] = DEFAULT_LIMIT
    cursor: Annotated[SafeStr, Field(max_length=500)] | None = None


@router.get("/org-activities", response={200: ListOut[OrgActivityOut], **ERRORS})
def list_org_activities(request: HttpRequest, filters: Query[OrgActivityListFilters]) -> Any:
    page = selectors.org_activities_page(
        viewer(request),
        selectors.OrgActivityFilters(
            account_id=filters.account_id, kind=filters.kind or "", since=filters.since, until=filters.until
        ),
        cursor=filters.cursor,
        limit=filters.limit,
    )
    return {"items": [org_activity_out(item) for item in page.items], "next_cursor": page.next_cursor}


@router.post("/org-activities", response={201: OrgActivityOut, **ERRORS})
def create_org_activity(request: HttpRequest, payload: OrgActivityIn) -> Any:
    who = viewer(request)
    activity = services.org_activity_create(viewer=who, actor=actor(request), data=payload.model_dump())
    return Status(201, org_activity_out(selectors.org_activity_get(who, activity.pk)))


@router.get("/org-activities/{activity_id}", response={200: OrgActivityOut, **ERRORS})
def get_org_activity(request: HttpRequest, activity_id: Id) -> Any:
    return org_activity_out(selectors.org_activity_get(viewer(request), activity_id))


@router.patch("/org-activities/{activity_id}", response={200: OrgActivityOut, **ERRORS})
def update_org_activity(request: HttpRequest, activity_id: Id, payload: OrgActivityPatch) -> Any:
    who = viewer(request)
    activity = selectors.org_activity_get(who, activity_id)
    sent = payload.model_dump(exclude_unset=True)
    version = expected_version(request, sent.pop("version", None))
    data = {key: value for key, value in sent.items() if value is not None or key == "valid_until"}
    services.org_activity_update(viewer=who, actor=actor(request), activity=activity, data=data, version=version)
    return org_activity_out(selectors.org_activity_get(who, activity_id))


@router.delete("/org-activities/{activity_id}", response={204: None, **ERRORS})
def delete_org_activity(request: HttpRequest, activity_id: Id) -> Any:
    who = viewer(request)
    services.org_activity_delete(
        viewer=who, actor=actor(request), activity=selectors.org_activity_get(who, activity_id)
    )
    return HttpResponse(status=204)


@router.get("/visit-cadence", response={200: VisitCadenceOut, **ERRORS})
def get_visit_cadence(
    request: HttpRequest,
    week: Day | None = None,
    unit_code: Annotated[SafeStr, Field(max_length=50)] = "",
) -> Any:
    """Face-to-face customer meetings per person for the week holding `week` (default: this week) against
    the target, per person and per unit, with the eight-week trend. Managers see their units' people;
    everyone else sees themselves."""
    report = visit_cadence(
        viewer(request),
        week or timezone.localdate(),
        unit_code=unit_code,
        target=selectors.relationship_settings().weekly_visit_target,
    )
    return {
        "week": report.week,
        "target": report.target,
        "weeks": report.weeks,
        "people": [
            {
                "user_id": person.user.pk,
                "user_label": person.user.label,
                "unit_code": person.unit.code,
                "visits": person.visits,
                "target": person.target,
                "below_target": person.below_target,
                "trend": person.trend,
            }
            for person in report.people
        ],
        "units": [
            {
                "unit_code": unit.unit.code,
                "unit_name": unit.unit.label,
                "people": unit.people,
                "visits": unit.visits,
                "average": unit.average,
                "on_target": unit.on_target,
                "below_target": unit.below_target,
                "trend": unit.trend,
            }
            for unit in report.units
        ],
    }
