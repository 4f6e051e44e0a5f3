"""Opportunity review meetings: the list with a form to hold a new one, and a meeting's page where the deals
looked at are recorded with their decisions. Thin: selectors in, services out."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from irontriangle.common.access import Viewer
from irontriangle.common.errors import InvalidInput
from irontriangle.common.pagination import keyset_page
from irontriangle.org.selectors import users_visible
from irontriangle.pipeline import selectors, services
from irontriangle.pipeline.forms_leads import ReviewForm, ReviewItemForm
from irontriangle.pipeline.models import ReviewMeeting
from irontriangle.web import lookups
from irontriangle.web.guards import actor, add_domain_errors, viewer, web_view

PAGE_SIZE = 50
PEOPLE_SHOWN = 300
OPPORTUNITIES_SHOWN = 300


def _people(who: Viewer) -> list[tuple[int, str]]:
    people = users_visible(who).prefetch_related(None).order_by("username", "pk")[:PEOPLE_SHOWN]
    return [(user.pk, lookups.user_label(user)) for user in people]


def _review_form(who: Viewer, data: Any = None) -> ReviewForm:
    return ReviewForm(data, unit_choices=lookups.owner_unit_choices(who), people=_people(who))


@web_view
def review_list(request: HttpRequest) -> HttpResponse:
    """The meetings the viewer chaired, joined or whose unit they belong to or manage, newest first; a POST
    holds a new one."""
    who = viewer(request)
    form = None
    if request.method == "POST":
        form = _review_form(who, request.POST)
        if form.is_valid():
            try:
                meeting = services.review_create(viewer=who, actor=actor(request), data=form.cleaned_data)
            except InvalidInput as error:
                add_domain_errors(form, error)
            else:
                messages.success(request, _("The review meeting %(title)s was created.") % {"title": meeting.title})
                return redirect("pipeline:review-detail", meeting_id=meeting.pk)
    cursor = request.GET.get("cursor") or None
    try:
        page = keyset_page(selectors.reviews_visible(who), order="-held_on", cursor=cursor, limit=PAGE_SIZE)
    except InvalidInput:
        page = keyset_page(selectors.reviews_visible(who), order="-held_on", cursor=None, limit=PAGE_SIZE)
    context = {
        "page": page,
        "form": form or _review_form(who),
        "open_form": form is not None,
        "paged": bool(cursor),
    }
    return render(request, "pipeline/review_list.html", context, status=400 if form is not None else 200)


def _opportunity_choices(who: Viewer) -> list[tuple[int, str]]:
    """Open deals the viewer may see, most recently touched first: all a meeting may put on the table."""
    deals = (
        selectors.opportunities_visible(who)
        .filter(stage__outcome="")
        .order_by("-updated_at", "-pk")
        .values_list("pk", "name", "account__name")[:OPPORTUNITIES_SHOWN]
    )
    return [(pk, f"{name} · {account}") for pk, name, account in deals]


def detail_context(who: Viewer, meeting: ReviewMeeting, *, item_form: ReviewItemForm | None = None) -> dict[str, Any]:
    can_run = services.can_run_review(who, meeting)
    return {
        "meeting": meeting,
        "items": selectors.review_items(who, meeting),
        "participants": list(meeting.participants.all()),
        "can_run": can_run,
        "item_form": item_form or (ReviewItemForm(opportunities=_opportunity_choices(who)) if can_run else None),
        "open_item_form": item_form is not None,
    }


@web_view
def review_detail(request: HttpRequest, meeting_id: int) -> HttpResponse:
    who = viewer(request)
    meeting = selectors.review_get(who, meeting_id)
    return render(request, "pipeline/review_detail.html", detail_context(who, meeting))


@require_POST
@web_view
def review_item_add(request: HttpRequest, meeting_id: int) -> HttpResponse:
    who = viewer(request)
    meeting = selectors.review_get(who, meeting_id)
    form = ReviewItemForm(request.POST, opportunities=_opportunity_choices(who))
    if form.is_valid():
        try:
            services.review_item_add(viewer=who, actor=actor(request), meeting=meeting, data=form.cleaned_data)
        except InvalidInput as error:
            add_domain_errors(form, error)
    if form.errors:
        context = detail_context(who, meeting, item_form=form)
        return render(request, "pipeline/review_detail.html", context, status=400)
    messages.success(request, _("The decision was recorded."))
    return redirect(reverse("pipeline:review-detail", args=[meeting.pk]) + "#items")


@require_POST
@web_view
def review_item_remove(request: HttpRequest, meeting_id: int, item_id: int) -> HttpResponse:
    who = viewer(request)
    meeting = selectors.review_get(who, meeting_id)
    services.review_item_remove(viewer=who, actor=actor(request), meeting=meeting, item_id=item_id)
    messages.success(request, _("The opportunity was taken off the meeting."))
    return redirect(reverse("pipeline:review-detail", args=[meeting.pk]) + "#items")
