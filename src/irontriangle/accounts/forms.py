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
    MatrixClass,
    PotentialBasis,
    PurchasePattern,
    Segment,
    StrategicFit,
    TeamRole,
    Tier,
)
from irontriangle.accounts.selectors import AccountFilters
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


def _choice(name: str, choices: Any, *, blank: bool, **kwargs: Any) -> forms.ChoiceField:
    return forms.ChoiceField(
        label=_label(name), choices=(BLANK if blank else []) + list(choices), required=not blank, **kwargs
    )


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
    name = forms.CharField(label=_label("name"), max_length=200, widget=forms.TextInput(attrs={"autocomplete": "off"}))
    legal_name = _text("legal_name", 200)
    credit_code = _text(
        "credit_code",
        18,
        help_text=_("18 characters, as printed on the business licence."),
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    external_id = _text("external_id", 100, help_text=_("The customer's key in another system, for re-imports."))
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
    listed_in_ranking = forms.BooleanField(
        label=_label("listed_in_ranking"),
        required=False,
        help_text=_("For example a Fortune Global 500 or a national top-100 list; a regional KA rule may ask for it."),
    )
    high_willingness_to_pay = forms.BooleanField(label=_label("high_willingness_to_pay"), required=False)
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
    potential_basis = _choice(
        "potential_basis",
        PotentialBasis.choices,
        blank=False,
        help_text=_("Estimated from purchase drivers: the potential is their sum, and a typed value is replaced."),
    )
    # A form posted without it (an older page still open in a tab) keeps the account's basis.
    potential_basis.required = False
    currency = forms.RegexField(label=_label("currency"), regex=r"^[A-Z]{3}$", max_length=3, initial="CNY")
    owner_unit_code = forms.ChoiceField(label=_label("owner_unit"), required=False)
    owner_id = forms.IntegerField(
        label=_label("owner"), required=False, min_value=1, widget=PickerSelect("user-options")
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=1)
    # Ticked in the duplicate warning: the person has looked at the likely duplicates and creates anyway.
    create_anyway = forms.BooleanField(required=False, widget=forms.HiddenInput)

    FIELDSETS = (
        (_("Identity"), ("name", "legal_name", "credit_code", "external_id", "parent_id", "website", "address")),
        (
            _("Profile and KA"),
            (
                "segment",
                "tier",
                "industry",
                "region",
                "coverage",
                "annual_revenue",
                "employees",
                "listed_in_ranking",
                "high_willingness_to_pay",
            ),
        ),
        (
            _("Relationship and strategy"),
            (
                "lifecycle_stage",
                "strategic_fit",
                "potential",
                "currency",
                "potential_basis",
                "purchase_pattern",
                "on_vendor_list",
                "cash_flow_customer",
            ),
        ),
        (_("Ownership"), ("owner_unit_code", "owner_id")),
    )
    # What the form sends to the services; the rest (version, the duplicate confirmation) is for the view.
    NOT_FOR_SERVICE = frozenset({"version", "create_anyway"})

    def __init__(
        self,
        *args: Any,
        unit_choices: list[tuple[str, str]],
        parent_choice: tuple[int, str] | None = None,
        owner_choice: tuple[int, str] | None = None,
        duplicate_check_url: str | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        if duplicate_check_url:
            # Both identifying fields ask for the duplicate warning while the person types.
            for name in ("name", "credit_code"):
                self.fields[name].widget.attrs.update(
                    {
                        "hx-get": duplicate_check_url,
                        # `input` rather than `keyup`: Chinese input methods, pasting and autofill type no keys.
                        # No `change`: leaving the field would re-fetch the warning and wipe an open claim.
                        "hx-trigger": "input changed delay:400ms",
                        "hx-target": "#account-duplicates",
                        "hx-include": "#id_name, #id_credit_code",
                        "hx-params": "name,credit_code",
                        "hx-sync": "#account-duplicates:replace",
                    }
                )
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
        names = [name for name in self.cleaned_data if name not in self.NOT_FOR_SERVICE]
        if only_changed:
            names = [name for name in names if name in self.changed_data]
        data: dict[str, Any] = {}
        for name in names:
            value = self.cleaned_data[name]
            if name == "potential_basis" and not value:
                continue
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


SORTS = [
    ("name", _("Name A–Z")),
    ("-name", _("Name Z–A")),
    ("-updated_at", _("Recently updated")),
    ("-created_at", _("Recently created")),
]


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
    matrix_class = forms.ChoiceField(
        required=False, label=_label("matrix_class"), choices=[("", _("All classes")), *MatrixClass.choices]
    )
    coverage = forms.ChoiceField(
        required=False, label=_label("coverage"), choices=[("", _("Any coverage")), *Coverage.choices]
    )
    industry = forms.CharField(
        required=False, max_length=100, label=_label("industry"), widget=forms.TextInput(attrs={"autocomplete": "off"})
    )
    region = forms.CharField(
        required=False, max_length=100, label=_label("region"), widget=forms.TextInput(attrs={"autocomplete": "off"})
    )
    owner_unit = forms.ChoiceField(required=False, label=_label("owner_unit"))
    missing_triangle = forms.BooleanField(required=False, label=_("Missing AR, SR or FR"))
    ka_suggested = forms.BooleanField(required=False, label=_("KA suggested, not yet confirmed"))
    sort = forms.ChoiceField(required=False, label=_("Sort"), choices=SORTS)
    parent = forms.IntegerField(required=False, min_value=1, max_value=2**63 - 1, widget=forms.HiddenInput)
    cursor = forms.CharField(required=False, max_length=500)

    def __init__(self, *args: Any, unit_choices: list[tuple[str, str]] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if unit_choices is None:
            # No select to offer (an export): any unit code passes, the viewer's scope still applies.
            self.fields["owner_unit"] = forms.SlugField(required=False, max_length=50, label=_label("owner_unit"))
        else:
            owner_unit = cast(forms.ChoiceField, self.fields["owner_unit"])
            owner_unit.choices = [("", _("All units")), *unit_choices]

    def filters(self) -> AccountFilters:
        """The selector's filters from the checked values (call after `is_valid()`); invalid ones are dropped."""
        values = getattr(self, "cleaned_data", {})
        return AccountFilters(
            q=values.get("q", ""),
            segment=values.get("segment", ""),
            tier=values.get("tier", ""),
            matrix_class=values.get("matrix_class", ""),
            coverage=values.get("coverage", ""),
            industry=values.get("industry", ""),
            region=values.get("region", ""),
            owner_unit_code=values.get("owner_unit", ""),
            missing_triangle=values.get("missing_triangle"),
            ka_suggested=values.get("ka_suggested"),
            parent_id=values.get("parent"),
            sort=values.get("sort") or SORTS[0][0],
        )

    def clean_missing_triangle(self) -> bool | None:
        # An unticked box means "do not filter", not "only complete teams".
        return self.cleaned_data["missing_triangle"] or None

    def clean_ka_suggested(self) -> bool | None:
        return self.cleaned_data["ka_suggested"] or None

    def active_filters(self) -> list[tuple[str, str]]:
        """(parameter, readable value) of each filter in use, for the summary above the results."""
        if not hasattr(self, "cleaned_data"):
            return []
        shown = []
        for name in ("q", "segment", "tier", "matrix_class", "coverage", "industry", "region", "owner_unit"):
            value = self.cleaned_data.get(name)
            if not value:
                continue
            field = self.fields[name]
            if isinstance(field, forms.ChoiceField):
                value = str(dict(field.choices).get(value, value)).strip()  # type: ignore[arg-type]
            shown.append((name, f"{field.label}: {value}"))
        for name in ("missing_triangle", "ka_suggested"):
            if self.cleaned_data.get(name):
                shown.append((name, str(self.fields[name].label)))
        if self.cleaned_data.get("parent"):
            shown.append(("parent", str(_("Sub-accounts of one account"))))
        return shown


class DuplicateCheckForm(forms.Form):
    """What the account form sends while the person types; generous lengths, the selector normalises."""

    name = forms.CharField(required=False, max_length=200)
    credit_code = forms.CharField(required=False, max_length=40)
    exclude = forms.IntegerField(required=False, min_value=1, max_value=2**63 - 1)


class ClaimForm(StyledForm):
    """A unit asks the middle office for an account another unit owns (found by the duplicate check)."""

    unit_code = forms.ChoiceField(label=_("For my unit"))
    reason = forms.CharField(
        label=_("Reason"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2, "placeholder": _("Why should your unit own this customer?")}),
    )

    def __init__(self, *args: Any, unit_choices: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["unit_code"]).choices = unit_choices


class TeamMemberForm(StyledForm):
    user_id = forms.IntegerField(label=_("Person"), min_value=1, widget=PickerSelect("user-options"))
    role = forms.ChoiceField(label=_("Role"), choices=TeamRole.choices)
    is_primary = forms.BooleanField(label=_("Primary for this role"), required=False, initial=True)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["user_id"].widget.choices = BLANK
