"""Query-string forms of the opportunity list, the board and the funnel, and the board's move form."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from irontriangle.accounts.forms import PickerSelect
from irontriangle.pipeline.models import ForecastCategory, SalesProcess
from irontriangle.pipeline.selectors import OpportunityFilters
from irontriangle.web.forms import StyledForm

# The sorts a person picks from; the margin ones only for those who may see every deal's margin.
SORTS = [
    ("-updated_at", _("Recently updated")),
    ("expected_close", _("Closing soonest")),
    ("-expected_close", _("Closing latest")),
    ("-amount", _("Largest amount")),
    ("amount", _("Smallest amount")),
    ("-probability", _("Most likely")),
    ("-checklist_score", _("Best checklist score")),
    ("checklist_score", _("Weakest checklist score")),
    ("name", _("Name A–Z")),
    ("-created_at", _("Recently created")),
]
MARGIN_SORTS = [
    ("-margin_percent", _("Highest margin %")),
    ("margin_percent", _("Lowest margin %")),
    ("-margin", _("Largest margin")),
]
STATUSES = [("", _("Any status")), ("open", _("Open")), ("won", _("Won")), ("lost", _("Lost"))]
DATE = {"type": "date"}


def process_choices(processes: list[SalesProcess], empty: Any) -> list[tuple[str, Any]]:
    return [("", empty), *[(process.code, process.name) for process in processes]]


def stage_choices(processes: list[SalesProcess]) -> list[tuple[Any, Any]]:
    """Stages grouped by process; a code shared by processes (won, lost) is offered once."""
    groups: list[tuple[Any, Any]] = [("", _("Any stage"))]
    seen: set[str] = set()
    for process in processes:
        options = []
        for stage in process.stages.all():
            if stage.code not in seen:
                seen.add(stage.code)
                options.append((stage.code, stage.name))
        if options:
            groups.append((process.name, options))
    return groups


class OpportunitySearchForm(StyledForm):
    """The list's query string, checked so a hand-edited URL cannot reach the database unshaped."""

    q = forms.CharField(
        required=False,
        max_length=200,
        label=_("Search"),
        widget=forms.TextInput(attrs={"type": "search", "placeholder": _("Deal or account"), "autocomplete": "off"}),
    )
    process = forms.ChoiceField(required=False, label=_("Sales process"))
    stage = forms.ChoiceField(required=False, label=_("Stage"))
    status = forms.ChoiceField(required=False, label=_("Status"), choices=STATUSES)
    forecast_category = forms.ChoiceField(
        required=False, label=_("Forecast category"), choices=[("", _("Any category")), *ForecastCategory.choices]
    )
    owner = forms.IntegerField(
        required=False, min_value=1, max_value=2**63 - 1, label=_("Owner"), widget=PickerSelect("user-options")
    )
    mine = forms.BooleanField(required=False, label=_("Mine only"))
    closing_from = forms.DateField(required=False, label=_("Closing from"), widget=forms.DateInput(attrs=DATE))
    closing_to = forms.DateField(required=False, label=_("Closing to"), widget=forms.DateInput(attrs=DATE))
    min_margin_percent = forms.DecimalField(
        required=False, max_digits=7, decimal_places=2, label=_("Margin at least (%)")
    )
    # Every sort parses, so that one the viewer may not use is refused with a message, not dropped.
    sort = forms.ChoiceField(required=False, label=_("Sort"), choices=SORTS + MARGIN_SORTS)
    cursor = forms.CharField(required=False, max_length=500)

    def __init__(
        self,
        *args: Any,
        processes: list[SalesProcess] | None = None,
        owner_choice: tuple[int, str] | None = None,
        margins: bool = False,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        processes = processes or []
        process = cast(forms.ChoiceField, self.fields["process"])
        process.choices = process_choices(processes, _("Any process"))
        stage = cast(forms.ChoiceField, self.fields["stage"])
        stage.choices = stage_choices(processes)
        if not processes:
            # No select to offer (an export): any code passes, an unknown one matches nothing.
            self.fields["process"] = forms.SlugField(required=False, max_length=20)
            self.fields["stage"] = forms.SlugField(required=False, max_length=20)
        owner = cast(PickerSelect, self.fields["owner"].widget)
        owner.choices = [("", _("Anyone")), *([owner_choice] if owner_choice else [])]
        sort = cast(forms.Select, self.fields["sort"].widget)
        sort.choices = SORTS + (MARGIN_SORTS if margins else [])
        self.margins = margins

    def clean_mine(self) -> bool:
        return bool(self.cleaned_data["mine"])

    def filters(self) -> OpportunityFilters:
        values = getattr(self, "cleaned_data", {})
        return OpportunityFilters(
            q=values.get("q", ""),
            process=values.get("process", ""),
            stage=values.get("stage", ""),
            status=values.get("status", ""),
            forecast_category=values.get("forecast_category", ""),
            owner_id=values.get("owner"),
            mine=bool(values.get("mine")),
            closing_from=values.get("closing_from"),
            closing_to=values.get("closing_to"),
            min_margin_percent=values.get("min_margin_percent"),
            sort=values.get("sort") or SORTS[0][0],
        )

    def sort_label(self) -> Any:
        sort = getattr(self, "cleaned_data", {}).get("sort") or SORTS[0][0]
        return dict(SORTS + MARGIN_SORTS).get(sort, SORTS[0][1])

    def active_filters(self, owner_label: str = "") -> list[tuple[str, str]]:
        """(parameter, readable value) of each filter in use, for the summary above the results."""
        if not hasattr(self, "cleaned_data"):
            return []
        shown = []
        for name in ("q", "process", "stage", "status", "forecast_category", "closing_from", "closing_to"):
            value = self.cleaned_data.get(name)
            if not value:
                continue
            field = self.fields[name]
            if isinstance(field, forms.ChoiceField):
                labels: dict[Any, Any] = {}
                for key, label in field.choices:  # type: ignore[misc,union-attr]
                    if isinstance(label, list | tuple):
                        labels.update(dict(label))
                    else:
                        labels[key] = label
                value = str(labels.get(value, value)).strip()
            shown.append((name, f"{field.label}: {value}"))
        if self.cleaned_data.get("owner"):
            shown.append(("owner", f"{self.fields['owner'].label}: {owner_label or self.cleaned_data['owner']}"))
        if self.cleaned_data.get("mine"):
            shown.append(("mine", str(self.fields["mine"].label)))
        if self.cleaned_data.get("min_margin_percent") is not None:
            shown.append(
                (
                    "min_margin_percent",
                    f"{self.fields['min_margin_percent'].label}: {self.cleaned_data['min_margin_percent']}",
                )
            )
        return shown


class FunnelFilterForm(StyledForm):
    process = forms.ChoiceField(required=False, label=_("Sales process"))
    unit = forms.ChoiceField(required=False, label=_("Unit"))
    owner = forms.IntegerField(
        required=False, min_value=1, max_value=2**63 - 1, label=_("Owner"), widget=PickerSelect("user-options")
    )
    closing_from = forms.DateField(required=False, label=_("Closing from"), widget=forms.DateInput(attrs=DATE))
    closing_to = forms.DateField(required=False, label=_("Closing to"), widget=forms.DateInput(attrs=DATE))

    def __init__(
        self,
        *args: Any,
        processes: list[SalesProcess],
        unit_choices: list[tuple[str, str]],
        owner_choice: tuple[int, str] | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["process"]).choices = process_choices(processes, _("All processes"))
        cast(forms.ChoiceField, self.fields["unit"]).choices = [("", _("All units")), *unit_choices]
        owner = cast(PickerSelect, self.fields["owner"].widget)
        owner.choices = [("", _("Anyone")), *([owner_choice] if owner_choice else [])]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("closing_from"), data.get("closing_to")
        if start and end and start > end:
            self.add_error("closing_to", _("The end of the period comes before its start."))
        return data


class MoveForm(forms.Form):
    to_stage = forms.SlugField(max_length=20)
    override_reason = forms.CharField(required=False, max_length=2000)
    reason = forms.CharField(required=False, max_length=2000)
