"""Ownership on the web (seed 004): the transfer request on the account page, and the request pages where
the middle office approves or rejects with a reason."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from irontriangle.accounts import sections, selectors, services
from irontriangle.accounts.forms_360 import DecisionForm, TransferForm
from irontriangle.accounts.models import Account, OwnershipStatus
from irontriangle.common.access import Viewer
from irontriangle.common.errors import Conflict, InvalidInput
from irontriangle.org.models import UnitSegment
from irontriangle.org.selectors import units_visible
from irontriangle.web import lookups
from irontriangle.web.guards import actor, add_domain_errors, htmx, viewer, web_view

PAGE_SIZE = 50
# Accounts are owned by the selling units; finance or the middle office never own one.
OWNING_SEGMENTS = (UnitSegment.KA, UnitSegment.SMB)


def _target_units(who: Viewer, account: Account) -> list[tuple[str, str]]:
    return [
        (unit.code, lookups.unit_label(unit))
        for unit in units_visible(who).filter(segment__in=OWNING_SEGMENTS)
        if unit.pk != account.owner_unit_id
    ]


def _ownership_card(request: HttpRequest, account: Account, **section: Any) -> HttpResponse:
    who = viewer(request)
    context = sections.ownership_section(account, can_edit=selectors.can_edit_account(who, account), **section)
    return render(request, "accounts/_ownership.html", context)


def send_request(request: HttpRequest, form: Any, account_id: int) -> bool:
    """Send a valid claim or transfer form to the middle office; what the service refuses lands on the form."""
    try:
        services.ownership_request_create(
            viewer=viewer(request),
            actor=actor(request),
            account_id=account_id,
            unit_code=form.cleaned_data["unit_code"],
            reason=form.cleaned_data["reason"],
        )
    except InvalidInput as error:
        add_domain_errors(form, error)
        return False
    except Conflict as conflict:
        form.add_error(None, conflict.detail)
        return False
    return True


@web_view
def transfer_request(request: HttpRequest, account_id: int) -> HttpResponse:
    """GET opens the form inside the ownership card; POST sends the request to the middle office."""
    who = viewer(request)
    account = selectors.account_get(who, account_id)
    units = _target_units(who, account)
    if request.method != "POST":
        return _ownership_card(request, account, transfer_form=TransferForm(units=units))
    form = TransferForm(request.POST, units=units)
    if form.is_valid() and send_request(request, form, account.pk):
        notice = _("Your request was sent to the middle office.")
        if not htmx(request):
            messages.success(request, notice)
            return redirect(reverse("accounts:account-detail", args=[account.pk]) + "#ownership")
        return _ownership_card(request, account, notice=notice)
    return _ownership_card(request, account, transfer_form=form)


# --- the request pages -----------------------------------------------------------------------------


@web_view
def request_list(request: HttpRequest) -> HttpResponse:
    who = viewer(request)
    status = request.GET.get("status", "")
    if status not in OwnershipStatus.values:
        status = ""
    cursor = request.GET.get("cursor") or None
    context: dict[str, Any] = {"status": status, "statuses": OwnershipStatus.choices}
    try:
        if status:
            context["page"] = selectors.ownership_requests_page(who, status=status, cursor=cursor, limit=PAGE_SIZE)
        else:
            # Pending first: what waits for a decision, then the latest decisions.
            context["pending"] = selectors.ownership_requests_page(
                who, status=OwnershipStatus.PENDING, cursor=None, limit=PAGE_SIZE
            )
            context["page"] = selectors.ownership_requests_page(who, cursor=None, limit=PAGE_SIZE)
            context["page"].items = [r for r in context["page"].items if r.status != OwnershipStatus.PENDING]
    except InvalidInput:
        return redirect(reverse("ownership:request-list") + (f"?status={status}" if status else ""))
    return render(request, "accounts/ownership_list.html", context)


def _detail_page(request: HttpRequest, who: Viewer, request_id: int, form: DecisionForm | None = None) -> HttpResponse:
    found = selectors.ownership_request_get(who, request_id)
    context = {
        "item": found,
        "can_decide": who.middle_office and found.status == OwnershipStatus.PENDING,
        "can_withdraw": found.requested_by_id == who.user_id and found.status == OwnershipStatus.PENDING,
        "form": form or DecisionForm(),
    }
    return render(request, "accounts/ownership_detail.html", context, status=422 if form is not None else 200)


@web_view
def request_detail(request: HttpRequest, request_id: int) -> HttpResponse:
    return _detail_page(request, viewer(request), request_id)


@require_POST
@web_view
def request_decide(request: HttpRequest, request_id: int) -> HttpResponse:
    who = viewer(request)
    found = selectors.ownership_request_get(who, request_id)
    form = DecisionForm(request.POST)
    approve = request.POST.get("decision") == "approve"
    if not form.is_valid():
        return _detail_page(request, who, found.pk, form)
    try:
        services.ownership_request_decide(
            viewer=who, actor=actor(request), request=found, approve=approve, reason=form.cleaned_data["reason"]
        )
    except InvalidInput as error:
        add_domain_errors(form, error)
        return _detail_page(request, who, found.pk, form)
    except Conflict as conflict:
        messages.error(request, conflict.detail)
    else:
        messages.success(request, _("Approved: the account moved.") if approve else _("The request was rejected."))
    return redirect("ownership:request-detail", request_id=found.pk)


@require_POST
@web_view
def request_withdraw(request: HttpRequest, request_id: int) -> HttpResponse:
    who = viewer(request)
    found = selectors.ownership_request_get(who, request_id)
    try:
        services.ownership_request_withdraw(viewer=who, actor=actor(request), request=found)
    except Conflict as conflict:
        messages.error(request, conflict.detail)
    else:
        messages.success(request, _("The request was withdrawn."))
    return redirect("ownership:request-detail", request_id=found.pk)
