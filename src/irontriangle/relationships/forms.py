"""Web forms of contacts, their owners and relationship plans. Shapes only: the services decide the rest."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.db.models import Field
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from irontriangle.accounts.forms import BLANK, PickerSelect
from irontriangle.relationships.models import (
    LEVEL_ORDER,
    BuyingRole,
    Contact,
    ContactStatus,
    Level,
    PlanStatus,
    RelationshipPlan,
    Stance,
)
from irontriangle.relationships.selectors import ContactFilters
from irontriangle.web.forms import StyledForm

INFLUENCE_CHOICES = [
    (1, _("1 · little")),
    (2, _("2 · some")),
    (3, _("3 · medium")),
    (4, _("4 · strong")),
    (5, _("5 · decisive")),
]
DATE = {"type": "date"}


def _field(name: str) -> Field:
    return cast(Field, Contact._meta.get_field(name))


def _label(name: str) -> Any:
    return capfirst(_field(name).verbose_name)


def _text(name: str, max_length: int, **kwargs: Any) -> forms.CharField:
    return forms.CharField(label=_label(name), max_length=max_length, required=False, **kwargs)


class ContactForm(StyledForm):
    account_id = forms.IntegerField(
        label=_label("account"), min_value=1, widget=PickerSelect("accounts:account-options")
    )
    name = forms.CharField(label=_label("name"), max_length=100, widget=forms.TextInput(attrs={"autocomplete": "off"}))
    title = _text("title", 100)
    department = _text("department", 100)
    # Any id passes the form: the service says when it is of another account or would make a circle.
    reports_to_id = forms.IntegerField(
        label=_label("reports_to"),
        required=False,
        min_value=1,
        widget=forms.Select,
        help_text=_("Their manager at the customer: draws the line on the power map."),
    )
    phone = _text("phone", 40)
    email = forms.EmailField(label=_label("email"), max_length=200, required=False)
    wechat = _text("wechat", 100)
    buying_roles = forms.MultipleChoiceField(
        label=_label("buying_roles"),
        required=False,
        choices=BuyingRole.choices,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("The parts this person plays in the customer's purchase."),
    )
    influence = forms.TypedChoiceField(label=_label("influence"), coerce=int, choices=INFLUENCE_CHOICES, initial=3)
    stance = forms.ChoiceField(label=_label("stance"), choices=Stance.choices, initial=Stance.NEUTRAL)
    intimacy = forms.ChoiceField(
        label=_label("intimacy"),
        choices=Level.choices,
        initial=Level.LOW,
        help_text=_("How close the person is to us."),
    )
    support = forms.ChoiceField(
        label=_label("support"),
        choices=Level.choices,
        initial=Level.LOW,
        help_text=_("How much the person backs our solution."),
    )
    is_key = forms.BooleanField(
        label=_label("is_key"),
        required=False,
        help_text=_("Key people are placed on the nine-grid and need a primary owner and a backup."),
    )
    status = forms.ChoiceField(label=_label("status"), choices=ContactStatus.choices, initial=ContactStatus.ACTIVE)
    status_changed_on = forms.DateField(
        label=_label("status_changed_on"),
        required=False,
        widget=forms.DateInput(attrs=DATE, format="%Y-%m-%d"),
        help_text=_("Left empty, a change of status is dated today."),
    )
    status_note = _text("status_note", 200, help_text=_("For example where the person moved to."))
    notes = forms.CharField(label=_label("notes"), required=False, widget=forms.Textarea(attrs={"rows": 4}))
    version = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=1)

    FIELDSETS = (
        (_("Person"), ("account_id", "name", "title", "department", "reports_to_id")),
        (_("How to reach them"), ("phone", "email", "wechat")),
        (
            _("Role in the purchase and relationship"),
            ("buying_roles", "influence", "stance", "intimacy", "support", "is_key"),
        ),
        (_("Status and notes"), ("status", "status_changed_on", "status_note", "notes")),
    )
    NOT_FOR_SERVICE = frozenset({"version", "account_id"})
    NULLABLE = frozenset({"reports_to_id", "status_changed_on"})

    def __init__(
        self,
        *args: Any,
        account_choice: tuple[int, str] | None = None,
        manager_choices: list[tuple[int, str]] | None = None,
        options_url: str = "",
        editing: bool = False,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.editing = editing
        self.fields["account_id"].widget.choices = BLANK + ([account_choice] if account_choice else [])
        reports_to = self.fields["reports_to_id"]
        reports_to.widget.choices = [("", _("Nobody on the map")), *(manager_choices or [])]
        roles = self.fields["buying_roles"].widget
        roles.attrs["class"] = "form-check-input"
        if editing:
            # A contact stays with its account; moving a person to another customer is a new contact.
            self.fields["account_id"].required = False
            self.fields["account_id"].disabled = True
        elif options_url:
            # Choosing the account refills the reports-to list with that account's contacts.
            self.fields["account_id"].widget.attrs.update(
                {
                    "hx-get": options_url,
                    "hx-trigger": "change",
                    "hx-target": "#id_reports_to_id",
                    "hx-swap": "innerHTML",
                    "hx-include": "this",
                }
            )

    def fieldsets(self) -> list[tuple[Any, list[forms.BoundField]]]:
        return [(title, [self[name] for name in names]) for title, names in self.FIELDSETS]

    def service_data(self, *, only_changed: bool) -> dict[str, Any]:
        names = [name for name in self.cleaned_data if name not in self.NOT_FOR_SERVICE]
        if only_changed:
            names = [name for name in names if name in self.changed_data]
        data: dict[str, Any] = {}
        for name in names:
            value = self.cleaned_data[name]
            if name in self.NULLABLE and value in ("", None):
                value = None
            data[name] = value
        return data


def contact_initial(contact: Contact) -> dict[str, Any]:
    initial: dict[str, Any] = {
        name: getattr(contact, name) for name in ContactForm.base_fields if hasattr(contact, name)
    }
    initial.update(
        account_id=contact.account_id,
        reports_to_id=contact.reports_to_id,
        buying_roles=contact.roles,
        version=contact.version,
    )
    return initial


def _yes(value: Any) -> bool | None:
    return True if value else None


class ContactSearchForm(StyledForm):
    """The contact list's query string, checked so a hand-edited URL cannot reach the database unshaped."""

    q = forms.CharField(
        required=False,
        max_length=100,
        label=_("Search"),
        widget=forms.TextInput(
            attrs={
                "type": "search",
                "placeholder": _("Name, title, department, phone or e-mail"),
                "autocomplete": "off",
            }
        ),
    )
    account = forms.IntegerField(
        required=False,
        min_value=1,
        max_value=2**63 - 1,
        label=_label("account"),
        widget=PickerSelect("accounts:account-options"),
    )
    role = forms.ChoiceField(required=False, label=_("Buying role"), choices=[("", _("Any role")), *BuyingRole.choices])
    stance = forms.ChoiceField(required=False, label=_label("stance"), choices=[("", _("Any stance")), *Stance.choices])
    status = forms.ChoiceField(
        required=False, label=_label("status"), choices=[("", _("Any status")), *ContactStatus.choices]
    )
    key = forms.BooleanField(required=False, label=_("Key people only"))
    no_backup = forms.BooleanField(required=False, label=_("Without a backup owner"))
    cursor = forms.CharField(required=False, max_length=500)

    def __init__(self, *args: Any, account_choice: tuple[int, str] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["account"].widget.choices = [("", _("All accounts"))] + ([account_choice] if account_choice else [])

    def clean_key(self) -> bool | None:
        return _yes(self.cleaned_data["key"])

    def clean_no_backup(self) -> bool | None:
        return _yes(self.cleaned_data["no_backup"])

    def filters(self) -> ContactFilters:
        values = getattr(self, "cleaned_data", {})
        return ContactFilters(
            q=values.get("q", ""),
            account_id=values.get("account"),
            role=values.get("role", ""),
            stance=values.get("stance", ""),
            status=values.get("status", ""),
            is_key=values.get("key"),
            no_backup=values.get("no_backup"),
        )

    def active_filters(self, account_name: str = "") -> list[tuple[str, str]]:
        if not hasattr(self, "cleaned_data"):
            return []
        shown = []
        for name in ("q", "role", "stance", "status"):
            value = self.cleaned_data.get(name)
            if not value:
                continue
            field = self.fields[name]
            if isinstance(field, forms.ChoiceField):
                value = str(dict(field.choices).get(value, value))  # type: ignore[arg-type]
            shown.append((name, f"{field.label}: {value}"))
        if self.cleaned_data.get("account"):
            shown.append(("account", f"{self.fields['account'].label}: {account_name or '—'}"))
        for name in ("key", "no_backup"):
            if self.cleaned_data.get(name):
                shown.append((name, str(self.fields[name].label)))
        return shown


class OwnerForm(StyledForm):
    user_id = forms.IntegerField(label=_("Person"), min_value=1, widget=PickerSelect("user-options"))
    is_primary = forms.BooleanField(
        label=_("Primary owner"),
        required=False,
        help_text=_("Unticked: a backup owner. A new primary turns the former one into a backup."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["user_id"].widget.choices = BLANK


def _step_up(level: str) -> str:
    order = list(LEVEL_ORDER)
    return order[min(LEVEL_ORDER[level] + 1, len(order) - 1)]


class PlanForm(StyledForm):
    goal = forms.CharField(
        label=_("Goal"),
        max_length=300,
        widget=forms.TextInput(attrs={"placeholder": _("For example: win her support for the pilot")}),
    )
    target_intimacy = forms.ChoiceField(label=_("Target intimacy"), choices=Level.choices)
    target_support = forms.ChoiceField(label=_("Target support"), choices=Level.choices)
    target_stance = forms.ChoiceField(label=_("Target stance"), choices=Stance.choices)
    due_on = forms.DateField(label=_("Due"), required=False, widget=forms.DateInput(attrs=DATE, format="%Y-%m-%d"))

    @classmethod
    def for_contact(cls, contact: Contact, **kwargs: Any) -> PlanForm:
        """Targets one step up from where the relationship stands, and a supporter."""
        initial = {
            "target_intimacy": _step_up(contact.intimacy),
            "target_support": _step_up(contact.support),
            "target_stance": Stance.SUPPORTER,
        }
        return cls(initial=initial, prefix="plan", **kwargs)


class PlanCloseForm(forms.Form):
    status = forms.ChoiceField(choices=[(PlanStatus.ACHIEVED, ""), (PlanStatus.DROPPED, "")])
    version = forms.IntegerField(min_value=1)


class ActionForm(StyledForm):
    title = forms.CharField(label=pgettext_lazy("plan action", "Action"), max_length=300)
    owner_id = forms.IntegerField(label=_("Owner"), required=False, min_value=1, widget=PickerSelect("user-options"))
    due_on = forms.DateField(label=_("Due"), required=False, widget=forms.DateInput(attrs=DATE, format="%Y-%m-%d"))

    def __init__(self, *args: Any, plan: RelationshipPlan | None = None, **kwargs: Any) -> None:
        super().__init__(*args, prefix=f"action-{plan.pk}" if plan else "action", **kwargs)
        self.fields["owner_id"].widget.choices = BLANK


class ActionDoneForm(forms.Form):
    done = forms.BooleanField(required=False)
    version = forms.IntegerField(min_value=1)
