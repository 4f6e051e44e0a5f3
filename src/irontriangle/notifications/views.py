"""The bell's page: the caller's notifications, newest first, in the reader's language."""

from __future__ import annotations

from django import forms
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import get_language
from django.views.decorators.http import require_POST

from irontriangle.common.errors import InvalidInput
from irontriangle.common.pagination import keyset_page
from irontriangle.notifications import selectors, services
from irontriangle.web.guards import viewer, web_view

PAGE_SIZE = 30


class _PageForm(forms.Form):
    cursor = forms.CharField(required=False, max_length=500)
    unread = forms.BooleanField(required=False)


@web_view
def notification_list(request: HttpRequest) -> HttpResponse:
    params = _PageForm(request.GET)
    params.is_valid()
    rows = selectors.notifications_of(viewer(request)).select_related("event")
    unread_only = params.cleaned_data.get("unread", False)
    if unread_only:
        rows = rows.filter(read_at__isnull=True)
    try:
        page = keyset_page(rows, order="-id", cursor=params.cleaned_data.get("cursor") or None, limit=PAGE_SIZE)
    except InvalidInput:
        page = keyset_page(rows, order="-id", cursor=None, limit=PAGE_SIZE)
    chinese = (get_language() or "").startswith("zh")
    items = [(n, n.title_zh if chinese else n.title_en) for n in page.items]
    context = {"items": items, "page": page, "unread_only": unread_only}
    return render(request, "notifications/list.html", context)


def _local(request: HttpRequest, link: str) -> bool:
    """Links are written by the product; still, never bounce a reader to another site."""
    return bool(link) and link.startswith("/") and url_has_allowed_host_and_scheme(link, allowed_hosts=None)


@require_POST
@web_view
def notification_open(request: HttpRequest, notification_id: int) -> HttpResponse:
    notification = services.notification_mark_read(viewer=viewer(request), notification_id=notification_id)
    if _local(request, notification.link):
        return redirect(notification.link)
    return redirect("notifications:list")


@require_POST
@web_view
def notification_read(request: HttpRequest, notification_id: int) -> HttpResponse:
    services.notification_mark_read(viewer=viewer(request), notification_id=notification_id)
    back = request.POST.get("next", "")
    return redirect(back if _local(request, back) else "notifications:list")


@require_POST
@web_view
def notification_read_all(request: HttpRequest) -> HttpResponse:
    services.notifications_mark_all_read(viewer=viewer(request))
    return redirect("notifications:list")
