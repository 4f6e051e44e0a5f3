"""Web forms of the account 360 page and the ownership requests. Shapes only; the services decide the rest."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from irontriangle.accounts.models import CustomerInfo, InfoKind, PurchaseDriver
from irontriangle.accounts.services.intelligence import DRIVER_FIELDS, INFO_FIELDS
from irontriangle.web.forms import StyledForm


class DateInput(forms.DateInput):
    input_type = "date"


class VersionedForm(StyledForm):
    # The version the person saw: an edit against a newer record is refused, never merged silently.
    version = forms.IntegerField(required=False, min_value=1, widget=forms.HiddenInput)

    def service_data(self, fields: tuple[str, ...]) -> dict[str, Any]:
        return {name: self.cleaned_data.get(name) for name in fields}


class DriverForm(VersionedForm):
    name = forms.CharField(label=_("Driver"), max_length=100)
    volume = forms.DecimalField(label=_("Volume"), max_digits=18, decimal_places=2, min_value=0)
    unit = forms.CharField(label=_("Unit"), max_length=40, required=False)
    factor = forms.DecimalField(label=_("Purchase per unit per year"), max_digits=18, decimal_places=4, min_value=0)
    as_of = forms.DateField(label=_("As of"), required=False, widget=DateInput)
    source = forms.CharField(label=_("Source"), max_length=200, required=False)

    @classmethod
    def of(cls, driver: PurchaseDriver) -> DriverForm:
        initial = {name: getattr(driver, name) for name in DRIVER_FIELDS}
        initial["version"] = driver.version
        return cls(initial=initial, prefix=f"driver-{driver.pk}")


class CustomerInfoForm(VersionedForm):
    field_order = ["kind", "recorded_on", "source", "title", "detail", "version"]
    kind = forms.ChoiceField(label=_("Kind"), choices=InfoKind.choices)
    title = forms.CharField(label=_("Title"), max_length=200)
    recorded_on = forms.DateField(label=_("Recorded on"), widget=DateInput)
    detail = forms.CharField(
        label=_("Detail"), max_length=5000, required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    source = forms.CharField(label=_("Source"), max_length=200, required=False)

    @classmethod
    def of(cls, info: CustomerInfo) -> CustomerInfoForm:
        initial = {name: getattr(info, name) for name in INFO_FIELDS}
        initial["version"] = info.version
        return cls(initial=initial, prefix=f"info-{info.pk}")


class PotentialBasisForm(StyledForm):
    use_drivers = forms.BooleanField(label=_("Use the drivers' estimate as the potential"), required=False)
    version = forms.IntegerField(required=False, min_value=1, widget=forms.HiddenInput)


class SegmentDecisionForm(StyledForm):
    segment = forms.ChoiceField(choices=[("ka", "KA"), ("smb", "SMB")])
    reason = forms.CharField(label=_("Reason (optional)"), max_length=500, required=False)


class TransferForm(StyledForm):
    unit_code = forms.ChoiceField(label=_("Move to unit"))
    reason = forms.CharField(label=_("Reason"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args: Any, units: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["unit_code"]).choices = [("", "—"), *units]


class DecisionForm(StyledForm):
    reason = forms.CharField(
        label=_("Reason for the decision"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )
