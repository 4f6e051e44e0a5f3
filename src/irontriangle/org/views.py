"""The signed-in person's own page: who they are, what they may see, and their API tokens."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from irontriangle.common.access import get_visible
from irontriangle.common.errors import InvalidInput
from irontriangle.org import selectors, services
from irontriangle.web import lookups
from irontriangle.web.forms import StyledForm
from irontriangle.web.guards import actor, add_domain_errors, web_view


class TokenForm(StyledForm):
    name = forms.CharField(
        label=gettext_lazy("Token name"),
        max_length=services.TOKEN_NAME_MAX,
        widget=forms.TextInput(attrs={"placeholder": gettext_lazy("e.g. laptop, BI report, CRM sync")}),
    )


def _profile(
    request: HttpRequest, *, form: TokenForm | None = None, new_token: Any = None, raw: str = "", status: int = 200
) -> HttpResponse:
    user = actor(request)
    context = {
        "profile_user": user,
        "units": [(m, lookups.unit_label(m.unit)) for m in selectors.user_memberships(user)],
        "tokens": list(selectors.tokens_of(user)),
        "form": form or TokenForm(),
        "new_token": new_token,
        "raw_token": raw,
        "api_me": request.build_absolute_uri("/api/v1/me"),
    }
    return render(request, "org/profile.html", context, status=status)


@never_cache
@web_view
def profile(request: HttpRequest) -> HttpResponse:
    return _profile(request)


@never_cache
@require_POST
@web_view
def token_create(request: HttpRequest) -> HttpResponse:
    form = TokenForm(request.POST)
    if form.is_valid():
        try:
            token, raw = services.token_issue(user=actor(request), name=form.cleaned_data["name"])
        except InvalidInput as error:
            add_domain_errors(form, error)
        else:
            # The token itself exists only in this response: not in the session, not in a message.
            return _profile(request, new_token=token, raw=raw, status=201)
    return _profile(request, form=form)


@require_POST
@web_view
def token_revoke(request: HttpRequest, token_id: int) -> HttpResponse:
    token = get_visible(selectors.tokens_of(actor(request)), token_id)
    services.token_revoke(token=token)
    messages.success(request, _("The token %(token)s was revoked.") % {"token": f"{token.prefix}…"})
    return redirect("profile")
