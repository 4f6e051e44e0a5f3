"""Partners on the web: the list, a partner's page (contacts, logins, meetings, registrations, pool teams)
and the forms that keep them."""

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

from irontriangle.common.access import Viewer
from irontriangle.common.errors import Forbidden, InvalidInput, NotFound
from irontriangle.resources import selectors, services
from irontriangle.resources.forms import MeetingForm, PartnerContactForm, PartnerForm, PartnerUserForm
from irontriangle.resources.models import Partner, PartnerTier, PartnerType
from irontriangle.resources.services.registrations import state_of
from irontriangle.web.guards import actor, add_domain_errors, submit, viewer, web_view

PARTNERS_SHOWN = 200
MEETINGS_SHOWN = 50
REGISTRATIONS_SHOWN = 50


def _internal(request: HttpRequest) -> Viewer:
    who = viewer(request)
    if who.external:
        raise NotFound()
    return who


@web_view
def partner_list(request: HttpRequest) -> HttpResponse:
    who = _internal(request)
    q = (request.GET.get("q") or "").strip()[:100]
    kind = request.GET.get("type") or ""
    partners = selectors.partners_visible(who).order_by("name", "pk")
    if q:
        partners = partners.filter(Q(name__icontains=q) | Q(name_en__icontains=q))
    if kind in PartnerType.values:
        partners = partners.filter(type=kind)
    rows = list(partners[: PARTNERS_SHOWN + 1])
    context = {
        "partners": rows[:PARTNERS_SHOWN],
        "more": len(rows) > PARTNERS_SHOWN,
        "q": q,
        "type": kind,
        "types": PartnerType.choices,
        "can_create": selectors.can_manage_partner(who),
    }
    return render(request, "resources/partner_list.html", context)


def partner_page(who: Viewer, partner: Partner, **given: Any) -> dict[str, Any]:
    today = timezone.localdate()
    can_manage = selectors.can_manage_partner(who, partner)
    registrations = list(
        selectors.registrations_visible(who)
        .filter(partner=partner)
        .order_by("-created_at", "-pk")[:REGISTRATIONS_SHOWN]
    )
    return {
        "partner": partner,
        "can_manage": can_manage,
        "contacts": list(partner.contacts.all()),
        "logins": list(partner.users.select_related("user").order_by("user__username")),
        "meetings": list(selectors.meetings_of(partner)[:MEETINGS_SHOWN]),
        "registrations": [{"registration": r, "state": state_of(r, today)} for r in registrations],
        "teams": list(selectors.pool_visible(who).filter(partner=partner).order_by("pk")),
        "contact_form": given.get("contact_form") or PartnerContactForm(prefix="contact"),
        "user_form": given.get("user_form") or PartnerUserForm(prefix="login"),
        "meeting_form": given.get("meeting_form") or MeetingForm(prefix="meeting", initial={"occurred_on": today}),
        "open_form": given.get("open_form") or "",
    }


def render_partner(request: HttpRequest, partner: Partner, *, status: int = 200, **given: Any) -> HttpResponse:
    return render(
        request, "resources/partner_detail.html", partner_page(viewer(request), partner, **given), status=status
    )


@web_view
def partner_detail(request: HttpRequest, partner_id: int) -> HttpResponse:
    who = _internal(request)
    return render_partner(request, selectors.partner_get(who, partner_id))


def partner_initial(partner: Partner) -> dict[str, Any]:
    return {
        "name": partner.name,
        "name_en": partner.name_en,
        "type": partner.type,
        "tier": partner.tier,
        "capabilities": ", ".join(partner.capabilities or []),
        "regions": ", ".join(partner.regions or []),
        "website": partner.website,
        "notes": partner.notes,
        "version": partner.version,
    }


@web_view
def partner_create(request: HttpRequest) -> HttpResponse:
    who = _internal(request)
    if not selectors.can_manage_partner(who):
        raise Forbidden()
    data = request.POST if request.method == "POST" else None
    form = PartnerForm(data, initial={"type": PartnerType.SI, "tier": PartnerTier.REGISTERED})
    if data is not None:
        result = submit(
            form, lambda: services.partner_create(viewer=who, actor=actor(request), data=form.service_data())
        )
        if result.saved:
            messages.success(request, _("Partner %(name)s was created.") % {"name": result.value.label})
            return redirect("resources:partner-detail", partner_id=result.value.pk)
    status = 422 if data is not None else 200
    return render(request, "resources/partner_form.html", {"form": form, "partner": None}, status=status)


@web_view
def partner_edit(request: HttpRequest, partner_id: int) -> HttpResponse:
    who = _internal(request)
    partner = selectors.partner_get(who, partner_id)
    if not selectors.can_manage_partner(who, partner):
        raise Forbidden()
    data = request.POST if request.method == "POST" else None
    form = PartnerForm(data, initial=partner_initial(partner))
    conflict = None
    if data is not None:
        result = submit(
            form,
            lambda: services.partner_update(
                viewer=who,
                actor=actor(request),
                partner=partner,
                data=form.service_data(),
                version=form.cleaned_data.get("version"),
            ),
        )
        if result.saved:
            messages.success(request, _("Your changes were saved."))
            return redirect("resources:partner-detail", partner_id=partner.pk)
        conflict = result.conflict
    status = (409 if conflict else 422) if data is not None else 200
    return render(
        request, "resources/partner_form.html", {"form": form, "partner": partner, "conflict": conflict}, status=status
    )


def _partner_post(
    request: HttpRequest, partner_id: int, form_class: type, prefix: str, key: str, call: Any, success: str
) -> HttpResponse:
    who = _internal(request)
    partner = selectors.partner_get(who, partner_id)
    form = form_class(request.POST, prefix=prefix)
    if form.is_valid():
        try:
            call(who, partner, form.cleaned_data)
        except InvalidInput as problem:
            add_domain_errors(form, problem)
        else:
            messages.success(request, success)
            return redirect(reverse("resources:partner-detail", args=[partner.pk]) + f"#{key}")
    return render_partner(request, partner, status=422, **{f"{key}_form": form, "open_form": key})


@require_POST
@web_view
def contact_add(request: HttpRequest, partner_id: int) -> HttpResponse:
    def call(who: Viewer, partner: Partner, data: dict[str, Any]) -> Any:
        return services.partner_contact_add(viewer=who, actor=actor(request), partner=partner, data=data)

    return _partner_post(
        request, partner_id, PartnerContactForm, "contact", "contact", call, _("The contact was added.")
    )


@require_POST
@web_view
def login_create(request: HttpRequest, partner_id: int) -> HttpResponse:
    def call(who: Viewer, partner: Partner, data: dict[str, Any]) -> Any:
        return services.partner_user_create(viewer=who, actor=actor(request), partner=partner, data=data)

    return _partner_post(
        request,
        partner_id,
        PartnerUserForm,
        "login",
        "user",
        call,
        _("The login was created. Hand over the password in person."),
    )


@require_POST
@web_view
def meeting_add(request: HttpRequest, partner_id: int) -> HttpResponse:
    def call(who: Viewer, partner: Partner, data: dict[str, Any]) -> Any:
        return services.partner_meeting_create(viewer=who, actor=actor(request), partner=partner, data=data)

    return _partner_post(request, partner_id, MeetingForm, "meeting", "meeting", call, _("The meeting was recorded."))
