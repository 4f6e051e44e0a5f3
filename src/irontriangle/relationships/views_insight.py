"""Relationship insight pages: the weekly visit cadence, the risk radar and an account's yearly evaluation."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from irontriangle.accounts import selectors as account_selectors
from irontriangle.common.errors import Forbidden
from irontriangle.relationships import selectors, services
from irontriangle.relationships.cadence import visit_cadence, week_start
from irontriangle.relationships.evaluation import account_evaluation
from irontriangle.relationships.forms_activity import (
    RISK_KINDS,
    CadenceForm,
    EvaluationForm,
    RiskFilterForm,
    YearForm,
)
from irontriangle.relationships.risks import risks_for_viewer
from irontriangle.web import lookups
from irontriangle.web.guards import actor, submit, viewer, web_view

# --- visit cadence ----------------------------------------------------------------------------------


@web_view
def cadence(request: HttpRequest) -> HttpResponse:
    who = viewer(request)
    form = CadenceForm(request.GET, unit_choices=lookups.unit_filter_choices(who))
    form.is_valid()
    today = timezone.localdate()
    week = week_start(form.cleaned_data.get("week") or today)
    unit_code = form.cleaned_data.get("unit") or ""
    target = selectors.relationship_settings().weekly_visit_target
    report = visit_cadence(who, week, unit_code=unit_code, target=target)
    chart = {
        "categories": [day.strftime("%m-%d") for day in report.weeks],
        "series": [{"name": lookups.unit_label(unit.unit), "data": unit.trend} for unit in report.units],
        "target": target,
        "target_label": str(_("Target")),
    }
    people = sorted(report.people, key=lambda person: (not person.below_target, person.visits, person.user.username))
    peak = max([target, *(value for person in report.people for value in person.trend)])
    this_week = week_start(today)
    context = {
        "form": form,
        "report": report,
        "people": people,
        "below_count": sum(1 for person in report.people if person.below_target),
        "chart": chart,
        "peak": peak or 1,
        "unit_code": unit_code,
        "week_end": week + timedelta(days=6),
        "previous_week": week - timedelta(days=7),
        "next_week": week + timedelta(days=7) if week < this_week else None,
        "this_week": this_week if week != this_week else None,
    }
    return render(request, "relationships/activity/cadence.html", context)


# --- risk radar -------------------------------------------------------------------------------------


@web_view
def risks(request: HttpRequest) -> HttpResponse:
    who = viewer(request)
    form = RiskFilterForm(request.GET)
    form.is_valid()
    kind = form.cleaned_data.get("kind") or ""
    everything = risks_for_viewer(who)
    counts: dict[str, int] = {}
    for risk in everything:
        counts[risk.kind] = counts.get(risk.kind, 0) + 1
    shown = [risk for risk in everything if not kind or risk.kind == kind]
    groups: dict[int, dict[str, Any]] = {}
    for risk in shown:
        group = groups.setdefault(
            risk.account_id, {"account_id": risk.account_id, "name": risk.account_name, "risks": [], "high": 0}
        )
        group["risks"].append(risk)
        group["high"] += risk.severity == "high"
    ordered = sorted(groups.values(), key=lambda group: (-group["high"], -len(group["risks"]), group["name"]))
    labels = dict(RISK_KINDS)
    context = {
        "form": form,
        "kind": kind,
        "groups": ordered,
        "total": len(shown),
        "high": sum(1 for risk in shown if risk.severity == "high"),
        "kind_counts": [(code, label, counts[code]) for code, label in RISK_KINDS if counts.get(code)],
        "kind_labels": {code: str(label) for code, label in labels.items()},
    }
    return render(request, "relationships/activity/risks.html", context)


# --- relationship evaluation ------------------------------------------------------------------------


def _result_rows(results: dict[str, Any]) -> list[tuple[str, Any, str]]:
    labels = [
        ("relationship_strength", _("Relationship strength"), "/100"),
        ("contacts", _("Contacts"), ""),
        ("key_contacts", _("Key contacts"), ""),
        ("key_contacts_owned", _("Key contacts with owner and backup"), ""),
        ("supporters", _("Supporters"), ""),
        ("interactions", _("Interactions this year"), ""),
        ("in_person_interactions", _("Of which in person"), ""),
        ("org_activities", _("Organisational activities this year"), ""),
    ]
    return [(str(label), results[key], suffix) for key, label, suffix in labels if key in results]


@web_view
def evaluation(request: HttpRequest, account_id: int) -> HttpResponse:
    who = viewer(request)
    account = account_selectors.account_get(who, account_id)
    can_edit = account_selectors.can_edit_account(who, account)
    year_form = YearForm(request.GET)
    this_year = timezone.localdate().year
    year = (year_form.cleaned_data.get("year") if year_form.is_valid() else None) or this_year
    conflict = None
    form: EvaluationForm | None = None
    if request.method == "POST":
        if not can_edit:
            raise Forbidden()
        posted = form = EvaluationForm(request.POST)
        outcome = submit(
            form,
            lambda: services.evaluation_save(
                viewer=who,
                actor=actor(request),
                account=account,
                year=year,
                data=posted.service_data(),
                version=posted.cleaned_data.get("version"),
            ),
        )
        if outcome.saved:
            messages.success(request, _("The evaluation for %(year)s was saved.") % {"year": year})
            return redirect(reverse("relationships:evaluation", args=[account.pk]) + f"?year={year}")
        conflict = outcome.conflict
    result = account_evaluation(account, year)
    if form is None or conflict is not None:
        initial: dict[str, Any] = {item.key: item.done for item in result.items}
        initial["notes"] = result.record.notes if result.record else ""
        initial["version"] = result.record.version if result.record else None
        form = EvaluationForm(initial=initial)
    if not can_edit:
        for field in form.fields.values():
            field.disabled = True
    context = {
        "account": account,
        "year": year,
        "years": list(range(this_year + 1, this_year - 5, -1)),
        "evaluation": result,
        "form": form,
        "items": [(item, form[item.key]) for item in result.items],
        "results": _result_rows(result.results),
        "gauge": {"score": result.score, "label": str(_("Score"))},
        "can_edit": can_edit,
        "conflict": conflict,
    }
    return render(request, "relationships/activity/evaluation.html", context, status=409 if conflict else 200)
