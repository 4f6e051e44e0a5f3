"""Web forms of leads and review meetings. Shapes only: the services decide what is allowed and valid."""

from __future__ import annotations

import datetime as dt
from typing import Any, cast

from django import forms
from django.db.models import Field
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from irontriangle.accounts.forms import BLANK, PickerSelect
from irontriangle.accounts.models import PurchasePattern, Segment
from irontriangle.pipeline.models import (
    BANT,
    SPIN,
    BantState,
    FollowUpKind,
    Lead,
    LeadFollowUp,
    LeadSource,
    LeadStatus,
    ReviewItem,
    ReviewMeeting,
)
from irontriangle.pipeline.selectors import LeadFilters
from irontriangle.web.forms import StyledForm

DATE = {"type": "date"}
SETTABLE_STATUS = [(code, label) for code, label in LeadStatus.choices if code != LeadStatus.CONVERTED]


def _label(model: Any, name: str) -> Any:
    return capfirst(cast(Field, model._meta.get_field(name)).verbose_name)


def _date(label: Any, *, required: bool = False, **kwargs: Any) -> forms.DateField:
    return forms.DateField(
        label=label, required=required, widget=forms.DateInput(attrs=DATE, format="%Y-%m-%d"), **kwargs
    )


def _area(label: Any, rows: int = 2, **kwargs: Any) -> forms.CharField:
    return forms.CharField(label=label, required=False, widget=forms.Textarea(attrs={"rows": rows}), **kwargs)


# --- the list ---------------------------------------------------------------------------------------

SORTS = [
    ("-updated_at", _("Recently updated")),
    ("-created_at", _("Recently created")),
    ("name", _("Name A–Z")),
]


class LeadSearchForm(StyledForm):
    q = forms.CharField(
        required=False,
        max_length=200,
        label=_("Search"),
        widget=forms.TextInput(
            attrs={"type": "search", "placeholder": _("Lead, company or account"), "autocomplete": "off"}
        ),
    )
    status = forms.ChoiceField(
        required=False, label=_label(Lead, "status"), choices=[("", _("Any status")), *LeadStatus.choices]
    )
    source = forms.ChoiceField(
        required=False, label=_label(Lead, "source"), choices=[("", _("Any source")), *LeadSource.choices]
    )
    scenario = forms.ChoiceField(
        required=False, label=_label(Lead, "scenario"), choices=[("", _("Any scenario")), *PurchasePattern.choices]
    )
    segment = forms.ChoiceField(
        required=False, label=_label(Lead, "segment"), choices=[("", _("All segments")), *Segment.choices]
    )
    owner = forms.ChoiceField(required=False, label=_label(Lead, "owner"))
    sort = forms.ChoiceField(required=False, label=_("Sort"), choices=SORTS)
    cursor = forms.CharField(required=False, max_length=500)

    FILTERS = ("q", "status", "source", "scenario", "segment", "owner")

    def __init__(self, *args: Any, owner_choices: list[tuple[Any, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        owner = cast(forms.ChoiceField, self.fields["owner"])
        owner.choices = [("", _("Anyone")), ("me", _("Me")), *[(str(pk), label) for pk, label in owner_choices]]

    def filters(self, user_id: int | None) -> LeadFilters:
        values = getattr(self, "cleaned_data", {})
        owner = values.get("owner") or ""
        return LeadFilters(
            q=values.get("q", ""),
            status=values.get("status", ""),
            source=values.get("source", ""),
            scenario=values.get("scenario", ""),
            segment=values.get("segment", ""),
            owner_id=user_id if owner == "me" else (int(owner) if owner.isdigit() else None),
            sort=values.get("sort") or SORTS[0][0],
        )

    def active_filters(self) -> list[tuple[str, str]]:
        if not hasattr(self, "cleaned_data"):
            return []
        shown = []
        for name in self.FILTERS:
            value = self.cleaned_data.get(name)
            if not value:
                continue
            field = self.fields[name]
            if isinstance(field, forms.ChoiceField):
                value = str(dict(field.choices).get(value, value)).strip()  # type: ignore[arg-type]
            shown.append((name, f"{field.label}: {value}"))
        return shown


# --- the lead itself ----------------------------------------------------------------------------------


def _bant_state(letter: str) -> forms.ChoiceField:
    return forms.ChoiceField(label=_label(Lead, f"bant_{letter}"), choices=BantState.choices, initial=BantState.UNKNOWN)


class LeadForm(StyledForm):
    name = forms.CharField(
        label=_label(Lead, "name"), max_length=200, widget=forms.TextInput(attrs={"autocomplete": "off"})
    )
    source = forms.ChoiceField(label=_label(Lead, "source"), choices=LeadSource.choices)
    scenario = forms.ChoiceField(label=_label(Lead, "scenario"), choices=PurchasePattern.choices)
    segment = forms.ChoiceField(label=_label(Lead, "segment"), choices=Segment.choices, initial=Segment.KA)
    estimated_amount = forms.DecimalField(
        label=_label(Lead, "estimated_amount"), max_digits=18, decimal_places=2, min_value=0, required=False
    )
    currency = forms.RegexField(label=_label(Lead, "currency"), regex=r"^[A-Z]{3}$", max_length=3, initial="CNY")
    account_id = forms.IntegerField(
        label=_label(Lead, "account"),
        required=False,
        min_value=1,
        widget=PickerSelect("accounts:account-options"),
        help_text=_("Needed to convert the lead. Leave it empty for a company not yet in the system."),
    )
    company_name = forms.CharField(label=_label(Lead, "company_name"), max_length=200, required=False)
    contact_id = forms.IntegerField(label=_label(Lead, "contact"), required=False, min_value=1, widget=forms.Select)
    contact_name = forms.CharField(
        label=_label(Lead, "contact_name"),
        max_length=100,
        required=False,
        help_text=_("When the person is not a contact of the account yet."),
    )
    bant_budget = _bant_state("budget")
    budget_evidence = _area(_label(Lead, "budget_evidence"))
    bant_authority = _bant_state("authority")
    authority_evidence = _area(_label(Lead, "authority_evidence"))
    bant_need = _bant_state("need")
    need_evidence = _area(_label(Lead, "need_evidence"))
    bant_timeline = _bant_state("timeline")
    timeline_evidence = _area(_label(Lead, "timeline_evidence"))
    spin_situation = _area(_label(Lead, "spin_situation"), help_text=_("The customer's situation today."))
    spin_problem = _area(_label(Lead, "spin_problem"), help_text=_("The difficulties they have with it."))
    spin_implication = _area(_label(Lead, "spin_implication"), help_text=_("What those problems cost them."))
    spin_need_payoff = _area(_label(Lead, "spin_need_payoff"), help_text=_("What solving them would be worth."))
    status = forms.ChoiceField(label=_label(Lead, "status"), choices=SETTABLE_STATUS, initial=LeadStatus.NEW)
    disqualified_reason = _area(_label(Lead, "disqualified_reason"))
    owner_id = forms.IntegerField(
        label=_label(Lead, "owner"), required=False, min_value=1, widget=PickerSelect("user-options")
    )
    notes = _area(_label(Lead, "notes"), rows=3)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=1)

    FIELDSETS = (
        (_("Lead"), ("name", "source", "scenario", "segment", "estimated_amount", "currency")),
        (_("Customer"), ("account_id", "company_name", "contact_id", "contact_name")),
        (_("Status and owner"), ("status", "owner_id", "disqualified_reason", "notes")),
    )
    BANT_FIELDS = [(f"bant_{letter}", f"{letter}_evidence") for letter in BANT]
    SPIN_FIELDS = [f"spin_{part}" for part in SPIN]
    NULLABLE = frozenset({"account_id", "contact_id", "estimated_amount", "owner_id"})

    def __init__(
        self,
        *args: Any,
        account_choice: tuple[int, str] | None = None,
        contact_choices: list[tuple[int, str]] | None = None,
        owner_choice: tuple[int, str] | None = None,
        contact_options_url: str = "",
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["account_id"].widget.choices = BLANK + ([account_choice] if account_choice else [])
        self.fields["contact_id"].widget.choices = BLANK + list(contact_choices or [])
        self.fields["owner_id"].widget.choices = BLANK + ([owner_choice] if owner_choice else [])
        if contact_options_url:
            # Choosing the account refills the contact list with that account's people.
            self.fields["account_id"].widget.attrs.update(
                {
                    "hx-get": contact_options_url,
                    "hx-trigger": "change",
                    "hx-target": "#id_contact_id",
                    "hx-swap": "innerHTML",
                    "hx-include": "this",
                }
            )

    def fieldsets(self) -> list[tuple[Any, list[forms.BoundField]]]:
        return [(title, [self[name] for name in names]) for title, names in self.FIELDSETS]

    def bant_rows(self) -> list[tuple[str, forms.BoundField, forms.BoundField]]:
        return [(state[5].upper(), self[state], self[evidence]) for state, evidence in self.BANT_FIELDS]

    def spin_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in self.SPIN_FIELDS]

    def service_data(self, *, only_changed: bool) -> dict[str, Any]:
        """The cleaned values shaped as `lead_create` / `lead_update` take them. An edit sends only what
        the person changed, so an account the editor may not re-check stays as it is."""
        values = self.cleaned_data
        names = [name for name in values if name != "version" and (not only_changed or name in self.changed_data)]
        data: dict[str, Any] = {}
        for name in names:
            value = values[name]
            if name in self.NULLABLE and value in ("", None):
                value = None
            if name.startswith("bant_"):
                data.setdefault("bant", {})[name.removeprefix("bant_")] = value
            elif name.endswith("_evidence"):
                data.setdefault("bant_evidence", {})[name] = value
            elif name.startswith("spin_"):
                data.setdefault("spin", {})[name.removeprefix("spin_")] = value
            else:
                data[name] = value
        if not only_changed and not data.get("owner_id"):
            data.pop("owner_id", None)  # the creator owns the lead
        if only_changed and "contact_id" not in data and "account_id" in data:
            data["contact_id"] = values.get("contact_id")  # a new account drops a contact of the old one
        return data


def lead_initial(lead: Lead) -> dict[str, Any]:
    initial: dict[str, Any] = {name: getattr(lead, name) for name in LeadForm.base_fields if hasattr(lead, name)}
    initial.update(account_id=lead.account_id, contact_id=lead.contact_id, owner_id=lead.owner_id)
    return initial


class FollowUpForm(StyledForm):
    kind = forms.ChoiceField(label=_label(LeadFollowUp, "kind"), choices=FollowUpKind.choices)
    occurred_on = _date(_label(LeadFollowUp, "occurred_on"), required=True)
    note = forms.CharField(label=_label(LeadFollowUp, "note"), widget=forms.Textarea(attrs={"rows": 2}))
    next_step = _area(_label(LeadFollowUp, "next_step"))
    next_on = _date(_label(LeadFollowUp, "next_on"))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("prefix", "followup")
        kwargs.setdefault("initial", {"occurred_on": timezone.localdate()})
        super().__init__(*args, **kwargs)


class ConvertForm(StyledForm):
    override_reason = forms.CharField(
        label=_("Reason to convert without BANT confirmed"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Only a manager of the lead's unit may; the reason is kept in the lead's history."),
    )


class DisqualifyForm(StyledForm):
    disqualified_reason = forms.CharField(
        label=_label(Lead, "disqualified_reason"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)


class PeriodForm(StyledForm):
    """The conversion report's period; by default the last twelve months up to today."""

    start = _date(_("Since"))
    end = _date(_("Until"))

    def period(self) -> tuple[dt.date, dt.date]:
        values = getattr(self, "cleaned_data", {})
        end = values.get("end") or timezone.localdate()
        start = values.get("start") or (end - dt.timedelta(days=365) + dt.timedelta(days=1))
        if start > end:
            start, end = end, start
        return start, end


# --- review meetings ----------------------------------------------------------------------------------


class ReviewForm(StyledForm):
    title = forms.CharField(label=_label(ReviewMeeting, "title"), max_length=200)
    held_on = _date(_label(ReviewMeeting, "held_on"), required=True)
    unit_code = forms.ChoiceField(label=_label(ReviewMeeting, "unit"))
    participant_ids = forms.TypedMultipleChoiceField(
        label=_label(ReviewMeeting, "participants"),
        coerce=int,
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 5}),
        help_text=_("Hold Ctrl (⌘ on a Mac) to choose several people."),
    )
    notes = _area(_label(ReviewMeeting, "notes"), rows=3)

    def __init__(
        self, *args: Any, unit_choices: list[tuple[str, str]], people: list[tuple[int, str]], **kwargs: Any
    ) -> None:
        kwargs.setdefault("prefix", "review")
        kwargs.setdefault("initial", {"held_on": timezone.localdate()})
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["unit_code"]).choices = unit_choices
        cast(forms.ChoiceField, self.fields["participant_ids"]).choices = people


class ReviewItemForm(StyledForm):
    opportunity_id = forms.TypedChoiceField(label=_label(ReviewItem, "opportunity"), coerce=int)
    decision = forms.CharField(label=_label(ReviewItem, "decision"), widget=forms.Textarea(attrs={"rows": 2}))
    next_actions = _area(_label(ReviewItem, "next_actions"))
    owner_id = forms.IntegerField(
        label=_label(ReviewItem, "owner"), required=False, min_value=1, widget=PickerSelect("user-options")
    )
    due_on = _date(_label(ReviewItem, "due_on"))

    def __init__(self, *args: Any, opportunities: list[tuple[int, str]], **kwargs: Any) -> None:
        kwargs.setdefault("prefix", "item")
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["opportunity_id"]).choices = [*BLANK, *opportunities]
        self.fields["owner_id"].widget.choices = BLANK
