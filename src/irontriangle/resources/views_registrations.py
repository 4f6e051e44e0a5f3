"""Deal registration on the web: the list, registering a project for a partner or a unit, deciding and
withdrawing; and the partner portal, where a partner's login registers and reads the deals shared with it."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from irontriangle.accounts.selectors import account_get
from irontriangle.common.access import Viewer
from irontriangle.common.errors import Conflict, Forbidden, InvalidInput, NotFound
from irontriangle.org.models import OrgUnit
from irontriangle.pipeline.selectors import opportunities_visible
from irontriangle.resources import selectors, services
from irontriangle.resources.forms import DecisionForm, PortalRegistrationForm, RegistrationForm
from irontriangle.resources.models import LIVE_REGISTRATION, DealRegistration
from irontriangle.resources.services.registrations import state_of, window_days
from irontriangle.web import lookups
from irontriangle.web.guards import actor, add_domain_errors, viewer, web_view

LIST_LIMIT = 100
OPPORTUNITY_CHOICES = 100
SHARED_SHOWN = 50
STATES = ("live", "expired", "all")


def _int(value: Any) -> int | None:
    try:
        number = int(value)
    except (TypeError, ValueError):
        return None
    return number if 0 < number < 2**63 else None


def _internal(request: HttpRequest) -> Viewer:
    who = viewer(request)
    if who.external:
        raise NotFound()
    return who


def _with_state(registrations: list[DealRegistration]) -> list[dict[str, Any]]:
    today = timezone.localdate()
    return [{"registration": r, "state": state_of(r, today)} for r in registrations]


def _narrowed(who: Viewer, state: str) -> Any:
    today = timezone.localdate()
    queryset = selectors.registrations_visible(who)
    if state == "live":
        queryset = queryset.filter(status__in=LIVE_REGISTRATION, expires_on__gte=today)
    elif state == "expired":
        queryset = queryset.filter(Q(status__in=LIVE_REGISTRATION, expires_on__lt=today))
    return queryset.order_by("-created_at", "-pk")


@web_view
def registration_list(request: HttpRequest) -> HttpResponse:
    who = _internal(request)
    state = request.GET.get("state") or "live"
    state = state if state in STATES else "live"
    rows = list(_narrowed(who, state)[: LIST_LIMIT + 1])
    context = {
        "rows": _with_state(rows[:LIST_LIMIT]),
        "more": len(rows) > LIST_LIMIT,
        "state": state,
        "states": [("live", _("Live")), ("expired", _("Expired")), ("all", _("All"))],
    }
    return render(request, "resources/registration_list.html", context)


def _opportunity_choices(who: Viewer, account_id: int | None) -> list[tuple[int, str]]:
    if not account_id:
        return []
    deals = opportunities_visible(who).filter(account_id=account_id).order_by("-created_at", "-pk")
    return [(pk, name) for pk, name in deals.values_list("pk", "name")[:OPPORTUNITY_CHOICES]]


@web_view
def registration_create(request: HttpRequest) -> HttpResponse:
    who = _internal(request)
    data = request.POST if request.method == "POST" else None
    source = data if data is not None else request.GET
    opportunity_pk = _int(source.get("opportunity"))
    preset = opportunities_visible(who).filter(pk=opportunity_pk).first() if opportunity_pk else None
    account_pk = _int(source.get("account")) or (preset.account_id if preset else None)
    account_choice = lookups.account_choice(who, account_pk)
    form = RegistrationForm(
        data,
        initial={
            "account": account_choice[0] if account_choice else None,
            "opportunity": str(preset.pk) if preset else "",
            "project": preset.name if preset else "",
            "estimated_amount": preset.amount if preset else None,
            "partner": str(_int(request.GET.get("partner")) or ""),
        },
        partners=[(partner.pk, partner.label) for partner in selectors.partners_visible(who).order_by("name")[:500]],
        units=lookups.owner_unit_choices(who),
        account=account_choice,
        opportunities=_opportunity_choices(who, account_choice[0] if account_choice else None),
    )
    if data is not None and form.is_valid():
        try:
            account = account_get(who, form.cleaned_data["account"])
            partner_pk = _int(form.cleaned_data["partner"])
            partner = selectors.partner_get(who, partner_pk) if partner_pk else None
            unit = OrgUnit.objects.filter(code=form.cleaned_data["unit"]).first() if form.cleaned_data["unit"] else None
            deal_pk = _int(form.cleaned_data["opportunity"])
            opportunity = opportunities_visible(who).filter(pk=deal_pk).first() if deal_pk else None
            registration = services.registration_create(
                viewer=who,
                actor=actor(request),
                data=form.service_data(),
                partner=partner,
                unit=unit,
                account=account,
                opportunity=opportunity,
            )
        except NotFound:
            form.add_error("account", _("Choose an account you can see."))
        except InvalidInput as problem:
            add_domain_errors(form, problem)
        except Conflict as problem:
            form.add_error(None, problem.detail)
        else:
            messages.success(request, _("The registration was submitted."))
            return redirect("resources:registration-detail", registration_id=registration.pk)
    status = 422 if data is not None else 200
    context = {"form": form, "window_days": window_days()}
    return render(request, "resources/registration_form.html", context, status=status)


@web_view
def opportunity_options(request: HttpRequest) -> HttpResponse:
    """The deals of the account just picked on the registration form, as the options of its deal select."""
    who = _internal(request)
    choice = lookups.account_choice(who, _int(request.GET.get("account")))
    options = _opportunity_choices(who, choice[0] if choice else None)
    return render(request, "resources/_opportunity_options.html", {"options": options})


def registration_page(who: Viewer, registration: DealRegistration, **given: Any) -> dict[str, Any]:
    state = state_of(registration)
    live = state in LIVE_REGISTRATION
    mine = registration.registered_by_id == who.user_id
    decide = selectors.can_decide_registration(who, registration)
    return {
        "registration": registration,
        "state": state,
        "can_decide": decide and state == "submitted",
        "can_withdraw": live and (mine or decide or who.external),
        "decision_form": given.get("decision_form") or DecisionForm(),
        "action_error": given.get("action_error") or "",
    }


@web_view
def registration_detail(request: HttpRequest, registration_id: int) -> HttpResponse:
    if viewer(request).external:
        # A notification's link, followed by the partner's login: its registration lives in the portal.
        selectors.registration_get(viewer(request), registration_id)
        return redirect(f"{reverse('partner-portal')}#registration-{registration_id}")
    who = _internal(request)
    registration = selectors.registration_get(who, registration_id)
    return render(request, "resources/registration_detail.html", registration_page(who, registration))


@require_POST
@web_view
def registration_decide(request: HttpRequest, registration_id: int) -> HttpResponse:
    who = _internal(request)
    registration = selectors.registration_get(who, registration_id)
    form = DecisionForm(request.POST)
    approve = request.POST.get("decision") == "approve"
    status = 422
    if form.is_valid():
        try:
            services.registration_decide(
                viewer=who,
                actor=actor(request),
                registration=registration,
                approve=approve,
                note=form.cleaned_data["note"],
            )
        except InvalidInput as problem:
            form.add_error("note", " ".join(str(e.message) for e in problem.errors) or problem.detail)
        except Conflict as problem:
            form.add_error(None, problem.detail)
            status = 409
        else:
            messages.success(
                request, _("The registration was approved.") if approve else _("The registration was rejected.")
            )
            return redirect("resources:registration-detail", registration_id=registration.pk)
    context = registration_page(who, registration, decision_form=form)
    return render(request, "resources/registration_detail.html", context, status=status)


def _withdraw(request: HttpRequest, who: Viewer, registration: DealRegistration) -> str:
    """The refusal to show, or "" once withdrawn."""
    try:
        services.registration_withdraw(viewer=who, actor=actor(request), registration=registration)
    except (Conflict, Forbidden) as problem:
        return problem.detail
    messages.success(request, _("The registration was withdrawn; the project is free for others again."))
    return ""


@require_POST
@web_view
def registration_withdraw(request: HttpRequest, registration_id: int) -> HttpResponse:
    who = _internal(request)
    registration = selectors.registration_get(who, registration_id)
    problem = _withdraw(request, who, registration)
    if problem:
        context = registration_page(who, registration, action_error=problem)
        return render(request, "resources/registration_detail.html", context, status=409)
    return redirect("resources:registration-detail", registration_id=registration.pk)


# --- the partner portal ----------------------------------------------------------------------------------


def _partner_viewer(request: HttpRequest) -> Viewer:
    """The portal is the partners' own door; colleagues use the registration pages instead."""
    who = viewer(request)
    if not who.external:
        raise NotFound()
    return who


def portal_page(who: Viewer, **given: Any) -> dict[str, Any]:
    registrations = list(selectors.registrations_visible(who).order_by("-created_at", "-pk")[:LIST_LIMIT])
    shared = list(
        opportunities_visible(who)
        .select_related("account", "stage", "owner")
        .order_by("-updated_at", "-pk")[:SHARED_SHOWN]
    )
    return {
        "partner": selectors.partner_of(who),
        "rows": _with_state(registrations),
        "shared": shared,
        "form": given.get("form") or PortalRegistrationForm(prefix="reg"),
        "open_form": given.get("open_form", False),
        "action_error": given.get("action_error") or "",
        "window_days": window_days(),
    }


@web_view
def portal(request: HttpRequest) -> HttpResponse:
    who = _partner_viewer(request)
    return render(request, "resources/portal.html", portal_page(who))


@require_POST
@web_view
def portal_register(request: HttpRequest) -> HttpResponse:
    who = _partner_viewer(request)
    form = PortalRegistrationForm(request.POST, prefix="reg")
    status = 422
    if form.is_valid():
        try:
            services.registration_create(viewer=who, actor=actor(request), data=form.service_data())
        except InvalidInput as problem:
            add_domain_errors(form, problem)
        except Conflict as problem:
            form.add_error(None, problem.detail)
            status = 409
        else:
            messages.success(request, _("Your registration was submitted; the channel manager will answer it."))
            return redirect("partner-portal")
    return render(request, "resources/portal.html", portal_page(who, form=form, open_form=True), status=status)


@require_POST
@web_view
def portal_withdraw(request: HttpRequest, registration_id: int) -> HttpResponse:
    who = _partner_viewer(request)
    registration = selectors.registration_get(who, registration_id)
    problem = _withdraw(request, who, registration)
    if problem:
        return render(request, "resources/portal.html", portal_page(who, action_error=problem), status=409)
    return redirect("partner-portal")


@web_view
def portal_opportunity(request: HttpRequest, opportunity_id: int) -> HttpResponse:
    """A read-only summary of a deal shared with the partner: never the internal deal page."""
    who = _partner_viewer(request)
    opportunity = (
        opportunities_visible(who).select_related("account", "stage", "owner").filter(pk=opportunity_id).first()
    )
    if opportunity is None:
        raise NotFound()
    return render(request, "resources/portal_opportunity.html", {"opportunity": opportunity})
