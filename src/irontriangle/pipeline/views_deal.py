"""The opportunity page: create, edit, the deal's page with every card, and its live pulse.

What the page shows is built once in `deal_page`, for the whole page, for the fragment the pulse sends and
for a page shown again with a form's errors, so the three never drift apart. Reads only come from
selectors and the pipeline's read modules; writes live in views_deal_actions.py and go through services.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Any

from django.contrib import messages
from django.db.models import prefetch_related_objects
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from irontriangle.accounts.selectors import accounts_visible
from irontriangle.common.access import Viewer
from irontriangle.common.errors import Forbidden, InvalidInput
from irontriangle.common.history import history_of
from irontriangle.common.restricted import can_see
from irontriangle.notifications.models import Event
from irontriangle.org.selectors import units_visible
from irontriangle.pipeline import checklist, procurement, selectors, services
from irontriangle.pipeline.forms_deal import (
    AdvanceForm,
    CompetitorForm,
    DealTeamForm,
    GuideForm,
    OpportunityCreateForm,
    OpportunityEditForm,
    PainForm,
    QuoteForm,
    RejectForm,
    opportunity_initial,
)
from irontriangle.pipeline.models import (
    Opportunity,
    OpportunityRole,
    ProcurementTemplate,
    QuoteStatus,
    Stage,
    StageChange,
    Threat,
    Tool,
)
from irontriangle.pipeline.services.quotes import line_total
from irontriangle.relationships.models import BuyingRole
from irontriangle.relationships.selectors import contacts_visible, interactions_visible
from irontriangle.web import lookups
from irontriangle.web.guards import actor, submit, viewer, web_view
from irontriangle.web.history import readable_history

SUBJECT_TYPE = Opportunity._meta.label_lower
HISTORY_SHOWN = 50
INTERACTIONS_SHOWN = 10
CONTACTS_SHOWN = 500
SCORE_GOAL = 70
TRIANGLE = (OpportunityRole.AR, OpportunityRole.SR, OpportunityRole.FR)
THREAT_ORDER = {Threat.HIGH: 0, Threat.MEDIUM: 1, Threat.LOW: 2}
ROLE_ORDER = [role for role, _label in OpportunityRole.choices]

# Where a person fixes what an automatic checklist item reads, as an anchor of this page or a page elsewhere.
FIX_AT: dict[str, str] = {
    Tool.GUIDE_IDENTIFIED: "#guides",
    Tool.COMPETITORS_ANALYSED: "#competitors",
    Tool.PAIN_CHAIN_RECORDED: "#pain-chain",
    Tool.DECISION_PROCESS_RECORDED: "edit",
    Tool.SR_ASSIGNED: "#team",
    Tool.FR_ASSIGNED: "#team",
    Tool.QUOTE_APPROVED: "#quotes",
    Tool.PROCUREMENT_COVERED: "#procurement",
    Tool.POWER_MAP_MAPPED: "account",
    Tool.MULTI_THREADED: "#interactions",
    Tool.BANT_CONFIRMED: "lead",
}


@dataclass
class TimelineEntry:
    at: datetime
    who: str
    kind: str  # "stage" or "history"
    changes: list[Any] = field(default_factory=list)
    from_stage: str = ""
    to_stage: str = ""
    override_reason: str = ""
    overridden: list[str] = field(default_factory=list)
    reason: str = ""


def _int(value: Any) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        return 0


def latest_event_id() -> int:
    """Where the pulse starts counting: the newest event of all, found on the primary key alone."""
    return Event.objects.order_by("-id").values_list("id", flat=True).first() or 0


def _fix_link(opportunity: Opportunity, tool: str) -> str:
    target = FIX_AT.get(tool, "")
    if target == "edit":
        return reverse("pipeline:opportunity-edit", args=[opportunity.pk])
    if target == "account":
        return reverse("accounts:account-detail", args=[opportunity.account_id]) + "#relationships"
    if target == "lead":
        return f"/leads/{opportunity.lead_id}/" if opportunity.lead_id else ""
    return target


def _stage_path(opportunity: Opportunity, stages: list[Stage]) -> list[dict[str, Any]]:
    current = opportunity.stage
    path = []
    for stage in stages:
        if stage.is_optional and stage.pk != current.pk:
            continue
        if stage.outcome and stage.pk != current.pk and (current.outcome or stage.outcome == "lost"):
            continue
        if stage.outcome == "lost" and stage.pk != current.pk:
            continue
        state = "current" if stage.pk == current.pk else ("done" if stage.position < current.position else "todo")
        if current.outcome == "lost" and stage.outcome == "won":
            continue
        path.append({"stage": stage, "state": state})
    return path


def _checklist_groups(opportunity: Opportunity, states: list[checklist.ItemState], stages: list[Stage]) -> list[Any]:
    in_scope = {stage.code for stage in checklist.stages_in_scope(opportunity, stages)}
    groups: dict[str, dict[str, Any]] = {}
    for state in states:
        group = groups.setdefault(
            state.stage,
            {
                "code": state.stage,
                "name": state.stage_name,
                "items": [],
                "current": state.stage == opportunity.stage.code,
                "in_scope": state.stage in in_scope,
            },
        )
        group["items"].append({"state": state, "fix": _fix_link(opportunity, state.tool) if state.automatic else ""})
    for group in groups.values():
        group["done"] = sum(1 for item in group["items"] if item["state"].done)
    return list(groups.values())


def _next_stage(opportunity: Opportunity, stages: list[Stage]) -> Stage | None:
    current = opportunity.stage
    if current.outcome:
        return None
    later = [stage for stage in stages if stage.position > current.position and not stage.is_optional]
    return next((stage for stage in later if stage.outcome != "lost"), None)


def _team_groups(team: list[Any]) -> list[dict[str, Any]]:
    groups = []
    for role in ROLE_ORDER:
        members = [member for member in team if member.role == role]
        if members or role in TRIANGLE:
            groups.append(
                {"role": role, "label": OpportunityRole(role).label, "members": members, "triangle": role in TRIANGLE}
            )
    return groups


def _timeline(
    who: Viewer, opportunity: Opportunity, stages: dict[int, Stage], units: dict[int, str]
) -> list[TimelineEntry]:
    history = readable_history(who, history_of(opportunity, who, display=True, limit=HISTORY_SHOWN))
    names = {
        "stage": {pk: stage.name for pk, stage in stages.items()},
        "lead_unit": units,
    }
    entries = []
    for entry in history:
        changes = [
            replace(
                change,
                old=names[change.field].get(change.old, change.old) if change.field in names else change.old,
                new=names[change.field].get(change.new, change.new) if change.field in names else change.new,
            )
            for change in entry.changes
            # The stage moves are told by the stage changes below, with their override reasons.
            if change.field not in ("stage", "probability", "forecast_category", "closed_on")
        ]
        if entry.kind == "changed" and not changes:
            continue
        entries.append(
            TimelineEntry(
                at=entry.at,
                who=entry.user_name,
                kind="created" if entry.kind == "created" else "history",
                changes=changes,
                reason=entry.reason,
            )
        )
    moves = StageChange.objects.filter(opportunity=opportunity).select_related("by").order_by("-at", "-id")
    labels: dict[str, str] = {}
    for move in moves[:HISTORY_SHOWN]:
        if move.from_stage_id is None:
            continue  # the opening, already told by the history's "created"
        if move.overridden and not labels:
            labels = {item.key: item.label for item in checklist.process_items(opportunity)}
        entries.append(
            TimelineEntry(
                at=move.at,
                who=move.by.label if move.by else "",
                kind="stage",
                from_stage=stages[move.from_stage_id].name if move.from_stage_id in stages else "",
                to_stage=stages[move.to_stage_id].name if move.to_stage_id in stages else "",
                override_reason=move.override_reason,
                overridden=[labels.get(key, key) for key in move.overridden],
            )
        )
    entries.sort(key=lambda entry: entry.at, reverse=True)
    return entries[:HISTORY_SHOWN]


def _quotes(who: Viewer, opportunity: Opportunity, team: list[Any], manager: bool) -> list[dict[str, Any]]:
    mine = {member.role for member in team if member.user_id == who.user_id}
    is_ar = OpportunityRole.AR in mine or opportunity.owner_id == who.user_id
    is_sr = OpportunityRole.SR in mine
    rows = []
    for quote in selectors.quotes_visible(who).filter(opportunity_id=opportunity.pk).order_by("-number"):
        quote.opportunity = opportunity
        sees = can_see(who, quote, "cost")
        lines = [{"line": line, "total": line_total(line)} for line in quote.lines.all()]
        can_decide = (quote.status == QuoteStatus.SUBMITTED and is_sr and not is_ar) or (
            quote.status == QuoteStatus.PENDING_MANAGER and manager
        )
        rows.append(
            {
                "quote": quote,
                "lines": lines,
                "show_cost": sees,
                "editable": quote.status in (QuoteStatus.DRAFT, QuoteStatus.REJECTED),
                "can_decide": can_decide,
            }
        )
    return rows


def deal_page(who: Viewer, opportunity: Opportunity, **given: Any) -> dict[str, Any]:
    """Everything the opportunity page shows. `given` carries bound forms with errors and notices."""
    can_edit = selectors.can_edit_opportunity(who, opportunity)
    manager = selectors.is_manager_of(who, opportunity)
    stages = list(opportunity.process.stages.order_by("position"))
    # checklist.score and unmet_to_leave read the process's stages: hand them the list already loaded.
    opportunity.process._prefetched_objects_cache = {"stages": _as_queryset(opportunity, stages)}  # type: ignore[attr-defined]
    # Loaded once for the checklist's "competitors analysed" and for the card that lists them.
    prefetch_related_objects([opportunity], "competitors")
    states = checklist.checklist(opportunity)
    team = selectors.opportunity_team(opportunity)
    # The pickers of the forms are only loaded for those who may use them.
    units = (
        list(units_visible(who).select_related(None).only("pk", "code", "name", "name_en", "path")) if can_edit else []
    )
    unit_names = {unit.pk: lookups.unit_label(unit) for unit in units}
    if opportunity.lead_unit is not None:
        unit_names.setdefault(opportunity.lead_unit.pk, lookups.unit_label(opportunity.lead_unit))
    contacts = (
        [
            (pk, f"{name} · {title}" if title else name)
            for pk, name, title in contacts_visible(who)
            .filter(account_id=opportunity.account_id)
            .order_by("name", "pk")
            .values_list("pk", "name", "title")[:CONTACTS_SHOWN]
        ]
        if can_edit
        else []
    )
    guides = list(opportunity.guides.select_related("contact").order_by("id"))
    pains = list(opportunity.pain_chain.select_related("contact").order_by("contact__name", "id"))
    pain_groups: dict[int, dict[str, Any]] = {}
    for link in pains:
        pain_groups.setdefault(link.contact_id, {"contact": link.contact, "links": []})["links"].append(link)
    splits = list(opportunity.splits.select_related("unit", "user").order_by("kind", "-percent", "id"))
    split_people: dict[int, str] = {member.user_id: member.user.label for member in team}
    split_people.setdefault(opportunity.owner_id, opportunity.owner.label)
    for split in splits:
        if split.user is not None:
            split_people.setdefault(split.user.pk, split.user.label)
    holders = [
        (_("Units"), [(f"unit:{unit.code}", unit_names[unit.pk]) for unit in units]),
        (_("People"), [(f"user:{pk}", label) for pk, label in sorted(split_people.items(), key=lambda p: p[1])]),
    ]
    split_rows = given.get("split_rows")
    if split_rows is None:
        split_rows = [
            {
                "holder": f"unit:{split.unit.code}" if split.unit is not None else f"user:{split.user_id}",
                "percent": f"{split.percent.normalize():f}",
                "kind": split.kind,
                "agreement_ref": split.agreement_ref,
            }
            for split in splits
        ]
    interactions = list(
        interactions_visible(who)
        .filter(opportunity_id=opportunity.pk, deleted_at__isnull=True)
        .prefetch_related("contacts")
        .order_by("-occurred_at", "-id")[: INTERACTIONS_SHOWN + 1]
    )
    coverage = procurement.coverage(opportunity)
    role_labels = dict(BuyingRole.choices)
    current = opportunity.stage
    weights = [
        ("AR", current.ar_weight, "ar"),
        ("SR", current.sr_weight, "sr"),
        ("FR", current.fr_weight, "fr"),
    ]
    weight_total = sum(value for _code, value, _css in weights) or 1
    next_stage = _next_stage(opportunity, stages)
    won = next((stage for stage in stages if stage.outcome == "won"), None)
    open_stages = [stage for stage in stages if not stage.outcome]
    lost = next((stage for stage in stages if stage.outcome == "lost"), None)
    context: dict[str, Any] = {
        "opportunity": opportunity,
        "account": opportunity.account,
        "can_edit": can_edit,
        "is_manager": manager,
        "can_delete": who.is_admin or opportunity.owner_id == who.user_id or manager,
        "sees_margin": can_see(who, opportunity, "margin"),
        "score_goal": SCORE_GOAL,
        "stage_path": _stage_path(opportunity, stages),
        "checklist_groups": _checklist_groups(opportunity, states, stages),
        "next_stage": next_stage if next_stage and not next_stage.outcome else None,
        "won_stage": won,
        "lost_stage": lost,
        "closed": bool(current.outcome),
        "reopen_stages": [stage for stage in stages if not stage.outcome] if current.outcome and manager else [],
        "team_groups": _team_groups(team),
        "weights": [
            {"code": code, "value": value, "css": css, "share": round(value * 100 / weight_total)}
            for code, value, css in weights
        ],
        "guides": guides,
        "threat_choices": Threat.choices,
        "competitors": sorted(
            opportunity.competitors.all(), key=lambda c: (THREAT_ORDER.get(c.threat, 9), c.name.lower())
        ),
        "pain_groups": list(pain_groups.values()),
        "coverage": [
            {
                "step": step.step,
                "covered": [role_labels.get(role, role) for role in step.covered],
                "uncovered": [role_labels.get(role, role) for role in step.uncovered],
            }
            for step in coverage
        ],
        "quotes": _quotes(who, opportunity, team, manager),
        "splits": splits,
        "split_rows": split_rows,
        "split_holders": holders,
        "interactions": interactions[:INTERACTIONS_SHOWN],
        "more_interactions": len(interactions) > INTERACTIONS_SHOWN,
        "log_visit_url": f"/interactions/new/?account={opportunity.account_id}&opportunity={opportunity.pk}",
        "timeline": _timeline(who, opportunity, {stage.pk: stage for stage in stages}, unit_names),
        "since": latest_event_id(),
        "advance_form": given.get("advance_form") or AdvanceForm(initial={"version": opportunity.version}),
        "team_form": given.get("team_form") or DealTeamForm(prefix="team"),
        "guide_form": given.get("guide_form") or GuideForm(prefix="guide", contacts=contacts),
        "competitor_form": given.get("competitor_form") or CompetitorForm(prefix="competitor"),
        "pain_form": given.get("pain_form") or PainForm(prefix="pain", contacts=contacts),
        "quote_form": given.get("quote_form")
        or QuoteForm(prefix="quote", with_cost=can_see(who, opportunity, "margin")),
        "reject_form": RejectForm(prefix="reject"),
        "unmet": given.get("unmet") or [],
        "action_error": given.get("action_error") or "",
        "split_error": given.get("split_error") or "",
        "open_form": given.get("open_form") or "",
        "editing_competitor": given.get("editing_competitor"),
        "lead_unit_name": unit_names.get(opportunity.lead_unit_id, "") if opportunity.lead_unit_id else "",
        "contracts": _contracts(who, opportunity),
        # A contract is opened in the deal's last open stage or once it is won (collections' own rule).
        "can_open_contract": can_edit
        and (current.outcome == "won" or (not current.outcome and open_stages[-1:] == [current])),
    }
    context["quote_line_blank"] = range(3)
    return context


def _contracts(who: Viewer, opportunity: Opportunity) -> list[Any]:
    from irontriangle.collections.selectors import contracts_visible, with_collected

    return list(
        with_collected(contracts_visible(who).filter(opportunity=opportunity)).order_by("-signed_on", "-pk")[:20]
    )


def _as_queryset(opportunity: Opportunity, stages: list[Stage]) -> Any:
    """A queryset of the process's stages already filled, so `process.stages.all()` costs no query."""
    queryset = opportunity.process.stages.all()
    queryset._result_cache = list(stages)  # type: ignore[attr-defined]
    queryset._prefetch_done = True  # type: ignore[attr-defined]
    return queryset


def render_deal(request: HttpRequest, opportunity: Opportunity, *, status: int = 200, **given: Any) -> HttpResponse:
    context = deal_page(viewer(request), opportunity, **given)
    return render(request, "pipeline/opportunity_detail.html", context, status=status)


# --- pages -----------------------------------------------------------------------------------------


@web_view
def opportunity_detail(request: HttpRequest, opportunity_id: int) -> HttpResponse:
    opportunity = selectors.opportunity_get(viewer(request), opportunity_id)
    return render_deal(request, opportunity)


@web_view
def opportunity_pulse(request: HttpRequest, opportunity_id: int) -> HttpResponse:
    """204 while nothing happened to the deal since `since`; else the page's body again and who changed it."""
    who = viewer(request)
    opportunity = selectors.opportunity_get(who, opportunity_id)
    since = _int(request.GET.get("since"))
    newest = (
        Event.objects.filter(subject_type=SUBJECT_TYPE, subject_id=opportunity.pk, id__gt=since)
        .select_related("actor")
        .order_by("-id")
        .first()
    )
    if newest is None:
        return HttpResponse(status=204)
    context = deal_page(who, opportunity)
    context["updated_by"] = newest.actor.label if newest.actor else _("the system")
    context["pulse"] = True
    return render(request, "pipeline/opportunity_detail.html#deal-body", context)


@web_view
def account_opportunities(request: HttpRequest, account_id: int) -> HttpResponse:
    """The account 360 page's opportunities tab: the deals of the account this viewer may see."""
    from irontriangle.accounts.selectors import account_get, can_edit_account

    who = viewer(request)
    account = account_get(who, account_id)
    context = {
        "account": account,
        "opportunities": selectors.account_opportunities(who, account),
        "can_create": can_edit_account(who, account),
    }
    return render(request, "pipeline/_deal_account_opportunities.html", context)


def _templates() -> list[tuple[int, str]]:
    return [(template.pk, template.name) for template in ProcurementTemplate.objects.filter(is_active=True)]


def _processes() -> list[tuple[str, str]]:
    return [(process.code, process.name) for process in selectors.processes()]


@web_view
def opportunity_create(request: HttpRequest) -> HttpResponse:
    who = viewer(request)
    source = request.POST if request.method == "POST" else request.GET
    account_id = _int(source.get("account_id") or request.GET.get("account"))
    choice = lookups.account_choice(who, account_id)
    initial: dict[str, Any] = {"currency": "CNY", "project_type": "company_led"}
    if choice is not None:
        initial["account_id"] = choice[0]
        account = accounts_visible(who).filter(pk=choice[0]).first()
        process = selectors.process_for_segment(account.segment) if account else None
        if process is not None:
            initial["process"] = process.code
        if account is not None and account.currency:
            initial["currency"] = account.currency
    form = OpportunityCreateForm(
        request.POST if request.method == "POST" else None,
        initial=initial,
        account_choice=choice,
        processes=_processes(),
        templates=_templates(),
    )
    context: dict[str, Any] = {"form": form, "account_choice": choice}
    if request.method == "POST" and form.is_valid():
        from irontriangle.accounts.selectors import account_get

        try:
            account = account_get(who, form.cleaned_data["account_id"])
            data = form.service_data(only_changed=False)
            data["process"] = data.get("process") or None
            opportunity = services.opportunity_create(viewer=who, actor=actor(request), account=account, data=data)
        except InvalidInput as error:
            from irontriangle.web.guards import add_domain_errors

            add_domain_errors(form, error)
        except Forbidden:
            form.add_error("account_id", _("You may not open a deal on this account."))
        else:
            messages.success(request, _("Opportunity %(name)s was created.") % {"name": opportunity.name})
            return redirect("pipeline:opportunity-detail", opportunity_id=opportunity.pk)
    status = 400 if request.method == "POST" else 200
    return render(request, "pipeline/opportunity_form.html", context, status=status)


@web_view
def opportunity_edit(request: HttpRequest, opportunity_id: int) -> HttpResponse:
    who = viewer(request)
    opportunity = selectors.opportunity_get(who, opportunity_id)
    if not selectors.can_edit_opportunity(who, opportunity):
        raise Forbidden()
    data = request.POST if request.method == "POST" else None
    owner_id = _int(data.get("owner_id")) if data is not None else opportunity.owner_id
    form = OpportunityEditForm(
        data,
        initial=opportunity_initial(opportunity),
        owner_choice=lookups.user_choice(who, owner_id) or (opportunity.owner_id, opportunity.owner.label),
        units=[(unit.code, lookups.unit_label(unit)) for unit in units_visible(who)],
        templates=_templates(),
    )
    context: dict[str, Any] = {"form": form, "opportunity": opportunity}
    if data is None:
        return render(request, "pipeline/opportunity_form.html", context)
    result = submit(
        form,
        lambda: services.opportunity_update(
            viewer=who,
            actor=actor(request),
            opportunity=opportunity,
            data=form.service_data(only_changed=True),
            version=form.cleaned_data.get("version"),
        ),
    )
    if result.saved:
        messages.success(request, _("Your changes were saved."))
        return redirect("pipeline:opportunity-detail", opportunity_id=opportunity.pk)
    context["conflict"] = result.conflict
    return render(request, "pipeline/opportunity_form.html", context, status=result.status if result.conflict else 400)
