"""Contact pages: list, form, detail with owners, plans, interactions and history, and the account 360
page's relationships tab (power map, nine-grid, risk radar, organisational cadence). Thin: selectors in,
services out."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from irontriangle.accounts import selectors as account_selectors
from irontriangle.accounts.models import Account
from irontriangle.common.access import Viewer
from irontriangle.common.errors import Conflict, Forbidden, InvalidInput, VersionConflict
from irontriangle.common.history import HistoryEntry, history_of
from irontriangle.relationships import progress, selectors, services
from irontriangle.relationships.forms import (
    ActionDoneForm,
    ActionForm,
    ContactForm,
    ContactSearchForm,
    OwnerForm,
    PlanCloseForm,
    PlanForm,
    contact_initial,
)
from irontriangle.relationships.models import Contact, PlanStatus
from irontriangle.relationships.sections import relationships_section
from irontriangle.web import lookups
from irontriangle.web.guards import actor, add_domain_errors, htmx, submit, viewer, web_view
from irontriangle.web.history import readable_history

PAGE_SIZE = 50
HISTORY_SHOWN = 50
INTERACTIONS_SHOWN = 10
# A select of the people one contact may report to stays short enough to scroll.
MANAGERS_SHOWN = 500


# --- list -------------------------------------------------------------------------------------------


@web_view
def contact_list(request: HttpRequest) -> HttpResponse:
    who = viewer(request)
    account_id = _int(request.GET.get("account"))
    account_choice = lookups.account_choice(who, account_id)
    search = ContactSearchForm(request.GET, account_choice=account_choice)
    search.is_valid()  # an invalid filter is dropped, never sent to the database
    values = search.cleaned_data
    filters = search.filters()
    try:
        page = selectors.contacts_page(who, filters, cursor=values.get("cursor") or None, limit=PAGE_SIZE)
    except InvalidInput:
        # A stale or hand-edited cursor: start again from the first page rather than fail.
        page = selectors.contacts_page(who, filters, cursor=None, limit=PAGE_SIZE)
    params = QueryDict(mutable=True)
    for key, value in values.items():
        if key == "cursor" or not value:
            continue
        params[key] = "1" if value is True else str(value)
    active = search.active_filters(account_choice[1] if account_choice else "")
    context = {
        "search": search,
        "page": page,
        "rows": [(contact, selectors.has_backup(contact), selectors.primary_owner(contact)) for contact in page.items],
        "params": params,
        "filter_chips": [(label, _without(params, name)) for name, label in active],
        "filter_count": len([name for name, _label in active if name != "q"]),
        "paged": bool(values.get("cursor")),
        "new_contact_url": reverse("contacts:contact-create")
        + (f"?account={account_choice[0]}" if account_choice else ""),
    }
    details = htmx(request)
    partial = bool(details) and not details.history_restore_request
    template = "relationships/contacts/list.html#results" if partial else "relationships/contacts/list.html"
    response = render(request, template, context)
    if partial:
        response["HX-Push-Url"] = reverse("contacts:contact-list") + (f"?{params.urlencode()}" if params else "")
    patch_vary_headers(response, ["HX-Request"])
    return response


def _without(params: QueryDict, name: str) -> str:
    rest = params.copy()
    rest.pop(name, None)
    return reverse("contacts:contact-list") + (f"?{rest.urlencode()}" if rest else "")


def _int(value: Any) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        return 0


# --- form -------------------------------------------------------------------------------------------


def _managers(who: Viewer, account_id: int | None, exclude: int | None = None) -> list[tuple[int, str]]:
    """The contacts of one account a person may report to, among those the viewer sees."""
    if not account_id:
        return []
    people = selectors.contacts_visible(who).filter(account_id=account_id).order_by("name", "pk")
    if exclude:
        people = people.exclude(pk=exclude)
    return [
        (pk, f"{name} · {title}" if title else name)
        for pk, name, title in people.values_list("pk", "name", "title")[:MANAGERS_SHOWN]
    ]


def _contact_form(
    request: HttpRequest, contact: Contact | None, data: Any = None, account: Account | None = None
) -> ContactForm:
    who = viewer(request)
    if contact is not None:
        return ContactForm(
            data,
            initial=contact_initial(contact),
            account_choice=(contact.account_id, contact.account.name),
            manager_choices=_managers(who, contact.account_id, exclude=contact.pk),
            editing=True,
        )
    source = data if data is not None else request.GET
    choice = (account.pk, account.name) if account else lookups.account_choice(who, _int(source.get("account_id")))
    if choice is None and data is None:
        choice = lookups.account_choice(who, _int(request.GET.get("account")))
    return ContactForm(
        data,
        initial={"account_id": choice[0] if choice else None},
        account_choice=choice,
        manager_choices=_managers(who, choice[0] if choice else None),
        options_url=reverse("contacts:contact-options"),
    )


@web_view
def contact_create(request: HttpRequest) -> HttpResponse:
    if request.method != "POST":
        return render(request, "relationships/contacts/form.html", {"form": _contact_form(request, None)})
    who = viewer(request)
    form = _contact_form(request, None, request.POST)
    if form.is_valid():
        try:
            account = services.visible_account(who, form.cleaned_data["account_id"])
            contact = services.contact_create(
                viewer=who, actor=actor(request), account=account, data=form.service_data(only_changed=False)
            )
        except InvalidInput as error:
            add_domain_errors(form, error)
        else:
            messages.success(request, _("Contact %(name)s was added.") % {"name": contact.name})
            return redirect("contacts:contact-detail", contact_id=contact.pk)
    return render(request, "relationships/contacts/form.html", {"form": form})


@web_view
def contact_edit(request: HttpRequest, contact_id: int) -> HttpResponse:
    who = viewer(request)
    contact = selectors.contact_get(who, contact_id)
    if not account_selectors.can_edit_account(who, contact.account):
        raise Forbidden()
    context: dict[str, Any] = {"contact": contact}
    if request.method != "POST":
        return render(request, "relationships/contacts/form.html", {**context, "form": _contact_form(request, contact)})
    form = _contact_form(request, contact, request.POST)
    result = submit(
        form,
        lambda: services.contact_update(
            viewer=who,
            actor=actor(request),
            contact=contact,
            data=form.service_data(only_changed=True),
            version=form.cleaned_data.get("version"),
        ),
    )
    if result.saved:
        messages.success(request, _("Your changes were saved."))
        return redirect("contacts:contact-detail", contact_id=contact.pk)
    context.update(form=form, conflict=result.conflict)
    return render(request, "relationships/contacts/form.html", context, status=result.status)


@web_view
def contact_options(request: HttpRequest) -> HttpResponse:
    """`<option>`s of the reports-to select: the contacts of the chosen account."""
    who = viewer(request)
    choice = lookups.account_choice(who, _int(request.GET.get("account_id")))
    choices = _managers(who, choice[0]) if choice else []
    return render(request, "relationships/contacts/_manager_options.html", {"choices": choices})


@require_POST
@web_view
def contact_delete(request: HttpRequest, contact_id: int) -> HttpResponse:
    who = viewer(request)
    contact = selectors.contact_get(who, contact_id)
    services.contact_delete(viewer=who, actor=actor(request), contact=contact)
    messages.success(request, _("Contact %(name)s was moved to the trash.") % {"name": contact.name})
    return redirect(reverse("accounts:account-detail", args=[contact.account_id]) + "#relationships")


# --- detail -----------------------------------------------------------------------------------------


def _contact_history(who: Viewer, contact: Contact) -> list[HistoryEntry]:
    """Readable history; reporting lines named by the person, not by a number."""
    entries = readable_history(who, history_of(contact, who, display=True, limit=HISTORY_SHOWN))
    ids = {
        value
        for entry in entries
        for change in entry.changes
        if change.field == "reports_to"
        for value in (change.old, change.new)
        if isinstance(value, int)
    }
    if not ids:
        return entries
    # Only contacts of the same account can be a manager: the viewer sees them all.
    names = dict(Contact.all_objects.filter(pk__in=ids, account_id=contact.account_id).values_list("pk", "name"))

    def name(value: Any) -> Any:
        return names.get(value, _("(not visible to you)")) if isinstance(value, int) else value

    return [
        replace(
            entry,
            changes=[
                replace(c, old=name(c.old), new=name(c.new)) if c.field == "reports_to" else c for c in entry.changes
            ],
        )
        for entry in entries
    ]


def detail_context(
    who: Viewer,
    contact: Contact,
    *,
    owner_form: OwnerForm | None = None,
    plan_form: PlanForm | None = None,
    action_form: ActionForm | None = None,
) -> dict[str, Any]:
    can_edit = account_selectors.can_edit_account(who, contact.account)
    owners = selectors.contact_owners(contact)
    plans = selectors.plans_of(contact)  # the active plan first, then the closed ones, newest first
    for plan in plans:
        plan.contact = contact  # progress reads the contact's current standing; no query per plan
    active = next((plan for plan in plans if plan.status == PlanStatus.ACTIVE), None)
    interactions = selectors.interactions_page(
        who, selectors.InteractionFilters(contact_id=contact.pk), cursor=None, limit=INTERACTIONS_SHOWN
    )
    has_backup = any(not owner.is_primary for owner in owners)
    has_primary = any(owner.is_primary for owner in owners)
    return {
        "contact": contact,
        "account": contact.account,
        "can_edit": can_edit,
        "owners": owners,
        "has_backup": has_backup,
        "has_primary": has_primary,
        "owner_warning": contact.is_key and not (has_backup and has_primary),
        "owner_form": owner_form or OwnerForm(prefix="owner"),
        "open_owner_form": owner_form is not None or (can_edit and contact.is_key and not has_backup),
        "plans": [(plan, progress.plan_progress(plan)) for plan in plans],
        "active_plan": active,
        "plan_form": plan_form or PlanForm.for_contact(contact),
        "open_plan_form": plan_form is not None,
        "action_form": action_form or (ActionForm(plan=active) if active else None),
        "open_action_form": action_form is not None,
        "interactions": interactions.items,
        "more_interactions": bool(interactions.next_cursor),
        "log_visit_url": f"/interactions/new/?account={contact.account_id}&contact={contact.pk}",
        "history": _contact_history(who, contact),
        "today": timezone.localdate(),
    }


@web_view
def contact_detail(request: HttpRequest, contact_id: int) -> HttpResponse:
    who = viewer(request)
    contact = selectors.contact_get(who, contact_id)
    return render(request, "relationships/contacts/detail.html", detail_context(who, contact))


def _back(contact: Contact, anchor: str) -> HttpResponse:
    return redirect(reverse("contacts:contact-detail", args=[contact.pk]) + anchor)


def _rerender(request: HttpRequest, contact: Contact, **forms: Any) -> HttpResponse:
    """The detail page again with a form's errors next to its fields."""
    context = detail_context(viewer(request), contact, **forms)
    return render(request, "relationships/contacts/detail.html", context, status=400)


# --- owners -----------------------------------------------------------------------------------------


@require_POST
@web_view
def owner_add(request: HttpRequest, contact_id: int) -> HttpResponse:
    who = viewer(request)
    contact = selectors.contact_get(who, contact_id)
    form = OwnerForm(request.POST, prefix="owner")
    if form.is_valid():
        try:
            services.contact_owner_add(
                viewer=who,
                actor=actor(request),
                contact=contact,
                user_id=form.cleaned_data["user_id"],
                is_primary=form.cleaned_data["is_primary"],
            )
        except InvalidInput as error:
            add_domain_errors(form, error)
    if form.errors:
        form.fields["user_id"].widget.choices = [("", "—")]
        return _rerender(request, contact, owner_form=form)
    messages.success(request, _("The relationship owners were updated."))
    return _back(contact, "#owners")


@require_POST
@web_view
def owner_remove(request: HttpRequest, contact_id: int, owner_id: int) -> HttpResponse:
    who = viewer(request)
    contact = selectors.contact_get(who, contact_id)
    services.contact_owner_remove(viewer=who, actor=actor(request), contact=contact, owner_id=owner_id)
    messages.success(request, _("The relationship owners were updated."))
    return _back(contact, "#owners")


# --- plans ------------------------------------------------------------------------------------------


@require_POST
@web_view
def plan_create(request: HttpRequest, contact_id: int) -> HttpResponse:
    who = viewer(request)
    contact = selectors.contact_get(who, contact_id)
    form = PlanForm(request.POST, prefix="plan")
    if form.is_valid():
        try:
            services.plan_create(viewer=who, actor=actor(request), contact=contact, data=form.cleaned_data)
        except InvalidInput as error:
            add_domain_errors(form, error)
        except Conflict as error:
            form.add_error(None, error.detail)
    if form.errors:
        return _rerender(request, contact, plan_form=form)
    messages.success(request, _("The relationship plan was made."))
    return _back(contact, "#plans")


@require_POST
@web_view
def plan_close(request: HttpRequest, contact_id: int, plan_id: int) -> HttpResponse:
    who = viewer(request)
    contact = selectors.contact_get(who, contact_id)
    plan = selectors.plan_get(contact, plan_id)
    form = PlanCloseForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose achieved or dropped."))
        return _back(contact, "#plans")
    status = form.cleaned_data["status"]
    try:
        services.plan_update(
            viewer=who,
            actor=actor(request),
            plan=plan,
            data={"status": status},
            version=form.cleaned_data["version"],
        )
    except VersionConflict:
        messages.error(request, _("Someone else changed this plan meanwhile; here it is as it stands now."))
        return _back(contact, "#plans")
    if status == PlanStatus.ACHIEVED:
        messages.success(request, _("The plan was closed as achieved."))
    else:
        messages.success(request, _("The plan was dropped."))
    return _back(contact, "#plans")


@require_POST
@web_view
def action_add(request: HttpRequest, contact_id: int, plan_id: int) -> HttpResponse:
    who = viewer(request)
    contact = selectors.contact_get(who, contact_id)
    plan = selectors.plan_get(contact, plan_id)
    form = ActionForm(request.POST, plan=plan)
    if form.is_valid():
        try:
            services.plan_action_add(viewer=who, actor=actor(request), plan=plan, data=form.cleaned_data)
        except InvalidInput as error:
            add_domain_errors(form, error)
    if form.errors:
        form.fields["owner_id"].widget.choices = [("", "—")]
        return _rerender(request, contact, action_form=form)
    messages.success(request, _("The action was added to the plan."))
    return _back(contact, "#plans")


@require_POST
@web_view
def action_done(request: HttpRequest, contact_id: int, plan_id: int, action_id: int) -> HttpResponse:
    """Tick or untick an action; the plan's progress follows."""
    who = viewer(request)
    contact = selectors.contact_get(who, contact_id)
    plan = selectors.plan_get(contact, plan_id)
    action = selectors.plan_action_get(plan, action_id)
    form = ActionDoneForm(request.POST)
    if form.is_valid():
        done = form.cleaned_data["done"]
        try:
            services.plan_action_update(
                viewer=who,
                actor=actor(request),
                action=action,
                data={"done_on": (action.done_on or timezone.localdate()) if done else None},
                version=form.cleaned_data["version"],
            )
        except VersionConflict:
            messages.error(request, _("Someone else changed this action meanwhile; here it is as it stands now."))
    return _back(contact, "#plans")


# --- the account 360 page's relationships tab -------------------------------------------------------


@web_view
def account_relationships(request: HttpRequest, account_id: int) -> HttpResponse:
    """The relationships tab, loaded when it is opened so the 360 page itself stays as cheap as it was."""
    who = viewer(request)
    account = account_selectors.account_get(who, account_id)
    if not htmx(request):
        return redirect(reverse("accounts:account-detail", args=[account.pk]) + "#relationships")
    context = relationships_section(account, can_edit=account_selectors.can_edit_account(who, account))
    response = render(request, "relationships/account/_relationships.html", context)
    patch_vary_headers(response, ["HX-Request"])
    return response
