"""How web views meet the domain: every page needs a signed-in user, and domain errors become pages."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import wraps
from typing import Any, cast

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse

from irontriangle.common.access import Viewer, viewer_of
from irontriangle.common.errors import Forbidden, InvalidInput, NotFound, VersionConflict
from irontriangle.org.models import User

View = Callable[..., HttpResponse]


def web_view(view: View) -> View:
    """Login required; NotFound answers 404 and Forbidden 403, as the API does."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        try:
            return view(request, *args, **kwargs)
        except NotFound:
            raise Http404() from None
        except Forbidden:
            raise PermissionDenied() from None

    return login_required(wrapper)


def viewer(request: HttpRequest) -> Viewer:
    return viewer_of(request.user)


def actor(request: HttpRequest) -> User:
    """The signed-in person; `web_view` has already sent everyone else to the sign-in page."""
    return cast(User, request.user)


def htmx(request: HttpRequest) -> Any:
    """What django-htmx learnt about the request (falsy when it is a plain page load)."""
    return getattr(request, "htmx", None)


def add_domain_errors(form: Any, error: InvalidInput) -> None:
    """Put each error of a service next to the form field it names, the rest above the form."""
    for item in error.errors:
        form.add_error(item.field if item.field in form.fields else None, str(item.message))
    if not error.errors:
        form.add_error(None, error.detail)


@dataclass
class Submitted:
    """What became of a form sent to a versioned service: saved, refused on its fields, or overtaken."""

    saved: bool
    conflict: VersionConflict | None = None
    value: Any = None  # what the service returned, when it saved

    @property
    def status(self) -> int:
        # 409 tells scripts and tests what the page says: someone else saved first.
        return 409 if self.conflict else 200


def submit(form: Any, save: Callable[[], object]) -> Submitted:
    """Validate the form and call the service: its field errors land on the form, a version conflict is
    returned for the page to explain."""
    if not form.is_valid():
        return Submitted(saved=False)
    try:
        value = save()
    except VersionConflict as conflict:
        return Submitted(saved=False, conflict=conflict)
    except InvalidInput as error:
        add_domain_errors(form, error)
        return Submitted(saved=False)
    return Submitted(saved=True, value=value)
