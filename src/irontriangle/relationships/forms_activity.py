"""Web forms of interactions, organisational activities, the visit cadence, the risk radar and the
relationship evaluation. They check shapes only; the services decide what is allowed and valid."""

from __future__ import annotations

from datetime import date
from typing import Any, cast

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from irontriangle.relationships.models import EVALUATION_ITEMS, InteractionKind, OrgActivityKind
from irontriangle.web.forms import StyledForm

BIG_ID = 2**63 - 1
KIND_ICONS: dict[str, str] = {
    InteractionKind.VISIT: "bi-briefcase",
    InteractionKind.MEAL: "bi-cup-hot",
    InteractionKind.CALL: "bi-telephone",
    InteractionKind.MEETING: "bi-people",
    InteractionKind.EXHIBITION: "bi-easel",
    InteractionKind.SITE_TOUR: "bi-binoculars",
}
ORG_KIND_ICONS: dict[str, str] = {
    OrgActivityKind.STRATEGIC_ALIGNMENT_MEETING: "bi-compass",
    OrgActivityKind.EXECUTIVE_VISIT: "bi-person-badge",
    OrgActivityKind.STRATEGIC_AGREEMENT: "bi-file-earmark-check",
    OrgActivityKind.JOINT_INNOVATION_CENTRE: "bi-lightbulb",
}
RISK_KINDS = [
    ("contact_left", _("Key contact left")),
    ("contact_moved", _("Key contact moved")),
    ("no_owner", _("Key contact without owner")),
    ("no_backup", _("Key contact without backup")),
    ("not_met", _("Key contact not met")),
    ("opponent_decision_maker", _("Opposing decision maker")),
    ("role_uncovered", _("Buying role not covered")),
    ("org_cadence_overdue", _("Organisational cadence overdue")),
    ("single_threaded", _("Single-threaded opportunity")),
    ("procurement_role_uncovered", _("Procurement stakeholder not covered")),
]
DATETIME_LOCAL = "%Y-%m-%dT%H:%M"


def local_now_value() -> str:
    """Now, as a datetime-local input shows it (minutes, the server's time zone)."""
    return timezone.localtime().strftime(DATETIME_LOCAL)


class IdListField(forms.TypedMultipleChoiceField):
    """Ids ticked among the choices offered; a tick outside them (an account changed in another tab) is
    left to the service, which names the field it refuses."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(coerce=int, required=False, **kwargs)

    def valid_value(self, value: Any) -> bool:
        try:
            return 0 < int(value) <= BIG_ID
        except (TypeError, ValueError):
            return False


class PeopleField(IdListField):
    widget = forms.CheckboxSelectMultiple


class IdChoiceField(forms.TypedChoiceField):
    """One id, offered in a short list or found through the picker's search: any id passes here, and
    the selector or service behind the view decides whether the viewer may use it."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(coerce=int, empty_value=None, **kwargs)

    def valid_value(self, value: Any) -> bool:
        try:
            return 0 < int(value) <= BIG_ID
        except (TypeError, ValueError):
            return False


class InteractionForm(StyledForm):
    kind = forms.ChoiceField(
        label=_("Kind"), choices=InteractionKind.choices, initial=InteractionKind.VISIT, widget=forms.RadioSelect
    )
    occurred_at = forms.DateTimeField(
        label=_("When"),
        input_formats=[DATETIME_LOCAL, "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M", "%Y-%m-%d"],
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format=DATETIME_LOCAL),
    )
    account_id = IdChoiceField(label=_("Account"))
    contact_ids = IdListField(label=_("Contacts met"), widget=forms.CheckboxSelectMultiple)
    participant_ids = PeopleField(label=_("Who went"))
    opportunity_id = IdChoiceField(label=_("For the opportunity"), required=False)
    minutes = forms.CharField(
        label=_("Minutes"),
        required=False,
        max_length=20000,
        widget=forms.Textarea(attrs={"rows": 5, "placeholder": _("What was discussed, what the customer said")}),
    )
    next_steps = forms.CharField(
        label=_("Next steps"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 2, "placeholder": _("Who does what by when")}),
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=1)
    next = forms.CharField(widget=forms.HiddenInput, required=False, max_length=500)

    SERVICE_FIELDS = (
        "kind",
        "occurred_at",
        "account_id",
        "contact_ids",
        "participant_ids",
        "opportunity_id",
        "minutes",
        "next_steps",
    )

    def __init__(
        self,
        *args: Any,
        account_choices: list[tuple[int, str]],
        contact_choices: list[tuple[int, str]],
        people_choices: list[tuple[int, str]],
        opportunity_choices: list[tuple[int, str]] = (),  # type: ignore[assignment]
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["account_id"]).choices = [("", "—"), *account_choices]
        cast(forms.ChoiceField, self.fields["opportunity_id"]).choices = [("", "—"), *opportunity_choices]
        cast(forms.ChoiceField, self.fields["contact_ids"]).choices = contact_choices
        cast(forms.ChoiceField, self.fields["participant_ids"]).choices = people_choices
        # Toggle buttons and chips carry their own look; Bootstrap's form-control would box them in.
        for name in ("kind", "contact_ids", "participant_ids"):
            self.fields[name].widget.attrs["class"] = "btn-check"
        # Thumb-sized controls: this form is filled in on a phone, just after the visit.
        self.fields["occurred_at"].widget.attrs["class"] += " form-control-lg"
        self.fields["account_id"].widget.attrs["class"] += " form-select-lg"

    def service_data(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in self.SERVICE_FIELDS if name in self.cleaned_data}

    def kind_buttons(self) -> list[tuple[str, str, str, bool]]:
        """(value, label, icon, checked) of each kind, for the row of toggle buttons."""
        current = str(self["kind"].value() or InteractionKind.VISIT)
        return [(value, str(label), KIND_ICONS[value], value == current) for value, label in InteractionKind.choices]


class OrgActivityForm(StyledForm):
    kind = forms.ChoiceField(label=_("Kind"), choices=OrgActivityKind.choices)
    account_id = IdChoiceField(label=_("Account"))
    occurred_on = forms.DateField(label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    title = forms.CharField(label=_("Title"), max_length=200, required=False)
    participant_ids = PeopleField(label=_("Our participants"))
    contact_ids = IdListField(label=_("Customer participants"), widget=forms.CheckboxSelectMultiple)
    outcome = forms.CharField(
        label=_("Outcome"),
        required=False,
        max_length=20000,
        widget=forms.Textarea(attrs={"rows": 4, "placeholder": _("What was agreed, who follows up")}),
    )
    key_projects = forms.CharField(
        label=_("Key projects"),
        required=False,
        max_length=20000,
        help_text=_("The key projects of the next two years the agreement covers."),
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    exclusive = forms.BooleanField(label=_("Exclusive"), required=False)
    valid_until = forms.DateField(
        label=_("Valid until"), required=False, widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=1)

    SERVICE_FIELDS = (
        "kind",
        "account_id",
        "occurred_on",
        "title",
        "participant_ids",
        "contact_ids",
        "outcome",
        "key_projects",
        "exclusive",
        "valid_until",
    )
    AGREEMENT_FIELDS = ("key_projects", "exclusive", "valid_until")

    def __init__(
        self,
        *args: Any,
        account_choices: list[tuple[int, str]],
        contact_choices: list[tuple[int, str]],
        people_choices: list[tuple[int, str]],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["account_id"]).choices = [("", "—"), *account_choices]
        cast(forms.ChoiceField, self.fields["contact_ids"]).choices = contact_choices
        cast(forms.ChoiceField, self.fields["participant_ids"]).choices = people_choices
        for name in ("contact_ids", "participant_ids"):
            self.fields[name].widget.attrs["class"] = "btn-check"

    def service_data(self) -> dict[str, Any]:
        data = {name: self.cleaned_data[name] for name in self.SERVICE_FIELDS if name in self.cleaned_data}
        if data.get("kind") != OrgActivityKind.STRATEGIC_AGREEMENT:
            # The agreement's terms belong to agreements only; hidden fields of another kind are not kept.
            data.update(key_projects="", exclusive=False, valid_until=None)
        return data

    def clean(self) -> dict[str, Any]:
        values = super().clean() or {}
        occurred_on, valid_until = values.get("occurred_on"), values.get("valid_until")
        if occurred_on and valid_until and valid_until < occurred_on:
            self.add_error("valid_until", _("An agreement cannot end before it is signed."))
        return values


class InteractionSearchForm(StyledForm):
    """The interaction list's query string, checked so a hand-edited URL cannot reach the database unshaped."""

    q = forms.CharField(
        required=False,
        max_length=200,
        label=_("Search"),
        widget=forms.TextInput(
            attrs={"type": "search", "placeholder": _("Search minutes, people, next steps"), "autocomplete": "off"}
        ),
    )
    account = IdChoiceField(label=_("Account"), required=False)
    kind = forms.ChoiceField(required=False, label=_("Kind"), choices=[("", _("All kinds")), *InteractionKind.choices])
    since = forms.DateField(required=False, label=_("Since"), widget=forms.DateInput(attrs={"type": "date"}))
    until = forms.DateField(required=False, label=_("Until"), widget=forms.DateInput(attrs={"type": "date"}))
    mine = forms.BooleanField(required=False, label=_("Only where I went"))
    cursor = forms.CharField(required=False, max_length=500)

    def __init__(self, *args: Any, account_choices: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["account"]).choices = [("", _("All accounts")), *account_choices]

    def clean_mine(self) -> bool | None:
        return self.cleaned_data["mine"] or None


class OrgActivitySearchForm(StyledForm):
    account = IdChoiceField(label=_("Account"), required=False)
    kind = forms.ChoiceField(required=False, label=_("Kind"), choices=[("", _("All kinds")), *OrgActivityKind.choices])
    overdue = forms.BooleanField(required=False, label=_("Only overdue cadences"))
    cursor = forms.CharField(required=False, max_length=500)

    def __init__(self, *args: Any, account_choices: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["account"]).choices = [("", _("All accounts")), *account_choices]


class CadenceForm(StyledForm):
    week = forms.DateField(
        required=False, label=_("Week of"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    unit = forms.ChoiceField(required=False, label=pgettext_lazy("org unit", "Unit"))

    def __init__(self, *args: Any, unit_choices: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["unit"]).choices = [("", _("All my units")), *unit_choices]

    def clean_week(self) -> date | None:
        week = self.cleaned_data["week"]
        if week is not None and not 2000 <= week.year <= 2100:
            raise forms.ValidationError(_("Choose a week between 2000 and 2100."))
        return week


class RiskFilterForm(StyledForm):
    kind = forms.ChoiceField(required=False, label=_("Kind"), choices=[("", _("All risks")), *RISK_KINDS])


class EvaluationForm(StyledForm):
    notes = forms.CharField(
        label=_("Notes"),
        required=False,
        max_length=20000,
        widget=forms.Textarea(attrs={"rows": 3, "placeholder": _("What the review concluded, what comes next")}),
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=1)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for key, label in EVALUATION_ITEMS:
            self.fields[key] = forms.BooleanField(label=label, required=False)
            self.fields[key].widget.attrs["class"] = "form-check-input"

    def service_data(self) -> dict[str, Any]:
        data = {key: self.cleaned_data[key] for key, _label in EVALUATION_ITEMS}
        data["notes"] = self.cleaned_data["notes"]
        return data


class YearForm(forms.Form):
    year = forms.IntegerField(required=False, min_value=2000, max_value=2100)
