"""The web forms of call for fire, partners and deal registration. Each hands its service the data it expects."""

from __future__ import annotations

from datetime import timedelta
from typing import Any, cast

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from irontriangle.accounts.forms import PickerSelect
from irontriangle.resources.models import PartnerTier, PartnerType, RequestKind, SupportTier
from irontriangle.web.forms import StyledForm

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
MAX_ID = 2**63 - 1


def _area(rows: int = 3) -> forms.Textarea:
    return forms.Textarea(attrs={"rows": rows})


def _set_choices(form: forms.Form, name: str, choices: list[tuple[Any, Any]]) -> None:
    cast(forms.ChoiceField, form.fields[name]).choices = choices


# --- requests ------------------------------------------------------------------------------------------


class RequestForm(StyledForm):
    kind = forms.ChoiceField(label=_("What help"), choices=RequestKind.choices)
    skills = forms.CharField(
        label=_("Skills"),
        required=False,
        max_length=1000,
        help_text=_("Separated by commas, e.g. CRM, POC, data platform."),
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    hours = forms.IntegerField(label=_("Hours"), min_value=1, max_value=2000)
    needed_by = forms.DateField(label=_("Needed by"), widget=DATE)
    success_criteria = forms.CharField(
        label=_("What success looks like"), required=False, max_length=4000, widget=_area(2)
    )
    notes = forms.CharField(label=_("Notes"), required=False, max_length=4000, widget=_area(2))

    def service_data(self) -> dict[str, Any]:
        return dict(self.cleaned_data)


def request_initial() -> dict[str, Any]:
    return {"hours": 16, "needed_by": timezone.localdate() + timedelta(days=14)}


class DeclineForm(StyledForm):
    reason = forms.CharField(label=_("Why it is declined"), max_length=4000, widget=_area(2))


class DoneForm(StyledForm):
    outcome = forms.CharField(label=_("Outcome"), required=False, max_length=4000, widget=_area(2))


class AssignForm(forms.Form):
    resource_id = forms.IntegerField(min_value=1, max_value=MAX_ID)


# --- the pool ------------------------------------------------------------------------------------------


class PoolFilterForm(StyledForm):
    q = forms.CharField(
        label=_("Search"),
        required=False,
        max_length=100,
        widget=forms.TextInput(attrs={"type": "search", "placeholder": _("Name or partner"), "autocomplete": "off"}),
    )
    tier = forms.ChoiceField(
        label=_("Support tier"), required=False, choices=[("", _("Every tier")), *SupportTier.choices]
    )
    unit = forms.ChoiceField(label=pgettext_lazy("org unit", "Unit"), required=False)
    skill = forms.CharField(label=_("Skill"), required=False, max_length=60)

    def __init__(self, *args: Any, units: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _set_choices(self, "unit", [("", _("Every unit")), *units])


class ResourceForm(StyledForm):
    person = forms.IntegerField(
        label=_("Person"), required=False, min_value=1, max_value=MAX_ID, widget=PickerSelect("user-options")
    )
    partner = forms.ChoiceField(label=_("or a partner's team"), required=False)
    name = forms.CharField(label=_("Name shown"), required=False, max_length=200)
    unit_code = forms.ChoiceField(label=_("Pool unit"), required=False)
    support_tier = forms.ChoiceField(label=_("Support tier"), choices=SupportTier.choices)
    weekly_capacity_hours = forms.IntegerField(label=_("Weekly capacity (hours)"), min_value=0, max_value=168)
    skills = forms.CharField(label=_("Skills"), required=False, max_length=2000, help_text=_("Separated by commas."))
    product_lines = forms.CharField(
        label=_("Product lines"), required=False, max_length=2000, help_text=_("Separated by commas.")
    )
    region = forms.CharField(label=_("Region"), required=False, max_length=100)
    is_executive = forms.BooleanField(label=_("Executive (can join customer meetings)"), required=False)
    is_active = forms.BooleanField(label=_("Available for requests"), required=False, initial=True)
    version = forms.IntegerField(required=False, widget=forms.HiddenInput)

    def __init__(
        self,
        *args: Any,
        units: list[tuple[str, str]],
        partners: list[tuple[int, str]],
        person: tuple[int, str] | None = None,
        creating: bool = True,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        _set_choices(self, "unit_code", [("", _("The person's own unit")), *units])
        _set_choices(self, "partner", [("", "—"), *[(str(pk), label) for pk, label in partners]])
        cast(PickerSelect, self.fields["person"].widget).choices = [("", _("Nobody")), *([person] if person else [])]
        if not creating:
            del self.fields["person"]
            del self.fields["partner"]

    def service_data(self) -> dict[str, Any]:
        data = {
            name: self.cleaned_data[name]
            for name in (
                "name",
                "support_tier",
                "weekly_capacity_hours",
                "skills",
                "product_lines",
                "region",
                "is_executive",
                "is_active",
            )
        }
        if self.cleaned_data.get("unit_code"):
            data["unit_code"] = self.cleaned_data["unit_code"]
        return data


# --- partners ------------------------------------------------------------------------------------------


class PartnerForm(StyledForm):
    name = forms.CharField(label=_("Name"), max_length=200)
    name_en = forms.CharField(label=_("English name"), required=False, max_length=200)
    type = forms.ChoiceField(label=_("Type"), choices=PartnerType.choices)
    tier = forms.ChoiceField(label=_("Partner tier"), choices=PartnerTier.choices)
    capabilities = forms.CharField(
        label=_("Capabilities"), required=False, max_length=2000, help_text=_("Separated by commas.")
    )
    regions = forms.CharField(label=_("Regions"), required=False, max_length=2000, help_text=_("Separated by commas."))
    website = forms.CharField(label=_("Website"), required=False, max_length=200)
    notes = forms.CharField(label=_("Notes"), required=False, max_length=4000, widget=_area(3))
    version = forms.IntegerField(required=False, widget=forms.HiddenInput)

    def service_data(self) -> dict[str, Any]:
        return {name: value for name, value in self.cleaned_data.items() if name != "version"}


class PartnerContactForm(StyledForm):
    name = forms.CharField(label=_("Name"), max_length=100)
    title = forms.CharField(label=_("Job title"), required=False, max_length=100)
    phone = forms.CharField(label=_("Phone"), required=False, max_length=50)
    email = forms.EmailField(label=_("E-mail"), required=False)
    is_primary = forms.BooleanField(label=_("Primary contact"), required=False)


class PartnerUserForm(StyledForm):
    username = forms.CharField(
        label=_("Username"), max_length=150, widget=forms.TextInput(attrs={"autocomplete": "off"})
    )
    display_name = forms.CharField(label=_("Display name"), required=False, max_length=150)
    email = forms.EmailField(label=_("E-mail"), required=False)
    password = forms.CharField(
        label=_("Initial password"),
        max_length=128,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )


class MeetingForm(StyledForm):
    occurred_on = forms.DateField(label=_("Date"), widget=DATE)
    subject = forms.CharField(label=_("Subject"), max_length=200)
    partner_participants = forms.CharField(label=_("Partner's participants"), required=False, max_length=300)
    minutes = forms.CharField(label=_("Minutes"), required=False, max_length=10000, widget=_area(3))
    next_steps = forms.CharField(label=_("Next steps"), required=False, max_length=4000, widget=_area(2))


# --- deal registrations ---------------------------------------------------------------------------------


class RegistrationForm(StyledForm):
    """An internal registration: for a partner or for a unit, on an account the registrant can see."""

    partner = forms.ChoiceField(label=_("For the partner"), required=False)
    unit = forms.ChoiceField(label=_("or for the unit"), required=False)
    account = forms.IntegerField(
        label=_("Account"), min_value=1, max_value=MAX_ID, widget=PickerSelect("accounts:account-options")
    )
    project = forms.CharField(label=_("Project"), max_length=200)
    opportunity = forms.ChoiceField(label=_("Opportunity (optional)"), required=False)
    estimated_amount = forms.DecimalField(
        label=_("Estimated amount"), required=False, min_value=0, max_digits=18, decimal_places=2
    )
    expires_on = forms.DateField(label=_("Protected until"), required=False, widget=DATE)
    notes = forms.CharField(label=_("Notes"), required=False, max_length=4000, widget=_area(2))

    def __init__(
        self,
        *args: Any,
        partners: list[tuple[int, str]],
        units: list[tuple[str, str]],
        account: tuple[int, str] | None,
        opportunities: list[tuple[int, str]],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        _set_choices(self, "partner", [("", "—"), *[(str(pk), label) for pk, label in partners]])
        _set_choices(self, "unit", [("", "—"), *units])
        _set_choices(self, "opportunity", [("", _("None")), *[(str(pk), label) for pk, label in opportunities]])
        cast(PickerSelect, self.fields["account"].widget).choices = [
            ("", _("Choose an account")),
            *([account] if account else []),
        ]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if bool(cleaned.get("partner")) == bool(cleaned.get("unit")):
            self.add_error("partner", _("Register for a partner or for a unit."))
        return cleaned

    def service_data(self) -> dict[str, Any]:
        return {name: self.cleaned_data.get(name) for name in ("project", "estimated_amount", "expires_on", "notes")}


class PortalRegistrationForm(StyledForm):
    """What a partner's login registers: the customer as it knows it, the project, the amount and the window."""

    customer_name = forms.CharField(label=_("Customer"), max_length=200)
    project = forms.CharField(label=_("Project"), max_length=200)
    estimated_amount = forms.DecimalField(
        label=_("Estimated amount"), required=False, min_value=0, max_digits=18, decimal_places=2
    )
    expires_on = forms.DateField(label=_("Protected until"), required=False, widget=DATE)
    notes = forms.CharField(label=_("Notes"), required=False, max_length=4000, widget=_area(2))

    def service_data(self) -> dict[str, Any]:
        return dict(self.cleaned_data)


class DecisionForm(StyledForm):
    note = forms.CharField(label=_("Note"), required=False, max_length=4000, widget=_area(2))
