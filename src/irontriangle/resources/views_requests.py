"""Call for fire on the web: the deal page's card, raising a request, the request's page with its answers,
and the pool manager's queue with the best matches proposed for each request."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from irontriangle.common.access import Viewer
from irontriangle.common.errors import Conflict, Forbidden, InvalidInput, NotFound
from irontriangle.pipeline.models import Opportunity
from irontriangle.pipeline.selectors import can_edit_opportunity, opportunity_get
from irontriangle.resources import capacity, selectors, services
from irontriangle.resources.forms import AssignForm, DeclineForm, DoneForm, RequestForm, request_initial
from irontriangle.resources.models import RequestKind, RequestStatus, Resource, ResourceRequest, ServeWith
from irontriangle.resources.priority import factor_label, priority_parts
from irontriangle.web.guards import actor, add_domain_errors, htmx, viewer, web_view

DEAL_CARD_LIMIT = 20
QUEUE_LIMIT = 100
QUEUE_MATCHES = 3


def request_url(request: ResourceRequest) -> str:
    return reverse("resources:request-detail", args=[request.pk])


def may_raise(who: Viewer, opportunity: Opportunity) -> bool:
    """The same people the service lets call for fire: the deal's editors and its team."""
    if opportunity.is_closed or who.external:
        return False
    return can_edit_opportunity(who, opportunity) or any(
        member.user_id == who.user_id for member in opportunity.team_members.all()
    )


def _safe_next(request: HttpRequest, fallback: str) -> str:
    target = request.POST.get("next") or ""
    return target if target.startswith("/") and not target.startswith("//") else fallback


# --- the deal page's card ---------------------------------------------------------------------------------


@web_view
def opportunity_requests(request: HttpRequest, opportunity_id: int) -> HttpResponse:
    """The "call for fire" card of the deal page, loaded after the page so that the page stays quick."""
    who = viewer(request)
    opportunity = opportunity_get(who, opportunity_id)
    rows = list(
        selectors.filtered_requests(who, selectors.RequestFilters(opportunity_id=opportunity.pk)).order_by(
            "-created_at", "-pk"
        )[:DEAL_CARD_LIMIT]
    )
    context = {
        "opportunity": opportunity,
        "requests": rows,
        "can_raise": may_raise(who, opportunity),
        "form": RequestForm(initial=request_initial(), prefix="cff"),
    }
    return render(request, "resources/_deal_card.html", context)


@web_view
def request_create(request: HttpRequest, opportunity_id: int) -> HttpResponse:
    who = viewer(request)
    opportunity = opportunity_get(who, opportunity_id)
    form = RequestForm(request.POST if request.method == "POST" else None, initial=request_initial(), prefix="cff")
    error = ""
    if request.method == "POST" and form.is_valid():
        try:
            created = services.request_create(
                viewer=who, actor=actor(request), opportunity=opportunity, data=form.service_data()
            )
        except InvalidInput as problem:
            add_domain_errors(form, problem)
        except Forbidden as refused:
            error = refused.detail
        else:
            messages.success(
                request,
                _("Your call for fire was sent to %(where)s (priority %(priority)s).")
                % {
                    "where": created.pool_unit.label if created.pool_unit else created.get_routed_tier_display(),
                    "priority": created.priority,
                },
            )
            return redirect(reverse("pipeline:opportunity-detail", args=[opportunity.pk]) + "#call-for-fire")
    context = {"opportunity": opportunity, "form": form, "error": error, "can_raise": may_raise(who, opportunity)}
    status = (403 if error else 422) if request.method == "POST" else 200
    return render(request, "resources/request_form.html", context, status=status)


# --- the request's page -----------------------------------------------------------------------------------


def _event_rows(item: ResourceRequest) -> list[dict[str, Any]]:
    return [
        {"event": event, "label": event.get_kind_display()}
        for event in item.events.select_related("actor", "unit").order_by("at", "pk")
    ]


def request_page(who: Viewer, item: ResourceRequest, **given: Any) -> dict[str, Any]:
    answer = selectors.can_answer(who, item)
    candidates = (
        capacity.candidates_for(item, selectors.pool_visible(who))
        if answer and item.status == RequestStatus.REQUESTED
        else []
    )
    parts = priority_parts(item.opportunity)
    return {
        "item": item,
        "opportunity": item.opportunity,
        "parts": [
            {"label": factor_label(part.factor), "part": part, "share": round(part.points * 100 / part.max_points)}
            for part in parts
        ],
        "events": _event_rows(item),
        "candidates": candidates,
        "can_answer": answer and item.status == RequestStatus.REQUESTED,
        "can_close": selectors.can_close(who, item) and item.status == RequestStatus.ASSIGNED,
        "assignment": getattr(item, "assignment", None),
        "overdue": item.status == RequestStatus.REQUESTED and item.answer_due_at < timezone.now(),
        "decline_form": given.get("decline_form") or DeclineForm(prefix="decline"),
        "done_form": given.get("done_form") or DoneForm(prefix="done"),
        "action_error": given.get("action_error") or "",
    }


def render_request(request: HttpRequest, item: ResourceRequest, *, status: int = 200, **given: Any) -> HttpResponse:
    context = request_page(viewer(request), item, **given)
    return render(request, "resources/request_detail.html", context, status=status)


@web_view
def request_detail(request: HttpRequest, request_id: int) -> HttpResponse:
    return render_request(request, selectors.request_get(viewer(request), request_id))


def _answered(request: HttpRequest, item: ResourceRequest, note: str) -> HttpResponse:
    """After an answer from the queue (htmx) the row says what happened; otherwise back to where it came from."""
    if htmx(request):
        return render(request, "resources/queue.html#answered", {"item": item, "note": note})
    messages.success(request, note)
    return redirect(_safe_next(request, request_url(item)))


def _refused(request: HttpRequest, item: ResourceRequest, message: str, status: int) -> HttpResponse:
    if htmx(request):
        return render(
            request, "resources/queue.html#answered", {"item": item, "note": message, "failed": True}, status=status
        )
    return render_request(request, item, status=status, action_error=message)


@require_POST
@web_view
def request_assign(request: HttpRequest, request_id: int) -> HttpResponse:
    who = viewer(request)
    item = selectors.request_get(who, request_id)
    form = AssignForm(request.POST)
    if not form.is_valid():
        return _refused(request, item, _("Choose who serves the request."), 422)
    try:
        resource = selectors.resource_get(who, form.cleaned_data["resource_id"])
        services.request_assign(viewer=who, actor=actor(request), request=item, resource=resource)
    except NotFound:
        return _refused(request, item, _("This resource is not in the pool."), 422)
    except InvalidInput as problem:
        return _refused(request, item, " ".join(str(e.message) for e in problem.errors) or problem.detail, 422)
    except (Forbidden, Conflict) as problem:
        return _refused(request, item, problem.detail, 403 if isinstance(problem, Forbidden) else 409)
    return _answered(request, item, _("%(who)s was assigned.") % {"who": resource.label})


@require_POST
@web_view
def request_decline(request: HttpRequest, request_id: int) -> HttpResponse:
    who = viewer(request)
    item = selectors.request_get(who, request_id)
    form = DeclineForm(request.POST, prefix="decline")
    if not form.is_valid():
        if htmx(request):
            return _refused(request, item, _("Say why the request is declined."), 422)
        return render_request(request, item, status=422, decline_form=form)
    try:
        services.request_decline(viewer=who, actor=actor(request), request=item, reason=form.cleaned_data["reason"])
    except InvalidInput as problem:
        if htmx(request):
            return _refused(request, item, problem.detail, 422)
        add_domain_errors(form, problem)
        return render_request(request, item, status=422, decline_form=form)
    except (Forbidden, Conflict) as problem:
        return _refused(request, item, problem.detail, 403 if isinstance(problem, Forbidden) else 409)
    return _answered(request, item, _("The request was declined."))


@require_POST
@web_view
def request_done(request: HttpRequest, request_id: int) -> HttpResponse:
    who = viewer(request)
    item = selectors.request_get(who, request_id)
    form = DoneForm(request.POST, prefix="done")
    if not form.is_valid():
        return render_request(request, item, status=422, done_form=form)
    try:
        services.request_done(viewer=who, actor=actor(request), request=item, outcome=form.cleaned_data["outcome"])
    except (Forbidden, Conflict) as problem:
        return render_request(
            request, item, status=403 if isinstance(problem, Forbidden) else 409, action_error=problem.detail
        )
    messages.success(request, _("The request is done. Thank you for the help."))
    return redirect(request_url(item))


# --- the queue -------------------------------------------------------------------------------------------


def _eligible(item: ResourceRequest, resource: Resource) -> bool:
    """`capacity.eligible` on resources already loaded, so that the queue matches every row without a query."""
    if not resource.is_active:
        return False
    if item.kind == RequestKind.EXECUTIVE_SPONSOR:
        return resource.is_executive
    serve_with = item.routing_rule.serve_with if item.routing_rule is not None else None
    if item.kind == RequestKind.PARTNER or serve_with == ServeWith.PARTNER:
        fits = resource.partner_id is not None and resource.support_tier == item.routed_tier
    else:
        fits = resource.user_id is not None and resource.support_tier == item.routed_tier
    if fits and item.pool_unit is not None:
        fits = resource.unit.path.startswith(item.pool_unit.path)
    return fits


@web_view
def queue(request: HttpRequest) -> HttpResponse:
    who = viewer(request)
    today = timezone.localdate()
    items = list(selectors.queue_for(who).select_related("routing_rule")[: QUEUE_LIMIT + 1])
    pool = list(selectors.pool_visible(who).filter(is_active=True)) if items else []
    loads = capacity.loads([resource.pk for resource in pool], capacity.week_start(today))
    now = timezone.now()
    rows = [
        {
            "item": item,
            "matches": capacity.rank(item, [r for r in pool if _eligible(item, r)], loads, today=today)[:QUEUE_MATCHES],
            "overdue": item.answer_due_at < now,
        }
        for item in items[:QUEUE_LIMIT]
    ]
    context = {
        "rows": rows,
        "more": len(items) > QUEUE_LIMIT,
        "decline_form": DeclineForm(prefix="decline"),
        "manages": bool(who.is_admin or who.middle_office or who.managed_paths),
    }
    return render(request, "resources/queue.html", context)
