"""The wall around partner logins (SPEC §1): an external user reaches its deal registrations, the deals
shared with it, its notifications and its own profile, and every other address answers 404, exactly as
if it did not exist. Selectors filter what such a user sees; this gate keeps it off every other page and
endpoint, so a new screen is closed to partners until it is opened here on purpose."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse

from irontriangle.common.errors import NotFound

API_PREFIX = "/api/v1/"
ID = r"[0-9]+"

# (methods, path under /api/v1/)
API_OPEN: list[tuple[frozenset[str], re.Pattern[str]]] = [
    (frozenset({"GET"}), re.compile(r"^(me|meta/enums)$")),
    (frozenset({"GET", "POST"}), re.compile(rf"^notifications(/{ID}/read|/read-all)?$")),
    (frozenset({"GET", "POST"}), re.compile(r"^deal-registrations$")),
    (frozenset({"GET"}), re.compile(rf"^deal-registrations/{ID}$")),
    (frozenset({"POST"}), re.compile(rf"^deal-registrations/{ID}/withdraw$")),
    (frozenset({"GET"}), re.compile(rf"^opportunities(/{ID})?$")),
    (frozenset({"GET"}), re.compile(rf"^partners(/{ID})?$")),
]

WEB_OPEN = re.compile(
    r"^/(partner/.*|registrations/[0-9]+/|login/|logout/|i18n/.*|static/.*|notifications/.*|profile/.*|favicon\.ico|healthz.*)?$"
)


def api_allows(method: str, path: str) -> bool:
    relative = path[len(API_PREFIX) :] if path.startswith(API_PREFIX) else path.lstrip("/")
    relative = relative.rstrip("/")
    return any(method in methods and pattern.match(relative) for methods, pattern in API_OPEN)


def check_api(request: HttpRequest, user: Any) -> None:
    if getattr(user, "is_external", False) and not api_allows(request.method or "GET", request.path):
        raise NotFound()


class PartnerGateMiddleware:
    """Web pages: a partner login that strays outside its portal gets the ordinary 404 page."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(self, request: HttpRequest, view: Any, args: Any, kwargs: Any) -> None:
        # After URL resolution, so the 404 page renders exactly as for any missing page.
        user = getattr(request, "user", None)
        if (
            user is not None
            and getattr(user, "is_external", False)
            and not request.path.startswith(API_PREFIX)
            and not WEB_OPEN.match(request.path)
        ):
            raise Http404()
