"""`/contracts`, `/milestones`, `/payments`, `/evidence`, `/battle-map` and `/reports/collections`."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from django.http import FileResponse, HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import File, Form, Query, Router, Schema, Status, UploadedFile
from pydantic import Field

from irontriangle.accounts.api import ERRORS
from irontriangle.accounts.schemas import HistoryOut
from irontriangle.collections import battle, measures, selectors, services
from irontriangle.collections.checklist import contract_checklist
from irontriangle.collections.models import EvidenceKind, MilestoneStatus, MilestoneTemplate
from irontriangle.collections.schemas import (
    BUCKET_CHOICES,
    ActionIn,
    ActionOut,
    BattleMapOut,
    CheckItemOut,
    ContractIn,
    ContractOut,
    ContractPatch,
    DisputeIn,
    EvidenceOut,
    InvoiceIn,
    MilestoneOut,
    MilestonesIn,
    PaymentIn,
    PaymentOut,
    ResolveIn,
    SignOffIn,
    SignOffOut,
    SignOffPatch,
    TemplateApplyIn,
    TickIn,
    action_out,
    battle_row_out,
    check_item_out,
    contract_out,
    evidence_out,
    milestone_out,
    payment_out,
    sign_off_out,
)
from irontriangle.common.apitools import Id, ListOut, SafeStr, actor, expected_version, viewer
from irontriangle.common.errors import InvalidInput, NotFound, VersionConflict
from irontriangle.common.history import history_of
from irontriangle.common.pagination import DEFAULT_LIMIT, MAX_LIMIT, keyset_page
from irontriangle.pipeline.selectors import opportunities_visible

router = Router(tags=["collections"])

Cursor = Annotated[SafeStr, Field(max_length=500)]
Limit = Annotated[int, Field(ge=1, le=MAX_LIMIT)]


# --- contracts ---------------------------------------------------------------------------------------


class ContractListFilters(Schema):
    q: Annotated[SafeStr, Field(max_length=100)] = ""
    account_id: Id | None = None
    opportunity_id: Id | None = None
    ar_id: Id | None = None
    fr_id: Id | None = None
    sort: Annotated[str, Field(pattern="^-?(signed_on|amount|number|updated_at)$")] = "-signed_on"
    limit: Limit = DEFAULT_LIMIT
    cursor: Cursor | None = None


def _contract_out(request: HttpRequest, contract_id: int) -> dict[str, Any]:
    contract = selectors.with_collected(selectors.contracts_visible(viewer(request))).get(pk=contract_id)
    return contract_out(contract)


@router.get("/contracts", response={200: ListOut[ContractOut], **ERRORS})
def list_contracts(request: HttpRequest, filters: Query[ContractListFilters]) -> Any:
    data = filters.model_dump()
    limit, cursor = data.pop("limit"), data.pop("cursor")
    queryset = selectors.with_collected(
        selectors.filtered_contracts(viewer(request), selectors.ContractFilters(**data))
    )
    page = keyset_page(queryset, order=filters.sort, cursor=cursor, limit=limit)
    return {"items": [contract_out(contract) for contract in page.items], "next_cursor": page.next_cursor}


@router.post("/contracts", response={201: ContractOut, **ERRORS})
def create_contract(request: HttpRequest, payload: ContractIn) -> Any:
    """From a deal the caller may see and edit, open or won (a lost deal has none). With `template`, the
    template's milestones are applied at once; they can be edited afterwards with PUT `/milestones`."""
    data = payload.model_dump()
    who = viewer(request)
    opportunity = opportunities_visible(who).filter(pk=data.pop("opportunity_id")).first()
    if opportunity is None:
        raise InvalidInput.single("opportunity_id", "unknown_opportunity", _("Unknown opportunity."))
    template = data.pop("template", None)
    contract = services.contract_create(
        viewer=who, actor=actor(request), opportunity=opportunity, data=data, template=template
    )
    return Status(201, _contract_out(request, contract.pk))


@router.get("/contracts/{contract_id}", response={200: ContractOut, **ERRORS})
def get_contract(request: HttpRequest, contract_id: Id) -> Any:
    selectors.contract_get(viewer(request), contract_id)
    return _contract_out(request, contract_id)


@router.patch("/contracts/{contract_id}", response={200: ContractOut, **ERRORS})
def update_contract(request: HttpRequest, contract_id: Id, payload: ContractPatch) -> Any:
    """Recording `delivered_on`, `accepted_on` or `warranty_ends_on` fixes the due dates of the milestones
    that follow that event; a new `amount` re-divides the milestones by their percents."""
    contract = selectors.contract_get(viewer(request), contract_id)
    sent = payload.model_dump(exclude_unset=True)
    version = expected_version(request, sent.pop("version", None))
    try:
        services.contract_update(
            viewer=viewer(request), actor=actor(request), contract=contract, data=sent, version=version
        )
    except VersionConflict as conflict:
        conflict.current = ContractOut.model_validate(_contract_out(request, contract_id)).model_dump(mode="json")
        raise
    return _contract_out(request, contract_id)


@router.delete("/contracts/{contract_id}", response={204: None, **ERRORS})
def delete_contract(request: HttpRequest, contract_id: Id) -> Any:
    contract = selectors.contract_get(viewer(request), contract_id)
    services.contract_delete(viewer=viewer(request), actor=actor(request), contract=contract)
    return HttpResponse(status=204)


@router.get("/contracts/{contract_id}/history", response={200: list[HistoryOut], **ERRORS})
def contract_history(request: HttpRequest, contract_id: Id) -> Any:
    return history_of(selectors.contract_get(viewer(request), contract_id), viewer(request))


# --- milestones --------------------------------------------------------------------------------------


def _milestones(request: HttpRequest, contract_id: int) -> list[dict[str, Any]]:
    contract = selectors.contract_get(viewer(request), contract_id)
    return [milestone_out(m) for m in selectors.contract_milestones(viewer(request), contract)]


@router.get("/contracts/{contract_id}/milestones", response={200: list[MilestoneOut], **ERRORS})
def list_milestones(request: HttpRequest, contract_id: Id) -> Any:
    return _milestones(request, contract_id)


@router.put("/contracts/{contract_id}/milestones", response={200: list[MilestoneOut], **ERRORS})
def replace_milestones(request: HttpRequest, contract_id: Id, payload: MilestonesIn) -> Any:
    """Each row gives `percent` or `amount` (or both, agreeing); they must add up to the contract amount or
    422 `milestone_total`. Percents alone are shared out to the cent. A row's due date is `due_on`, or
    `trigger` plus `offset_days` once that event is recorded on the contract. Rows with the `id` of an
    existing milestone keep its payments and evidence."""
    contract = selectors.contract_get(viewer(request), contract_id)
    rows = [row.model_dump() for row in payload.milestones]
    services.milestones_replace(
        viewer=viewer(request), actor=actor(request), contract=contract, rows=rows, version=payload.version
    )
    return _milestones(request, contract_id)


@router.post("/contracts/{contract_id}/milestones/apply-template", response={200: list[MilestoneOut], **ERRORS})
def apply_template(request: HttpRequest, contract_id: Id, payload: TemplateApplyIn) -> Any:
    contract = selectors.contract_get(viewer(request), contract_id)
    template = services.active_template(payload.template)
    services.milestones_replace(
        viewer=viewer(request),
        actor=actor(request),
        contract=contract,
        rows=services.template_rows(template),
        version=payload.version,
    )
    return _milestones(request, contract_id)


class TemplateOut(Schema):
    code: str
    name: str
    lines: list[dict[str, Any]]


@router.get("/milestone-templates", response={200: list[TemplateOut], **ERRORS})
def list_templates(request: HttpRequest) -> Any:
    from django.utils.translation import get_language

    from irontriangle.collections.defaults import ensure_templates

    ensure_templates()
    templates = MilestoneTemplate.objects.filter(is_active=True).prefetch_related("lines")
    return [
        {
            "code": template.code,
            "name": template.label(get_language()),
            "lines": [
                {
                    "kind": line.kind,
                    "percent": str(line.percent),
                    "trigger": line.trigger,
                    "offset_days": line.offset_days,
                }
                for line in template.lines.all()
            ],
        }
        for template in templates
    ]


def _milestone(request: HttpRequest, milestone_id: int) -> Any:
    return selectors.milestone_get(viewer(request), milestone_id)


def _milestone_out(request: HttpRequest, milestone_id: int) -> dict[str, Any]:
    return milestone_out(_milestone(request, milestone_id))


@router.get("/milestones/{milestone_id}", response={200: MilestoneOut, **ERRORS})
def get_milestone(request: HttpRequest, milestone_id: Id) -> Any:
    return _milestone_out(request, milestone_id)


@router.get("/milestones/{milestone_id}/history", response={200: list[HistoryOut], **ERRORS})
def milestone_history(request: HttpRequest, milestone_id: Id) -> Any:
    return history_of(_milestone(request, milestone_id), viewer(request))


@router.post("/milestones/{milestone_id}/invoice", response={200: MilestoneOut, **ERRORS})
def invoice_milestone(request: HttpRequest, milestone_id: Id, payload: InvoiceIn) -> Any:
    services.milestone_invoice(
        viewer=viewer(request),
        actor=actor(request),
        milestone=_milestone(request, milestone_id),
        invoiced_on=payload.invoiced_on,
        invoice_number=payload.invoice_number,
    )
    return _milestone_out(request, milestone_id)


@router.post("/milestones/{milestone_id}/dispute", response={200: MilestoneOut, **ERRORS})
def dispute_milestone(request: HttpRequest, milestone_id: Id, payload: DisputeIn) -> Any:
    services.milestone_dispute(
        viewer=viewer(request), actor=actor(request), milestone=_milestone(request, milestone_id), reason=payload.reason
    )
    return _milestone_out(request, milestone_id)


@router.post("/milestones/{milestone_id}/resolve-dispute", response={200: MilestoneOut, **ERRORS})
def resolve_dispute(request: HttpRequest, milestone_id: Id, payload: ResolveIn) -> Any:
    services.milestone_resolve(
        viewer=viewer(request), actor=actor(request), milestone=_milestone(request, milestone_id), note=payload.note
    )
    return _milestone_out(request, milestone_id)


# --- sign-offs: the delivery decision chain -----------------------------------------------------------


@router.get("/milestones/{milestone_id}/sign-offs", response={200: list[SignOffOut], **ERRORS})
def list_sign_offs(request: HttpRequest, milestone_id: Id) -> Any:
    milestone = _milestone(request, milestone_id)
    return [sign_off_out(s) for s in milestone.sign_offs.select_related("contact")]


@router.post("/milestones/{milestone_id}/sign-offs", response={201: SignOffOut, **ERRORS})
def add_sign_off(request: HttpRequest, milestone_id: Id, payload: SignOffIn) -> Any:
    """A contact of the contract's account (else 422 `unknown_contact`) who signs before the customer pays."""
    sign_off = services.sign_off_add(
        viewer=viewer(request),
        actor=actor(request),
        milestone=_milestone(request, milestone_id),
        data=payload.model_dump(),
    )
    return Status(201, sign_off_out(sign_off))


@router.patch("/milestones/{milestone_id}/sign-offs/{sign_off_id}", response={200: SignOffOut, **ERRORS})
def update_sign_off(request: HttpRequest, milestone_id: Id, sign_off_id: Id, payload: SignOffPatch) -> Any:
    milestone = _milestone(request, milestone_id)
    sign_off = milestone.sign_offs.select_related("contact").filter(pk=sign_off_id).first()
    if sign_off is None:
        raise NotFound()
    services.sign_off_update(
        viewer=viewer(request),
        actor=actor(request),
        sign_off=sign_off,
        signed_on=payload.signed_on,
        notes=payload.notes,
    )
    return sign_off_out(sign_off)


@router.delete("/milestones/{milestone_id}/sign-offs/{sign_off_id}", response={204: None, **ERRORS})
def remove_sign_off(request: HttpRequest, milestone_id: Id, sign_off_id: Id) -> Any:
    services.sign_off_remove(
        viewer=viewer(request),
        actor=actor(request),
        milestone=_milestone(request, milestone_id),
        sign_off_id=sign_off_id,
    )
    return HttpResponse(status=204)


# --- evidence ----------------------------------------------------------------------------------------


@router.get("/contracts/{contract_id}/evidence", response={200: list[EvidenceOut], **ERRORS})
def list_evidence(request: HttpRequest, contract_id: Id) -> Any:
    contract = selectors.contract_get(viewer(request), contract_id)
    return [evidence_out(e) for e in selectors.evidence_visible(viewer(request)).filter(contract=contract)]


class EvidenceForm(Schema):
    kind: EvidenceKind
    milestone_id: Id | None = None
    notes: Annotated[SafeStr, Field(max_length=300)] = ""


@router.post("/contracts/{contract_id}/evidence", response={201: EvidenceOut, **ERRORS})
def upload_evidence(request: HttpRequest, contract_id: Id, file: File[UploadedFile], form: Form[EvidenceForm]) -> Any:
    """Multipart upload. The type is read from the content and must match the name (422 `file_type`);
    at most the configured size (422 `file_too_large`)."""
    who = viewer(request)
    contract = selectors.contract_get(who, contract_id)
    milestone = None
    if form.milestone_id is not None:
        milestone = selectors.milestones_visible(who).filter(pk=form.milestone_id, contract=contract).first()
        if milestone is None:
            raise InvalidInput.single("milestone_id", "unknown_milestone", _("Not a milestone of this contract."))
    evidence = services.evidence_upload(
        viewer=who,
        actor=actor(request),
        contract=contract,
        milestone=milestone,
        kind=form.kind,
        name=file.name or "",
        data=file.file,  # type: ignore[arg-type]
        size=file.size or 0,
        notes=form.notes,
    )
    return Status(201, evidence_out(evidence))


@router.get("/evidence/{evidence_id}", response={200: EvidenceOut, **ERRORS})
def get_evidence(request: HttpRequest, evidence_id: Id) -> Any:
    return evidence_out(selectors.evidence_get(viewer(request), evidence_id))


@router.get("/evidence/{evidence_id}/download", response={200: None, **ERRORS})
def download_evidence(request: HttpRequest, evidence_id: Id) -> Any:
    """The file, to whoever may see its contract (everyone else 404), always as an attachment."""
    return evidence_response(selectors.evidence_get(viewer(request), evidence_id))


def evidence_response(evidence: Any) -> FileResponse:
    try:
        handle = services.evidence_open(evidence)
    except FileNotFoundError:
        raise NotFound() from None
    response = FileResponse(
        handle, as_attachment=True, filename=evidence.original_name, content_type=evidence.content_type
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["Cache-Control"] = "private, no-store"
    return response


@router.delete("/evidence/{evidence_id}", response={204: None, **ERRORS})
def remove_evidence(request: HttpRequest, evidence_id: Id) -> Any:
    services.evidence_remove(
        viewer=viewer(request), actor=actor(request), evidence=selectors.evidence_get(viewer(request), evidence_id)
    )
    return HttpResponse(status=204)


# --- payments ----------------------------------------------------------------------------------------


class PaymentListFilters(Schema):
    milestone_id: Id | None = None
    contract_id: Id | None = None
    received_from: date | None = None
    received_to: date | None = None
    limit: Limit = DEFAULT_LIMIT
    cursor: Cursor | None = None


@router.get("/payments", response={200: ListOut[PaymentOut], **ERRORS})
def list_payments(request: HttpRequest, filters: Query[PaymentListFilters]) -> Any:
    page = selectors.payments_page(viewer(request), **filters.model_dump())
    return {"items": [payment_out(p) for p in page.items], "next_cursor": page.next_cursor}


@router.post("/payments", response={201: PaymentOut, **ERRORS})
def record_payment(request: HttpRequest, payload: PaymentIn) -> Any:
    """More than the milestone's outstanding amount is 422 `overpayment` and nothing is recorded, unless
    `is_overpayment` says it is one."""
    data = payload.model_dump()
    milestone = selectors.milestones_visible(viewer(request)).filter(pk=data.pop("milestone_id")).first()
    if milestone is None:
        raise InvalidInput.single("milestone_id", "unknown_milestone", _("Unknown milestone."))
    payment = services.payment_record(viewer=viewer(request), actor=actor(request), milestone=milestone, data=data)
    return Status(201, payment_out(selectors.payment_get(viewer(request), payment.pk)))


@router.get("/payments/{payment_id}", response={200: PaymentOut, **ERRORS})
def get_payment(request: HttpRequest, payment_id: Id) -> Any:
    return payment_out(selectors.payment_get(viewer(request), payment_id))


@router.delete("/payments/{payment_id}", response={204: None, **ERRORS})
def reverse_payment(request: HttpRequest, payment_id: Id) -> Any:
    """A payment booked in error goes to the trash; the milestone's received and status follow."""
    services.payment_reverse(
        viewer=viewer(request), actor=actor(request), payment=selectors.payment_get(viewer(request), payment_id)
    )
    return HttpResponse(status=204)


# --- collection actions and the checklist ------------------------------------------------------------


@router.get("/contracts/{contract_id}/actions", response={200: list[ActionOut], **ERRORS})
def list_actions(request: HttpRequest, contract_id: Id) -> Any:
    contract = selectors.contract_get(viewer(request), contract_id)
    return [action_out(a) for a in selectors.contract_actions(contract)[:500]]


@router.post("/contracts/{contract_id}/actions", response={201: ActionOut, **ERRORS})
def log_action(request: HttpRequest, contract_id: Id, payload: ActionIn) -> Any:
    contract = selectors.contract_get(viewer(request), contract_id)
    action = services.collection_action_log(
        viewer=viewer(request), actor=actor(request), contract=contract, data=payload.model_dump()
    )
    return Status(201, action_out(action))


@router.get("/contracts/{contract_id}/checklist", response={200: list[CheckItemOut], **ERRORS})
def get_checklist(request: HttpRequest, contract_id: Id) -> Any:
    contract = selectors.contract_detail(viewer(request), contract_id)
    return [check_item_out(state) for state in contract_checklist(contract, timezone.localdate())]


@router.post("/contracts/{contract_id}/checklist/{key}", response={200: list[CheckItemOut], **ERRORS})
def tick_checklist(
    request: HttpRequest, contract_id: Id, key: Annotated[str, Field(max_length=40)], payload: TickIn
) -> Any:
    """Items the records decide are 422 `checked_by_system`."""
    contract = selectors.contract_get(viewer(request), contract_id)
    services.contract_tick(
        viewer=viewer(request), actor=actor(request), contract=contract, key=key, done=payload.done, note=payload.note
    )
    return get_checklist(request, contract_id)


# --- the battle map ----------------------------------------------------------------------------------


class BattleMapFilters(Schema):
    q: Annotated[SafeStr, Field(max_length=100)] = ""
    unit_id: Id | None = None
    ar_id: Id | None = None
    fr_id: Id | None = None
    account_id: Id | None = None
    contract_id: Id | None = None
    status: MilestoneStatus | None = None
    bucket: Annotated[str, Field(pattern="^(" + "|".join(BUCKET_CHOICES) + ")$")] | None = None
    due_from: date | None = None
    due_to: date | None = None
    sort: Annotated[str, Field(pattern="^-?(due|amount|received|updated_at)$")] = "due"


class BattleMapPage(BattleMapFilters):
    limit: Limit = DEFAULT_LIMIT
    cursor: Cursor | None = None


def battle_filters(filters: BattleMapFilters) -> selectors.BattleFilters:
    data = filters.model_dump(exclude={"limit", "cursor"})
    data["status"] = data["status"] or ""
    data["bucket"] = data["bucket"] or ""
    return selectors.BattleFilters(**data)


@router.get("/battle-map", response={200: BattleMapOut, **ERRORS})
def get_battle_map(request: HttpRequest, filters: Query[BattleMapPage]) -> Any:
    """Every visible contract × milestone. `totals` cover every row the filters match, not only this page."""
    rows = selectors.battle_map(viewer(request), battle_filters(filters))
    page = keyset_page(rows, order=filters.sort, cursor=filters.cursor, limit=filters.limit)
    figures = battle.totals(rows)
    return {
        "items": [battle_row_out(m) for m in page.items],
        "next_cursor": page.next_cursor,
        "totals": figures.__dict__,
    }


@router.get("/battle-map.xlsx", response={200: None, **ERRORS})
def export_battle_map(request: HttpRequest, filters: Query[BattleMapFilters]) -> Any:
    return battle.export_response(selectors.battle_map(viewer(request), battle_filters(filters)), filters.sort)


# --- measures ----------------------------------------------------------------------------------------


class MeasuresFilters(Schema):
    group: Annotated[str, Field(pattern="^(unit|ar|fr)$")] = "unit"
    days: Annotated[int, Field(ge=7, le=730)] = 90


@router.get("/reports/collections", response={200: dict[str, Any], **ERRORS})
def collection_report(request: HttpRequest, filters: Query[MeasuresFilters]) -> Any:
    """Ageing by bucket, DSO and average days to collect over the last `days`, and the down-payment ratio,
    grouped by owner unit, AR or FR; plus money planned against collected per month."""
    figures = measures.report(viewer(request), filters.group, timezone.localdate(), filters.days)
    return {
        "group": filters.group,
        "days": filters.days,
        "ageing": [row.__dict__ for row in figures.ageing],
        "cycle": [{k: v for k, v in row.__dict__.items() if not k.startswith("_")} for row in figures.cycle],
        "down_payment": [row.__dict__ for row in figures.down_payment],
        "monthly": [row.__dict__ for row in figures.monthly],
    }
