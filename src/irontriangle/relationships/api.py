"""`/contacts`, their owners and plans, and the account's power map, nine-grid, risks and evaluation."""

from __future__ import annotations

from typing import Annotated, Any

from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from ninja import Query, Router, Schema, Status
from pydantic import Field

from irontriangle.accounts import selectors as account_selectors
from irontriangle.accounts.api import ERRORS
from irontriangle.accounts.schemas import HistoryOut
from irontriangle.common.apitools import Id, ListOut, SafeStr, actor, expected_version, viewer
from irontriangle.common.errors import VersionConflict
from irontriangle.common.history import history_of
from irontriangle.common.pagination import DEFAULT_LIMIT, MAX_LIMIT
from irontriangle.relationships import risks as risk_radar
from irontriangle.relationships import selectors, services
from irontriangle.relationships.cadence import org_cadences
from irontriangle.relationships.evaluation import account_evaluation
from irontriangle.relationships.models import BuyingRole, ContactStatus, Level, Stance
from irontriangle.relationships.schemas import (
    CONTACT_NULLABLE,
    ActionIn,
    ActionOut,
    ActionPatch,
    ContactIn,
    ContactOut,
    ContactPatch,
    EvaluationIn,
    EvaluationOut,
    GridCellOut,
    OrgCadenceOut,
    OwnerIn,
    OwnerOut,
    PlanIn,
    PlanOut,
    PlanPatch,
    PowerMapOut,
    RiskOut,
    action_out,
    contact_out,
    owner_out,
    plan_out,
    power_map_node,
)

router = Router(tags=["relationships"])


class ContactListFilters(Schema):
    q: Annotated[SafeStr, Field(max_length=100)] = ""
    account_id: Id | None = None
    role: BuyingRole | None = None
    stance: Stance | None = None
    intimacy: Level | None = None
    support: Level | None = None
    status: ContactStatus | None = None
    is_key: bool | None = None
    no_backup: bool | None = None
    sort: Annotated[str, Field(pattern=r"^-?(name|updated_at|influence)$")] = "name"
    limit: Annotated[int, Field(ge=1, le=MAX_LIMIT)] = DEFAULT_LIMIT
    cursor: Annotated[SafeStr, Field(max_length=500)] | None = None


@router.get("/contacts", response={200: ListOut[ContactOut], **ERRORS})
def list_contacts(request: HttpRequest, filters: Query[ContactListFilters]) -> Any:
    page = selectors.contacts_page(
        viewer(request),
        selectors.ContactFilters(
            q=filters.q,
            account_id=filters.account_id,
            role=filters.role or "",
            stance=filters.stance or "",
            intimacy=filters.intimacy or "",
            support=filters.support or "",
            status=filters.status or "",
            is_key=filters.is_key,
            no_backup=filters.no_backup,
            sort=filters.sort,
        ),
        cursor=filters.cursor,
        limit=filters.limit,
    )
    return {"items": [contact_out(contact) for contact in page.items], "next_cursor": page.next_cursor}


def _contact(request: HttpRequest, contact_id: int) -> Any:
    return selectors.contact_get(viewer(request), contact_id)


def _contact_with_owners(request: HttpRequest, contact_id: int) -> Any:
    return selectors.contact_get_with_owners(viewer(request), contact_id)


@router.post("/contacts", response={201: ContactOut, **ERRORS})
def create_contact(request: HttpRequest, payload: ContactIn) -> Any:
    who = viewer(request)
    data = payload.model_dump()
    account = services.visible_account(who, data.pop("account_id"))
    contact = services.contact_create(viewer=who, actor=actor(request), account=account, data=data)
    return Status(201, contact_out(_contact_with_owners(request, contact.pk)))


@router.get("/contacts/{contact_id}", response={200: ContactOut, **ERRORS})
def get_contact(request: HttpRequest, contact_id: Id) -> Any:
    return contact_out(_contact_with_owners(request, contact_id))


@router.patch("/contacts/{contact_id}", response={200: ContactOut, **ERRORS})
def update_contact(request: HttpRequest, contact_id: Id, payload: ContactPatch) -> Any:
    who = viewer(request)
    contact = _contact(request, contact_id)
    sent = payload.model_dump(exclude_unset=True)
    version = expected_version(request, sent.pop("version", None))
    data = {key: value for key, value in sent.items() if value is not None or key in CONTACT_NULLABLE}
    try:
        services.contact_update(viewer=who, actor=actor(request), contact=contact, data=data, version=version)
    except VersionConflict as conflict:
        conflict.current = ContactOut.model_validate(contact_out(_contact_with_owners(request, contact_id))).model_dump(
            mode="json"
        )
        raise
    return contact_out(_contact_with_owners(request, contact_id))


@router.delete("/contacts/{contact_id}", response={204: None, **ERRORS})
def delete_contact(request: HttpRequest, contact_id: Id) -> Any:
    services.contact_delete(viewer=viewer(request), actor=actor(request), contact=_contact(request, contact_id))
    return HttpResponse(status=204)


@router.get("/contacts/{contact_id}/history", response={200: list[HistoryOut], **ERRORS})
def contact_history(request: HttpRequest, contact_id: Id) -> Any:
    """Field changes, newest first: how a contact moved on the nine-grid, changed stance or status."""
    return history_of(_contact(request, contact_id), viewer(request))


@router.get("/contacts/{contact_id}/owners", response={200: list[OwnerOut], **ERRORS})
def list_owners(request: HttpRequest, contact_id: Id) -> Any:
    return [owner_out(owner) for owner in selectors.contact_owners(_contact(request, contact_id))]


@router.post("/contacts/{contact_id}/owners", response={201: OwnerOut, **ERRORS})
def add_owner(request: HttpRequest, contact_id: Id, payload: OwnerIn) -> Any:
    owner = services.contact_owner_add(
        viewer=viewer(request),
        actor=actor(request),
        contact=_contact(request, contact_id),
        user_id=payload.user_id,
        is_primary=payload.is_primary,
    )
    return Status(201, owner_out(owner))


@router.delete("/contacts/{contact_id}/owners/{owner_id}", response={204: None, **ERRORS})
def remove_owner(request: HttpRequest, contact_id: Id, owner_id: Id) -> Any:
    services.contact_owner_remove(
        viewer=viewer(request), actor=actor(request), contact=_contact(request, contact_id), owner_id=owner_id
    )
    return HttpResponse(status=204)


# --- plans ------------------------------------------------------------------------------------------


@router.get("/contacts/{contact_id}/plans", response={200: list[PlanOut], **ERRORS})
def list_plans(request: HttpRequest, contact_id: Id) -> Any:
    return [plan_out(plan) for plan in selectors.plans_of(_contact(request, contact_id))]


def _plan(request: HttpRequest, contact_id: int, plan_id: int) -> Any:
    return selectors.plan_get(_contact(request, contact_id), plan_id)


def _plan_fresh(plan: Any) -> Any:
    return next(item for item in selectors.plans_of(plan.contact) if item.pk == plan.pk)


@router.post("/contacts/{contact_id}/plans", response={201: PlanOut, **ERRORS})
def create_plan(request: HttpRequest, contact_id: Id, payload: PlanIn) -> Any:
    contact = _contact(request, contact_id)
    plan = services.plan_create(
        viewer=viewer(request), actor=actor(request), contact=contact, data=payload.model_dump()
    )
    return Status(201, plan_out(_plan_fresh(plan)))


@router.patch("/contacts/{contact_id}/plans/{plan_id}", response={200: PlanOut, **ERRORS})
def update_plan(request: HttpRequest, contact_id: Id, plan_id: Id, payload: PlanPatch) -> Any:
    plan = _plan(request, contact_id, plan_id)
    sent = payload.model_dump(exclude_unset=True)
    version = expected_version(request, sent.pop("version", None))
    data = {key: value for key, value in sent.items() if value is not None or key == "due_on"}
    plan = services.plan_update(viewer=viewer(request), actor=actor(request), plan=plan, data=data, version=version)
    return plan_out(_plan_fresh(plan))


@router.delete("/contacts/{contact_id}/plans/{plan_id}", response={204: None, **ERRORS})
def delete_plan(request: HttpRequest, contact_id: Id, plan_id: Id) -> Any:
    services.plan_delete(viewer=viewer(request), actor=actor(request), plan=_plan(request, contact_id, plan_id))
    return HttpResponse(status=204)


@router.post("/contacts/{contact_id}/plans/{plan_id}/actions", response={201: ActionOut, **ERRORS})
def add_action(request: HttpRequest, contact_id: Id, plan_id: Id, payload: ActionIn) -> Any:
    plan = _plan(request, contact_id, plan_id)
    action = services.plan_action_add(
        viewer=viewer(request), actor=actor(request), plan=plan, data=payload.model_dump()
    )
    return Status(201, action_out(selectors.plan_action_get(plan, action.pk)))


@router.patch("/contacts/{contact_id}/plans/{plan_id}/actions/{action_id}", response={200: ActionOut, **ERRORS})
def update_action(request: HttpRequest, contact_id: Id, plan_id: Id, action_id: Id, payload: ActionPatch) -> Any:
    plan = _plan(request, contact_id, plan_id)
    action = selectors.plan_action_get(plan, action_id)
    sent = payload.model_dump(exclude_unset=True)
    version = expected_version(request, sent.pop("version", None))
    data = {key: value for key, value in sent.items() if value is not None or key in ("owner_id", "due_on", "done_on")}
    services.plan_action_update(viewer=viewer(request), actor=actor(request), action=action, data=data, version=version)
    return action_out(selectors.plan_action_get(plan, action_id))


@router.delete("/contacts/{contact_id}/plans/{plan_id}/actions/{action_id}", response={204: None, **ERRORS})
def delete_action(request: HttpRequest, contact_id: Id, plan_id: Id, action_id: Id) -> Any:
    plan = _plan(request, contact_id, plan_id)
    action = selectors.plan_action_get(plan, action_id)
    services.plan_action_delete(viewer=viewer(request), actor=actor(request), action=action)
    return HttpResponse(status=204)


# --- the account's relationship views ---------------------------------------------------------------


@router.get("/accounts/{account_id}/power-map", response={200: PowerMapOut, **ERRORS})
def power_map(request: HttpRequest, account_id: Id) -> Any:
    """The decision structure: contacts with buying roles, stance, influence, intimacy and support, and the
    reporting lines between them. `uncovered_roles` lists the buying roles nobody active holds."""
    account = account_selectors.account_get(viewer(request), account_id)
    chart = selectors.power_map(account)
    held = {role for node in chart.nodes if node.status == ContactStatus.ACTIVE for role in node.roles}
    return {
        "account_id": account.pk,
        "nodes": [power_map_node(contact) for contact in chart.nodes],
        "edges": [{"source": source, "target": target} for source, target in chart.edges],
        "uncovered_roles": [role for role in BuyingRole.values if role not in held],
    }


@router.get("/accounts/{account_id}/nine-grid", response={200: list[GridCellOut], **ERRORS})
def nine_grid(request: HttpRequest, account_id: Id) -> Any:
    """The key contacts by intimacy × support, each cell with its recommended action."""
    account = account_selectors.account_get(viewer(request), account_id)
    return [
        {
            "intimacy": cell.intimacy,
            "support": cell.support,
            "action": cell.action,
            "contacts": [
                {"id": c.pk, "name": c.name, "title": c.title, "stance": c.stance, "influence": c.influence}
                for c in cell.contacts
            ],
        }
        for cell in selectors.nine_grid(account)
    ]


@router.get("/accounts/{account_id}/risks", response={200: list[RiskOut], **ERRORS})
def account_risks(request: HttpRequest, account_id: Id) -> Any:
    """The relationship risk radar of one account; each risk names its record and the action to take."""
    account = account_selectors.account_get(viewer(request), account_id)
    return [risk.__dict__ for risk in risk_radar.account_risks(account)]


@router.get("/risks", response={200: list[RiskOut], **ERRORS})
def my_risks(request: HttpRequest, kind: Annotated[SafeStr, Field(max_length=40)] = "") -> Any:
    """Every relationship risk on the accounts the caller owns, works on, or whose unit they manage."""
    return [risk.__dict__ for risk in risk_radar.risks_for_viewer(viewer(request), kind=kind)]


@router.get("/accounts/{account_id}/org-cadence", response={200: list[OrgCadenceOut], **ERRORS})
def org_cadence(request: HttpRequest, account_id: Id) -> Any:
    account = account_selectors.account_get(viewer(request), account_id)
    today = timezone.localdate()
    return [
        {
            "kind": cadence.kind,
            "kind_label": cadence.kind_label,
            "per_year": cadence.per_year,
            "last_on": cadence.last_on,
            "count_last_year": cadence.count_last_year,
            "due_on": cadence.due_on,
            "overdue": cadence.overdue(today),
        }
        for cadence in org_cadences([account], today)
    ]


Year = Annotated[int, Field(ge=2000, le=2100)]


def _evaluation_out(account: Any, year: int) -> dict[str, Any]:
    evaluation = account_evaluation(account, year)
    return {
        "account_id": account.pk,
        "year": year,
        "score": evaluation.score,
        "checked": evaluation.checked,
        "items": [item.__dict__ for item in evaluation.items],
        "results": evaluation.results,
        "notes": evaluation.record.notes if evaluation.record else "",
        "version": evaluation.record.version if evaluation.record else None,
    }


@router.get("/accounts/{account_id}/evaluation", response={200: EvaluationOut, **ERRORS})
def get_evaluation(request: HttpRequest, account_id: Id, year: Year | None = None) -> Any:
    """The nine key actions of seed 001 for a year, with the evidence on record and the results so far."""
    account = account_selectors.account_get(viewer(request), account_id)
    return _evaluation_out(account, year or timezone.localdate().year)


@router.put("/accounts/{account_id}/evaluation", response={200: EvaluationOut, **ERRORS})
def save_evaluation(request: HttpRequest, account_id: Id, payload: EvaluationIn, year: Year | None = None) -> Any:
    who = viewer(request)
    account = account_selectors.account_get(who, account_id)
    year = year or timezone.localdate().year
    sent = payload.model_dump(exclude_unset=True)
    version = expected_version(request, sent.pop("version", None))
    data = {key: value for key, value in sent.items() if value is not None}
    services.evaluation_save(viewer=who, actor=actor(request), account=account, year=year, data=data, version=version)
    return _evaluation_out(account, year)
