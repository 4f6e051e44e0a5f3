"""Web forms for accounts. They check shapes only; the services decide what is allowed and valid."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.db.models import Field
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from irontriangle.accounts.models import (
    Account,
    Coverage,
    LifecycleStage,
    PurchasePattern,
    Segment,
    StrategicFit,
    TeamRole,
    Tier,
)
from irontriangle.web.forms import StyledForm

BLANK = [("", "—")]


def model_field(name: str) -> Field:
    return cast(Field, Account._meta.get_field(name))


def _label(name: str) -> Any:
    return capfirst(model_field(name).verbose_name)


def _text(name: str, max_length: int, **kwargs: Any) -> forms.CharField:
    return forms.CharField(label=_label(name), max_length=max_length, required=False, **kwargs)


def _money(name: str) -> forms.DecimalField:
    return forms.DecimalField(label=_label(name), max_digits=18, decimal_places=2, min_value=0, required=False)


def _choice(name: str, choices: Any, *, blank: bool) -> forms.ChoiceField:
    return forms.ChoiceField(label=_label(name), choices=(BLANK if blank else []) + list(choices), required=not blank)


class PickerSelect(forms.Select):
    """A select whose options are filled by a search box (the list of all accounts or people is too long)."""

    template_name = "web/widgets/picker.html"

    def __init__(self, source: str, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs)
        self.source = source

    def get_context(self, name: str, value: Any, attrs: dict[str, Any] | None) -> dict[str, Any]:
        context = super().get_context(name, value, attrs)
        context["widget"]["source"] = self.source
        return context


# Fields whose empty value is "not set" (None in the service), not an empty string.
NULLABLE = {"coverage", "tier", "purchase_pattern", "annual_revenue", "employees", "potential", "parent_id", "owner_id"}


class AccountForm(StyledForm):
    name = forms.CharField(label=_label("name"), max_length=200)
    legal_name = _text("legal_name", 200)
    credit_code = _text("credit_code", 18, help_text=_("18 characters, as printed on the business licence."))
    parent_id = forms.IntegerField(
        label=_label("parent"), required=False, min_value=1, widget=PickerSelect("accounts:account-options")
    )
    website = forms.URLField(label=_label("website"), max_length=300, required=False, assume_scheme="https")
    address = _text("address", 300)
    industry = _text("industry", 100)
    region = _text("region", 100)
    coverage = _choice("coverage", Coverage.choices, blank=True)
    segment = _choice("segment", Segment.choices, blank=False)
    tier = _choice("tier", Tier.choices, blank=True)
    purchase_pattern = _choice("purchase_pattern", PurchasePattern.choices, blank=True)
    on_vendor_list = forms.BooleanField(label=_label("on_vendor_list"), required=False)
    lifecycle_stage = _choice("lifecycle_stage", LifecycleStage.choices, blank=False)
    strategic_fit = _choice("strategic_fit", StrategicFit.choices, blank=False)
    cash_flow_customer = forms.BooleanField(
        label=_label("cash_flow_customer"),
        required=False,
        help_text=_("Divergent strategy but large revenue: keep the cash, shrink the investment."),
    )
    annual_revenue = _money("annual_revenue")
    employees = forms.IntegerField(label=_label("employees"), min_value=0, max_value=2_000_000_000, required=False)
    potential = _money("potential")
    currency = forms.RegexField(label=_label("currency"), regex=r"^[A-Z]{3}$", max_length=3, initial="CNY")
    owner_unit_code = forms.ChoiceField(label=_label("owner_unit"), required=False)
    owner_id = forms.IntegerField(
        label=_label("owner"), required=False, min_value=1, widget=PickerSelect("user-options")
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=1)

    FIELDSETS = (
        (_("Identity"), ("name", "legal_name", "credit_code", "parent_id", "website", "address")),
        (
            _("Classification"),
            (
                "segment",
                "tier",
                "industry",
                "region",
                "coverage",
                "purchase_pattern",
                "lifecycle_stage",
                "strategic_fit",
                "on_vendor_list",
                "cash_flow_customer",
            ),
        ),
        (_("Size and potential"), ("annual_revenue", "employees", "potential", "currency")),
        (_("Ownership"), ("owner_unit_code", "owner_id")),
    )

    def __init__(
        self,
        *args: Any,
        unit_choices: list[tuple[str, str]],
        parent_choice: tuple[int, str] | None = None,
        owner_choice: tuple[int, str] | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        editing = bool(self.initial.get("version"))
        # A new account may default to the creator's primary unit; an existing one always names its unit.
        default = [] if editing else [("", _("My primary unit"))]
        cast(forms.ChoiceField, self.fields["owner_unit_code"]).choices = [*default, *unit_choices]
        self.fields["owner_unit_code"].required = editing
        self.fields["parent_id"].widget.choices = BLANK + ([parent_choice] if parent_choice else [])
        self.fields["owner_id"].widget.choices = BLANK + ([owner_choice] if owner_choice else [])

    def fieldsets(self) -> list[tuple[Any, list[forms.BoundField]]]:
        return [(title, [self[name] for name in names]) for title, names in self.FIELDSETS]

    def service_data(self, *, only_changed: bool) -> dict[str, Any]:
        """The cleaned values as the service takes them. An edit sends only what the person changed, so
        references they may not re-check (a parent they cannot see) stay as they are."""
        names = [name for name in self.cleaned_data if name != "version"]
        if only_changed:
            names = [name for name in names if name in self.changed_data]
        data: dict[str, Any] = {}
        for name in names:
            value = self.cleaned_data[name]
            if name in NULLABLE and value in ("", None):
                value = None
            data[name] = value
        if not only_changed:
            # On create, leaving these empty means "the defaults": my primary unit, and me as owner.
            for name in ("owner_unit_code", "owner_id"):
                if not data.get(name):
                    data.pop(name, None)
        return data


def account_initial(account: Account) -> dict[str, Any]:
    initial = {name: getattr(account, name) for name in AccountForm.base_fields if hasattr(account, name)}
    initial.update(
        parent_id=account.parent_id,
        owner_id=account.owner_id,
        owner_unit_code=account.owner_unit.code,
        version=account.version,
    )
    return initial


class AccountSearchForm(StyledForm):
    """The list's query string, checked so a hand-edited URL cannot reach the database unshaped."""

    q = forms.CharField(
        required=False,
        max_length=200,
        label=_("Search"),
        widget=forms.TextInput(
            attrs={"type": "search", "placeholder": _("Name or credit code"), "autocomplete": "off"}
        ),
    )
    segment = forms.ChoiceField(
        required=False, label=_label("segment"), choices=[("", _("All segments")), *Segment.choices]
    )
    tier = forms.ChoiceField(required=False, label=_label("tier"), choices=[("", _("All tiers")), *Tier.choices])
    parent = forms.IntegerField(required=False, min_value=1, max_value=2**63 - 1, widget=forms.HiddenInput)
    cursor = forms.CharField(required=False, max_length=500)


class TeamMemberForm(StyledForm):
    user_id = forms.IntegerField(label=_("Person"), min_value=1, widget=PickerSelect("user-options"))
    role = forms.ChoiceField(label=_("Role"), choices=TeamRole.choices)
    is_primary = forms.BooleanField(label=_("Primary for this role"), required=False, initial=True)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["user_id"].widget.choices = BLANK
