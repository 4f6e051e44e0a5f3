"""The duplicate warning of the account form, and the claim a unit raises from it (seed 004).

Two units must not both own one customer, so the warning names matches the person cannot see, with no
more than their name and owner unit; the claim hands the conflict to the middle office.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from irontriangle.accounts import selectors
from irontriangle.accounts.forms import ClaimForm, DuplicateCheckForm
from irontriangle.accounts.views_ownership import send_request
from irontriangle.common.access import Viewer
from irontriangle.web import lookups
from irontriangle.web.guards import htmx, viewer, web_view


def duplicate_context(
    who: Viewer, *, name: str, credit_code: str, exclude_id: int | None = None, creating: bool = False
) -> dict[str, Any]:
    """What the warning shows; the create view renders the same block when it re-checks on submit."""
    duplicates = selectors.account_duplicates(who, name=name, credit_code=credit_code, exclude_id=exclude_id)
    return {
        "duplicates": duplicates,
        "code_taken": any(duplicate.match == "credit_code" for duplicate in duplicates),
        "my_unit_ids": who.unit_ids,
        "creating": creating,
    }


@web_view
def account_duplicates(request: HttpRequest) -> HttpResponse:
    check = DuplicateCheckForm(request.GET)
    if not check.is_valid():
        return HttpResponse("")
    values = check.cleaned_data
    context = duplicate_context(
        viewer(request),
        name=values["name"],
        credit_code=values["credit_code"],
        exclude_id=values["exclude"],
        creating=values["exclude"] is None,
    )
    return render(request, "accounts/_duplicates.html", context)


def _claim_form(request: HttpRequest, account_id: int, data: Any = None) -> ClaimForm:
    # Distinct ids, since the warning can hold one claim form per account it lists.
    return ClaimForm(data, unit_choices=lookups.owner_unit_choices(viewer(request)), auto_id=f"id_claim{account_id}_%s")


@require_http_methods(["GET", "POST"])
@web_view
def account_claim(request: HttpRequest, account_id: int) -> HttpResponse:
    """Ask for an account for one of my units. The page never loads the account: the person already saw
    its name in the warning, and an id typed into the address reveals nothing here."""
    partial = bool(htmx(request))
    form = _claim_form(request, account_id, request.POST if request.method == "POST" else None)
    sent = request.method == "POST" and form.is_valid() and send_request(request, form, account_id)
    if sent and not partial:
        messages.success(request, _("Your claim was sent to the middle office, which will decide on it."))
        return redirect("accounts:account-list")
    context = {"form": form, "account_id": account_id, "sent": sent}
    template = "accounts/claim.html#claim" if partial else "accounts/claim.html"
    return render(request, template, context)
