"""Account 360 page, intelligence cards: KA confirmation, purchase drivers (the explained potential), the
potential basis switch and customer information. Each htmx request answers with the card it changed."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from irontriangle.accounts import sections, selectors, services
from irontriangle.accounts.forms_360 import (
    DRIVER_FIELDS,
    INFO_FIELDS,
    CustomerInfoForm,
    DriverForm,
    PotentialBasisForm,
    SegmentDecisionForm,
)
from irontriangle.accounts.models import Account, PotentialBasis
from irontriangle.common.access import Viewer
from irontriangle.common.errors import InvalidInput, VersionConflict
from irontriangle.web.guards import actor, add_domain_errors, htmx, viewer, web_view


def _detail(account_id: int, anchor: str) -> HttpResponse:
    return redirect(reverse("accounts:account-detail", args=[account_id]) + anchor)


def _editable(who: Viewer, account_id: int) -> tuple[Account, bool]:
    account = selectors.account_get(who, account_id)
    return account, selectors.can_edit_account(who, account)


# --- KA suggestion ---------------------------------------------------------------------------------


@require_POST
@web_view
def segment_confirm(request: HttpRequest, account_id: int) -> HttpResponse:
    who = viewer(request)
    account = selectors.account_get(who, account_id)
    form = SegmentDecisionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose KA or SMB."))
        return _detail(account.pk, "")
    segment = form.cleaned_data["segment"]
    services.account_confirm_segment(
        viewer=who, actor=actor(request), account=account, segment=segment, reason=form.cleaned_data["reason"]
    )
    if segment == "ka":
        messages.success(request, _("The account is confirmed as a key account."))
    else:
        messages.success(request, _("The account stays SMB."))
    return _detail(account.pk, "")


# --- potential and purchase drivers ----------------------------------------------------------------


def _potential(request: HttpRequest, account_id: int, **section: Any) -> HttpResponse:
    """The potential card, and (out of band) the matrix card and badge, which the potential may move."""
    if not htmx(request):
        return _detail(account_id, "#potential")
    who = viewer(request)
    account, can_edit = _editable(who, account_id)  # fresh: a driver may have changed the potential
    context = sections.potential_section(account, can_edit=can_edit, **section)
    context.update(sections.matrix_section(account))
    context["oob"] = True
    return render(request, "accounts/_potential_response.html", context)


@web_view
def potential_card(request: HttpRequest, account_id: int) -> HttpResponse:
    return _potential(request, account_id)


@require_POST
@web_view
def potential_basis(request: HttpRequest, account_id: int) -> HttpResponse:
    who = viewer(request)
    account = selectors.account_get(who, account_id)
    form = PotentialBasisForm(request.POST)
    form.is_valid()
    basis = PotentialBasis.DRIVERS if form.cleaned_data.get("use_drivers") else PotentialBasis.MANUAL
    try:
        services.account_update(
            viewer=who,
            actor=actor(request),
            account=account,
            data={"potential_basis": basis},
            version=form.cleaned_data.get("version"),
        )
    except VersionConflict as conflict:
        return _potential(request, account.pk, error=conflict.detail)
    return _potential(request, account.pk)


# --- customer information --------------------------------------------------------------------------


def _information(request: HttpRequest, account_id: int, **section: Any) -> HttpResponse:
    if not htmx(request):
        return _detail(account_id, "#information")
    account, can_edit = _editable(viewer(request), account_id)
    context = sections.information_section(account, can_edit=can_edit, **section)
    return render(request, "accounts/_information.html", context)


@web_view
def information_card(request: HttpRequest, account_id: int) -> HttpResponse:
    return _information(request, account_id)


# --- the records behind those cards: one add / edit / delete flow for drivers and information ---------


@dataclass(frozen=True)
class RecordCard:
    """A kind of record listed on a card of the 360 page, edited in place; the card answers every request."""

    form: type[DriverForm] | type[CustomerInfoForm]
    prefix: str  # form prefix of an edited row: "<prefix>-<id>"; the add form is "new-<prefix>"
    fields: tuple[str, ...]
    get: Callable[[Account, int], Any]
    create: Callable[..., Any]
    update: Callable[..., Any]
    delete: Callable[..., Any]
    record_arg: str  # how the update and delete services name the record
    card: Callable[..., HttpResponse]


def _add(kind: RecordCard, request: HttpRequest, account_id: int) -> HttpResponse:
    who = viewer(request)
    account = selectors.account_get(who, account_id)
    form = kind.form(request.POST, prefix=f"new-{kind.prefix}")
    if form.is_valid():
        try:
            kind.create(viewer=who, actor=actor(request), account=account, data=form.service_data(kind.fields))
        except InvalidInput as error:
            add_domain_errors(form, error)
        else:
            return kind.card(request, account.pk)
    return kind.card(request, account.pk, new_form=form)


def _edit(kind: RecordCard, request: HttpRequest, account_id: int, record_id: int) -> HttpResponse:
    who = viewer(request)
    account = selectors.account_get(who, account_id)
    record = kind.get(account, record_id)
    if request.method != "POST":
        return kind.card(request, account.pk, editing=(record.pk, kind.form.of(record)))
    form = kind.form(request.POST, prefix=f"{kind.prefix}-{record.pk}")
    if form.is_valid():
        try:
            kind.update(
                viewer=who,
                actor=actor(request),
                data=form.service_data(kind.fields),
                version=form.cleaned_data.get("version"),
                **{kind.record_arg: record},
            )
        except VersionConflict as conflict:
            return kind.card(request, account.pk, editing=(record.pk, form), error=conflict.detail)
        except InvalidInput as error:
            add_domain_errors(form, error)
        else:
            return kind.card(request, account.pk)
    return kind.card(request, account.pk, editing=(record.pk, form))


def _delete(kind: RecordCard, request: HttpRequest, account_id: int, record_id: int) -> HttpResponse:
    who = viewer(request)
    account = selectors.account_get(who, account_id)
    kind.delete(viewer=who, actor=actor(request), **{kind.record_arg: kind.get(account, record_id)})
    return kind.card(request, account.pk)


DRIVERS = RecordCard(
    form=DriverForm,
    prefix="driver",
    fields=DRIVER_FIELDS,
    get=selectors.driver_get,
    create=services.driver_create,
    update=services.driver_update,
    delete=services.driver_delete,
    record_arg="driver",
    card=_potential,
)
INFORMATION = RecordCard(
    form=CustomerInfoForm,
    prefix="info",
    fields=INFO_FIELDS,
    get=selectors.customer_info_get,
    create=services.customer_info_create,
    update=services.customer_info_update,
    delete=services.customer_info_delete,
    record_arg="info",
    card=_information,
)


@require_POST
@web_view
def driver_add(request: HttpRequest, account_id: int) -> HttpResponse:
    return _add(DRIVERS, request, account_id)


@web_view
def driver_edit(request: HttpRequest, account_id: int, driver_id: int) -> HttpResponse:
    return _edit(DRIVERS, request, account_id, driver_id)


@require_POST
@web_view
def driver_delete(request: HttpRequest, account_id: int, driver_id: int) -> HttpResponse:
    return _delete(DRIVERS, request, account_id, driver_id)


@require_POST
@web_view
def info_add(request: HttpRequest, account_id: int) -> HttpResponse:
    return _add(INFORMATION, request, account_id)


@web_view
def info_edit(request: HttpRequest, account_id: int, info_id: int) -> HttpResponse:
    return _edit(INFORMATION, request, account_id, info_id)


@require_POST
@web_view
def info_delete(request: HttpRequest, account_id: int, info_id: int) -> HttpResponse:
    return _delete(INFORMATION, request, account_id, info_id)
