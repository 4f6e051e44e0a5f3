"""Forms of the opportunity page: the deal itself and every card that writes (team, guides, competitors,
pain chain, quotes, splits). They shape the input; the services decide."""

from __future__ import annotations

from decimal import Decimal
from typing import Any, cast

from django import forms
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from irontriangle.accounts.forms import PickerSelect
from irontriangle.pipeline.models import (
    ForecastCategory,
    GuideLevel,
    LeadBasis,
    LeadSource,
    Opportunity,
    OpportunityRole,
    ProjectType,
    SplitKind,
    Threat,
)
from irontriangle.web.forms import StyledForm

BLANK: list[tuple[Any, str]] = [("", "—")]
DATE = {"type": "date"}


def _label(name: str) -> Any:
    return capfirst(cast(Any, Opportunity._meta.get_field(name)).verbose_name)


def _text(rows: int = 3) -> forms.Textarea:
    return forms.Textarea(attrs={"rows": rows})


class OpportunityFormBase(StyledForm):
    name = forms.CharField(label=_label("name"), max_length=200)
    amount = forms.DecimalField(label=_label("amount"), max_digits=18, decimal_places=2, min_value=0, required=False)
    currency = forms.CharField(label=_label("currency"), max_length=3, min_length=3, initial="CNY")
    expected_close = forms.DateField(
        label=_label("expected_close"), required=False, widget=forms.DateInput(attrs=DATE, format="%Y-%m-%d")
    )
    project_type = forms.ChoiceField(label=_label("project_type"), choices=ProjectType.choices)
    lead_source = forms.ChoiceField(
        label=_label("lead_source"), choices=BLANK + list(LeadSource.choices), required=False
    )
    procurement_template_id = forms.TypedChoiceField(
        label=_label("procurement_template"), coerce=int, empty_value=None, required=False
    )

    def __init__(self, *args: Any, templates: list[tuple[int, str]] = (), **kwargs: Any) -> None:  # type: ignore[assignment]
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["procurement_template_id"]).choices = BLANK + list(templates)

    def fieldsets(self) -> list[tuple[Any, list[forms.BoundField]]]:
        return [(title, [self[name] for name in names if name in self.fields]) for title, names in self.FIELDSETS]

    FIELDSETS: tuple[tuple[Any, tuple[str, ...]], ...] = ()
    NOT_FOR_SERVICE = frozenset({"version", "account_id"})

    def service_data(self, *, only_changed: bool) -> dict[str, Any]:
        names = [name for name in self.cleaned_data if name not in self.NOT_FOR_SERVICE]
        if only_changed:
            names = [name for name in names if name in self.changed_data]
        data = {name: self.cleaned_data[name] for name in names}
        if "amount" in data and data["amount"] is None:
            data["amount"] = Decimal("0")
        return data


class OpportunityCreateForm(OpportunityFormBase):
    account_id = forms.IntegerField(
        label=_label("account"), min_value=1, widget=PickerSelect("accounts:account-options")
    )
    process = forms.ChoiceField(label=_label("process"), required=False)

    FIELDSETS = (
        (_("The deal"), ("account_id", "name", "process", "amount", "currency", "expected_close")),
        (_("Where it comes from"), ("project_type", "lead_source", "procurement_template_id")),
    )

    def __init__(
        self,
        *args: Any,
        account_choice: tuple[int, str] | None = None,
        processes: list[tuple[str, str]] = (),  # type: ignore[assignment]
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["account_id"].widget.choices = BLANK + ([account_choice] if account_choice else [])
        cast(forms.ChoiceField, self.fields["process"]).choices = [("", _("The account segment's process")), *processes]
        self.fields["process"].help_text = _("Stages and checklist the deal follows.")


class OpportunityEditForm(OpportunityFormBase):
    probability = forms.IntegerField(label=_label("probability"), min_value=0, max_value=100)
    forecast_category = forms.ChoiceField(label=_label("forecast_category"), choices=ForecastCategory.choices)
    owner_id = forms.IntegerField(label=_label("owner"), min_value=1, widget=PickerSelect("user-options"))
    lead_unit_code = forms.ChoiceField(label=_label("lead_unit"), required=False)
    lead_basis = forms.ChoiceField(label=_label("lead_basis"), choices=BLANK + list(LeadBasis.choices), required=False)
    decision_process_notes = forms.CharField(label=_label("decision_process_notes"), required=False, widget=_text(5))
    version = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=1)

    FIELDSETS = (
        (_("The deal"), ("name", "amount", "currency", "expected_close", "probability", "forecast_category")),
        (_("Team and lead"), ("owner_id", "lead_unit_code", "lead_basis")),
        (_("How the customer buys"), ("decision_process_notes", "procurement_template_id")),
        (_("Where it comes from"), ("project_type", "lead_source")),
    )

    def __init__(
        self,
        *args: Any,
        owner_choice: tuple[int, str] | None = None,
        units: list[tuple[str, str]] = (),  # type: ignore[assignment]
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["owner_id"].widget.choices = BLANK + ([owner_choice] if owner_choice else [])
        cast(forms.ChoiceField, self.fields["lead_unit_code"]).choices = BLANK + list(units)
        self.fields["lead_unit_code"].help_text = _("Which team leads when several work on the deal.")


def opportunity_initial(opportunity: Opportunity) -> dict[str, Any]:
    names = [name for name in OpportunityEditForm.base_fields if hasattr(opportunity, name)]
    initial = {name: getattr(opportunity, name) for name in names}
    initial.update(
        owner_id=opportunity.owner_id,
        lead_unit_code=opportunity.lead_unit.code if opportunity.lead_unit is not None else "",
        procurement_template_id=opportunity.procurement_template_id,
        version=opportunity.version,
    )
    return initial


# --- the page's cards ------------------------------------------------------------------------------


class AdvanceForm(StyledForm):
    to_stage = forms.CharField(required=False, max_length=20, widget=forms.HiddenInput)
    reason = forms.CharField(label=_("Why was it won or lost?"), required=False, widget=_text(2))
    override_reason = forms.CharField(label=_("Override the gate: reason"), required=False, widget=_text(2))
    version = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=1)


class TickForm(StyledForm):
    key = forms.SlugField(max_length=40, widget=forms.HiddenInput)
    done = forms.BooleanField(required=False, initial=True, widget=forms.HiddenInput)
    evidence = forms.CharField(label=_("Evidence"), required=False, max_length=2000)


class DealTeamForm(StyledForm):
    user_id = forms.IntegerField(label=_("Person"), min_value=1, widget=PickerSelect("user-options"))
    role = forms.ChoiceField(label=_("Role"), choices=OpportunityRole.choices)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["user_id"].widget.choices = BLANK


class GuideForm(StyledForm):
    contact_id = forms.TypedChoiceField(label=_("Contact"), coerce=int)
    level = forms.ChoiceField(label=_("Level"), choices=GuideLevel.choices)
    cost_notes = forms.CharField(label=_("Cost notes"), required=False, widget=_text(2))
    notes = forms.CharField(label=_("Notes"), required=False, widget=_text(2))

    def __init__(self, *args: Any, contacts: list[tuple[int, str]] = (), **kwargs: Any) -> None:  # type: ignore[assignment]
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["contact_id"]).choices = BLANK + list(contacts)


class CompetitorForm(StyledForm):
    name = forms.CharField(label=_("Competitor"), max_length=200)
    threat = forms.ChoiceField(label=_("Threat"), choices=Threat.choices, initial=Threat.MEDIUM)
    strengths = forms.CharField(label=_("Strengths"), required=False, widget=_text(2))
    weaknesses = forms.CharField(label=_("Weaknesses"), required=False, widget=_text(2))
    strategy = forms.CharField(label=_("How we win"), required=False, widget=_text(2))


class PainForm(StyledForm):
    contact_id = forms.TypedChoiceField(label=_("Contact"), coerce=int)
    pain = forms.CharField(label=_("Pain"), widget=_text(2))
    cause = forms.CharField(label=_("Cause"), required=False, widget=_text(2))
    consequence = forms.CharField(label=_("Consequence for others"), required=False, widget=_text(2))

    def __init__(self, *args: Any, contacts: list[tuple[int, str]] = (), **kwargs: Any) -> None:  # type: ignore[assignment]
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["contact_id"]).choices = BLANK + list(contacts)


class RejectForm(StyledForm):
    reason = forms.CharField(label=_("Reason for rejecting"), max_length=2000)


class QuoteLineForm(forms.Form):
    product = forms.CharField(max_length=200)
    quantity = forms.DecimalField(max_digits=14, decimal_places=2, min_value=Decimal("0.01"))
    list_price = forms.DecimalField(max_digits=18, decimal_places=2, min_value=0)
    discount = forms.DecimalField(max_digits=5, decimal_places=2, min_value=0, max_value=100, required=False)
    unit_cost = forms.DecimalField(max_digits=18, decimal_places=2, min_value=0, required=False)


class QuoteForm(StyledForm):
    valid_until = forms.DateField(
        label=_("Valid until"), required=False, widget=forms.DateInput(attrs=DATE, format="%Y-%m-%d")
    )
    notes = forms.CharField(label=_("Notes"), required=False, widget=_text(2))
    version = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=1)

    LINE_FIELDS = ("product", "quantity", "list_price", "discount", "unit_cost")

    def __init__(self, *args: Any, with_cost: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.with_cost = with_cost
        self.line_rows: list[dict[str, Any]] = []
        self.line_errors: list[str] = []
        self.lines: list[dict[str, Any]] = []

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        data = self.data
        columns = {name: data.getlist(f"line_{name}") if hasattr(data, "getlist") else [] for name in self.LINE_FIELDS}
        count = max((len(values) for values in columns.values()), default=0)
        self.line_rows = []
        self.lines = []
        for index in range(count):
            row = {name: (values[index] if index < len(values) else "") for name, values in columns.items()}
            if not self.with_cost:
                row["unit_cost"] = ""
            if not any(str(value).strip() for value in row.values()):
                continue
            self.line_rows.append(row)
            line = QuoteLineForm(row)
            if line.is_valid():
                self.lines.append(line.cleaned_data)
            else:
                for name, messages in line.errors.items():
                    label = QuoteLineForm.base_fields[name].label or name
                    self.line_errors.extend(f"{index + 1} · {label}: {message}" for message in messages)
        if not self.lines and not self.line_errors:
            self.line_errors.append(str(_("A quote needs at least one line.")))
        if self.line_errors:
            raise forms.ValidationError(self.line_errors)
        return cleaned


for _name, _label_text in (
    ("product", _("Product")),
    ("quantity", _("Quantity")),
    ("list_price", _("List price")),
    ("discount", _("Discount (%)")),
    ("unit_cost", _("Unit cost")),
):
    QuoteLineForm.base_fields[_name].label = _label_text


SPLIT_FIELDS = ("holder", "percent", "kind", "agreement_ref")


def split_rows(data: Any) -> list[dict[str, Any]]:
    """The editor's rows as typed (blank rows dropped), for the service and to show again on an error."""
    columns = {name: data.getlist(f"split_{name}") for name in SPLIT_FIELDS}
    count = max((len(values) for values in columns.values()), default=0)
    rows = []
    for index in range(count):
        row = {name: (values[index] if index < len(values) else "").strip() for name, values in columns.items()}
        if row["holder"] or row["percent"] or row["agreement_ref"]:
            rows.append(row)
    return rows


def split_service_rows(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """`unit:<code>` or `user:<id>` becomes the service's unit_code or user_id; the percent a Decimal or None."""
    result = []
    for row in rows:
        kind, _sep, value = row["holder"].partition(":")
        try:
            percent: Any = Decimal(row["percent"].replace("%", "").strip())
        except ArithmeticError:
            percent = None
        result.append(
            {
                "unit_code": value if kind == "unit" else None,
                "user_id": int(value) if kind == "user" and value.isdigit() else None,
                "percent": percent,
                "kind": row["kind"] if row["kind"] in SplitKind.values else SplitKind.REVENUE,
                "agreement_ref": row["agreement_ref"],
            }
        )
    return result
