"""The contract pages: the list, opening a contract from a deal, the contract's page and evidence downloads.

What the contract page shows is built once in `contract_page`, for the page itself and for the page shown
again with a form's refusal, so the two never drift apart. Writes live in views_contract_actions.py.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _

from irontriangle.collections import selectors, services
from irontriangle.collections.api import evidence_response
from irontriangle.collections.checklist import DUTIES, contract_checklist
from irontriangle.collections.forms_contract import (
    ActionForm,
    ContractCreateForm,
    DisputeForm,
    EventForm,
    EvidenceForm,
    InvoiceForm,
    PaymentForm,
    ResolveForm,
    SignOffForm,
)
from irontriangle.collections.measures import down_payment_ratio
from irontriangle.collections.models import (
    Contract,
    EvidenceKind,
    MilestoneKind,
    MilestoneStatus,
    MilestoneTemplate,
    SignOffRole,
    Trigger,
)
from irontriangle.common.errors import Forbidden, InvalidInput, NotFound
from irontriangle.pipeline.models import Opportunity, Outcome
from irontriangle.pipeline.selectors import can_edit_opportunity, opportunities_visible, opportunity_team
from irontriangle.relationships.selectors import contacts_visible
from irontriangle.web.guards import actor, add_domain_errors, htmx, viewer, web_view

PAGE_SIZE = 50
ACTIONS_SHOWN = 50
CONTACTS_SHOWN = 500
EVENTS = (
    ("signed_on", Trigger.SIGNING),
    ("delivered_on", Trigger.DELIVERY),
    ("accepted_on", Trigger.ACCEPTANCE),
    ("warranty_ends_on", Trigger.WARRANTY_END),
)
EVENT_BUTTONS = {
    "delivered_on": gettext_lazy("Record delivery"),
    "accepted_on": gettext_lazy("Record acceptance"),
    "warranty_ends_on": gettext_lazy("Record end of warranty"),
}


def _int(value: Any) -> int | None:
    try:
        number = int(value)
    except (TypeError, ValueError):
        return None
    return number if 0 < number < 2**63 else None


def _percent(part: Decimal, whole: Decimal) -> int:
    return min(100, int(part * 100 / whole)) if whole else 0


def templates_choices() -> list[tuple[str, str]]:
    language = get_language()
    return [(t.code, t.label(language)) for t in MilestoneTemplate.objects.filter(is_active=True)]


# --- the list ------------------------------------------------------------------------------------------


ACCOUNT_TAB_LIMIT = 50


def _list_row(contract: Any) -> dict[str, Any]:
    """`contract` carries the sums of `selectors.with_collected`."""
    return {
        "contract": contract,
        "received_percent": _percent(contract.received, contract.amount),
        "down_payment_ratio": down_payment_ratio(contract.amount, contract.down_payment)
        if contract.down_payment
        else None,
    }


@web_view
def contract_list(request: HttpRequest) -> HttpResponse:
    who = viewer(request)
    q = (request.GET.get("q") or "").strip()[:100]
    cursor = (request.GET.get("cursor") or "")[:500] or None
    filters = selectors.ContractFilters(q=q)
    queryset = selectors.with_collected(selectors.filtered_contracts(who, filters))
    from irontriangle.common.pagination import keyset_page

    try:
        page = keyset_page(queryset, order=filters.sort, cursor=cursor, limit=PAGE_SIZE)
    except InvalidInput:
        cursor = None  # a stale or hand-edited cursor: the first page rather than an error
        page = keyset_page(queryset, order=filters.sort, cursor=None, limit=PAGE_SIZE)
    rows = [_list_row(contract) for contract in page.items]
    context = {"rows": rows, "page": page, "q": q, "paged": bool(cursor)}
    details = htmx(request)
    partial = bool(details) and not details.history_restore_request
    response = render(
        request, "collections/contract_list.html#results" if partial else "collections/contract_list.html", context
    )
    patch_vary_headers(response, ["HX-Request"])
    return response


@web_view
def account_contracts(request: HttpRequest, account_id: int) -> HttpResponse:
    """The account 360 page's contracts tab: what was signed, what came in, what is late."""
    from irontriangle.accounts.selectors import account_get
    from irontriangle.collections import battle
    from irontriangle.collections.state import status_q

    who = viewer(request)
    account = account_get(who, account_id)
    contracts = selectors.with_collected(
        selectors.filtered_contracts(who, selectors.ContractFilters(account_id=account.pk))
    ).order_by("-signed_on", "-pk")[:ACCOUNT_TAB_LIMIT]
    milestones = selectors.battle_map(who, selectors.BattleFilters(account_id=account.pk))
    context = {
        "account": account,
        "rows": [_list_row(contract) for contract in contracts],
        "limit": ACCOUNT_TAB_LIMIT,
        "totals": battle.totals(milestones),
        "overdue": battle.totals(milestones.filter(status_q("overdue", timezone.localdate()))),
    }
    return render(request, "collections/contract_account_tab.html", context)


# --- opening a contract ----------------------------------------------------------------------------------


def may_open_contract(who: Any, opportunity: Opportunity, stages: list[Any] | None = None) -> bool:
    """A contract is opened from a deal in its last open stage, or won, by someone who may edit the deal."""
    stage = opportunity.stage
    if stage.outcome == Outcome.LOST or not can_edit_opportunity(who, opportunity):
        return False
    if stage.outcome == Outcome.WON:
        return True
    stages = stages if stages is not None else list(opportunity.process.stages.order_by("position"))
    open_stages = [s for s in stages if not s.outcome]
    return bool(open_stages) and open_stages[-1].pk == stage.pk


def _people(opportunity: Opportunity, *extra: Any) -> list[tuple[int, str]]:
    people: dict[int, str] = {opportunity.owner_id: opportunity.owner.label}
    for member in opportunity_team(opportunity):
        people.setdefault(member.user_id, member.user.label)
    for user in extra:
        if user is not None:
            people.setdefault(user.pk, user.label)
    return sorted(people.items(), key=lambda item: item[1])


@web_view
def contract_create(request: HttpRequest) -> HttpResponse:
    who = viewer(request)
    source = request.POST if request.method == "POST" else request.GET
    pk = _int(source.get("opportunity"))
    opportunity = opportunities_visible(who).filter(pk=pk).first() if pk is not None else None
    if opportunity is None:
        raise NotFound()
    if not can_edit_opportunity(who, opportunity):
        raise Forbidden()
    initial = {
        "amount": opportunity.amount or None,
        "currency": opportunity.currency or "CNY",
        "signed_on": timezone.localdate(),
        "title": opportunity.name,
    }
    templates = templates_choices()
    if templates:
        initial["template"] = templates[0][0]  # the company's usual schedule, changed in one click
    form = ContractCreateForm(
        request.POST if request.method == "POST" else None,
        initial=initial,
        people=_people(opportunity),
        templates=templates,
    )
    context: dict[str, Any] = {"form": form, "opportunity": opportunity, "lost": opportunity.stage.outcome == "lost"}
    if request.method == "POST" and form.is_valid():
        try:
            contract = services.contract_create(
                viewer=who,
                actor=actor(request),
                opportunity=opportunity,
                data=form.service_data(),
                template=form.cleaned_data["template"] or None,
            )
        except InvalidInput as error:
            add_domain_errors(form, error)
        else:
            messages.success(request, _("Contract %(number)s was created.") % {"number": contract.number})
            return redirect("collections:contract-detail", contract_id=contract.pk)
    status = 422 if request.method == "POST" else 200
    return render(request, "collections/contract_form.html", context, status=status)


# --- the contract page ----------------------------------------------------------------------------------


def _due_text(milestone: Any) -> str:
    if milestone.trigger and not milestone.due_on:
        event = Trigger(milestone.trigger).label
        return _("%(days)s days after %(event)s") % {"days": milestone.offset_days, "event": str(event).lower()}
    return ""


def _milestone_row(milestone: Any, given: dict[str, Any], contacts: list[tuple[int, str]]) -> dict[str, Any]:
    forms = given.get("forms") or {}
    key = milestone.pk
    evidence = list(milestone.evidence.all())
    present = {item.kind for item in evidence}
    required = [
        {"code": code, "label": EvidenceKind(code).label, "present": code in present}
        for code in milestone.evidence_required or []
    ]
    missing = [item["code"] for item in required if not item["present"]]
    open_form = given.get("open_form") or ""
    return {
        "m": milestone,
        "opened": open_form.rsplit("-", 1)[0] if open_form.endswith(f"-{key}") else "",
        "status": milestone.current_status,
        "status_label": MilestoneStatus(milestone.current_status).label,
        "due_text": _due_text(milestone),
        "evidence": evidence,
        "required": required,
        "payments": list(milestone.payments.all()),
        "sign_offs": list(milestone.sign_offs.all()),
        "payment_form": forms.get((key, "payment")) or PaymentForm(prefix=f"pay-{key}"),
        "invoice_form": forms.get((key, "invoice"))
        or InvoiceForm(
            prefix=f"invoice-{key}",
            initial={
                "invoiced_on": milestone.invoiced_on or timezone.localdate(),
                "invoice_number": milestone.invoice_number,
            },
        ),
        "dispute_form": forms.get((key, "dispute")) or DisputeForm(prefix=f"dispute-{key}"),
        "resolve_form": forms.get((key, "resolve")) or ResolveForm(prefix=f"resolve-{key}"),
        "evidence_form": forms.get((key, "evidence")) or EvidenceForm(prefix=f"evidence-{key}", kinds=missing),
        "sign_off_form": forms.get((key, "sign_off")) or SignOffForm(prefix=f"signoff-{key}", contacts=contacts),
    }


def schedule_rows_of(milestones: list[Any]) -> list[dict[str, str]]:
    return [
        {
            "id": str(m.pk),
            "kind": m.kind,
            "percent": f"{m.percent.normalize():f}",
            "amount": "",  # the percent decides; an amount typed beside it must agree
            "due_on": m.due_on.isoformat() if m.due_on else "",
            "trigger": m.trigger,
            "offset_days": str(m.offset_days),
            "responsible_id": str(m.responsible_id or ""),
            "evidence": ",".join(m.evidence_required or []) or "none",
        }
        for m in milestones
    ]


def _checklist_groups(contract: Contract, today: Any) -> list[dict[str, Any]]:
    states = contract_checklist(contract, today)
    groups = []
    for code, label in DUTIES:
        items = [state for state in states if state.item.duty == code]
        groups.append({"code": code, "label": label, "items": items, "done": sum(1 for s in items if s.done)})
    return groups


def contract_page(who: Any, contract_id: Any, **given: Any) -> dict[str, Any]:
    """Everything the contract page shows. `given` carries bound forms with errors and what to open."""
    today = timezone.localdate()
    contract = selectors.contract_detail(who, contract_id, today)
    can_edit = selectors.can_edit_contract(who, contract)
    milestones = list(contract.milestones.all())
    contacts: list[tuple[int, str]] = []
    stances: dict[int, str] = {}
    people: list[tuple[int, str]] = []
    if can_edit:
        for pk, name, title, stance in (
            contacts_visible(who)
            .filter(account_id=contract.account_id)
            .order_by("name", "pk")
            .values_list("pk", "name", "title", "stance")[:CONTACTS_SHOWN]
        ):
            contacts.append((pk, f"{name} · {title}" if title else name))
            stances[pk] = stance
        people = _people(contract.opportunity, contract.ar, contract.fr)
    received = sum((m.received for m in milestones), Decimal("0"))
    scheduled = sum((m.amount for m in milestones), Decimal("0"))
    down = sum((m.amount for m in milestones if m.kind == MilestoneKind.DOWN_PAYMENT), Decimal("0"))
    outstanding = max(contract.amount - received, Decimal("0"))
    events = [
        {
            "field": field,
            "label": trigger.label,
            "date": getattr(contract, field),
            "value": (getattr(contract, field) or today).isoformat(),
            "button": EVENT_BUTTONS.get(field, ""),
        }
        for field, trigger in EVENTS
    ]
    actions = list(selectors.contract_actions(contract)[:ACTIONS_SHOWN])
    payments = sorted(
        ((p, m) for m in milestones for p in m.payments.all()),
        key=lambda pair: (pair[0].received_on, pair[0].pk),
        reverse=True,
    )
    milestone_names = [(m.pk, f"{m.position}. {m.get_kind_display()}") for m in milestones]
    forms = given.get("forms") or {}
    return {
        "contract": contract,
        "account": contract.account,
        "opportunity": contract.opportunity,
        "can_edit": can_edit,
        "today": today,
        "rows": [_milestone_row(m, given, contacts) for m in milestones],
        "received": received,
        "outstanding": outstanding,
        "received_percent": _percent(received, contract.amount),
        "schedule_gap": contract.amount - scheduled if milestones else None,
        "down_payment_ratio": down_payment_ratio(contract.amount, down) if milestones else None,
        "events": events,
        "event_form": forms.get("event") or EventForm(initial={"version": contract.version, "on": today}),
        "checklist_groups": _checklist_groups(contract, today),
        "actions": actions,
        "action_form": forms.get("action")
        or ActionForm(prefix="action", contacts=contacts, milestones=milestone_names),
        "payments": payments,
        "contract_evidence": contract.contract_evidence,  # type: ignore[attr-defined]
        "contract_evidence_form": forms.get("evidence")
        or EvidenceForm(prefix="evidence", kinds=[EvidenceKind.CONTRACT]),
        "schedule_rows": given.get("schedule_rows") or schedule_rows_of(milestones),
        "schedule_error": given.get("schedule_error") or "",
        "kinds": MilestoneKind.choices,
        "triggers": Trigger.choices,
        "people": people,
        "templates": templates_choices() if can_edit else [],
        "stances": stances,
        "sign_off_roles": SignOffRole.choices,
        "action_error": given.get("action_error") or "",
        "open_form": given.get("open_form") or "",
    }


def render_contract(request: HttpRequest, contract_id: Any, *, status: int = 200, **given: Any) -> HttpResponse:
    context = contract_page(viewer(request), contract_id, **given)
    return render(request, "collections/contract_detail.html", context, status=status)


@web_view
def contract_detail(request: HttpRequest, contract_id: int) -> HttpResponse:
    return render_contract(request, contract_id)


@web_view
def evidence_download(request: HttpRequest, evidence_id: int) -> HttpResponse:
    """The same answer as the API's: an attachment, to whoever may see the contract; 404 to everyone else."""
    response: Any = evidence_response(selectors.evidence_get(viewer(request), evidence_id))
    return response


def contract_url(contract_id: int, anchor: str = "") -> str:
    return reverse("collections:contract-detail", args=[contract_id]) + anchor
