"""Organisational relationship pages: the activities with S / A accounts (alignment meetings, executive
visits, strategic agreements, joint innovation centres) and whether each account's cadence is on time."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from irontriangle.accounts.forms import PickerSelect
from irontriangle.accounts.selectors import accounts_visible, can_edit_account
from irontriangle.common.errors import Forbidden, InvalidInput
from irontriangle.org.models import User
from irontriangle.relationships import selectors, services
from irontriangle.relationships.cadence import cadence_targets, org_cadences
from irontriangle.relationships.forms_activity import ORG_KIND_ICONS, OrgActivityForm, OrgActivitySearchForm
from irontriangle.relationships.models import OrgActivity, OrgActivityKind
from irontriangle.relationships.risks import actionable_accounts
from irontriangle.relationships.views_activity import (
    account_contacts_for,
    account_team_people,
    chosen_people,
    editable_account_choices,
    ids_of,
    on_account_field,
    to_id,
    wire_account_field,
)
from irontriangle.web import lookups
from irontriangle.web.guards import actor, submit, viewer, web_view

PAGE_SIZE = 30
# The cadence table covers at most this many S / A accounts (the risk radar and alerts cover the rest).
CADENCE_ACCOUNTS = 100


@web_view
def org_activity_list(request: HttpRequest) -> HttpResponse:
    who = viewer(request)
    account_choice = lookups.account_choice(who, to_id(request.GET.get("account")) or None)
    search = OrgActivitySearchForm(request.GET, account_choices=[account_choice] if account_choice else [])
    search.fields["account"].widget = PickerSelect("accounts:account-options", attrs={"class": "form-select"})
    search.fields["account"].widget.choices = search.fields["account"].choices  # type: ignore[attr-defined]
    search.is_valid()
    values = search.cleaned_data
    account_id = values.get("account") if account_choice else None
    filters = selectors.OrgActivityFilters(account_id=account_id, kind=values.get("kind", ""))
    try:
        page = selectors.org_activities_page(who, filters, cursor=values.get("cursor") or None, limit=PAGE_SIZE)
    except InvalidInput:
        page = selectors.org_activities_page(who, filters, cursor=None, limit=PAGE_SIZE)
    today = timezone.localdate()
    # Only tiers with a cadence target are worth the table: S and A by default.
    tiers = list(cadence_targets())
    accounts = accounts_visible(who).filter(tier__in=tiers).order_by("name", "pk")
    if account_id is not None:
        accounts = accounts.filter(pk=account_id)
    cadences = org_cadences(list(accounts[:CADENCE_ACCOUNTS]), today)
    if values.get("kind"):
        cadences = [cadence for cadence in cadences if cadence.kind == values["kind"]]
    rows = sorted(
        ((cadence, cadence.overdue(today)) for cadence in cadences),
        key=lambda row: (not row[1], row[0].due_on, row[0].account.name),
    )
    overdue_count = sum(1 for _cadence, overdue in rows if overdue)
    if values.get("overdue"):
        rows = [row for row in rows if row[1]]
    editable = set(
        actionable_accounts(who)
        .filter(pk__in={activity.account_id for activity in page.items})
        .values_list("pk", flat=True)
    )
    params = QueryDict(mutable=True)
    for key, value in values.items():
        if key != "cursor" and value not in (None, "", False):
            params[key] = "1" if value is True else str(value)
    if "account" in params and not account_choice:
        del params["account"]
    context = {
        "search": search,
        "page": page,
        "params": params,
        "paged": bool(values.get("cursor")),
        "cadence_rows": rows,
        "overdue_count": overdue_count,
        "editable": editable,
        "kind_icons": ORG_KIND_ICONS,
        "agreement": OrgActivityKind.STRATEGIC_AGREEMENT,
        "today": today,
    }
    return render(request, "relationships/activity/org_activity_list.html", context)


def _org_form(
    request: HttpRequest, activity: OrgActivity | None, data: QueryDict | None, initial: dict[str, Any]
) -> tuple[OrgActivityForm, dict[str, Any]]:
    who = viewer(request)
    if data is not None:
        account_id: Any = data.get("account_id")
        contact_ids = ids_of(data.getlist("contact_ids"))
        participant_ids = ids_of(data.getlist("participant_ids"))
    else:
        account_id = initial.get("account_id")
        contact_ids = ids_of(initial.get("contact_ids"))
        participant_ids = ids_of(initial.get("participant_ids"))
    accounts, many = editable_account_choices(who, account_id)
    contacts = account_contacts_for(who, account_id)
    known: list[User] = list(activity.participants.all()) if activity is not None else [actor(request)]
    people = chosen_people(who, participant_ids, known)
    form = OrgActivityForm(
        data,
        initial=initial,
        account_choices=accounts,
        contact_choices=[(contact.pk, contact.name) for contact in contacts],
        people_choices=people,
    )
    form.fields["kind"].widget.attrs["data-activity-kind"] = "1"
    if activity is not None:
        # An activity stays with its account; moving it would rewrite another account's cadence.
        form.fields["account_id"].disabled = True
        form.fields["account_id"].widget.attrs["class"] += " d-none"
    else:
        wire_account_field(form, many=many)
    context = {
        "form": form,
        "activity": activity,
        "contacts": contacts,
        "ticked_contacts": set(contact_ids),
        "account_chosen": bool(to_id(account_id)),
        "people": people,
        "ticked_people": set(participant_ids),
        "suggested_people": [p for p in account_team_people(who, account_id) if p[0] not in participant_ids],
        "agreement": OrgActivityKind.STRATEGIC_AGREEMENT,
        "kind_icons": ORG_KIND_ICONS,
    }
    return form, context


TEMPLATE = "relationships/activity/org_activity_form.html"


@web_view
def org_activity_create(request: HttpRequest) -> HttpResponse:
    who = viewer(request)
    if request.method != "POST":
        initial: dict[str, Any] = {
            "kind": request.GET.get("kind") or OrgActivityKind.STRATEGIC_ALIGNMENT_MEETING,
            "occurred_on": timezone.localdate(),
            "participant_ids": [request.user.pk],
        }
        account_id = to_id(request.GET.get("account"))
        if account_id and actionable_accounts(who).filter(pk=account_id).exists():
            initial["account_id"] = account_id
        _form, context = _org_form(request, None, None, initial)
        return render(request, TEMPLATE, context)
    form, context = _org_form(request, None, request.POST, {})
    result = submit(
        form,
        lambda: on_account_field(
            lambda: services.org_activity_create(viewer=who, actor=actor(request), data=form.service_data())
        ),
    )
    if result.saved:
        activity = result.value
        messages.success(
            request,
            _("%(kind)s with %(account)s was recorded.")
            % {"kind": activity.get_kind_display(), "account": activity.account.name},
        )
        return redirect(reverse("relationships:org-activity-list") + f"?account={activity.account_id}")
    return render(request, TEMPLATE, context)


@web_view
def org_activity_edit(request: HttpRequest, activity_id: int) -> HttpResponse:
    who = viewer(request)
    activity = selectors.org_activity_get(who, activity_id)
    if not can_edit_account(who, activity.account):
        raise Forbidden()
    initial = {
        "kind": activity.kind,
        "account_id": activity.account_id,
        "occurred_on": activity.occurred_on,
        "title": activity.title,
        "participant_ids": [person.pk for person in activity.participants.all()],
        "contact_ids": [contact.pk for contact in activity.contacts.all()],
        "outcome": activity.outcome,
        "key_projects": activity.key_projects,
        "exclusive": activity.exclusive,
        "valid_until": activity.valid_until,
        "version": activity.version,
    }
    if request.method != "POST":
        _form, context = _org_form(request, activity, None, initial)
        return render(request, TEMPLATE, context)
    form, context = _org_form(request, activity, request.POST, initial)
    result = submit(
        form,
        lambda: services.org_activity_update(
            viewer=who,
            actor=actor(request),
            activity=activity,
            data={key: value for key, value in form.service_data().items() if key != "account_id"},
            version=form.cleaned_data["version"],
        ),
    )
    if result.saved:
        messages.success(request, _("Your changes were saved."))
        return redirect(reverse("relationships:org-activity-list") + f"?account={activity.account_id}")
    context["conflict"] = result.conflict
    return render(request, TEMPLATE, context, status=result.status)


@require_POST
@web_view
def org_activity_delete(request: HttpRequest, activity_id: int) -> HttpResponse:
    who = viewer(request)
    activity = selectors.org_activity_get(who, activity_id)
    services.org_activity_delete(viewer=who, actor=actor(request), activity=activity)
    messages.success(request, _("The activity was moved to the trash."))
    return redirect("relationships:org-activity-list")
