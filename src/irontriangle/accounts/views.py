"""Account pages: list, detail, create, edit, delete and the account team. Thin: selectors in, services out."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from irontriangle.accounts import sections, selectors, services
from irontriangle.accounts.forms import (
    SORTS,
    AccountForm,
    AccountSearchForm,
    TeamMemberForm,
    account_initial,
    model_field,
)
from irontriangle.accounts.models import Account
from irontriangle.accounts.views_duplicates import duplicate_context
from irontriangle.common.errors import Forbidden, InvalidInput
from irontriangle.web import lookups
from irontriangle.web.guards import actor, add_domain_errors, htmx, submit, viewer, web_view

PAGE_SIZE = 50
CREATE_DEFAULTS = ("segment", "lifecycle_stage", "strategic_fit", "currency")


@web_view
def account_list(request: HttpRequest) -> HttpResponse:
    who = viewer(request)
    search = AccountSearchForm(request.GET, unit_choices=lookups.unit_filter_choices(who))
    search.is_valid()  # an invalid filter is dropped, never sent to the database
    values = search.cleaned_data
    filters = search.filters()
    try:
        page = selectors.accounts_page(who, filters, cursor=values.get("cursor") or None, limit=PAGE_SIZE)
    except InvalidInput:
        # A stale or hand-edited cursor: start again from the first page rather than fail.
        page = selectors.accounts_page(who, filters, cursor=None, limit=PAGE_SIZE)
    # The query string of this view as it stands, empty and invalid values left out: what links keep.
    params = QueryDict(mutable=True)
    for key, value in values.items():
        if key == "cursor" or not value or (key == "sort" and value == SORTS[0][0]):
            continue
        params[key] = "1" if value is True else str(value)
    active = search.active_filters()
    context = {
        "search": search,
        "page": page,
        "rows": [(account, selectors.missing_roles(account)) for account in page.items],
        "params": params,
        "filter_chips": [(label, _without(params, name)) for name, label in active],
        "filter_count": len([name for name, _label in active if name != "q"]),
        "sort_label": dict(SORTS).get(filters.sort, SORTS[0][1]),
        "paged": bool(values.get("cursor")),
    }
    # Live search asks for the results only; a history restore or a plain visit gets the whole page.
    details = htmx(request)
    partial = bool(details) and not details.history_restore_request
    template = "accounts/list.html#results" if partial else "accounts/list.html"
    response = render(request, template, context)
    if partial:
        # The address bar shows the filters in use, not every empty field of the form: a short,
        # bookmarkable URL.
        response["HX-Push-Url"] = reverse("accounts:account-list") + (f"?{params.urlencode()}" if params else "")
    patch_vary_headers(response, ["HX-Request"])
    return response


def _without(params: QueryDict, name: str) -> str:
    """The list's address with one filter taken away (and back on the first page)."""
    rest = params.copy()
    rest.pop(name, None)
    return reverse("accounts:account-list") + (f"?{rest.urlencode()}" if rest else "")


@web_view
def account_detail(request: HttpRequest, account_id: int) -> HttpResponse:
    """The account 360 page; what each of its cards shows is built in accounts/sections.py."""
    who = viewer(request)
    account = selectors.account_get(who, account_id)
    return render(request, "accounts/detail.html", sections.account_page(who, account))


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
    check_url = reverse("accounts:account-duplicates")
    if account is not None:
        check_url += f"?exclude={account.pk}"
    return AccountForm(
        data,
        initial=initial,
        unit_choices=units,
        parent_choice=lookups.account_choice(who, parent_id),
        owner_choice=lookups.user_choice(who, owner_id),
        duplicate_check_url=check_url,
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
    who = viewer(request)
    form = _account_form(request, None, request.POST)
    context: dict[str, Any] = {"form": form}
    if form.is_valid():
        values = form.cleaned_data
        # The API creates what it is sent; a person typing a customer in is warned first.
        found = duplicate_context(who, name=values["name"], credit_code=values["credit_code"], creating=True)
        found["create_anyway"] = values["create_anyway"]
        context.update(found)
        held_back = bool(found["duplicates"]) and not values["create_anyway"] and not found["code_taken"]
        if not held_back:
            try:
                account = services.account_create(
                    viewer=who, actor=actor(request), data=form.service_data(only_changed=False)
                )
            except InvalidInput as error:
                add_domain_errors(form, error)
            else:
                messages.success(request, _("Account %(name)s was created.") % {"name": account.name})
                return redirect("accounts:account-detail", account_id=account.pk)
        context["held_back"] = held_back
    return render(request, "accounts/form.html", context)


@web_view
def account_edit(request: HttpRequest, account_id: int) -> HttpResponse:
    who = viewer(request)
    account = selectors.account_get(who, account_id)
    if not selectors.can_edit_account(who, account):
        raise Forbidden()
    context: dict[str, Any] = {"account": account, "ka_suggestion": selectors.ka_suggestion(account)}
    if request.method != "POST":
        return render(request, "accounts/form.html", {**context, "form": _account_form(request, account)})
    form = _account_form(request, account, request.POST)
    result = submit(
        form,
        lambda: services.account_update(
            viewer=who,
            actor=actor(request),
            account=account,
            data=form.service_data(only_changed=True),
            version=form.cleaned_data.get("version"),
        ),
    )
    if result.saved:
        messages.success(request, _("Your changes were saved."))
        return redirect("accounts:account-detail", account_id=account.pk)
    context.update(form=form, conflict=result.conflict)
    return render(request, "accounts/form.html", context, status=result.status)


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
