"""Lead pages: list, form, detail with BANT, SPIN and the follow-up log, conversion and the conversion report.
Thin: selectors in, services out."""

from __future__ import annotations

from typing import Any, cast

from django.contrib import messages
from django.core.exceptions import ObjectDoesNotExist
from django.db.models import Field, Subquery
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from irontriangle.common.access import Viewer
from irontriangle.common.errors import Forbidden, InvalidInput, VersionConflict
from irontriangle.org.models import User
from irontriangle.pipeline import conversion, selectors, services
from irontriangle.pipeline.forms_leads import (
    SORTS,
    ConvertForm,
    DisqualifyForm,
    FollowUpForm,
    LeadForm,
    LeadSearchForm,
    PeriodForm,
    lead_initial,
)
from irontriangle.pipeline.models import BANT, SPIN, BantState, Lead, LeadStatus
from irontriangle.pipeline.services import BantIncomplete
from irontriangle.relationships.selectors import contacts_visible
from irontriangle.web import lookups
from irontriangle.web.guards import actor, add_domain_errors, htmx, submit, viewer, web_view

PAGE_SIZE = 50
OWNERS_SHOWN = 100
CONTACTS_SHOWN = 300
FOLLOW_UPS_SHOWN = 100


def _int(value: Any) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        return 0


def bant_letters(lead: Lead) -> list[tuple[str, str, str]]:
    """(letter, state code, state label) of B, A, N and T, for the badges."""
    labels = dict(BantState.choices)
    return [
        (name[0].upper(), getattr(lead, f"bant_{name}"), str(labels.get(getattr(lead, f"bant_{name}"), "")))
        for name in BANT
    ]


def opportunity_of(lead: Lead) -> Any:
    try:
        return lead.opportunity
    except ObjectDoesNotExist:
        return None


# --- list -------------------------------------------------------------------------------------------


def _owner_choices(who: Viewer) -> list[tuple[int, str]]:
    """The people who own a lead the viewer sees: one bounded query."""
    owners = User.objects.filter(pk__in=Subquery(selectors.leads_visible(who).order_by().values("owner_id")))
    return [(user.pk, lookups.user_label(user)) for user in owners.order_by("username", "pk")[:OWNERS_SHOWN]]


@web_view
def lead_list(request: HttpRequest) -> HttpResponse:
    who = viewer(request)
    search = LeadSearchForm(request.GET, owner_choices=_owner_choices(who))
    search.is_valid()  # an invalid filter is dropped, never sent to the database
    values = search.cleaned_data
    filters = search.filters(who.user_id)
    try:
        page = selectors.leads_page(who, filters, cursor=values.get("cursor") or None, limit=PAGE_SIZE)
    except InvalidInput:
        page = selectors.leads_page(who, filters, cursor=None, limit=PAGE_SIZE)
    params = QueryDict(mutable=True)
    for key, value in values.items():
        if key == "cursor" or not value or (key == "sort" and value == SORTS[0][0]):
            continue
        params[key] = str(value)
    active = search.active_filters()
    context = {
        "search": search,
        "page": page,
        "rows": [(lead, bant_letters(lead)) for lead in page.items],
        "params": params,
        "filter_chips": [(label, _without(params, name)) for name, label in active],
        "filter_count": len([name for name, _label in active if name != "q"]),
        "paged": bool(values.get("cursor")),
    }
    details = htmx(request)
    partial = bool(details) and not details.history_restore_request
    template = "pipeline/lead_list.html#results" if partial else "pipeline/lead_list.html"
    response = render(request, template, context)
    if partial:
        response["HX-Push-Url"] = reverse("pipeline:lead-list") + (f"?{params.urlencode()}" if params else "")
    patch_vary_headers(response, ["HX-Request"])
    return response


def _without(params: QueryDict, name: str) -> str:
    rest = params.copy()
    rest.pop(name, None)
    return reverse("pipeline:lead-list") + (f"?{rest.urlencode()}" if rest else "")


# --- form -------------------------------------------------------------------------------------------


def _contacts(who: Viewer, account_id: int | None) -> list[tuple[int, str]]:
    if not account_id:
        return []
    people = contacts_visible(who).filter(account_id=account_id).order_by("name", "pk")
    return [
        (pk, f"{name} · {title}" if title else name)
        for pk, name, title in people.values_list("pk", "name", "title")[:CONTACTS_SHOWN]
    ]


def _field_label(name: str) -> str:
    return str(cast(Field, Lead._meta.get_field(name)).verbose_name)


def _lead_form(request: HttpRequest, lead: Lead | None, data: Any = None) -> LeadForm:
    who = viewer(request)
    account_id: int | None
    owner_id: int | None
    if lead is not None:
        initial = lead_initial(lead)
        account_id, owner_id = lead.account_id, lead.owner_id
    else:
        account_id = _int(request.GET.get("account")) or None
        owner_id = request.user.pk
        initial = {"account_id": account_id, "owner_id": owner_id, "status": LeadStatus.NEW}
    if data is not None:
        account_id = _int(data.get("account_id")) or None
        owner_id = _int(data.get("owner_id")) or None
    account_choice = lookups.account_choice(who, account_id)
    if account_choice is None and lead is not None and lead.account_id == account_id and lead.account:
        account_choice = (lead.account.pk, lead.account.name)  # a manager may not see the account itself
    return LeadForm(
        data,
        initial=initial,
        account_choice=account_choice,
        contact_choices=_contacts(who, account_id),
        owner_choice=lookups.user_choice(who, owner_id),
        contact_options_url=reverse("pipeline:lead-contact-options"),
    )


@web_view
def lead_create(request: HttpRequest) -> HttpResponse:
    if request.method != "POST":
        return render(request, "pipeline/lead_form.html", {"form": _lead_form(request, None)})
    who = viewer(request)
    form = _lead_form(request, None, request.POST)
    if form.is_valid():
        try:
            lead = services.lead_create(viewer=who, actor=actor(request), data=form.service_data(only_changed=False))
        except InvalidInput as error:
            add_domain_errors(form, error)
        else:
            messages.success(request, _("Lead %(name)s was created.") % {"name": lead.name})
            return redirect("pipeline:lead-detail", lead_id=lead.pk)
    return render(request, "pipeline/lead_form.html", {"form": form}, status=400)


@web_view
def lead_edit(request: HttpRequest, lead_id: int) -> HttpResponse:
    who = viewer(request)
    lead = selectors.lead_get(who, lead_id)
    if not services.can_edit_lead(who, lead):
        raise Forbidden()
    context: dict[str, Any] = {"lead": lead}
    if request.method != "POST":
        return render(request, "pipeline/lead_form.html", {**context, "form": _lead_form(request, lead)})
    form = _lead_form(request, lead, request.POST)
    result = submit(
        form,
        lambda: services.lead_update(
            viewer=who,
            actor=actor(request),
            lead=lead,
            data=form.service_data(only_changed=True),
            version=form.cleaned_data.get("version"),
        ),
    )
    if result.saved:
        messages.success(request, _("Your changes were saved."))
        return redirect("pipeline:lead-detail", lead_id=lead.pk)
    context.update(form=form, conflict=result.conflict)
    return render(request, "pipeline/lead_form.html", context, status=result.status if result.conflict else 400)


@web_view
def lead_contact_options(request: HttpRequest) -> HttpResponse:
    """`<option>`s of the lead form's contact select: the people of the chosen account."""
    who = viewer(request)
    choice = lookups.account_choice(who, _int(request.GET.get("account_id")))
    choices = _contacts(who, choice[0]) if choice else []
    return render(request, "pipeline/_lead_contact_options.html", {"choices": choices})


# --- detail -----------------------------------------------------------------------------------------


def detail_context(
    who: Viewer,
    lead: Lead,
    *,
    follow_up_form: FollowUpForm | None = None,
    convert_form: ConvertForm | None = None,
    missing: list[str] | None = None,
    convert_error: str = "",
    disqualify_form: DisqualifyForm | None = None,
) -> dict[str, Any]:
    can_edit = services.can_edit_lead(who, lead)
    is_manager = who.is_admin or who.manages_path(lead.owner_unit.path)
    open_lead = lead.status not in (LeadStatus.CONVERTED, LeadStatus.DISQUALIFIED)
    states = dict(BantState.choices)
    bant = [
        {
            "letter": name[0].upper(),
            "name": name,
            "label": _field_label(f"bant_{name}"),
            "state": getattr(lead, f"bant_{name}"),
            "state_label": states.get(getattr(lead, f"bant_{name}"), ""),
            "evidence": getattr(lead, f"{name}_evidence"),
        }
        for name in BANT
    ]
    spin = [{"label": _field_label(f"spin_{part}"), "text": getattr(lead, f"spin_{part}")} for part in SPIN]
    return {
        "lead": lead,
        "opportunity": opportunity_of(lead),
        "can_edit": can_edit,
        "can_convert": can_edit and open_lead,
        "can_override": is_manager and can_edit,
        "open_lead": open_lead,
        "bant": bant,
        "bant_letters": bant_letters(lead),
        "not_confirmed": lead.missing_bant,
        "spin": spin,
        "has_spin": any(part["text"] for part in spin),
        "follow_ups": list(lead.follow_ups.select_related("author")[:FOLLOW_UPS_SHOWN]),
        "follow_up_form": follow_up_form or FollowUpForm(),
        "open_follow_up_form": follow_up_form is not None,
        "convert_form": convert_form or ConvertForm(),
        "missing": missing or [],
        "convert_error": convert_error,
        "disqualify_form": disqualify_form or DisqualifyForm(initial={"version": lead.version}),
        "open_disqualify": disqualify_form is not None,
    }


@web_view
def lead_detail(request: HttpRequest, lead_id: int) -> HttpResponse:
    who = viewer(request)
    lead = selectors.lead_get(who, lead_id)
    return render(request, "pipeline/lead_detail.html", detail_context(who, lead))


def _rerender(request: HttpRequest, lead: Lead, status: int = 400, **extra: Any) -> HttpResponse:
    context = detail_context(viewer(request), lead, **extra)
    return render(request, "pipeline/lead_detail.html", context, status=status)


def _back(lead: Lead, anchor: str = "") -> HttpResponse:
    return redirect(reverse("pipeline:lead-detail", args=[lead.pk]) + anchor)


@require_POST
@web_view
def lead_follow_up_add(request: HttpRequest, lead_id: int) -> HttpResponse:
    who = viewer(request)
    lead = selectors.lead_get(who, lead_id)
    form = FollowUpForm(request.POST)
    if form.is_valid():
        try:
            services.lead_follow_up_add(viewer=who, actor=actor(request), lead=lead, data=form.cleaned_data)
        except InvalidInput as error:
            add_domain_errors(form, error)
    if form.errors:
        return _rerender(request, lead, follow_up_form=form)
    messages.success(request, _("The follow-up was added to the log."))
    return _back(lead, "#follow-ups")


@require_POST
@web_view
def lead_convert(request: HttpRequest, lead_id: int) -> HttpResponse:
    """Convert when BANT is all confirmed; otherwise say which letters are missing (422), and let a manager
    of the lead's unit convert anyway with a reason."""
    who = viewer(request)
    lead = selectors.lead_get(who, lead_id)
    form = ConvertForm(request.POST)
    form.is_valid()
    reason = form.cleaned_data.get("override_reason", "") if hasattr(form, "cleaned_data") else ""
    try:
        opportunity = services.lead_convert(viewer=who, actor=actor(request), lead=lead, override_reason=reason)
    except BantIncomplete as error:
        return _rerender(request, lead, status=422, convert_form=form, missing=error.missing)
    except InvalidInput as error:
        message = "; ".join(str(item.message) for item in error.errors) or str(error.detail)
        return _rerender(request, lead, status=422, convert_form=form, convert_error=message)
    messages.success(request, _("The lead was converted to an opportunity."))
    # The opportunity page belongs to the deal's own views; its address is fixed by SPEC.
    return redirect(f"/opportunities/{opportunity.pk}/")


@require_POST
@web_view
def lead_disqualify(request: HttpRequest, lead_id: int) -> HttpResponse:
    who = viewer(request)
    lead = selectors.lead_get(who, lead_id)
    form = DisqualifyForm(request.POST)
    if form.is_valid():
        try:
            services.lead_update(
                viewer=who,
                actor=actor(request),
                lead=lead,
                data={
                    "status": LeadStatus.DISQUALIFIED,
                    "disqualified_reason": form.cleaned_data["disqualified_reason"],
                },
                version=form.cleaned_data["version"],
            )
        except VersionConflict:
            messages.error(request, _("Someone else changed this lead meanwhile; here it is as it stands now."))
            return _back(lead)
        except InvalidInput as error:
            add_domain_errors(form, error)
    if form.errors:
        return _rerender(request, lead, disqualify_form=form)
    messages.success(request, _("The lead was disqualified."))
    return _back(lead)


# --- conversion report --------------------------------------------------------------------------------


def _chart(breakdown: conversion.ConversionBreakdown, baseline: Any) -> dict[str, Any]:
    rows = breakdown.rows
    return {
        "categories": [row.label for row in rows],
        "rates": [float(row.rate) if row.rate is not None else None for row in rows],
        "created": [row.created for row in rows],
        "converted": [row.converted for row in rows],
        "baseline": float(baseline),
        "labels": {
            "rate": _("Conversion rate"),
            "baseline": _("SMB baseline %(rate)s%%") % {"rate": f"{baseline:g}"},
            "created": _("Leads created"),
            "converted": _("Converted"),
        },
    }


@web_view
def lead_conversion(request: HttpRequest) -> HttpResponse:
    who = viewer(request)
    form = PeriodForm(request.GET)
    form.is_valid()
    start, end = form.period()
    report = conversion.lead_conversion(who, start=start, end=end)
    titles = {"source": _("By source"), "scenario": _("By purchase scenario"), "segment": _("By segment")}
    columns = {"source": _("Source"), "scenario": _("Scenario"), "segment": _("Segment")}
    sections = [
        {
            "key": item.dimension,
            "title": titles[item.dimension],
            "column": columns[item.dimension],
            "rows": item.rows,
            "chart": _chart(item, report.baseline),
        }
        for item in report.breakdowns
    ]
    form = PeriodForm(initial={"start": start, "end": end})
    return render(request, "pipeline/lead_conversion.html", {"form": form, "report": report, "sections": sections})
