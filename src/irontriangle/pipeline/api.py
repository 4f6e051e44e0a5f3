"""`/leads`, `/opportunities` and their sub-resources, `/quotes`, `/reviews`, `/sales-processes`."""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated, Any

from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import Body, Query, Router, Schema, Status
from pydantic import Field

from irontriangle.accounts.api import ERRORS
from irontriangle.accounts.schemas import HistoryOut
from irontriangle.common.apitools import Id, ListOut, SafeStr, actor, expected_version, viewer
from irontriangle.common.errors import InvalidInput, VersionConflict
from irontriangle.common.history import history_of
from irontriangle.common.pagination import DEFAULT_LIMIT, MAX_LIMIT
from irontriangle.pipeline import checklist, selectors, services
from irontriangle.pipeline.models import (
    ForecastCategory,
    LeadSource,
    LeadStatus,
    OpportunityRole,
    QuoteStatus,
    Segment,
)
from irontriangle.pipeline.schemas import (
    LEAD_NULLABLE,
    OPPORTUNITY_NULLABLE,
    AdvanceIn,
    ChecklistItemOut,
    CompetitorIn,
    CompetitorOut,
    CompetitorPatch,
    ConvertIn,
    ConvertOut,
    FollowUpIn,
    FollowUpOut,
    GuideIn,
    GuideOut,
    LeadIn,
    LeadOut,
    LeadPatch,
    OpportunityIn,
    OpportunityOut,
    OpportunityPatch,
    PainIn,
    PainOut,
    ProcessOut,
    QuoteIn,
    QuoteOut,
    QuotePatch,
    RejectIn,
    ReviewIn,
    ReviewItemIn,
    ReviewOut,
    SplitIn,
    SplitOut,
    TeamIn,
    TeamOut,
    TickIn,
    follow_up_out,
    item_out,
    lead_out,
    opportunity_out,
    quote_out,
    split_out,
)
from irontriangle.relationships.services import visible_account

router = Router(tags=["pipeline"])

Cursor = Annotated[SafeStr, Field(max_length=500)]
Limit = Annotated[int, Field(ge=1, le=MAX_LIMIT)]


# --- sales processes ---------------------------------------------------------------------------------


@router.get("/sales-processes", response={200: list[ProcessOut], **ERRORS})
def list_processes(request: HttpRequest) -> Any:
    viewer(request)
    return [
        {
            "code": process.code,
            "name": process.name,
            "segment": process.segment,
            "stages": [
                {
                    "code": stage.code,
                    "name": stage.name,
                    "position": stage.position,
                    "probability": stage.probability,
                    "forecast_category": stage.forecast_category,
                    "outcome": stage.outcome,
                    "is_optional": stage.is_optional,
                    "weights": {"ar": stage.ar_weight, "sr": stage.sr_weight, "fr": stage.fr_weight},
                }
                for stage in process.stages.all()
            ],
        }
        for process in selectors.processes()
    ]


# --- leads -------------------------------------------------------------------------------------------


class LeadListFilters(Schema):
    q: Annotated[SafeStr, Field(max_length=100)] = ""
    status: LeadStatus | None = None
    source: LeadSource | None = None
    scenario: Annotated[str, Field(pattern=r"^(continuous|occasional)$")] | None = None
    segment: Segment | None = None
    owner_id: Id | None = None
    account_id: Id | None = None
    sort: Annotated[str, Field(pattern=r"^-?(name|updated_at|created_at)$")] = "-updated_at"
    limit: Limit = DEFAULT_LIMIT
    cursor: Cursor | None = None


@router.get("/leads", response={200: ListOut[LeadOut], **ERRORS})
def list_leads(request: HttpRequest, filters: Query[LeadListFilters]) -> Any:
    page = selectors.leads_page(
        viewer(request),
        selectors.LeadFilters(
            q=filters.q,
            status=filters.status or "",
            source=filters.source or "",
            scenario=filters.scenario or "",
            segment=filters.segment or "",
            owner_id=filters.owner_id,
            account_id=filters.account_id,
            sort=filters.sort,
        ),
        cursor=filters.cursor,
        limit=filters.limit,
    )
    return {"items": [lead_out(lead) for lead in page.items], "next_cursor": page.next_cursor}


def _lead(request: HttpRequest, lead_id: int) -> Any:
    return selectors.lead_get(viewer(request), lead_id)


@router.post("/leads", response={201: LeadOut, **ERRORS})
def create_lead(request: HttpRequest, payload: LeadIn) -> Any:
    data = payload.model_dump(exclude_none=True)
    for name in ("bant", "bant_evidence", "spin"):
        if getattr(payload, name) is not None:
            data[name] = getattr(payload, name).model_dump(exclude_none=True)
    lead = services.lead_create(viewer=viewer(request), actor=actor(request), data=data)
    return Status(201, lead_out(_lead(request, lead.pk)))


@router.get("/leads/{lead_id}", response={200: LeadOut, **ERRORS})
def get_lead(request: HttpRequest, lead_id: Id) -> Any:
    return lead_out(_lead(request, lead_id))


@router.patch("/leads/{lead_id}", response={200: LeadOut, **ERRORS})
def update_lead(request: HttpRequest, lead_id: Id, payload: LeadPatch) -> Any:
    lead = _lead(request, lead_id)
    sent = payload.model_dump(exclude_unset=True)
    version = expected_version(request, sent.pop("version", None))
    data = {key: value for key, value in sent.items() if value is not None or key in LEAD_NULLABLE}
    for name in ("bant", "bant_evidence", "spin"):
        if name in data:
            data[name] = {key: value for key, value in data[name].items() if value is not None}
    try:
        services.lead_update(viewer=viewer(request), actor=actor(request), lead=lead, data=data, version=version)
    except VersionConflict as conflict:
        conflict.current = LeadOut.model_validate(lead_out(_lead(request, lead_id))).model_dump(mode="json")
        raise
    return lead_out(_lead(request, lead_id))


@router.delete("/leads/{lead_id}", response={204: None, **ERRORS})
def delete_lead(request: HttpRequest, lead_id: Id) -> Any:
    services.lead_delete(viewer=viewer(request), actor=actor(request), lead=_lead(request, lead_id))
    return HttpResponse(status=204)


@router.get("/leads/{lead_id}/history", response={200: list[HistoryOut], **ERRORS})
def lead_history(request: HttpRequest, lead_id: Id) -> Any:
    return history_of(_lead(request, lead_id), viewer(request))


@router.post("/leads/{lead_id}/convert", response={201: ConvertOut, **ERRORS})
def convert_lead(request: HttpRequest, lead_id: Id, payload: ConvertIn) -> Any:
    """All four of BANT confirmed opens the deal in the first stage of the account segment's process;
    otherwise 422 `bant_incomplete` with `missing` letters, unless a manager gives an override reason."""
    opportunity = services.lead_convert(
        viewer=viewer(request),
        actor=actor(request),
        lead=_lead(request, lead_id),
        override_reason=payload.override_reason,
        name=payload.name,
        amount=payload.amount,
    )
    return Status(201, {"opportunity_id": opportunity.pk})


@router.get("/leads/{lead_id}/follow-ups", response={200: list[FollowUpOut], **ERRORS})
def list_follow_ups(request: HttpRequest, lead_id: Id) -> Any:
    lead = _lead(request, lead_id)
    return [follow_up_out(row) for row in lead.follow_ups.select_related("author").order_by("-occurred_on", "-id")]


@router.post("/leads/{lead_id}/follow-ups", response={201: FollowUpOut, **ERRORS})
def add_follow_up(request: HttpRequest, lead_id: Id, payload: FollowUpIn) -> Any:
    follow_up = services.lead_follow_up_add(
        viewer=viewer(request), actor=actor(request), lead=_lead(request, lead_id), data=payload.model_dump()
    )
    return Status(201, follow_up_out(follow_up))


# --- opportunities -----------------------------------------------------------------------------------

OPPORTUNITY_SORT = (
    r"^-?(name|amount|probability|checklist_score|expected_close|updated_at|created_at|margin|margin_percent)$"
)


class OpportunityListFilters(Schema):
    q: Annotated[SafeStr, Field(max_length=100)] = ""
    account_id: Id | None = None
    process: Annotated[str, Field(pattern=r"^[a-z0-9_-]{1,20}$")] | None = None
    stage: Annotated[str, Field(pattern=r"^[a-z0-9_-]{1,20}$")] | None = None
    status: Annotated[str, Field(pattern=r"^(open|won|lost)$")] | None = None
    forecast_category: ForecastCategory | None = None
    owner_id: Id | None = None
    mine: bool = False
    min_amount: Annotated[Decimal, Field(ge=0, max_digits=18, decimal_places=2)] | None = None
    min_margin_percent: Annotated[Decimal, Field(ge=-1000, le=100, max_digits=7, decimal_places=2)] | None = None
    sort: Annotated[str, Field(pattern=OPPORTUNITY_SORT)] = "-updated_at"
    limit: Limit = DEFAULT_LIMIT
    cursor: Cursor | None = None


@router.get("/opportunities", response={200: ListOut[OpportunityOut], **ERRORS})
def list_opportunities(request: HttpRequest, filters: Query[OpportunityListFilters]) -> Any:
    """Margins appear only on rows the caller may see them on; sorting or filtering by margin is 422
    `restricted_field` for a caller who may not see every row's margin."""
    who = viewer(request)
    page = selectors.opportunities_page(
        who,
        selectors.OpportunityFilters(
            q=filters.q,
            account_id=filters.account_id,
            process=filters.process or "",
            stage=filters.stage or "",
            status=filters.status or "",
            forecast_category=filters.forecast_category or "",
            owner_id=filters.owner_id,
            mine=filters.mine,
            min_amount=filters.min_amount,
            min_margin_percent=filters.min_margin_percent,
            sort=filters.sort,
        ),
        cursor=filters.cursor,
        limit=filters.limit,
    )
    return {"items": [opportunity_out(row, who) for row in page.items], "next_cursor": page.next_cursor}


def _deal(request: HttpRequest, opportunity_id: int) -> Any:
    return selectors.opportunity_get(viewer(request), opportunity_id)


def _deal_out(request: HttpRequest, opportunity_id: int) -> dict[str, Any]:
    return opportunity_out(_deal(request, opportunity_id), viewer(request))


@router.post("/opportunities", response={201: OpportunityOut, **ERRORS})
def create_opportunity(request: HttpRequest, payload: OpportunityIn) -> Any:
    who = viewer(request)
    data = payload.model_dump(exclude_none=True)
    account = visible_account(who, data.pop("account_id"))
    opportunity = services.opportunity_create(viewer=who, actor=actor(request), account=account, data=data)
    return Status(201, _deal_out(request, opportunity.pk))


@router.get("/opportunities/{opportunity_id}", response={200: OpportunityOut, **ERRORS})
def get_opportunity(request: HttpRequest, opportunity_id: Id) -> Any:
    return _deal_out(request, opportunity_id)


@router.patch("/opportunities/{opportunity_id}", response={200: OpportunityOut, **ERRORS})
def update_opportunity(request: HttpRequest, opportunity_id: Id, payload: OpportunityPatch) -> Any:
    """`stage` and `process` are refused here (422): the stage moves only through `advance`."""
    opportunity = _deal(request, opportunity_id)
    sent = payload.model_dump(exclude_unset=True)
    version = expected_version(request, sent.pop("version", None))
    data = {key: value for key, value in sent.items() if value is not None or key in OPPORTUNITY_NULLABLE}
    try:
        services.opportunity_update(
            viewer=viewer(request), actor=actor(request), opportunity=opportunity, data=data, version=version
        )
    except VersionConflict as conflict:
        conflict.current = OpportunityOut.model_validate(_deal_out(request, opportunity_id)).model_dump(mode="json")
        raise
    return _deal_out(request, opportunity_id)


@router.delete("/opportunities/{opportunity_id}", response={204: None, **ERRORS})
def delete_opportunity(request: HttpRequest, opportunity_id: Id) -> Any:
    services.opportunity_delete(
        viewer=viewer(request), actor=actor(request), opportunity=_deal(request, opportunity_id)
    )
    return HttpResponse(status=204)


@router.get("/opportunities/{opportunity_id}/history", response={200: list[HistoryOut], **ERRORS})
def opportunity_history(request: HttpRequest, opportunity_id: Id) -> Any:
    """Field changes, newest first; a gate override carries its reason. Margins only for who may see them."""
    return history_of(_deal(request, opportunity_id), viewer(request))


@router.post("/opportunities/{opportunity_id}/advance", response={200: OpportunityOut, **ERRORS})
def advance_opportunity(request: HttpRequest, opportunity_id: Id, payload: AdvanceIn) -> Any:
    """To the next stage, or `to_stage`. 422 `stage_gate_unmet` with `unmet: [{key, label}]` while a
    required item is open; a manager above the deal may pass with `override_reason` (others get 403)."""
    services.opportunity_advance(
        viewer=viewer(request),
        actor=actor(request),
        opportunity=_deal(request, opportunity_id),
        to_stage=payload.to_stage,
        override_reason=payload.override_reason,
        reason=payload.reason,
        version=payload.version,
    )
    return _deal_out(request, opportunity_id)


@router.get("/opportunities/{opportunity_id}/checklist", response={200: list[ChecklistItemOut], **ERRORS})
def get_checklist(request: HttpRequest, opportunity_id: Id) -> Any:
    return [item_out(state) for state in checklist.checklist(_deal(request, opportunity_id))]


@router.post("/opportunities/{opportunity_id}/checklist/{key}", response={200: ChecklistItemOut, **ERRORS})
def tick_checklist(
    request: HttpRequest, opportunity_id: Id, key: Annotated[str, Field(max_length=40)], payload: TickIn
) -> Any:
    """Manual items only; items checked from the records answer 422 `checked_by_system`."""
    state = services.checklist_tick(
        viewer=viewer(request),
        actor=actor(request),
        opportunity=_deal(request, opportunity_id),
        key=key,
        done=payload.done,
        evidence=payload.evidence,
    )
    return item_out(state)


def _team_out(opportunity: Any) -> list[dict[str, Any]]:
    stage = opportunity.stage
    weights: dict[str, int] = {
        OpportunityRole.AR: stage.ar_weight,
        OpportunityRole.SR: stage.sr_weight,
        OpportunityRole.FR: stage.fr_weight,
    }
    return [
        {
            "id": member.pk,
            "user_id": member.user_id,
            "user_label": member.user.label,
            "role": member.role,
            "weight": weights.get(member.role),
        }
        for member in selectors.opportunity_team(opportunity)
    ]


@router.get("/opportunities/{opportunity_id}/team", response={200: list[TeamOut], **ERRORS})
def get_team(request: HttpRequest, opportunity_id: Id) -> Any:
    """With each triangle role's weight in the current stage (AR early, SR in bidding, FR after signing)."""
    return _team_out(_deal(request, opportunity_id))


@router.post("/opportunities/{opportunity_id}/team", response={201: list[TeamOut], **ERRORS})
def add_team_member(request: HttpRequest, opportunity_id: Id, payload: TeamIn) -> Any:
    opportunity = _deal(request, opportunity_id)
    services.opportunity_team_add(
        viewer=viewer(request),
        actor=actor(request),
        opportunity=opportunity,
        user_id=payload.user_id,
        role=payload.role,
    )
    return Status(201, _team_out(opportunity))


@router.delete("/opportunities/{opportunity_id}/team/{member_id}", response={204: None, **ERRORS})
def remove_team_member(request: HttpRequest, opportunity_id: Id, member_id: Id) -> Any:
    services.opportunity_team_remove(
        viewer=viewer(request), actor=actor(request), opportunity=_deal(request, opportunity_id), member_id=member_id
    )
    return HttpResponse(status=204)


def _guide_out(guide: Any) -> dict[str, Any]:
    return {
        "id": guide.pk,
        "contact_id": guide.contact_id,
        "contact_name": guide.contact.name,
        "level": guide.level,
        "cost_notes": guide.cost_notes,
        "notes": guide.notes,
    }


@router.get("/opportunities/{opportunity_id}/guides", response={200: list[GuideOut], **ERRORS})
def list_guides(request: HttpRequest, opportunity_id: Id) -> Any:
    opportunity = _deal(request, opportunity_id)
    return [_guide_out(guide) for guide in opportunity.guides.select_related("contact").order_by("id")]


@router.post("/opportunities/{opportunity_id}/guides", response={201: GuideOut, **ERRORS})
def add_guide(request: HttpRequest, opportunity_id: Id, payload: GuideIn) -> Any:
    guide = services.guide_add(
        viewer=viewer(request),
        actor=actor(request),
        opportunity=_deal(request, opportunity_id),
        data=payload.model_dump(),
    )
    return Status(201, _guide_out(guide))


@router.delete("/opportunities/{opportunity_id}/guides/{guide_id}", response={204: None, **ERRORS})
def remove_guide(request: HttpRequest, opportunity_id: Id, guide_id: Id) -> Any:
    services.guide_remove(
        viewer=viewer(request), actor=actor(request), opportunity=_deal(request, opportunity_id), guide_id=guide_id
    )
    return HttpResponse(status=204)


def _competitor_out(competitor: Any) -> dict[str, Any]:
    return {
        "id": competitor.pk,
        "name": competitor.name,
        "strengths": competitor.strengths,
        "weaknesses": competitor.weaknesses,
        "threat": competitor.threat,
        "strategy": competitor.strategy,
    }


@router.get("/opportunities/{opportunity_id}/competitors", response={200: list[CompetitorOut], **ERRORS})
def list_competitors(request: HttpRequest, opportunity_id: Id) -> Any:
    return [_competitor_out(row) for row in _deal(request, opportunity_id).competitors.order_by("id")]


@router.post("/opportunities/{opportunity_id}/competitors", response={201: CompetitorOut, **ERRORS})
def add_competitor(request: HttpRequest, opportunity_id: Id, payload: CompetitorIn) -> Any:
    competitor = services.competitor_add(
        viewer=viewer(request),
        actor=actor(request),
        opportunity=_deal(request, opportunity_id),
        data=payload.model_dump(),
    )
    return Status(201, _competitor_out(competitor))


@router.patch("/opportunities/{opportunity_id}/competitors/{competitor_id}", response={200: CompetitorOut, **ERRORS})
def update_competitor(request: HttpRequest, opportunity_id: Id, competitor_id: Id, payload: CompetitorPatch) -> Any:
    competitor = services.competitor_update(
        viewer=viewer(request),
        actor=actor(request),
        opportunity=_deal(request, opportunity_id),
        competitor_id=competitor_id,
        data=payload.model_dump(exclude_unset=True),
    )
    return _competitor_out(competitor)


@router.delete("/opportunities/{opportunity_id}/competitors/{competitor_id}", response={204: None, **ERRORS})
def remove_competitor(request: HttpRequest, opportunity_id: Id, competitor_id: Id) -> Any:
    services.competitor_remove(
        viewer=viewer(request),
        actor=actor(request),
        opportunity=_deal(request, opportunity_id),
        competitor_id=competitor_id,
    )
    return HttpResponse(status=204)


def _pain_out(link: Any) -> dict[str, Any]:
    return {
        "id": link.pk,
        "contact_id": link.contact_id,
        "contact_name": link.contact.name,
        "pain": link.pain,
        "cause": link.cause,
        "consequence": link.consequence,
    }


@router.get("/opportunities/{opportunity_id}/pain-chain", response={200: list[PainOut], **ERRORS})
def list_pain_chain(request: HttpRequest, opportunity_id: Id) -> Any:
    opportunity = _deal(request, opportunity_id)
    return [_pain_out(link) for link in opportunity.pain_chain.select_related("contact").order_by("id")]


@router.post("/opportunities/{opportunity_id}/pain-chain", response={201: PainOut, **ERRORS})
def add_pain(request: HttpRequest, opportunity_id: Id, payload: PainIn) -> Any:
    link = services.pain_link_add(
        viewer=viewer(request),
        actor=actor(request),
        opportunity=_deal(request, opportunity_id),
        data=payload.model_dump(),
    )
    return Status(201, _pain_out(link))


@router.delete("/opportunities/{opportunity_id}/pain-chain/{link_id}", response={204: None, **ERRORS})
def remove_pain(request: HttpRequest, opportunity_id: Id, link_id: Id) -> Any:
    services.pain_link_remove(
        viewer=viewer(request), actor=actor(request), opportunity=_deal(request, opportunity_id), link_id=link_id
    )
    return HttpResponse(status=204)


def _splits_out(opportunity: Any) -> list[dict[str, Any]]:
    return [split_out(split) for split in opportunity.splits.select_related("unit", "user").order_by("kind", "id")]


@router.get("/opportunities/{opportunity_id}/splits", response={200: list[SplitOut], **ERRORS})
def get_splits(request: HttpRequest, opportunity_id: Id) -> Any:
    return _splits_out(_deal(request, opportunity_id))


@router.put("/opportunities/{opportunity_id}/splits", response={200: list[SplitOut], **ERRORS})
def put_splits(
    request: HttpRequest, opportunity_id: Id, payload: Body[Annotated[list[SplitIn], Field(max_length=50)]]
) -> Any:
    """The whole set at once; revenue percents add up to exactly 100 or 422 `split_total`. Each holder
    (a person, or a unit's managers) sees the deal."""
    opportunity = _deal(request, opportunity_id)
    services.splits_replace(
        viewer=viewer(request),
        actor=actor(request),
        opportunity=opportunity,
        rows=[row.model_dump() for row in payload],
    )
    return _splits_out(opportunity)


# --- quotes ------------------------------------------------------------------------------------------


class QuoteListFilters(Schema):
    opportunity_id: Id | None = None
    status: QuoteStatus | None = None
    sort: Annotated[str, Field(pattern=r"^-?(created_at|updated_at|total|margin|margin_percent)$")] = "-created_at"
    limit: Limit = DEFAULT_LIMIT
    cursor: Cursor | None = None


@router.get("/quotes", response={200: ListOut[QuoteOut], **ERRORS})
def list_quotes(request: HttpRequest, filters: Query[QuoteListFilters]) -> Any:
    who = viewer(request)
    page = selectors.quotes_page(
        who,
        opportunity_id=filters.opportunity_id,
        status=filters.status or "",
        sort=filters.sort,
        cursor=filters.cursor,
        limit=filters.limit,
    )
    return {"items": [quote_out(quote, who) for quote in page.items], "next_cursor": page.next_cursor}


def _quote(request: HttpRequest, quote_id: int) -> Any:
    return selectors.quote_get(viewer(request), quote_id)


def _quote_out(request: HttpRequest, quote_id: int) -> dict[str, Any]:
    return quote_out(_quote(request, quote_id), viewer(request))


@router.post("/quotes", response={201: QuoteOut, **ERRORS})
def create_quote(request: HttpRequest, payload: QuoteIn) -> Any:
    """An `opportunity_id` the caller cannot see is 422 `unknown_opportunity`, as for any id named in a body."""
    data = payload.model_dump()
    opportunity = selectors.opportunities_visible(viewer(request)).filter(pk=data.pop("opportunity_id")).first()
    if opportunity is None:
        raise InvalidInput.single("opportunity_id", "unknown_opportunity", _("Unknown opportunity."))
    quote = services.quote_create(viewer=viewer(request), actor=actor(request), opportunity=opportunity, data=data)
    return Status(201, _quote_out(request, quote.pk))


@router.get("/quotes/{quote_id}", response={200: QuoteOut, **ERRORS})
def get_quote(request: HttpRequest, quote_id: Id) -> Any:
    return _quote_out(request, quote_id)


@router.patch("/quotes/{quote_id}", response={200: QuoteOut, **ERRORS})
def update_quote(request: HttpRequest, quote_id: Id, payload: QuotePatch) -> Any:
    quote = _quote(request, quote_id)
    sent = payload.model_dump(exclude_unset=True)
    version = expected_version(request, sent.pop("version", None))
    try:
        services.quote_update(viewer=viewer(request), actor=actor(request), quote=quote, data=sent, version=version)
    except VersionConflict as conflict:
        conflict.current = QuoteOut.model_validate(_quote_out(request, quote_id)).model_dump(mode="json")
        raise
    return _quote_out(request, quote_id)


@router.delete("/quotes/{quote_id}", response={204: None, **ERRORS})
def delete_quote(request: HttpRequest, quote_id: Id) -> Any:
    services.quote_delete(viewer=viewer(request), actor=actor(request), quote=_quote(request, quote_id))
    return HttpResponse(status=204)


@router.get("/quotes/{quote_id}/history", response={200: list[HistoryOut], **ERRORS})
def quote_history(request: HttpRequest, quote_id: Id) -> Any:
    """Cost and margin changes appear only to who may see them."""
    return history_of(_quote(request, quote_id), viewer(request))


@router.post("/quotes/{quote_id}/submit", response={200: QuoteOut, **ERRORS})
def submit_quote(request: HttpRequest, quote_id: Id) -> Any:
    services.quote_submit(viewer=viewer(request), actor=actor(request), quote=_quote(request, quote_id))
    return _quote_out(request, quote_id)


@router.post("/quotes/{quote_id}/approve", response={200: QuoteOut, **ERRORS})
def approve_quote(request: HttpRequest, quote_id: Id) -> Any:
    """The SR of the deal approves (the AR gets 403: no player-referee); a margin under the floor then
    stays `pending_manager` until a manager above the deal approves too."""
    services.quote_approve(viewer=viewer(request), actor=actor(request), quote=_quote(request, quote_id))
    return _quote_out(request, quote_id)


@router.post("/quotes/{quote_id}/reject", response={200: QuoteOut, **ERRORS})
def reject_quote(request: HttpRequest, quote_id: Id, payload: RejectIn) -> Any:
    services.quote_reject(
        viewer=viewer(request), actor=actor(request), quote=_quote(request, quote_id), reason=payload.reason
    )
    return _quote_out(request, quote_id)


# --- reviews -----------------------------------------------------------------------------------------


def _review_out(meeting: Any) -> dict[str, Any]:
    """Needs `reviews_page` or `review_get`: they prefetch the items the caller may see."""
    return {
        "id": meeting.pk,
        "title": meeting.title,
        "held_on": meeting.held_on,
        "unit_code": meeting.unit.code,
        "chair_id": meeting.chair_id,
        "participant_ids": sorted(user.pk for user in meeting.participants.all()),
        "notes": meeting.notes,
        "items": [
            {
                "id": item.pk,
                "opportunity_id": item.opportunity_id,
                "opportunity_name": item.opportunity.name,
                "decision": item.decision,
                "next_actions": item.next_actions,
                "owner_id": item.owner_id,
                "due_on": item.due_on,
            }
            for item in meeting.visible_items
        ],
        "version": meeting.version,
    }


class ReviewListFilters(Schema):
    limit: Limit = DEFAULT_LIMIT
    cursor: Cursor | None = None


@router.get("/reviews", response={200: ListOut[ReviewOut], **ERRORS})
def list_reviews(request: HttpRequest, filters: Query[ReviewListFilters]) -> Any:
    page = selectors.reviews_page(viewer(request), cursor=filters.cursor, limit=filters.limit)
    return {"items": [_review_out(meeting) for meeting in page.items], "next_cursor": page.next_cursor}


@router.post("/reviews", response={201: ReviewOut, **ERRORS})
def create_review(request: HttpRequest, payload: ReviewIn) -> Any:
    meeting = services.review_create(viewer=viewer(request), actor=actor(request), data=payload.model_dump())
    return Status(201, _review_out(selectors.review_get(viewer(request), meeting.pk)))


@router.get("/reviews/{meeting_id}", response={200: ReviewOut, **ERRORS})
def get_review(request: HttpRequest, meeting_id: Id) -> Any:
    return _review_out(selectors.review_get(viewer(request), meeting_id))


@router.post("/reviews/{meeting_id}/items", response={201: ReviewOut, **ERRORS})
def add_review_item(request: HttpRequest, meeting_id: Id, payload: ReviewItemIn) -> Any:
    meeting = selectors.review_get(viewer(request), meeting_id)
    services.review_item_add(viewer=viewer(request), actor=actor(request), meeting=meeting, data=payload.model_dump())
    return Status(201, _review_out(selectors.review_get(viewer(request), meeting_id)))


@router.delete("/reviews/{meeting_id}/items/{item_id}", response={204: None, **ERRORS})
def remove_review_item(request: HttpRequest, meeting_id: Id, item_id: Id) -> Any:
    meeting = selectors.review_get(viewer(request), meeting_id)
    services.review_item_remove(viewer=viewer(request), actor=actor(request), meeting=meeting, item_id=item_id)
    return HttpResponse(status=204)
