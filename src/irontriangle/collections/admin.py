"""Administration of collections: the payment-schedule templates and the collection settings, and read-only
views of what the application records (contracts, their milestones, payments). Money is recorded in the
application, through its checks (milestones that add up, no silent over-payment) and its notifications;
never here."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from irontriangle.collections.models import (
    CollectionSettings,
    Contract,
    MilestoneTemplate,
    MilestoneTemplateLine,
    Payment,
    PaymentMilestone,
)
from irontriangle.collections.services import collection_settings

HUNDRED = Decimal("100")

# --- configuration: administrators only, every change in its history -----------------------------------


class ConfigurationAdmin(SimpleHistoryAdmin):
    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return bool(request.user.is_superuser) and super().has_add_permission(request)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return bool(request.user.is_superuser) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return bool(request.user.is_superuser) and super().has_delete_permission(request, obj)


class TemplateLineFormSet(forms.BaseInlineFormSet):
    """A schedule is the whole contract: its lines add up to 100 %, as a contract's milestones add up to it."""

    def clean(self) -> None:
        super().clean()
        if any(self.errors):
            return  # a line with its own error is reported as that error first
        percents = [
            form.cleaned_data.get("percent")
            for form in self.forms
            if form.cleaned_data and not form.cleaned_data.get("DELETE")
        ]
        if not percents:
            raise ValidationError(_("A template needs at least one line."), code="milestone_total")
        total = sum((percent for percent in percents if percent is not None), Decimal("0"))
        if total != HUNDRED:
            raise ValidationError(
                _("The lines add up to %(total)s%%; a payment schedule must add up to exactly 100%%.")
                % {"total": f"{total.normalize():f}"},
                code="milestone_total",
            )


class TemplateLineInline(admin.TabularInline):
    model = MilestoneTemplateLine
    formset = TemplateLineFormSet
    fields = ("position", "kind", "percent", "trigger", "offset_days")
    ordering = ("position", "id")
    extra = 0

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return bool(request.user.is_superuser)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return bool(request.user.is_superuser)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return bool(request.user.is_superuser)


@admin.register(MilestoneTemplate)
class MilestoneTemplateAdmin(ConfigurationAdmin):
    list_display = ("code", "name_zh", "name_en", "is_active", "position", "schedule")
    list_filter = ("is_active",)
    search_fields = ("code", "name_zh", "name_en")
    fields = ("code", "name_zh", "name_en", "is_active", "position")
    inlines = [TemplateLineInline]

    def get_queryset(self, request: HttpRequest) -> Any:
        return super().get_queryset(request).prefetch_related("lines")

    @admin.display(description=_("schedule"))
    def schedule(self, obj: MilestoneTemplate) -> str:
        return " / ".join(f"{line.percent.normalize():f}" for line in obj.lines.all())


class CollectionSettingsForm(forms.ModelForm):
    class Meta:
        model = CollectionSettings
        fields = ("due_soon_days",)

    def clean_due_soon_days(self) -> int:
        days = self.cleaned_data["due_soon_days"]
        if days is not None and days > 90:
            raise ValidationError(_("At most 90 days ahead."), code="out_of_range")
        return days


@admin.register(CollectionSettings)
class CollectionSettingsAdmin(ConfigurationAdmin):
    form = CollectionSettingsForm
    list_display = ("__str__", "due_soon_days", "updated_at")
    readonly_fields = ("updated_at",)
    fieldsets = (
        (
            _("Alerts"),
            {
                "fields": ("due_soon_days",),
                "description": _(
                    "The hourly job tells the AR and the FR of a milestone this many days before it falls due, "
                    "and again once it is overdue; each alert is sent once per milestone and due date."
                ),
            },
        ),
        (None, {"fields": ("updated_at",)}),
    )

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return not CollectionSettings.objects.exists() and super().has_add_permission(request, obj)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def changelist_view(self, request: HttpRequest, extra_context: Any = None) -> HttpResponse:
        # There is one row: the list is a detour, so it opens the row itself.
        settings = collection_settings()
        return HttpResponseRedirect(reverse("admin:collections_collectionsettings_change", args=[settings.pk]))


# --- read-only records: written by the application only -------------------------------------------


class ReadOnlyAdmin(SimpleHistoryAdmin):
    """Contracts and payments carry amounts: only administrators (who see them anyway) open these."""

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return bool(request.user.is_superuser)

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False
    show_change_link = True

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class MilestoneInline(ReadOnlyInline):
    model = PaymentMilestone
    fields = ("position", "kind", "percent", "amount", "due", "received", "status", "invoice_number")
    readonly_fields = fields
    ordering = ("position",)


@admin.register(Contract)
class ContractAdmin(ReadOnlyAdmin):
    list_display = ("number", "account", "title", "signed_on", "amount", "currency", "ar", "fr", "deleted_at")
    list_filter = ("currency",)
    search_fields = ("number", "title", "account__name", "opportunity__name")
    list_select_related = ("account", "ar", "fr")
    date_hierarchy = "signed_on"
    inlines = [MilestoneInline]

    def get_queryset(self, request: HttpRequest) -> Any:
        return Contract.all_objects.select_related("account", "opportunity", "ar", "fr")


class PaymentInline(ReadOnlyInline):
    model = Payment
    fields = ("received_on", "amount", "reference", "is_overpayment", "recorded_by", "deleted_at")
    readonly_fields = fields


@admin.register(PaymentMilestone)
class PaymentMilestoneAdmin(ReadOnlyAdmin):
    """The stored status is the hourly job's; the application computes it afresh on every read."""

    list_display = ("__str__", "kind", "percent", "amount", "due", "received", "status", "responsible")
    list_filter = ("status", "kind")
    search_fields = ("contract__number", "contract__account__name", "invoice_number")
    list_select_related = ("contract", "responsible")
    date_hierarchy = "due"
    inlines = [PaymentInline]

    def get_queryset(self, request: HttpRequest) -> Any:
        return PaymentMilestone.all_objects.select_related("contract", "responsible")


@admin.register(Payment)
class PaymentAdmin(ReadOnlyAdmin):
    list_display = ("received_on", "amount", "milestone", "reference", "is_overpayment", "recorded_by", "deleted_at")
    list_filter = ("is_overpayment",)
    search_fields = ("reference", "milestone__contract__number", "milestone__contract__account__name")
    list_select_related = ("milestone__contract", "recorded_by")
    date_hierarchy = "received_on"

    def get_queryset(self, request: HttpRequest) -> Any:
        return Payment.all_objects.select_related("milestone__contract", "recorded_by")
