"""What the opportunity page posts: each form calls one service, then goes back to the page (to the card it
came from), or shows the page again with the refusal next to the form that caused it."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from irontriangle.common.errors import Conflict, Forbidden, InvalidInput, NotFound, VersionConflict
from irontriangle.common.restricted import can_see
from irontriangle.pipeline import selectors, services
from irontriangle.pipeline.forms_deal import (
    AdvanceForm,
    CompetitorForm,
    DealTeamForm,
    GuideForm,
    PainForm,
    QuoteForm,
    TickForm,
    split_rows,
    split_service_rows,
)
from irontriangle.pipeline.models import Opportunity, Quote
from irontriangle.pipeline.views_deal import render_deal
from irontriangle.relationships.selectors import contacts_visible
from irontriangle.web.guards import actor, add_domain_errors, submit, viewer, web_view


def _back(opportunity: Opportunity, anchor: str) -> HttpResponse:
    return redirect(reverse("pipeline:opportunity-detail", args=[opportunity.pk]) + anchor)


def _deal(request: HttpRequest, opportunity_id: int) -> Opportunity:
    return selectors.opportunity_get(viewer(request), opportunity_id)


def _messages_of(error: InvalidInput) -> str:
    texts = [str(item.message) for item in error.errors] or [error.detail]
    return " ".join(texts)


def _run(
    request: HttpRequest,
    opportunity: Opportunity,
    call: Callable[[], Any],
    *,
    anchor: str,
    success: str,
    form: Any = None,
    form_key: str = "",
    open_form: str = "",
) -> HttpResponse:
    """Call the service; on success back to the page, else the page again with why, at the right status."""
    given: dict[str, Any] = {"open_form": open_form}
    if form_key:
        given[form_key] = form
    if form is not None and not form.is_valid():
        return render_deal(request, opportunity, status=422, **given)
    try:
        call()
    except VersionConflict:
        given["action_error"] = _(
            "Someone else changed this opportunity meanwhile; nothing was overwritten. Try again."
        )
        return render_deal(request, opportunity, status=409, **given)
    except InvalidInput as error:
        if form is not None:
            add_domain_errors(form, error)
        else:
            given["action_error"] = _messages_of(error)
        return render_deal(request, opportunity, status=422, **given)
    except Forbidden as error:
        given["action_error"] = error.detail
        return render_deal(request, opportunity, status=403, **given)
    except Conflict as error:
        given["action_error"] = error.detail
        return render_deal(request, opportunity, status=409, **given)
    messages.success(request, success)
    return _back(opportunity, anchor)


def _contacts(request: HttpRequest, opportunity: Opportunity) -> list[tuple[int, str]]:
    people = contacts_visible(viewer(request)).filter(account_id=opportunity.account_id).order_by("name", "pk")
    return [(pk, name) for pk, name in people.values_list("pk", "name")[:500]]


# --- stage and checklist ----------------------------------------------------------------------------


@require_POST
@web_view
def opportunity_advance(request: HttpRequest, opportunity_id: int) -> HttpResponse:
    who = viewer(request)
    opportunity = _deal(request, opportunity_id)
    form = AdvanceForm(request.POST)
    given: dict[str, Any] = {"advance_form": form, "open_form": "advance"}
    if not form.is_valid():
        return render_deal(request, opportunity, status=422, **given)
    values = form.cleaned_data
    try:
        moved = services.opportunity_advance(
            viewer=who,
            actor=actor(request),
            opportunity=opportunity,
            to_stage=values["to_stage"] or None,
            override_reason=values["override_reason"],
            reason=values["reason"],
            version=values["version"],
        )
    except services.StageGateUnmet as error:
        given["unmet"] = error.unmet
        return render_deal(request, opportunity, status=422, **given)
    except VersionConflict:
        given["action_error"] = _(
            "Someone else changed this opportunity meanwhile; nothing was overwritten. Try again."
        )
        return render_deal(request, opportunity, status=409, **given)
    except InvalidInput as error:
        add_domain_errors(form, error)
        return render_deal(request, opportunity, status=422, **given)
    except Forbidden as error:
        given["action_error"] = error.detail
        return render_deal(request, opportunity, status=403, **given)
    messages.success(request, _("The opportunity moved to %(stage)s.") % {"stage": moved.stage.name})
    return _back(opportunity, "#stage")


@require_POST
@web_view
def checklist_tick(request: HttpRequest, opportunity_id: int) -> HttpResponse:
    who = viewer(request)
    opportunity = _deal(request, opportunity_id)
    form = TickForm(request.POST)
    if not form.is_valid():
        return render_deal(request, opportunity, status=422, action_error=_("Say which item."), open_form="checklist")
    try:
        services.checklist_tick(
            viewer=who,
            actor=actor(request),
            opportunity=opportunity,
            key=form.cleaned_data["key"],
            done=request.POST.get("done") != "0",
            evidence=form.cleaned_data["evidence"],
        )
    except InvalidInput as error:
        return render_deal(request, opportunity, status=422, action_error=_messages_of(error), open_form="checklist")
    except Forbidden as error:
        return render_deal(request, opportunity, status=403, action_error=error.detail)
    messages.success(request, _("The checklist was updated."))
    return _back(opportunity, "#checklist")


# --- team, guides, competitors, pain chain ---------------------------------------------------------


@require_POST
@web_view
def team_add(request: HttpRequest, opportunity_id: int) -> HttpResponse:
    who = viewer(request)
    opportunity = _deal(request, opportunity_id)
    form = DealTeamForm(request.POST, prefix="team")
    return _run(
        request,
        opportunity,
        lambda: services.opportunity_team_add(
            viewer=who,
            actor=actor(request),
            opportunity=opportunity,
            user_id=form.cleaned_data["user_id"],
            role=form.cleaned_data["role"],
        ),
        anchor="#team",
        success=_("The deal team was updated."),
        form=form,
        form_key="team_form",
        open_form="team",
    )


@require_POST
@web_view
def team_remove(request: HttpRequest, opportunity_id: int, member_id: int) -> HttpResponse:
    who = viewer(request)
    opportunity = _deal(request, opportunity_id)
    return _run(
        request,
        opportunity,
        lambda: services.opportunity_team_remove(
            viewer=who, actor=actor(request), opportunity=opportunity, member_id=member_id
        ),
        anchor="#team",
        success=_("The deal team was updated."),
    )


@require_POST
@web_view
def guide_add(request: HttpRequest, opportunity_id: int) -> HttpResponse:
    who = viewer(request)
    opportunity = _deal(request, opportunity_id)
    form = GuideForm(request.POST, prefix="guide", contacts=_contacts(request, opportunity))
    return _run(
        request,
        opportunity,
        lambda: services.guide_add(viewer=who, actor=actor(request), opportunity=opportunity, data=form.cleaned_data),
        anchor="#guides",
        success=_("The guides were updated."),
        form=form,
        form_key="guide_form",
        open_form="guide",
    )


@require_POST
@web_view
def guide_remove(request: HttpRequest, opportunity_id: int, guide_id: int) -> HttpResponse:
    who = viewer(request)
    opportunity = _deal(request, opportunity_id)
    return _run(
        request,
        opportunity,
        lambda: services.guide_remove(viewer=who, actor=actor(request), opportunity=opportunity, guide_id=guide_id),
        anchor="#guides",
        success=_("The guides were updated."),
    )


@require_POST
@web_view
def competitor_add(request: HttpRequest, opportunity_id: int) -> HttpResponse:
    who = viewer(request)
    opportunity = _deal(request, opportunity_id)
    form = CompetitorForm(request.POST, prefix="competitor")
    return _run(
        request,
        opportunity,
        lambda: services.competitor_add(
            viewer=who, actor=actor(request), opportunity=opportunity, data=form.cleaned_data
        ),
        anchor="#competitors",
        success=_("The competitors were updated."),
        form=form,
        form_key="competitor_form",
        open_form="competitor",
    )


@require_POST
@web_view
def competitor_edit(request: HttpRequest, opportunity_id: int, competitor_id: int) -> HttpResponse:
    who = viewer(request)
    opportunity = _deal(request, opportunity_id)
    form = CompetitorForm(request.POST, prefix=f"competitor-{competitor_id}")
    given: dict[str, Any] = {"editing_competitor": (competitor_id, form), "open_form": f"competitor-{competitor_id}"}
    if not form.is_valid():
        return render_deal(request, opportunity, status=422, **given)
    try:
        services.competitor_update(
            viewer=who,
            actor=actor(request),
            opportunity=opportunity,
            competitor_id=competitor_id,
            data=form.cleaned_data,
        )
    except InvalidInput as error:
        add_domain_errors(form, error)
        return render_deal(request, opportunity, status=422, **given)
    except Forbidden as error:
        return render_deal(request, opportunity, status=403, action_error=error.detail)
    messages.success(request, _("The competitors were updated."))
    return _back(opportunity, "#competitors")


@require_POST
@web_view
def competitor_remove(request: HttpRequest, opportunity_id: int, competitor_id: int) -> HttpResponse:
    who = viewer(request)
    opportunity = _deal(request, opportunity_id)
    return _run(
        request,
        opportunity,
        lambda: services.competitor_remove(
            viewer=who, actor=actor(request), opportunity=opportunity, competitor_id=competitor_id
        ),
        anchor="#competitors",
        success=_("The competitors were updated."),
    )


@require_POST
@web_view
def pain_add(request: HttpRequest, opportunity_id: int) -> HttpResponse:
    who = viewer(request)
    opportunity = _deal(request, opportunity_id)
    form = PainForm(request.POST, prefix="pain", contacts=_contacts(request, opportunity))
    return _run(
        request,
        opportunity,
        lambda: services.pain_link_add(
            viewer=who, actor=actor(request), opportunity=opportunity, data=form.cleaned_data
        ),
        anchor="#pain-chain",
        success=_("The pain chain was updated."),
        form=form,
        form_key="pain_form",
        open_form="pain",
    )


@require_POST
@web_view
def pain_remove(request: HttpRequest, opportunity_id: int, link_id: int) -> HttpResponse:
    who = viewer(request)
    opportunity = _deal(request, opportunity_id)
    return _run(
        request,
        opportunity,
        lambda: services.pain_link_remove(viewer=who, actor=actor(request), opportunity=opportunity, link_id=link_id),
        anchor="#pain-chain",
        success=_("The pain chain was updated."),
    )


# --- splits ----------------------------------------------------------------------------------------


@require_POST
@web_view
def splits_save(request: HttpRequest, opportunity_id: int) -> HttpResponse:
    who = viewer(request)
    opportunity = _deal(request, opportunity_id)
    rows = split_rows(request.POST)
    given: dict[str, Any] = {"split_rows": rows, "open_form": "splits"}
    try:
        services.splits_replace(
            viewer=who, actor=actor(request), opportunity=opportunity, rows=split_service_rows(rows)
        )
    except InvalidInput as error:
        texts = [str(item.message) for item in error.errors]
        if isinstance(error, services.SplitTotal):
            texts.append(error.detail)
        given["split_error"] = " ".join(texts) or error.detail
        return render_deal(request, opportunity, status=422, **given)
    except Forbidden as error:
        return render_deal(request, opportunity, status=403, action_error=error.detail)
    messages.success(request, _("The splits were saved."))
    return _back(opportunity, "#splits")


# --- quotes ----------------------------------------------------------------------------------------


def _quote_of(request: HttpRequest, opportunity: Opportunity, quote_id: int) -> Quote:
    quote = selectors.quote_get(viewer(request), quote_id)
    if quote.opportunity_id != opportunity.pk:
        raise NotFound()
    quote.opportunity = opportunity
    return quote


def _lines(form: QuoteForm) -> list[dict[str, Any]]:
    return [dict(line) for line in form.lines]


@require_POST
@web_view
def quote_create(request: HttpRequest, opportunity_id: int) -> HttpResponse:
    who = viewer(request)
    opportunity = _deal(request, opportunity_id)
    form = QuoteForm(request.POST, prefix="quote", with_cost=can_see(who, opportunity, "margin"))
    return _run(
        request,
        opportunity,
        lambda: services.quote_create(
            viewer=who,
            actor=actor(request),
            opportunity=opportunity,
            data={
                "valid_until": form.cleaned_data["valid_until"],
                "notes": form.cleaned_data["notes"],
                "lines": _lines(form),
            },
        ),
        anchor="#quotes",
        success=_("The quote was created."),
        form=form,
        form_key="quote_form",
        open_form="quote",
    )


@web_view
def quote_edit(request: HttpRequest, opportunity_id: int, quote_id: int) -> HttpResponse:
    """A draft or rejected quote on a page of its own: lines are easier to change with room around them."""
    who = viewer(request)
    opportunity = _deal(request, opportunity_id)
    quote = _quote_of(request, opportunity, quote_id)
    with_cost = can_see(who, quote, "cost")
    existing = list(quote.lines.all())
    context: dict[str, Any] = {"opportunity": opportunity, "quote": quote, "with_cost": with_cost}
    if request.method != "POST":
        form = QuoteForm(
            prefix="quote",
            with_cost=with_cost,
            initial={"valid_until": quote.valid_until, "notes": quote.notes, "version": quote.version},
        )
        form.line_rows = [
            {
                "product": line.product,
                "quantity": line.quantity,
                "list_price": line.list_price,
                "discount": line.discount,
                "unit_cost": line.unit_cost if with_cost else "",
            }
            for line in existing
        ]
        context["form"] = form
        return render(request, "pipeline/opportunity_form_quote.html", context)
    form = QuoteForm(request.POST, prefix="quote", with_cost=with_cost)

    def save() -> Any:
        lines = _lines(form)
        if not with_cost:
            # Whoever may not see the cost keeps the one recorded for the same product at the same place.
            for index, line in enumerate(lines):
                before = existing[index] if index < len(existing) else None
                line["unit_cost"] = before.unit_cost if before and before.product == line["product"] else None
        return services.quote_update(
            viewer=who,
            actor=actor(request),
            quote=quote,
            data={"valid_until": form.cleaned_data["valid_until"], "notes": form.cleaned_data["notes"], "lines": lines},
            version=form.cleaned_data.get("version"),
        )

    try:
        result = submit(form, save)
    except Conflict as error:
        form.add_error(None, error.detail)
        context.update(form=form)
        return render(request, "pipeline/opportunity_form_quote.html", context, status=409)
    if result.saved:
        messages.success(request, _("The quote was saved."))
        return _back(opportunity, "#quotes")
    context.update(form=form, conflict=result.conflict)
    return render(
        request, "pipeline/opportunity_form_quote.html", context, status=result.status if result.conflict else 422
    )


def _quote_action(request: HttpRequest, opportunity_id: int, quote_id: int, name: str, success: str) -> HttpResponse:
    who = viewer(request)
    opportunity = _deal(request, opportunity_id)
    quote = _quote_of(request, opportunity, quote_id)
    service = getattr(services, name)
    return _run(
        request,
        opportunity,
        lambda: service(viewer=who, actor=actor(request), quote=quote),
        anchor="#quotes",
        success=success,
    )


@require_POST
@web_view
def quote_submit(request: HttpRequest, opportunity_id: int, quote_id: int) -> HttpResponse:
    return _quote_action(request, opportunity_id, quote_id, "quote_submit", _("The quote was submitted to the SR."))


@require_POST
@web_view
def quote_approve(request: HttpRequest, opportunity_id: int, quote_id: int) -> HttpResponse:
    return _quote_action(request, opportunity_id, quote_id, "quote_approve", _("The quote was approved."))


@require_POST
@web_view
def quote_delete(request: HttpRequest, opportunity_id: int, quote_id: int) -> HttpResponse:
    return _quote_action(request, opportunity_id, quote_id, "quote_delete", _("The quote was moved to the trash."))


@require_POST
@web_view
def quote_reject(request: HttpRequest, opportunity_id: int, quote_id: int) -> HttpResponse:
    who = viewer(request)
    opportunity = _deal(request, opportunity_id)
    quote = _quote_of(request, opportunity, quote_id)
    reason = request.POST.get("reject-reason", "")
    return _run(
        request,
        opportunity,
        lambda: services.quote_reject(viewer=who, actor=actor(request), quote=quote, reason=reason),
        anchor="#quotes",
        success=_("The quote was rejected."),
    )


# --- the deal itself -------------------------------------------------------------------------------


@require_POST
@web_view
def opportunity_delete(request: HttpRequest, opportunity_id: int) -> HttpResponse:
    who = viewer(request)
    opportunity = _deal(request, opportunity_id)
    try:
        services.opportunity_delete(viewer=who, actor=actor(request), opportunity=opportunity)
    except Forbidden as error:
        return render_deal(request, opportunity, status=403, action_error=error.detail)
    messages.success(request, _("Opportunity %(name)s was moved to the trash.") % {"name": opportunity.name})
    return redirect(reverse("accounts:account-detail", args=[opportunity.account_id]) + "#opportunities")
