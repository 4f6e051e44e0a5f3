"""Writes of opportunities: create, edit, advance through the stage gates, tick the checklist, delete."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from irontriangle.accounts.models import Account
from irontriangle.accounts.selectors import account_scope, can_edit_account
from irontriangle.common.access import Viewer, viewer_of
from irontriangle.common.errors import FieldError, Forbidden, InvalidInput
from irontriangle.common.services import (
    check_version,
    lock_for_update,
    record_restore,
    record_soft_delete,
    save_versioned,
    validate,
)
from irontriangle.org.models import OrgUnit, User
from irontriangle.pipeline import checklist
from irontriangle.pipeline.defaults import ensure_processes
from irontriangle.pipeline.models import (
    ChecklistTick,
    Lead,
    Opportunity,
    OpportunityRole,
    OpportunityTeamMember,
    ProcurementTemplate,
    SalesProcess,
    Stage,
    StageChange,
)
from irontriangle.pipeline.selectors import first_stage, is_manager_of, process_for_segment
from irontriangle.pipeline.services.common import (
    StageGateUnmet,
    announce,
    raise_ownership_conflict,
    require_opportunity_editor,
    require_reason,
    text,
)

EDITABLE = (
    "name",
    "amount",
    "currency",
    "expected_close",
    "probability",
    "forecast_category",
    "project_type",
    "lead_source",
    "decision_process_notes",
    "win_loss_reason",
    "lead_basis",
    "external_id",
)
TEXT_FIELDS = {"decision_process_notes", "win_loss_reason", "external_id", "lead_source", "lead_basis"}
# The changes the team hears about at once (SPEC §5).
ANNOUNCED = {"amount": "opportunity.amount_changed", "expected_close": "opportunity.close_date_changed"}


def _assign(opportunity: Opportunity, data: dict[str, Any], errors: list[FieldError]) -> None:
    for name in EDITABLE:
        if name not in data:
            continue
        value = data[name]
        if name in TEXT_FIELDS and value is None:
            value = ""
        if name == "currency" and value:
            value = str(value).upper()
        setattr(opportunity, name, value)
    if "lead_unit_code" in data:
        code = data["lead_unit_code"]
        unit = OrgUnit.objects.filter(code=code).first() if code else None
        if code and unit is None:
            errors.append(FieldError("lead_unit_code", "unknown_unit", _("Unknown org unit.")))
        opportunity.lead_unit = unit
    if "procurement_template_id" in data:
        pk = data["procurement_template_id"]
        template = ProcurementTemplate.objects.filter(pk=pk, is_active=True).first() if pk else None
        if pk and template is None:
            errors.append(FieldError("procurement_template_id", "unknown_template", _("Unknown procurement template.")))
        opportunity.procurement_template = template
    if "owner_id" in data and data["owner_id"] is not None:
        owner = User.objects.filter(pk=data["owner_id"], is_active=True).first()
        if (
            owner is None
            or not Account.objects.filter(account_scope(viewer_of(owner)), pk=opportunity.account_id).exists()
        ):
            errors.append(FieldError("owner_id", "no_access", _("The owner must be able to see the account.")))
        else:
            opportunity.owner = owner


def _process_for(account: Account, code: str | None) -> SalesProcess:
    ensure_processes()
    if code:
        process = SalesProcess.objects.filter(code=code, is_active=True).first()
        if process is None:
            raise InvalidInput.single("process", "unknown_process", _("Unknown sales process."))
        return process
    process = (
        process_for_segment(account.segment) or SalesProcess.objects.filter(is_active=True).order_by("code").first()
    )
    if process is None:
        raise InvalidInput.single("process", "no_process", _("No sales process is configured."))
    return process


@transaction.atomic
def opportunity_create(
    *, viewer: Viewer, actor: User, account: Account, data: dict[str, Any], lead: Lead | None = None
) -> Opportunity:
    """A deal opens in the first stage of its process (by default the account segment's process)."""
    if not can_edit_account(viewer, account) and lead is None:
        raise Forbidden()
    process = _process_for(account, data.get("process"))
    stage = first_stage(process)
    opportunity = Opportunity(
        account=account,
        process=process,
        stage=stage,
        stage_entered_at=timezone.now(),
        probability=stage.probability,
        forecast_category=stage.forecast_category,
        owner=actor,
        lead=lead,
        currency="CNY",
    )
    errors: list[FieldError] = []
    _assign(opportunity, data, errors)
    if errors:
        raise InvalidInput(errors)
    if opportunity.amount is None:
        opportunity.amount = Decimal("0")
    validate(opportunity)
    opportunity._history_user = actor  # type: ignore[attr-defined]
    opportunity.save()
    StageChange.objects.create(opportunity=opportunity, from_stage=None, to_stage=stage, by=actor)
    # The one who opens the deal is its AR until the team says otherwise.
    OpportunityTeamMember.objects.create(opportunity=opportunity, user=actor, role=OpportunityRole.AR)
    checklist.refresh(opportunity)
    announce(opportunity, kind="opportunity.created", actor=actor, data={"name": opportunity.name})
    raise_ownership_conflict(viewer=viewer, actor=actor, account=account, what=_("An opportunity"))
    return opportunity


@transaction.atomic
def opportunity_update(
    *, viewer: Viewer, actor: User, opportunity: Opportunity, data: dict[str, Any], version: int | None
) -> Opportunity:
    require_opportunity_editor(viewer, opportunity)
    if "stage" in data or "process" in data:
        field = "stage" if "stage" in data else "process"
        raise InvalidInput.single(field, "read_only", _("The stage changes only by advancing through its gate."))
    current = lock_for_update(opportunity)
    check_version(current, version)
    before = {
        name: getattr(current, name) for name in (*EDITABLE, "lead_unit_id", "procurement_template_id", "owner_id")
    }
    errors: list[FieldError] = []
    _assign(current, data, errors)
    if errors:
        raise InvalidInput(errors)
    save_versioned(current, actor=actor)
    changed = sorted(name for name in before if getattr(current, name) != before[name])
    checklist.refresh(current)
    for name, kind in ANNOUNCED.items():
        if name in changed:
            announce(
                current,
                kind=kind,
                actor=actor,
                data={"from": str(before[name] or ""), "to": str(getattr(current, name) or "")},
                title=_change_title(current, name, before[name]),
            )
    if changed:
        announce(current, kind="opportunity.updated", actor=actor, data={"changed": changed})
    return current


def _change_title(opportunity: Opportunity, name: str, old: Any) -> Any:
    if name == "amount":
        return lambda: (
            _("%(name)s: amount %(old)s → %(new)s %(currency)s")
            % {
                "name": opportunity.name,
                "old": f"{old:,.2f}",
                "new": f"{opportunity.amount:,.2f}",
                "currency": opportunity.currency,
            }
        )
    return lambda: (
        _("%(name)s: expected close %(old)s → %(new)s")
        % {
            "name": opportunity.name,
            "old": old.isoformat() if old else "—",
            "new": opportunity.expected_close.isoformat() if opportunity.expected_close else "—",
        }
    )


def _target(opportunity: Opportunity, stages: list[Stage], to_stage: str | None) -> Stage:
    current = opportunity.stage
    if to_stage:
        target = next((stage for stage in stages if stage.code == to_stage), None)
        if target is None:
            raise InvalidInput.single("to_stage", "unknown_stage", _("This process has no such stage."))
        if target.pk == current.pk:
            raise InvalidInput.single("to_stage", "same_stage", _("The opportunity is already in this stage."))
        return target
    if current.outcome:
        raise InvalidInput.single("to_stage", "closed", _("The opportunity is closed: name the stage to reopen it in."))
    later = [stage for stage in stages if stage.position > current.position and not stage.is_optional]
    target = next((stage for stage in later if stage.outcome != "lost"), None)
    if target is None:
        raise InvalidInput.single("to_stage", "no_next_stage", _("There is no stage after this one."))
    return target


@transaction.atomic
def opportunity_advance(
    *,
    viewer: Viewer,
    actor: User,
    opportunity: Opportunity,
    to_stage: str | None = None,
    override_reason: str = "",
    reason: str = "",
    version: int | None = None,
) -> Opportunity:
    """Move the deal to the next stage (or the one named) if the gate lets it through.

    A required item still open refuses the move with the list of what is missing, unless a manager
    above the deal overrides it with a reason; the override is in the history and the stage changes.
    Closing asks for the win or loss reason; reopening a closed deal is a manager's call.
    """
    require_opportunity_editor(viewer, opportunity)
    current = lock_for_update(opportunity)
    if version is not None:
        check_version(current, version)
    stages = list(current.process.stages.order_by("position"))
    source = current.stage
    target = _target(current, stages, to_stage)
    override_reason = text(override_reason)
    manager = is_manager_of(viewer, current)
    if source.outcome and not manager:
        raise Forbidden(_("Only a manager above the deal can reopen it."))
    if source.outcome and not override_reason:
        raise InvalidInput.single("override_reason", "required", _("Say why the deal is reopened."))
    unmet = checklist.unmet_to_leave(current, target)
    if unmet and not override_reason:
        raise StageGateUnmet(unmet)
    if unmet and not manager:
        raise Forbidden(_("Only a manager above the deal can override the gate."))
    if target.outcome:
        closing_reason = text(reason) or current.win_loss_reason
        current.win_loss_reason = require_reason(
            "reason",
            closing_reason,
            _("Say why the deal was won.") if target.outcome == "won" else _("Say why the deal was lost."),
        )
        current.closed_on = timezone.localdate()
    else:
        current.closed_on = None
    current.stage = target
    current.stage_entered_at = timezone.now()
    current.probability = target.probability
    current.forecast_category = target.forecast_category
    history_reason = _("Gate overridden: %(reason)s") % {"reason": override_reason} if unmet else override_reason
    save_versioned(current, actor=actor, reason=history_reason)
    StageChange.objects.create(
        opportunity=current,
        from_stage=source,
        to_stage=target,
        by=actor,
        override_reason=override_reason,
        overridden=[state.key for state in unmet],
    )
    checklist.refresh(current)
    announce(
        current,
        kind="opportunity.stage_changed",
        actor=actor,
        data={"from": source.code, "to": target.code, "overridden": [state.key for state in unmet]},
        title=lambda: (
            _("%(name)s moved from %(from)s to %(to)s") % {"name": current.name, "from": source.name, "to": target.name}
        ),
    )
    return current


@transaction.atomic
def checklist_tick(
    *, viewer: Viewer, actor: User, opportunity: Opportunity, key: str, done: bool, evidence: str = ""
) -> checklist.ItemState:
    """Mark a manual item done with its evidence (or undo it). Items the data decides cannot be ticked."""
    require_opportunity_editor(viewer, opportunity)
    states = {state.key: state for state in checklist.checklist(opportunity)}
    state = states.get(key)
    if state is None:
        raise InvalidInput.single("key", "unknown_item", _("This process has no such checklist item."))
    if state.automatic:
        raise InvalidInput.single(
            "key", "checked_by_system", _("This item is checked from the records; change the records instead.")
        )
    evidence = text(evidence)
    if done and not evidence:
        raise InvalidInput.single("evidence", "required", _("Say what shows that it is done."))
    tick = ChecklistTick.objects.filter(opportunity=opportunity, key=key).first() or ChecklistTick(
        opportunity=opportunity, key=key, by=actor
    )
    tick.done, tick.evidence, tick.by = done, evidence, actor
    tick._history_user = actor  # type: ignore[attr-defined]
    tick.save()
    checklist.refresh(opportunity)
    announce(opportunity, kind="opportunity.checklist_changed", actor=actor, data={"key": key, "done": done})
    return {state.key: state for state in checklist.checklist(opportunity)}[key]


@transaction.atomic
def opportunity_delete(*, viewer: Viewer, actor: User, opportunity: Opportunity) -> None:
    if not (viewer.is_admin or opportunity.owner_id == viewer.user_id or is_manager_of(viewer, opportunity)):
        raise Forbidden()
    record_soft_delete(opportunity, actor=actor)
    announce(opportunity, kind="opportunity.deleted", actor=actor, data={"name": opportunity.name})


@transaction.atomic
def opportunity_restore(*, viewer: Viewer, actor: User, opportunity: Opportunity) -> Opportunity:
    if not viewer.is_admin:
        raise Forbidden()
    if opportunity.account.deleted_at is not None:
        raise InvalidInput.single("account_id", "account_in_trash", _("Restore the account first."))
    return record_restore(opportunity, actor=actor)
