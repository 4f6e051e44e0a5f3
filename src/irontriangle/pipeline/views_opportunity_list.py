"""The opportunity list (live filters, keyset pages, cards on phones) and its CSV / XLSX export."""

from __future__ import annotations

from typing import Any, cast

from django.http import HttpRequest, HttpResponse, QueryDict, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _

from irontriangle.common.access import Viewer
from irontriangle.common.errors import InvalidInput
from irontriangle.common.importing import run_export
from irontriangle.common.pagination import Page
from irontriangle.common.restricted import restricted_fields
from irontriangle.common.tabular import CONTENT_TYPES, csv_chunks, table_bytes
from irontriangle.pipeline import selectors
from irontriangle.pipeline.exporting import OPPORTUNITIES
from irontriangle.pipeline.forms_board import SORTS, OpportunitySearchForm
from irontriangle.pipeline.models import Opportunity
from irontriangle.web import lookups
from irontriangle.web.guards import add_domain_errors, htmx, viewer, web_view

PAGE_SIZE = 50
LIST_URL = "pipeline:opportunity-list"


def margins_queryable(who: Viewer) -> bool:
    """Whether the viewer may sort and filter by margin: only if they see it on every deal."""
    rule = restricted_fields(Opportunity).get("margin_percent")
    return rule is None or rule(who, None)


def _params(values: dict[str, Any]) -> QueryDict:
    """The query string as it stands, empty and default values left out: what links keep."""
    params = QueryDict(mutable=True)
    for key, value in values.items():
        if key == "cursor" or value in (None, "", False) or (key == "sort" and value == SORTS[0][0]):
            continue
        params[key] = "1" if value is True else str(value)
    return params


def _without(params: QueryDict, name: str) -> str:
    rest = params.copy()
    rest.pop(name, None)
    return reverse(LIST_URL) + (f"?{rest.urlencode()}" if rest else "")


@web_view
def opportunity_list(request: HttpRequest) -> HttpResponse:
    who = viewer(request)
    processes = selectors.processes()
    owner_choice = lookups.user_choice(who, _int(request.GET.get("owner")))
    margins = margins_queryable(who)
    search = OpportunitySearchForm(request.GET, processes=processes, owner_choice=owner_choice, margins=margins)
    search.is_valid()  # an invalid filter is dropped, never sent to the database
    values = search.cleaned_data
    filters = search.filters()
    page: Page[Opportunity] = Page(items=[], next_cursor=None)
    try:
        try:
            page = selectors.opportunities_page(who, filters, cursor=values.get("cursor") or None, limit=PAGE_SIZE)
        except InvalidInput as error:
            if not any(item.field == "cursor" for item in error.errors):
                raise
            # A stale or hand-edited cursor: start again from the first page rather than fail.
            page = selectors.opportunities_page(who, filters, cursor=None, limit=PAGE_SIZE)
    except InvalidInput as error:
        # A margin sort or filter from someone who may not see every margin: said, not answered.
        add_domain_errors(search, error)
    params = _params(values)
    active = search.active_filters(owner_choice[1] if owner_choice else "")
    rows = page.items
    context = {
        "search": search,
        "page": page,
        "rows": rows,
        "params": params,
        "filter_chips": [(label, _without(params, name)) for name, label in active],
        "filter_count": len([name for name, _label in active if name != "q"]),
        "sort_label": search.sort_label(),
        "paged": bool(values.get("cursor")),
        "margin_column": any(getattr(deal, "margin_visible", False) for deal in rows),
        "margins_queryable": margins,
        "search_errors": [
            *search.non_field_errors(),
            *[m for name in search.fields for m in search.errors.get(name, [])],
        ],
    }
    details = htmx(request)
    partial = bool(details) and not details.history_restore_request
    template = "pipeline/opportunity_list.html#results" if partial else "pipeline/opportunity_list.html"
    response = render(request, template, context)
    if partial:
        response["HX-Push-Url"] = reverse(LIST_URL) + (f"?{params.urlencode()}" if params else "")
    patch_vary_headers(response, ["HX-Request"])
    return response


def _int(value: Any) -> int | None:
    try:
        number = int(value)
    except (TypeError, ValueError):
        return None
    return number if 0 < number < 2**63 else None


@web_view
def opportunity_export(request: HttpRequest, fmt: str) -> HttpResponse:
    """The deals the person sees, narrowed and ordered as on the list; margins only where they see them."""
    who = viewer(request)
    search = OpportunitySearchForm(request.GET, margins=margins_queryable(who))
    search.is_valid()
    filters = search.filters()
    try:
        selectors.filtered_opportunities(who, filters)  # refuses a margin sort or filter before streaming
    except InvalidInput:
        # The list says why; the file is not started.
        return redirect(reverse(LIST_URL) + (f"?{request.GET.urlencode()}" if request.GET else ""))
    headers, rows = run_export(OPPORTUNITIES, who, filters=filters, localised=True)
    if fmt == "csv":
        body: Any = csv_chunks(headers, rows)
    else:
        title = str(OPPORTUNITIES.label)

        def body_xlsx() -> Any:
            yield table_bytes("xlsx", headers, rows, title=title)

        body = body_xlsx()
    response = StreamingHttpResponse(body, content_type=CONTENT_TYPES[fmt])
    filename = f"{_('opportunities')}-{timezone.localdate().isoformat()}.{fmt}"
    response["Content-Disposition"] = content_disposition_header(True, filename) or "attachment"
    return cast(HttpResponse, response)
