"""The battle map page (作战地图: every contract × milestone, filtered live, totalled, exported) and the
collection measures page (ageing, DSO, down payments, money planned against collected)."""

from __future__ import annotations

import dataclasses
from typing import Any, cast

from django import forms
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import render
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext, pgettext_lazy

from irontriangle.accounts.forms import PickerSelect
from irontriangle.collections import battle, measures, selectors
from irontriangle.collections.models import MilestoneStatus, PaymentMilestone
from irontriangle.collections.state import BUCKET_LABELS, BUCKETS
from irontriangle.common.access import Viewer
from irontriangle.common.errors import InvalidInput
from irontriangle.common.pagination import Page, keyset_page
from irontriangle.org.selectors import units_visible
from irontriangle.web import lookups
from irontriangle.web.forms import StyledForm
from irontriangle.web.guards import htmx, viewer, web_view

PAGE_SIZE = 50
LIST_URL = "collections:battle-map"
MEASURES_URL = "collections:collection-measures"


def _picked(label: Any, source: str) -> forms.IntegerField:
    """A person or an account, picked by searching for them."""
    return forms.IntegerField(
        required=False, min_value=1, max_value=2**63 - 1, label=label, widget=PickerSelect(source)
    )


SORTS = [
    ("due", gettext_lazy("Due soonest")),
    ("-due", gettext_lazy("Due latest")),
    ("-amount", gettext_lazy("Largest amount")),
    ("amount", gettext_lazy("Smallest amount")),
    ("-received", gettext_lazy("Most received")),
    ("-updated_at", gettext_lazy("Recently updated")),
]


class BattleSearchForm(StyledForm):
    """The battle map's query string, checked so a hand-edited URL cannot reach the database unshaped."""

    q = forms.CharField(
        required=False,
        max_length=100,
        label=gettext_lazy("Search"),
        widget=forms.TextInput(
            attrs={"type": "search", "placeholder": gettext_lazy("Contract or account"), "autocomplete": "off"}
        ),
    )
    unit = forms.ChoiceField(required=False, label=pgettext_lazy("org unit", "Unit"))
    ar = _picked(gettext_lazy("AR"), "user-options")
    fr = _picked(gettext_lazy("FR"), "user-options")
    account = _picked(gettext_lazy("Account"), "accounts:account-options")
    status = forms.ChoiceField(
        required=False,
        label=gettext_lazy("Status"),
        choices=[("", gettext_lazy("Any status")), *MilestoneStatus.choices],
    )
    bucket = forms.ChoiceField(
        required=False,
        label=gettext_lazy("Ageing"),
        choices=[("", gettext_lazy("Any ageing")), *[(code, label) for code, label, *_rest in BUCKETS]],
    )
    sort = forms.ChoiceField(required=False, label=gettext_lazy("Sort"), choices=SORTS)
    cursor = forms.CharField(required=False, max_length=500)

    def __init__(
        self,
        *args: Any,
        units: list[tuple[str, str]],
        people: dict[str, tuple[int, str] | None],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["unit"]).choices = [("", _("Every unit")), *units]
        empties = {"ar": _("Anyone"), "fr": _("Anyone"), "account": _("Any account")}
        for name, empty in empties.items():
            chosen = people.get(name)
            cast(PickerSelect, self.fields[name].widget).choices = [("", empty), *([chosen] if chosen else [])]
        self.people = people

    def value(self, name: str) -> Any:
        return getattr(self, "cleaned_data", {}).get(name)

    def filters(self, unit_id: int | None) -> selectors.BattleFilters:
        unit_chosen = bool(self.value("unit"))
        return selectors.BattleFilters(
            q=self.value("q") or "",
            # A unit that is not offered (or no longer exists) matches nothing rather than everything.
            unit_id=(unit_id or 0) if unit_chosen else None,
            # People and accounts the viewer cannot see are dropped, as on every other list.
            ar_id=self.value("ar") if self.people.get("ar") else None,
            fr_id=self.value("fr") if self.people.get("fr") else None,
            account_id=self.value("account") if self.people.get("account") else None,
            status=self.value("status") or "",
            bucket=self.value("bucket") or "",
            sort=self.value("sort") or SORTS[0][0],
        )

    def sort_label(self) -> str:
        return str(dict(SORTS).get(self.value("sort") or SORTS[0][0], SORTS[0][1]))

    def active_filters(self) -> list[tuple[str, str]]:
        """(parameter, readable value) of each filter in use, for the chips above the results."""
        shown = []
        for name in ("q", "unit", "ar", "fr", "account", "status", "bucket"):
            value = self.value(name)
            if not value:
                continue
            field = self.fields[name]
            if name in self.people:
                chosen = self.people[name]
                if not chosen:
                    continue
                value = chosen[1]
            elif isinstance(field, forms.ChoiceField):
                value = str(dict(cast(Any, field.choices)).get(value, value)).strip()
            shown.append((name, f"{field.label}: {value}"))
        return shown


def _int(value: Any) -> int | None:
    try:
        number = int(value)
    except (TypeError, ValueError):
        return None
    return number if 0 < number < 2**63 else None


def _unit_choices(who: Viewer) -> list[tuple[str, str]]:
    # Finance follow every collection, so they may narrow the map to any unit, as readers of everything do.
    return lookups.unit_filter_choices(dataclasses.replace(who, read_all=True) if who.finance else who)


def _search(request: HttpRequest, who: Viewer, *, with_choices: bool = True) -> tuple[BattleSearchForm, Any]:
    people = {
        "ar": lookups.user_choice(who, _int(request.GET.get("ar"))),
        "fr": lookups.user_choice(who, _int(request.GET.get("fr"))),
        "account": lookups.account_choice(who, _int(request.GET.get("account"))),
    }
    units = _unit_choices(who) if with_choices else []
    search = BattleSearchForm(request.GET, units=units, people=people)
    if not with_choices:
        # The export offers no select: any code passes and the lookup below decides.
        search.fields["unit"] = forms.SlugField(required=False, max_length=40)
    search.is_valid()  # an invalid filter is dropped, never sent to the database
    code = search.value("unit")
    unit_id = units_visible(who).filter(code=code).values_list("pk", flat=True).first() if code else None
    return search, search.filters(unit_id)


def _params(values: dict[str, Any]) -> QueryDict:
    """The query string as it stands, empty and default values left out: what links and the export keep."""
    params = QueryDict(mutable=True)
    for key, value in values.items():
        if key == "cursor" or value in (None, "") or (key == "sort" and value == SORTS[0][0]):
            continue
        params[key] = str(value)
    return params


def _url(name: str, params: QueryDict, **changes: Any) -> str:
    query = params.copy()
    for key, value in changes.items():
        query.pop(key, None)
        if value not in (None, ""):
            query[key] = str(value)
    return reverse(name) + (f"?{query.urlencode()}" if query else "")


def _labelled(rows: list[PaymentMilestone]) -> list[PaymentMilestone]:
    """Readable status and ageing on each row (both are computed by the database, not model fields)."""
    for row in rows:
        state = cast(Any, row)
        state.status_label = MilestoneStatus(state.current_status).label
        state.bucket_label = BUCKET_LABELS.get(state.bucket, "")
        state.evidence_missing = row.evidence_present < row.evidence_needed
    return rows


@web_view
def battle_map(request: HttpRequest) -> HttpResponse:
    who = viewer(request)
    search, filters = _search(request, who)
    rows = selectors.battle_map(who, filters)
    cursor = search.value("cursor") or None
    try:
        page: Page[PaymentMilestone] = keyset_page(rows, order=filters.sort, cursor=cursor, limit=PAGE_SIZE)
    except InvalidInput:
        # A stale or hand-edited cursor: start again from the first page rather than fail.
        page = keyset_page(rows, order=filters.sort, cursor=None, limit=PAGE_SIZE)
        cursor = None
    # The cards show every bucket of what the other filters match, so that one click moves between them.
    buckets = battle.bucket_totals(selectors.battle_map(who, dataclasses.replace(filters, bucket="")))
    params = _params(getattr(search, "cleaned_data", {}))
    active = search.active_filters()
    context = {
        "search": search,
        "page": page,
        "rows": _labelled(page.items),
        "totals": battle.totals(rows),
        "buckets": [
            (entry, _url(LIST_URL, params, bucket="" if entry.code == filters.bucket else entry.code, cursor=None))
            for entry in buckets
        ],
        "current_bucket": filters.bucket,
        "params": params,
        "filter_chips": [(label, _url(LIST_URL, params, **{name: None})) for name, label in active],
        "filter_count": len([name for name, _label in active if name != "q"]),
        "sort_label": search.sort_label(),
        "paged": bool(cursor),
        "export_url": _url("collections:battle-map-xlsx", params),
        "page_url": _url(LIST_URL, params),
    }
    details = htmx(request)
    partial = bool(details) and not details.history_restore_request
    template = "collections/battle_map.html#results" if partial else "collections/battle_map.html"
    response = render(request, template, context)
    if partial:
        response["HX-Push-Url"] = context["page_url"]
    patch_vary_headers(response, ["HX-Request"])
    return response


@web_view
def battle_map_export(request: HttpRequest) -> HttpResponse:
    """The rows the page shows, every page of them, in the page's order."""
    who = viewer(request)
    _search_form, filters = _search(request, who, with_choices=False)
    return battle.export_response(selectors.battle_map(who, filters), filters.sort)


# --- measures ----------------------------------------------------------------------------------------

GROUP_CHOICES = [("unit", pgettext_lazy("org unit", "Unit")), ("ar", gettext_lazy("AR")), ("fr", gettext_lazy("FR"))]
PERIODS = [30, 90, 180, 365]


class MeasuresForm(forms.Form):
    group = forms.ChoiceField(required=False, choices=GROUP_CHOICES)
    days = forms.TypedChoiceField(required=False, coerce=int, choices=[(str(days), str(days)) for days in PERIODS])


def _money(value: Any) -> float:
    # Charts draw floats; the tables beside them show the exact decimals.
    return float(value)


def _month(day: Any) -> str:
    # The language's own year-month order (2026年1月, January 2026), with short month names on the axis.
    return formats.date_format(day, str(formats.get_format("YEAR_MONTH_FORMAT")).replace("F", "M"))


@web_view
def collection_measures(request: HttpRequest) -> HttpResponse:
    who = viewer(request)
    form = MeasuresForm(request.GET)
    form.is_valid()
    values = getattr(form, "cleaned_data", {})
    group = values.get("group") or "unit"
    days = values.get("days") or 90
    today = timezone.localdate()
    unnamed = _("Unassigned")
    figures = measures.report(who, group, today, days)
    ageing, cycle, down_payments, months = figures.ageing, figures.cycle, figures.down_payment, figures.monthly
    monthly_chart = {
        "categories": [_month(row.month) for row in months],
        "current": next((index for index, row in enumerate(months) if row.month > today), len(months)) - 1,
        "ahead": _("Months ahead"),
        "series": [
            {"name": pgettext("money", "Planned"), "data": [_money(row.planned) for row in months]},
            {"name": _("Collected"), "data": [_money(row.collected) for row in months]},
        ],
    }
    ageing_chart = {
        "categories": [row.label or unnamed for row in ageing],
        "stack": True,
        "series": [
            {"name": str(label), "code": code, "data": [_money(row.buckets[code]) for row in ageing]}
            for code, label, *_rest in BUCKETS
        ],
    }
    group_links = [
        (code, label, _url(MEASURES_URL, QueryDict(mutable=True), group=code, days=days if days != 90 else None))
        for code, label in GROUP_CHOICES
    ]
    period_links = [
        (period, _url(MEASURES_URL, QueryDict(mutable=True), group=group if group != "unit" else None, days=period))
        for period in PERIODS
    ]
    context = {
        "group": group,
        "group_label": dict(GROUP_CHOICES)[group],
        "days": days,
        "group_links": group_links,
        "period_links": period_links,
        "ageing": ageing,
        "bucket_headers": [(code, label) for code, label, *_rest in BUCKETS],
        "ageing_table": [(row, [(label, row.buckets[code]) for code, label, *_rest in BUCKETS]) for row in ageing],
        "cycle": cycle,
        "down_payments": down_payments,
        "months": months,
        "monthly_chart": monthly_chart,
        "ageing_chart": ageing_chart,
        "unnamed": unnamed,
        "totals": {
            "planned": sum((row.planned for row in months), measures.ZERO),
            "collected": sum((row.collected for row in months), measures.ZERO),
            "outstanding": sum((row.total for row in ageing), measures.ZERO),
        },
    }
    return render(request, "collections/measures.html", context)
