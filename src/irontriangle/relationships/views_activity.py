"""Interaction pages: the searchable list, the quick logging form (made for a phone), edit and detail,
and the small htmx pieces the forms use (contacts of an account, people found by name)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.cache import patch_vary_headers
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from irontriangle.accounts.forms import PickerSelect
from irontriangle.accounts.selectors import accounts_visible, can_edit_account
from irontriangle.common.access import Viewer
from irontriangle.common.errors import Forbidden, InvalidInput
from irontriangle.org.models import User
from irontriangle.org.selectors import users_visible
from irontriangle.relationships import selectors, services
from irontriangle.relationships.forms_activity import (
    KIND_ICONS,
    InteractionForm,
    InteractionSearchForm,
    local_now_value,
)
from irontriangle.relationships.models import Contact, Interaction
from irontriangle.relationships.risks import actionable_accounts
from irontriangle.relationships.search import search_terms
from irontriangle.web import lookups
from irontriangle.web.guards import actor, htmx, submit, viewer, web_view

T = TypeVar("T")

PAGE_SIZE = 30
# Up to this many accounts are offered as a plain list; beyond it the list gets a search box.
ACCOUNT_LIST_LIMIT = 40
CONTACT_LIMIT = 200


# --- shared by the interaction and organisational activity forms ----------------------------------


def editable_account_choices(who: Viewer, selected: Any = None) -> tuple[list[tuple[int, str]], bool]:
    """Accounts the viewer may log activities on, by name, and whether there are too many for a plain
    list (then the form shows a search box above it). The selected one is always among them."""
    rows = list(actionable_accounts(who).values_list("pk", "name")[: ACCOUNT_LIST_LIMIT + 1])
    many = len(rows) > ACCOUNT_LIST_LIMIT
    choices = [(int(pk), str(name)) for pk, name in rows[:ACCOUNT_LIST_LIMIT]]
    selected_id = to_id(selected)
    if selected_id and all(pk != selected_id for pk, _name in choices):
        found = actionable_accounts(who).filter(pk=selected_id).values_list("pk", "name").first()
        if found:
            choices.insert(0, (int(found[0]), str(found[1])))
    return choices, many


def wire_account_field(form: Any, *, many: bool) -> None:
    """Choosing the account loads its contacts (and suggests its team); a long list gets a search box."""
    field = form.fields["account_id"]
    field.widget.attrs.update(
        {
            "hx-get": reverse("relationships:activity-contacts"),
            "hx-trigger": "change",
            "hx-target": "#contact-choices",
            "hx-include": "[name=participant_ids]",
            "data-testid": "account-select",
        }
    )
    if many:
        field.widget = PickerSelect("relationships:account-options", attrs=field.widget.attrs)
        field.widget.choices = field.choices


def account_contacts_for(who: Viewer, account_id: Any) -> list[Contact]:
    """The contacts of an account the viewer sees (none for any other account), key people first."""
    pk = to_id(account_id)
    if not pk:
        return []
    return list(
        selectors.contacts_visible(who)
        .filter(account_id=pk)
        .select_related(None)
        .order_by("-is_key", "-influence", "name", "pk")[:CONTACT_LIMIT]
    )


def open_deals_for(who: Viewer, account_id: Any, keep: Any = None) -> list[tuple[int, str]]:
    """The account's open opportunities the viewer sees, as (id, "name · stage"); `keep` stays listed
    even when closed, so editing a visit does not drop the deal it served."""
    from django.db.models import Q

    from irontriangle.pipeline.selectors import opportunities_visible

    pk = to_id(account_id)
    if not pk:
        return []
    wanted = Q(stage__outcome="") | Q(pk=to_id(keep) or 0)
    deals = opportunities_visible(who).filter(wanted, account_id=pk).order_by("-updated_at")[:50]
    return [(deal.pk, f"{deal.name} · {deal.stage.name}") for deal in deals]


def account_team_people(who: Viewer, account_id: Any) -> list[tuple[int, str]]:
    """The account's owner and team, as (id, name): the people most likely to have gone along."""
    from irontriangle.accounts.selectors import account_team

    pk = to_id(account_id)
    account = accounts_visible(who).filter(pk=pk).first() if pk else None
    if account is None:
        return []
    people = [member.user for member in account_team(account)]
    if account.owner is not None:
        people.insert(0, account.owner)
    unique: dict[int, str] = {}
    for person in people:
        unique.setdefault(person.pk, person.label)
    return list(unique.items())


def chosen_people(who: Viewer, ids: list[int], known: list[User] | None = None) -> list[tuple[int, str]]:
    """People already ticked, as (id, name) in the order they were ticked; unknown ids are dropped."""
    by_id = {user.pk: user.label for user in known or []}
    missing = [pk for pk in ids if pk not in by_id]
    if missing:
        found = users_visible(who).prefetch_related(None).filter(pk__in=missing)
        by_id.update({user.pk: user.label for user in found})
    return [(pk, by_id[pk]) for pk in ids if pk in by_id]


def ids_of(values: Any) -> list[int]:
    result: list[int] = []
    for value in values or []:
        pk = to_id(value)
        if pk and pk not in result:
            result.append(pk)
    return result


def to_id(value: Any) -> int:
    try:
        number = int(value)
    except (TypeError, ValueError):
        return 0
    return number if 0 < number < 2**63 else 0


def safe_next(request: HttpRequest, target: str | None) -> str | None:
    """Where to go back to: a path on this site only."""
    if not target or not target.startswith("/"):
        return None
    return target if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}) else None


def on_account_field(save: Callable[[], T]) -> T:
    """Refusal to log on the chosen account, shown on the account field rather than as a 403 page."""
    try:
        return save()
    except Forbidden:
        raise InvalidInput.single("account_id", "forbidden", _("You cannot log activities on this account.")) from None


@web_view
def account_options(request: HttpRequest) -> HttpResponse:
    """`<option>`s of the accounts the viewer may log activities on, for the forms' account search."""
    term = request.GET.get("q", "").strip()[:200]
    accounts = actionable_accounts(viewer(request))
    if term:
        accounts = accounts.filter(name__icontains=term)
    choices = list(accounts.values_list("pk", "name")[: lookups.PICKER_LIMIT])
    return render(request, "web/widgets/options.html", {"choices": choices})


@web_view
def contact_choices(request: HttpRequest) -> HttpResponse:
    """The contacts of the chosen account as tickable chips, and (out of band) its team as people to add."""
    who = viewer(request)
    account_id = request.GET.get("account_id")
    ticked = set(ids_of(request.GET.getlist("contact_ids")))
    chosen = set(ids_of(request.GET.getlist("participant_ids")))
    team = [person for person in account_team_people(who, account_id) if person[0] not in chosen]
    deal_field = InteractionForm(
        initial={"opportunity_id": to_id(request.GET.get("opportunity_id"))},
        account_choices=[],
        contact_choices=[],
        people_choices=[],
        opportunity_choices=open_deals_for(who, account_id, request.GET.get("opportunity_id")),
    )["opportunity_id"]
    context = {
        "deal_field": deal_field,
        "contacts": account_contacts_for(who, account_id),
        "ticked_contacts": ticked,
        "account_chosen": bool(to_id(account_id)),
        "suggested_people": team,
        "oob": True,
    }
    return render(request, "relationships/activity/_contact_choices.html", context)


@web_view
def people_choices(request: HttpRequest) -> HttpResponse:
    """People found by name, as chips to tick (those already ticked left out)."""
    chosen = set(ids_of(request.GET.getlist("participant_ids")))
    term = request.GET.get("q", "").strip()
    found = lookups.user_choices(viewer(request), term) if term else []
    people = [(pk, label) for pk, label in found if pk not in chosen]
    return render(request, "relationships/activity/_people_results.html", {"suggested_people": people})


# --- list -------------------------------------------------------------------------------------------


@web_view
def interaction_list(request: HttpRequest) -> HttpResponse:
    who = viewer(request)
    account_choice = lookups.account_choice(who, to_id(request.GET.get("account")) or None)
    search = InteractionSearchForm(request.GET, account_choices=[account_choice] if account_choice else [])
    picker = PickerSelect("accounts:account-options", attrs={"class": "form-select live-filter"})
    search.fields["account"].widget = picker
    search.fields["account"].widget.choices = search.fields["account"].choices  # type: ignore[attr-defined]
    search.is_valid()  # an invalid filter is dropped, never sent to the database
    values = search.cleaned_data
    filters = selectors.InteractionFilters(
        q=values.get("q", ""),
        account_id=values.get("account") if account_choice else None,
        participant_id=who.user_id if values.get("mine") else None,
        kind=values.get("kind", ""),
        since=values.get("since"),
        until=values.get("until"),
    )
    try:
        page = selectors.interactions_page(who, filters, cursor=values.get("cursor") or None, limit=PAGE_SIZE)
    except InvalidInput:
        # A stale or hand-edited cursor: start again from the first page rather than fail.
        page = selectors.interactions_page(who, filters, cursor=None, limit=PAGE_SIZE)
    params = QueryDict(mutable=True)
    for key, value in values.items():
        if key != "cursor" and value not in (None, "", False):
            params[key] = "1" if value is True else str(value)
    if "account" in params and not account_choice:
        del params["account"]
    filter_count = len([key for key in params if key != "q"])
    context = {
        "search": search,
        "page": page,
        "params": params,
        "terms": search_terms(filters.q),
        "filter_count": filter_count,
        "filtered": bool(params),
        "paged": bool(values.get("cursor")),
        "kind_icons": KIND_ICONS,
    }
    details = htmx(request)
    partial = bool(details) and not details.history_restore_request and details.target == "interaction-results"
    template = "relationships/activity/interaction_list.html"
    response = render(request, f"{template}#results" if partial else template, context)
    if partial:
        query = f"?{params.urlencode()}" if params else ""
        response["HX-Push-Url"] = reverse("relationships:interaction-list") + query
    patch_vary_headers(response, ["HX-Request"])
    return response


# --- detail -----------------------------------------------------------------------------------------


@web_view
def interaction_detail(request: HttpRequest, interaction_id: int) -> HttpResponse:
    who = viewer(request)
    interaction = selectors.interaction_get(who, interaction_id)
    context = {
        "interaction": interaction,
        "can_edit": can_edit_account(who, interaction.account),
        "kind_icon": KIND_ICONS.get(interaction.kind, "bi-chat-left-text"),
    }
    return render(request, "relationships/activity/interaction_detail.html", context)


@require_POST
@web_view
def interaction_delete(request: HttpRequest, interaction_id: int) -> HttpResponse:
    who = viewer(request)
    interaction = selectors.interaction_get(who, interaction_id)
    services.interaction_delete(viewer=who, actor=actor(request), interaction=interaction)
    messages.success(request, _("The interaction was moved to the trash."))
    return redirect("relationships:interaction-list")


# --- create and edit --------------------------------------------------------------------------------


def _interaction_form(
    request: HttpRequest, interaction: Interaction | None, data: QueryDict | None, initial: dict[str, Any]
) -> tuple[InteractionForm, dict[str, Any]]:
    """The form with its choices (accounts, the chosen account's contacts, the people ticked) and what
    the template needs to draw them."""
    who = viewer(request)
    source: Any = data if data is not None else QueryDict(mutable=True)
    if data is not None:
        account_id = source.get("account_id")
        deal_id = source.get("opportunity_id")
        contact_ids = ids_of(source.getlist("contact_ids"))
        participant_ids = ids_of(source.getlist("participant_ids"))
    else:
        account_id = initial.get("account_id")
        deal_id = initial.get("opportunity_id")
        contact_ids = ids_of(initial.get("contact_ids"))
        participant_ids = ids_of(initial.get("participant_ids"))
    accounts, many = editable_account_choices(who, account_id)
    contacts = account_contacts_for(who, account_id)
    known = list(interaction.participants.all()) if interaction is not None else [actor(request)]
    people = chosen_people(who, participant_ids, known)
    form = InteractionForm(
        data,
        initial=initial,
        account_choices=accounts,
        contact_choices=[(contact.pk, contact.name) for contact in contacts],
        people_choices=people,
        opportunity_choices=open_deals_for(who, account_id, deal_id),
    )
    wire_account_field(form, many=many)
    context = {
        "form": form,
        "deal_field": form["opportunity_id"],
        "contacts": contacts,
        "ticked_contacts": set(contact_ids),
        "account_chosen": bool(to_id(account_id)),
        "people": people,
        "ticked_people": set(participant_ids),
        "suggested_people": [p for p in account_team_people(who, account_id) if p[0] not in participant_ids],
        "back_url": safe_next(request, source.get("next") if data is not None else initial.get("next")),
    }
    return form, context


def _after_save(request: HttpRequest, form: InteractionForm, interaction: Interaction) -> HttpResponse:
    target = safe_next(request, form.cleaned_data.get("next"))
    return redirect(target or reverse("accounts:account-detail", args=[interaction.account_id]))


@web_view
def interaction_create(request: HttpRequest) -> HttpResponse:
    who = viewer(request)
    me = actor(request)
    if request.method != "POST":
        initial: dict[str, Any] = {
            "kind": "visit",
            "occurred_at": local_now_value(),
            "participant_ids": [me.pk],
            "next": safe_next(request, request.GET.get("next")) or "",
        }
        contact_id = to_id(request.GET.get("contact"))
        account_id = to_id(request.GET.get("account"))
        if contact_id:
            contact = selectors.contacts_visible(who).filter(pk=contact_id).first()
            if contact is not None and (not account_id or contact.account_id == account_id):
                account_id = contact.account_id
                initial["contact_ids"] = [contact.pk]
        deal_id = to_id(request.GET.get("opportunity"))
        if deal_id:
            from irontriangle.pipeline.selectors import opportunities_visible

            deal = opportunities_visible(who).filter(pk=deal_id).first()
            if deal is not None and (not account_id or deal.account_id == account_id):
                account_id = deal.account_id
                initial["opportunity_id"] = deal.pk
        if account_id and actionable_accounts(who).filter(pk=account_id).exists():
            initial["account_id"] = account_id
        else:
            initial.pop("contact_ids", None)
        form, context = _interaction_form(request, None, None, initial)
        return render(request, "relationships/activity/interaction_form.html", context)
    form, context = _interaction_form(request, None, request.POST, {})
    result = submit(
        form,
        lambda: on_account_field(lambda: services.interaction_create(viewer=who, actor=me, data=form.service_data())),
    )
    if result.saved:
        interaction = result.value
        messages.success(
            request,
            _("%(kind)s with %(account)s was logged.")
            % {"kind": interaction.get_kind_display(), "account": interaction.account.name},
        )
        return _after_save(request, form, interaction)
    return render(request, "relationships/activity/interaction_form.html", context)


@web_view
def interaction_edit(request: HttpRequest, interaction_id: int) -> HttpResponse:
    who = viewer(request)
    interaction = selectors.interaction_get(who, interaction_id)
    if not can_edit_account(who, interaction.account):
        raise Forbidden()
    initial = {
        "kind": interaction.kind,
        "occurred_at": interaction.occurred_at,
        "account_id": interaction.account_id,
        "contact_ids": [contact.pk for contact in interaction.contacts.all()],
        "participant_ids": [person.pk for person in interaction.participants.all()],
        "opportunity_id": interaction.opportunity_id,
        "minutes": interaction.minutes,
        "next_steps": interaction.next_steps,
        "version": interaction.version,
        "next": safe_next(request, request.GET.get("next")) or "",
    }
    if request.method != "POST":
        form, context = _interaction_form(request, interaction, None, initial)
        return render(request, "relationships/activity/interaction_form.html", {**context, "interaction": interaction})
    form, context = _interaction_form(request, interaction, request.POST, initial)
    context["interaction"] = interaction

    def save() -> object:
        return on_account_field(
            lambda: services.interaction_update(
                viewer=who,
                actor=actor(request),
                interaction=interaction,
                data=form.service_data(),
                version=form.cleaned_data.get("version"),
            )
        )

    result = submit(form, save)
    if result.saved:
        messages.success(request, _("Your changes were saved."))
        target = safe_next(request, form.cleaned_data.get("next"))
        return redirect(target or reverse("relationships:interaction-detail", args=[interaction.pk]))
    context["conflict"] = result.conflict
    return render(request, "relationships/activity/interaction_form.html", context, status=result.status)
