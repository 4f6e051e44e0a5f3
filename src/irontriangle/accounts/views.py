"""Account pages: list, detail, create, edit, delete and the account team. Thin: selectors in, services out."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from irontriangle.accounts import selectors, services
from irontriangle.accounts.forms import AccountForm, AccountSearchForm, TeamMemberForm, account_initial, model_field
from irontriangle.accounts.models import Account
from irontriangle.common.errors import Forbidden, InvalidInput, VersionConflict
from irontriangle.common.history import history_of
from irontriangle.web import lookups
from irontriangle.web.guards import actor, add_domain_errors, htmx, viewer, web_view
from irontriangle.web.history import readable_history

PAGE_SIZE = 50
CHILDREN_SHOWN = 20
HISTORY_SHOWN = 50
CREATE_DEFAULTS = ("segment", "lifecycle_stage", "strategic_fit", "currency")


@web_view
def account_list(request: HttpRequest) -> HttpResponse:
    who = viewer(request)
    search = AccountSearchForm(request.GET)
    search.is_valid()  # an invalid filter is dropped, never sent to the database
    values = search.cleaned_data
    filters = selectors.AccountFilters(
        q=values.get("q", ""),
        segment=values.get("segment", ""),
        tier=values.get("tier", ""),
        parent_id=values.get("parent"),
    )
    try:
        page = selectors.accounts_page(who, filters, cursor=values.get("cursor") or None, limit=PAGE_SIZE)
    except InvalidInput:
        # A stale or hand-edited cursor: start again from the first page rather than fail.
        page = selectors.accounts_page(who, filters, cursor=None, limit=PAGE_SIZE)
    query = {key: value for key, value in values.items() if key != "cursor" and value}
    context = {"search": search, "page": page, "query": query, "paged": bool(values.get("cursor"))}
    # Live search asks for the results only; a history restore or a plain visit gets the whole page.
    details = htmx(request)
    partial = bool(details) and not details.history_restore_request
    template = "accounts/list.html#results" if partial else "accounts/list.html"
    response = render(request, template, context)
    patch_vary_headers(response, ["HX-Request"])
    return response


@web_view
def account_detail(request: HttpRequest, account_id: int) -> HttpResponse:
    who = viewer(request)
    account = selectors.account_get(who, account_id)
    children = selectors.accounts_page(
        who, selectors.AccountFilters(parent_id=account.pk), cursor=None, limit=CHILDREN_SHOWN
    )
    context = {
        "account": account,
        "team": selectors.account_team(account),
        "children": children,
        "history": readable_history(who, history_of(account, who, display=True, limit=HISTORY_SHOWN)),
        "can_edit": selectors.can_edit_account(who, account),
        "can_delete": selectors.can_delete_account(who, account),
        "team_form": TeamMemberForm(),
    }
    return render(request, "accounts/detail.html", context)


def _account_form(request: HttpRequest, account: Account | None, data: Any = None) -> AccountForm:
    who = viewer(request)
    units = lookups.owner_unit_choices(who)
    initial: dict[str, Any] = {}
    parent_id = owner_id = None
    if account is not None:
        initial = account_initial(account)
        parent_id, owner_id = account.parent_id, account.owner_id
        if all(code != account.owner_unit.code for code, _label in units):
            units.append((account.owner_unit.code, lookups.unit_label(account.owner_unit)))
    else:
        owner_id = request.user.pk
        # The model's defaults, not the first option of each list (which would quietly pick "aligned").
        initial = {name: model_field(name).get_default() for name in CREATE_DEFAULTS}
        initial["owner_id"] = owner_id
    if data is not None:
        # Label the picks the person made, which the form's short option lists may not hold yet.
        parent_id = _int(data.get("parent_id")) or None
        owner_id = _int(data.get("owner_id")) or None
    return AccountForm(
        data,
        initial=initial,
        unit_choices=units,
        parent_choice=lookups.account_choice(who, parent_id),
        owner_choice=lookups.user_choice(who, owner_id),
    )


def _int(value: Any) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        return 0


@web_view
def account_create(request: HttpRequest) -> HttpResponse:
    if request.method != "POST":
        return render(request, "accounts/form.html", {"form": _account_form(request, None)})
    form = _account_form(request, None, request.POST)
    if form.is_valid():
        try:
            account = services.account_create(
                viewer=viewer(request), actor=actor(request), data=form.service_data(only_changed=False)
            )
        except InvalidInput as error:
            add_domain_errors(form, error)
        else:
            messages.success(request, _("Account %(name)s was created.") % {"name": account.name})
            return redirect("accounts:account-detail", account_id=account.pk)
    return render(request, "accounts/form.html", {"form": form})


@web_view
def account_edit(request: HttpRequest, account_id: int) -> HttpResponse:
    who = viewer(request)
    account = selectors.account_get(who, account_id)
    if not selectors.can_edit_account(who, account):
        raise Forbidden()
    if request.method != "POST":
        return render(request, "accounts/form.html", {"form": _account_form(request, account), "account": account})
    form = _account_form(request, account, request.POST)
    conflict = None
    if form.is_valid():
        try:
            services.account_update(
                viewer=who,
                actor=actor(request),
                account=account,
                data=form.service_data(only_changed=True),
                version=form.cleaned_data.get("version"),
            )
        except VersionConflict as error:
            conflict = error
        except InvalidInput as error:
            add_domain_errors(form, error)
        else:
            messages.success(request, _("Your changes were saved."))
            return redirect("accounts:account-detail", account_id=account.pk)
    context = {"form": form, "account": account, "conflict": conflict}
    return render(request, "accounts/form.html", context, status=409 if conflict else 200)


@require_POST
@web_view
def account_delete(request: HttpRequest, account_id: int) -> HttpResponse:
    who = viewer(request)
    account = selectors.account_get(who, account_id)
    services.account_delete(viewer=who, actor=actor(request), account=account)
    messages.success(request, _("Account %(name)s was moved to the trash.") % {"name": account.name})
    return redirect("accounts:account-list")


@require_POST
@web_view
def team_add(request: HttpRequest, account_id: int) -> HttpResponse:
    who = viewer(request)
    account = selectors.account_get(who, account_id)
    form = TeamMemberForm(request.POST)
    if form.is_valid():
        try:
            services.team_member_add(
                viewer=who,
                actor=actor(request),
                account=account,
                user_id=form.cleaned_data["user_id"],
                role=form.cleaned_data["role"],
                is_primary=form.cleaned_data["is_primary"],
            )
        except InvalidInput as error:
            add_domain_errors(form, error)
    if form.errors:
        for message in [*form.non_field_errors(), *[m for name in form.fields for m in form.errors.get(name, [])]]:
            messages.error(request, message)
    else:
        messages.success(request, _("The account team was updated."))
    return redirect(reverse("accounts:account-detail", args=[account.pk]) + "#team")


@require_POST
@web_view
def team_remove(request: HttpRequest, account_id: int, member_id: int) -> HttpResponse:
    who = viewer(request)
    account = selectors.account_get(who, account_id)
    services.team_member_remove(viewer=who, actor=actor(request), account=account, member_id=member_id)
    messages.success(request, _("The account team was updated."))
    return redirect(reverse("accounts:account-detail", args=[account.pk]) + "#team")


@web_view
def account_options(request: HttpRequest) -> HttpResponse:
    """`<option>`s for the parent-account picker."""
    choices = lookups.account_choices(viewer(request), request.GET.get("q", ""))
    return render(request, "web/widgets/options.html", {"choices": choices})
