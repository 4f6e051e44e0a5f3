"""The landing page, the trash and the people picker; the apps' own pages live in their views."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from irontriangle.common import trash
from irontriangle.notifications.selectors import notifications_of
from irontriangle.web import lookups
from irontriangle.web.guards import viewer, web_view
from irontriangle.web.summaries import account_mix

LATEST_NOTIFICATIONS = 5


@web_view
def home(request: HttpRequest) -> HttpResponse:
    who = viewer(request)
    if who.external:
        return redirect("partner-portal")
    mix = account_mix(who)
    chinese = (get_language() or "").startswith("zh")
    latest = notifications_of(who).order_by("-id")[:LATEST_NOTIFICATIONS]
    context = {
        "mix": mix,
        "chart": {"categories": [label for _code, label in mix.tiers], "series": mix.series()},
        "latest": [(n, n.title_zh if chinese else n.title_en) for n in latest],
    }
    return render(request, "web/home.html", context)


def _admin_only(request: HttpRequest) -> None:
    # The trash is not a page others are refused: for them it does not exist.
    if not viewer(request).is_admin:
        raise Http404()


@web_view
def trash_list(request: HttpRequest) -> HttpResponse:
    _admin_only(request)
    return render(request, "web/trash.html", {"items": trash.trash_list(viewer(request))})


@require_POST
@web_view
def trash_restore(request: HttpRequest, kind: str, record_id: int) -> HttpResponse:
    _admin_only(request)
    who = viewer(request)
    record = trash.trash_get(who, kind, record_id)
    restored = trash.trash_restore(who, request.user, record)
    messages.success(request, _("%(record)s was restored.") % {"record": restored})
    return redirect("trash")


@web_view
def user_options(request: HttpRequest) -> HttpResponse:
    """`<option>`s for the people pickers (owner, team member)."""
    choices = lookups.user_choices(viewer(request), request.GET.get("q", ""))
    return render(request, "web/widgets/options.html", {"choices": choices})
