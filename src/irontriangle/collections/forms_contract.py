"""Forms of the contract pages. They shape what a person typed; the services decide whether it stands."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any, cast

from django import forms
from django.http import QueryDict
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from irontriangle.collections.models import (
    REQUIRABLE_EVIDENCE,
    ActionKind,
    CollectionAction,
    Contract,
    EvidenceKind,
    MilestoneKind,
    Payment,
    SignOffRole,
    Trigger,
)
from irontriangle.web.forms import StyledForm

BLANK: list[tuple[Any, str]] = [("", "—")]
DATE = {"type": "date"}
MONEY = {"inputmode": "decimal", "autocomplete": "off"}
MAX_ROWS = 50


def _label(model: Any, name: str) -> Any:
    return capfirst(cast(Any, model._meta.get_field(name)).verbose_name)


def _date(label: Any, *, required: bool = True, initial: Any = None) -> forms.DateField:
    return forms.DateField(
        label=label, required=required, initial=initial, widget=forms.DateInput(attrs=DATE, format="%Y-%m-%d")
    )


def _choice_id(label: Any, *, required: bool = False) -> forms.TypedChoiceField:
    return forms.TypedChoiceField(label=label, coerce=int, empty_value=None, required=required)


def _money(label: Any, *, required: bool = True) -> forms.DecimalField:
    return forms.DecimalField(
        label=label,
        max_digits=18,
        decimal_places=2,
        min_value=Decimal("0.01"),
        required=required,
        widget=forms.NumberInput(attrs={**MONEY, "step": "0.01"}),
    )


class ContractCreateForm(StyledForm):
    number = forms.CharField(label=_label(Contract, "number"), max_length=60)
    title = forms.CharField(label=_label(Contract, "title"), max_length=200, required=False)
    signed_on = _date(_label(Contract, "signed_on"))
    amount = _money(_label(Contract, "amount"))
    currency = forms.CharField(label=_label(Contract, "currency"), max_length=3, min_length=3)
    ar_id = _choice_id(_label(Contract, "ar"))
    fr_id = _choice_id(_label(Contract, "fr"))
    template = forms.ChoiceField(label=_("Payment schedule"), required=False)
    payment_terms = forms.CharField(
        label=_label(Contract, "payment_terms"), required=False, max_length=5000, widget=forms.Textarea({"rows": 3})
    )

    def __init__(
        self,
        *args: Any,
        people: list[tuple[int, str]] = (),  # type: ignore[assignment]
        templates: list[tuple[str, str]] = (),  # type: ignore[assignment]
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        default = [("", _("From the deal team"))]
        cast(forms.ChoiceField, self.fields["ar_id"]).choices = default + list(people)
        cast(forms.ChoiceField, self.fields["fr_id"]).choices = default + list(people)
        none = ("", _("None yet: I will enter it"))
        cast(forms.ChoiceField, self.fields["template"]).choices = [none, *templates]

    def service_data(self) -> dict[str, Any]:
        data = {name: value for name, value in self.cleaned_data.items() if name != "template"}
        data["currency"] = (data.get("currency") or "").upper()
        return data


class EventForm(StyledForm):
    """One of the events the due dates hang on, recorded when it happens."""

    event = forms.ChoiceField(
        choices=[("delivered_on", ""), ("accepted_on", ""), ("warranty_ends_on", "")], widget=forms.HiddenInput
    )
    on = _date(_("Date"))
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


class PaymentForm(StyledForm):
    amount = _money(_label(Payment, "amount"))
    received_on = _date(_label(Payment, "received_on"))
    reference = forms.CharField(label=_label(Payment, "reference"), max_length=100, required=False)
    is_overpayment = forms.BooleanField(
        label=_("Record the amount above what is outstanding as an over-payment"), required=False
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {"received_on": timezone.localdate()})
        super().__init__(*args, **kwargs)


class InvoiceForm(StyledForm):
    invoiced_on = _date(_("Invoiced on"))
    invoice_number = forms.CharField(label=_("Invoice number"), max_length=60, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {"invoiced_on": timezone.localdate()})
        super().__init__(*args, **kwargs)


class DisputeForm(StyledForm):
    reason = forms.CharField(
        label=_("What does the customer dispute?"), max_length=2000, widget=forms.Textarea({"rows": 2})
    )


class ResolveForm(StyledForm):
    note = forms.CharField(label=_("How was it settled?"), max_length=2000, widget=forms.Textarea({"rows": 2}))


class EvidenceForm(StyledForm):
    file = forms.FileField(label=_("File"))
    kind = forms.ChoiceField(label=_("Kind"), choices=EvidenceKind.choices)
    notes = forms.CharField(label=_("Notes"), max_length=300, required=False)

    def __init__(self, *args: Any, kinds: list[str] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if kinds:
            # What the milestone still needs comes first in the list.
            first = [(code, label) for code, label in EvidenceKind.choices if code in kinds]
            rest = [(code, label) for code, label in EvidenceKind.choices if code not in kinds]
            cast(forms.ChoiceField, self.fields["kind"]).choices = first + rest


class SignOffForm(StyledForm):
    contact_id = _choice_id(_("Contact"), required=True)
    role = forms.ChoiceField(label=_("Role"), choices=SignOffRole.choices)
    signed_on = _date(_("Signed on"), required=False)

    def __init__(self, *args: Any, contacts: list[tuple[int, str]] = (), **kwargs: Any) -> None:  # type: ignore[assignment]
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["contact_id"]).choices = BLANK + list(contacts)


class SignedForm(StyledForm):
    signed_on = _date(_("Signed on"), required=False)


class ActionForm(StyledForm):
    kind = forms.ChoiceField(label=_label(CollectionAction, "kind"), choices=ActionKind.choices)
    occurred_on = _date(_label(CollectionAction, "occurred_on"))
    contact_id = _choice_id(_label(CollectionAction, "contact"))
    milestone_id = _choice_id(_("Milestone"))
    outcome = forms.CharField(
        label=_label(CollectionAction, "outcome"), max_length=5000, widget=forms.Textarea({"rows": 2})
    )
    promised_on = _date(_label(CollectionAction, "promised_on"), required=False)

    def __init__(
        self,
        *args: Any,
        contacts: list[tuple[int, str]] = (),  # type: ignore[assignment]
        milestones: list[tuple[int, str]] = (),  # type: ignore[assignment]
        **kwargs: Any,
    ) -> None:
        kwargs.setdefault("initial", {"occurred_on": timezone.localdate()})
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["contact_id"]).choices = BLANK + list(contacts)
        cast(forms.ChoiceField, self.fields["milestone_id"]).choices = BLANK + list(milestones)


class TickForm(forms.Form):
    key = forms.SlugField(max_length=40)
    note = forms.CharField(max_length=300, required=False)


# --- the schedule editor -------------------------------------------------------------------------------
# Rows arrive as parallel lists (one value per row for each name), the way the rows are laid out on the
# page; each row is kept as typed so the page can show it again next to the service's refusal.

ROW_FIELDS = ("id", "kind", "percent", "amount", "due_on", "trigger", "offset_days", "responsible_id", "evidence")


def schedule_rows(data: QueryDict) -> list[dict[str, str]]:
    columns = {name: data.getlist(f"row-{name}") for name in ROW_FIELDS}
    count = min(len(columns["kind"]), MAX_ROWS)
    rows = []
    for index in range(count):
        row = {name: (values[index] if index < len(values) else "").strip() for name, values in columns.items()}
        if not any(row[name] for name in ("percent", "amount", "due_on", "trigger")):
            continue  # the blank row offered for a new milestone, left blank
        rows.append(row)
    return rows


def _number(value: str, kind: type = Decimal) -> Any:
    if not value:
        return None
    try:
        return kind(value.replace(",", ""))
    except (InvalidOperation, ValueError):
        return "invalid"


def schedule_service_rows(rows: list[dict[str, str]]) -> tuple[list[dict[str, Any]], list[str]]:
    """The rows for `milestones_replace`, and what could not even be read (shown before calling it)."""
    from datetime import date

    result: list[dict[str, Any]] = []
    problems: list[str] = []
    for index, row in enumerate(rows, start=1):
        percent, amount = _number(row["percent"]), _number(row["amount"])
        offset, pk, responsible = (_number(row[name], int) for name in ("offset_days", "id", "responsible_id"))
        due_on: Any = None
        try:
            due_on = date.fromisoformat(row["due_on"]) if row["due_on"] else None
        except ValueError:
            due_on = "invalid"
        if "invalid" in (percent, amount, offset, pk, responsible, due_on):
            problems.append(str(_("Row %(n)s: a number or date cannot be read.") % {"n": index}))
            continue
        if offset is not None and not 0 <= offset <= 3650:
            problems.append(str(_("Row %(n)s: days after the event are between 0 and 3650.") % {"n": index}))
            continue
        evidence = [code for code in row["evidence"].split(",") if code in REQUIRABLE_EVIDENCE]
        result.append(
            {
                "id": pk,
                "kind": row["kind"] if row["kind"] in MilestoneKind.values else "",
                "percent": percent,
                "amount": amount,
                "due_on": due_on,
                "trigger": row["trigger"] if row["trigger"] in Trigger.values else "",
                "offset_days": offset or 0,
                "responsible_id": responsible,
                # An existing row keeps what it asks for; a new one gets its kind's default.
                "evidence_required": evidence if row["evidence"] else None,
            }
        )
    return result, problems
