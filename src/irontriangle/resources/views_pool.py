"""The pool on the web: who is in it and how busy they are this week, adding and editing entries, the
assignments calendar over eight weeks, and the reports of the pool and its requests."""

from __future__ import annotations

from collections import defaultdict
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from irontriangle.common.access import Viewer
from irontriangle.common.errors import Forbidden, NotFound
from irontriangle.org.models import User
from irontriangle.org.selectors import units_visible
from irontriangle.resources import capacity, reports, selectors, services
from irontriangle.resources.forms import PoolFilterForm, ResourceForm
from irontriangle.resources.models import RequestStatus, Resource, SupportTier
from irontriangle.web import lookups
from irontriangle.web.guards import actor, submit, viewer, web_view

POOL_LIMIT = 200
CALENDAR_WEEKS = 8
ASSIGNMENTS_SHOWN = 200
REPORT_WEEKS = (1, 4, 8, 13)


def _pool_units(who: Viewer) -> list[tuple[str, str]]:
    seen: dict[str, str] = {}
    for code, name, name_en in (
        selectors.pool_visible(who).order_by("unit__path").values_list("unit__code", "unit__name", "unit__name_en")
    ):
        seen.setdefault(code, name_en if name_en and not _is_chinese() else name)
    return list(seen.items())


def _is_chinese() -> bool:
    from django.utils.translation import get_language

    return (get_language() or "").startswith("zh")


def _managed_units(who: Viewer) -> list[tuple[str, str]]:
    return [
        (unit.code, lookups.unit_label(unit))
        for unit in units_visible(who)
        if selectors.can_manage_unit(who, unit.path)
    ]


def may_add_to_pool(who: Viewer) -> bool:
    return not who.external and bool(who.is_admin or who.middle_office or who.managed_paths)


def _bar_class(percent: Decimal) -> str:
    if percent > 100:
        return "over"
    if percent >= 80:
        return "high"
    if percent > 0:
        return "ok"
    return "idle"


@web_view
def pool_list(request: HttpRequest) -> HttpResponse:
    who = viewer(request)
    if who.external:
        raise NotFound()
    form = PoolFilterForm(request.GET or None, units=_pool_units(who))
    values = form.cleaned_data if form.is_valid() else {}
    filters = selectors.PoolFilters(
        q=values.get("q") or "",
        support_tier=values.get("tier") or "",
        unit_code=values.get("unit") or "",
        skill=values.get("skill") or "",
    )
    resources = list(selectors.filtered_pool(who, filters).order_by("unit__path", "-is_active", "pk")[: POOL_LIMIT + 1])
    week = capacity.week_start(timezone.localdate())
    load = capacity.loads([resource.pk for resource in resources[:POOL_LIMIT]], week)
    rows = []
    for resource in resources[:POOL_LIMIT]:
        committed = load.get(resource.pk, Decimal("0"))
        used = capacity.percent(committed, resource.weekly_capacity_hours)
        rows.append(
            {
                "resource": resource,
                "load": committed,
                "available": max(Decimal("0"), resource.weekly_capacity_hours - committed),
                "utilisation": used,
                "bar": min(Decimal("100"), used),
                "bar_class": _bar_class(used),
                "can_edit": selectors.can_manage_unit(who, resource.unit.path),
            }
        )
    context = {
        "form": form,
        "rows": rows,
        "more": len(resources) > POOL_LIMIT,
        "week": week,
        "can_add": may_add_to_pool(who),
    }
    return render(request, "resources/pool_list.html", context)


def _partners(who: Viewer) -> list[tuple[int, str]]:
    return [(partner.pk, partner.label) for partner in selectors.partners_visible(who).order_by("name")[:500]]


@web_view
def resource_create(request: HttpRequest) -> HttpResponse:
    who = viewer(request)
    if not may_add_to_pool(who):
        raise Forbidden()
    data = request.POST if request.method == "POST" else None
    person_id = lookups.user_choice(who, _int(data.get("person"))) if data is not None else None
    form = ResourceForm(
        data,
        initial={"support_tier": SupportTier.TIER1, "weekly_capacity_hours": 40, "is_active": True},
        units=_managed_units(who),
        partners=_partners(who),
        person=person_id,
    )
    if data is not None and form.is_valid():
        person = User.objects.filter(pk=form.cleaned_data["person"]).first() if form.cleaned_data["person"] else None
        partner_pk = _int(form.cleaned_data["partner"])
        partner = selectors.partners_visible(who).filter(pk=partner_pk).first() if partner_pk else None
        result = submit(
            form,
            lambda: services.resource_create(
                viewer=who, actor=actor(request), data=form.service_data(), user=person, partner=partner
            ),
        )
        if result.saved:
            messages.success(request, _("%(name)s joined the pool.") % {"name": result.value.label})
            return redirect("resources:pool")
    status = 422 if data is not None else 200
    return render(request, "resources/resource_form.html", {"form": form, "resource": None}, status=status)


def _int(value: Any) -> int | None:
    try:
        number = int(value)
    except (TypeError, ValueError):
        return None
    return number if 0 < number < 2**63 else None


def resource_initial(resource: Resource) -> dict[str, Any]:
    return {
        "name": resource.name,
        "unit_code": resource.unit.code,
        "support_tier": resource.support_tier,
        "weekly_capacity_hours": resource.weekly_capacity_hours,
        "skills": ", ".join(resource.skills or []),
        "product_lines": ", ".join(resource.product_lines or []),
        "region": resource.region,
        "is_executive": resource.is_executive,
        "is_active": resource.is_active,
        "version": resource.version,
    }


@web_view
def resource_edit(request: HttpRequest, resource_id: int) -> HttpResponse:
    who = viewer(request)
    resource = selectors.resource_get(who, resource_id)
    if not selectors.can_manage_unit(who, resource.unit.path):
        raise Forbidden()
    data = request.POST if request.method == "POST" else None
    form = ResourceForm(
        data,
        initial=resource_initial(resource),
        units=_managed_units(who),
        partners=[],
        creating=False,
    )
    conflict = None
    if data is not None:
        result = submit(
            form,
            lambda: services.resource_update(
                viewer=who,
                actor=actor(request),
                resource=resource,
                data=form.service_data(),
                version=form.cleaned_data.get("version"),
            ),
        )
        if result.saved:
            messages.success(request, _("Your changes were saved."))
            return redirect("resources:pool")
        conflict = result.conflict
    status = (409 if conflict else 422) if data is not None else 200
    context = {"form": form, "resource": resource, "conflict": conflict}
    return render(request, "resources/resource_form.html", context, status=status)


# --- the calendar -----------------------------------------------------------------------------------------


def _start(request: HttpRequest) -> date:
    try:
        chosen = date.fromisoformat((request.GET.get("start") or "")[:10])
    except ValueError:
        chosen = timezone.localdate()
    return capacity.week_start(chosen)


@web_view
def calendar(request: HttpRequest) -> HttpResponse:
    who = viewer(request)
    if who.external:
        raise NotFound()
    start = _start(request)
    view = reports.utilisation(who, start=start, weeks=CALENDAR_WEEKS)
    end = view.weeks[-1] + timedelta(days=6)
    served = list(
        selectors.requests_visible(who)
        .filter(
            status__in=(RequestStatus.ASSIGNED, RequestStatus.DONE),
            assignment__starts_on__lte=end,
            assignment__ends_on__gte=start,
        )
        .order_by("assignment__starts_on", "pk")[:ASSIGNMENTS_SHOWN]
    )
    by_resource: dict[int, list[Any]] = defaultdict(list)
    for item in served:
        by_resource[item.assignment.resource_id].append(item)
    rows = []
    for person in view.people:
        weekly_capacity = person.capacity_hours / len(view.weeks) if view.weeks else Decimal("0")
        cells = []
        for hours in person.weekly_load:
            used = capacity.percent(hours, weekly_capacity)
            cells.append({"hours": hours, "utilisation": used, "css": _bar_class(used)})
        rows.append(
            {
                "person": person,
                "weekly_capacity": weekly_capacity,
                "cells": cells,
                "assignments": by_resource.get(person.resource_id or 0, []),
            }
        )
    context = {
        "weeks": view.weeks,
        "rows": rows,
        "start": start,
        "previous": start - timedelta(weeks=CALENDAR_WEEKS),
        "next": start + timedelta(weeks=CALENDAR_WEEKS),
        "this_week": capacity.week_start(timezone.localdate()),
        "served": served,
        "more": len(served) >= ASSIGNMENTS_SHOWN,
    }
    return render(request, "resources/calendar.html", context)


# --- reports ---------------------------------------------------------------------------------------------


def _utilisation_rows(rows: list[reports.UtilisationRow]) -> list[dict[str, Any]]:
    return [
        {
            "row": row,
            "utilisation": row.utilisation,
            "bar": min(Decimal("100"), row.utilisation),
            "css": _bar_class(row.utilisation),
        }
        for row in rows
    ]


AGES = (
    ("lt_1d", gettext_lazy("Open under a day")),
    ("1_3d", gettext_lazy("Open 1–3 days")),
    ("3_7d", gettext_lazy("Open 3–7 days")),
    ("gt_7d", gettext_lazy("Open over a week")),
)


def _rate(value: Decimal | None, suffix: str = "%") -> str:
    return "—" if value is None else f"{value}{suffix}"


def _measure_rows(columns: list[reports.RequestMeasures]) -> list[dict[str, Any]]:
    """One row per measure and one column per tier, so that the table stays narrow on every screen."""
    rows: list[dict[str, Any]] = [
        {"label": _("Raised in total"), "values": [m.raised for m in columns], "key": "raised"}
    ]
    for code, label in RequestStatus.choices:
        rows.append({"label": label, "values": [m.by_status.get(code, 0) for m in columns], "key": code})
    rows += [
        {"label": _("Fulfilment"), "values": [_rate(m.fulfilment_rate) for m in columns], "key": "fulfilment"},
        {"label": _("Within SLA"), "values": [_rate(m.sla_rate) for m in columns], "key": "sla"},
        {
            "label": _("Median hours to assign"),
            "values": [_rate(m.median_hours_to_assign, "") for m in columns],
            "key": "median",
        },
        {"label": _("Escalated"), "values": [m.escalated for m in columns], "key": "escalated"},
    ]
    for code, label in AGES:
        rows.append({"label": label, "values": [m.open_by_age.get(code, 0) for m in columns], "key": code})
    return rows


@web_view
def pool_reports(request: HttpRequest) -> HttpResponse:
    who = viewer(request)
    if who.external:
        raise NotFound()
    weeks = _int(request.GET.get("weeks")) or 4
    weeks = weeks if weeks in REPORT_WEEKS else 4
    view = reports.utilisation(who, weeks=weeks)
    measures = reports.request_measures(who)
    tiers = [(code, label) for code, label in SupportTier.choices]
    chart = {
        "categories": [row.label for row in view.people],
        "series": [
            {"name": _("Committed hours"), "data": [float(row.load_hours) for row in view.people]},
            {"name": _("Available hours"), "data": [float(row.available_hours) for row in view.people]},
        ],
    }
    context = {
        "weeks": weeks,
        "week_choices": REPORT_WEEKS,
        "view": view,
        "people": _utilisation_rows(view.people),
        "units": _utilisation_rows(view.units),
        "tiers": _utilisation_rows(view.tiers),
        "total": _utilisation_rows([view.total])[0],
        "chart": chart,
        "measures": [(_("All tiers"), measures["all"]), *[(label, measures[code]) for code, label in tiers]],
        "tier_labels": tiers,
        "measure_heads": [_("All tiers"), *[_("Tier %(n)s") % {"n": n} for n in range(1, len(tiers) + 1)]],
        "measure_rows": _measure_rows([measures["all"], *[measures[code] for code, _label in tiers]]),
        "double_counting": reports.double_counting(who),
        "executives": reports.executive_involvement(who),
    }
    return render(request, "resources/reports.html", context)
