"""Administration of the pipeline: sales processes with their stages and checklist items, the margin floor,
customer procurement templates, and read-only views of what the application records (leads, deals, quotes)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.db.models import Q
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from irontriangle.pipeline import checklist
from irontriangle.pipeline.models import (
    ChecklistItem,
    Lead,
    Opportunity,
    PipelineSettings,
    ProcurementStep,
    ProcurementTemplate,
    Quote,
    QuoteLine,
    SalesProcess,
    Stage,
)
from irontriangle.pipeline.settings import pipeline_settings
from irontriangle.relationships.models import BuyingRole

# --- configuration: administrators only, every change in its history -----------------------------------


class ConfigurationAdmin(SimpleHistoryAdmin):
    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return bool(request.user.is_superuser) and super().has_add_permission(request)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return bool(request.user.is_superuser) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return bool(request.user.is_superuser) and super().has_delete_permission(request, obj)


class ConfigurationInline(admin.TabularInline):
    extra = 0

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return bool(request.user.is_superuser)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return bool(request.user.is_superuser)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return bool(request.user.is_superuser)


class StageForm(forms.ModelForm):
    """Seed 000: the AR, SR and FR weights of a stage share one whole, so they add up to 100."""

    class Meta:
        model = Stage
        fields = (
            "process",
            "position",
            "code",
            "name_zh",
            "name_en",
            "probability",
            "forecast_category",
            "outcome",
            "is_optional",
            "ar_weight",
            "sr_weight",
            "fr_weight",
        )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        weights = [cleaned.get(name) for name in ("ar_weight", "sr_weight", "fr_weight")]
        total = sum(weight for weight in weights if isinstance(weight, int))
        # A missing weight already has its own error; the sum is checked when all three are there.
        if None not in weights and total != 100:
            self.add_error(
                "fr_weight",
                _("AR weight + SR weight + FR weight must add up to 100; now they add up to %(total)s.")
                % {"total": total},
            )
        return cleaned


def _rescore(process_ids: set[int]) -> None:
    """The items changed: the stored checklist scores of the open deals following these processes follow."""
    deals = Opportunity.objects.filter(~Q(stage__outcome__in=("won", "lost")), process_id__in=process_ids)
    for opportunity in deals.select_related("stage", "process", "lead"):
        checklist.refresh(opportunity)


class StageInline(ConfigurationInline):
    model = Stage
    form = StageForm
    fields = (
        "position",
        "code",
        "name_zh",
        "name_en",
        "probability",
        "forecast_category",
        "outcome",
        "is_optional",
        "ar_weight",
        "sr_weight",
        "fr_weight",
    )
    ordering = ("position",)
    show_change_link = True


@admin.register(SalesProcess)
class SalesProcessAdmin(ConfigurationAdmin):
    list_display = ("code", "name_zh", "name_en", "segment", "is_active", "stage_count")
    list_filter = ("segment", "is_active")
    search_fields = ("code", "name_zh", "name_en")
    inlines = [StageInline]

    @admin.display(description=_("stages"))
    def stage_count(self, obj: SalesProcess) -> int:
        return obj.stages.count()

    def save_related(self, request: HttpRequest, form: Any, formsets: Any, change: bool) -> None:
        super().save_related(request, form, formsets, change)
        _rescore({form.instance.pk})


class ChecklistItemInline(ConfigurationInline):
    model = ChecklistItem
    fields = ("position", "key", "label_zh", "label_en", "required", "tool")
    ordering = ("position", "id")


@admin.register(Stage)
class StageAdmin(ConfigurationAdmin):
    form = StageForm
    list_display = (
        "__str__",
        "position",
        "probability",
        "forecast_category",
        "outcome",
        "is_optional",
        "ar_weight",
        "sr_weight",
        "fr_weight",
    )
    list_filter = ("process",)
    list_select_related = ("process",)
    ordering = ("process", "position")
    fieldsets = (
        (None, {"fields": ("process", "position", "code", "name_zh", "name_en")}),
        (_("Forecast"), {"fields": ("probability", "forecast_category", "outcome", "is_optional")}),
        (
            _("Weights of the iron triangle"),
            {
                "fields": ("ar_weight", "sr_weight", "fr_weight"),
                "description": _("How much each role counts in this stage; the three add up to 100."),
            },
        ),
    )
    inlines = [ChecklistItemInline]

    def save_related(self, request: HttpRequest, form: Any, formsets: Any, change: bool) -> None:
        super().save_related(request, form, formsets, change)
        _rescore({form.instance.process_id})


@admin.register(PipelineSettings)
class PipelineSettingsAdmin(ConfigurationAdmin):
    list_display = ("__str__", "margin_floor_percent", "updated_at")
    readonly_fields = ("updated_at",)
    fieldsets = (
        (
            _("Quotes"),
            {
                "fields": ("margin_floor_percent",),
                "description": _(
                    "A quote whose margin is below the floor needs a manager's approval after the SR's. "
                    "The floor applies to quotes priced after the change."
                ),
            },
        ),
        (None, {"fields": ("updated_at",)}),
    )

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return not PipelineSettings.objects.exists() and super().has_add_permission(request, obj)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def changelist_view(self, request: HttpRequest, extra_context: Any = None) -> HttpResponse:
        # There is one row: the list is a detour, so it opens the row itself.
        settings = pipeline_settings()
        return HttpResponseRedirect(reverse("admin:pipeline_pipelinesettings_change", args=[settings.pk]))


class ProcurementStepForm(forms.ModelForm):
    """The roles are the buying roles of the power map, stored comma-separated as on a contact."""

    stakeholder_roles = forms.MultipleChoiceField(
        label=_("stakeholder roles"),
        choices=BuyingRole.choices,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("The buying roles of the customer's people who take part in this step."),
    )

    class Meta:
        model = ProcurementStep
        fields = ("position", "name_zh", "name_en", "stakeholder_roles")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk and "stakeholder_roles" not in self.data:
            self.initial["stakeholder_roles"] = self.instance.roles

    def clean_stakeholder_roles(self) -> str:
        chosen = set(self.cleaned_data.get("stakeholder_roles") or [])
        return ",".join(role for role in BuyingRole.values if role in chosen)


class ProcurementStepInline(ConfigurationInline):
    model = ProcurementStep
    form = ProcurementStepForm
    ordering = ("position",)


@admin.register(ProcurementTemplate)
class ProcurementTemplateAdmin(ConfigurationAdmin):
    list_display = ("code", "name_zh", "name_en", "is_active", "step_count")
    list_filter = ("is_active",)
    search_fields = ("code", "name_zh", "name_en")
    fields = ("code", "name_zh", "name_en", "description_zh", "description_en", "is_active")
    inlines = [ProcurementStepInline]

    @admin.display(description=_("steps"))
    def step_count(self, obj: ProcurementTemplate) -> int:
        return obj.steps.count()

    def save_related(self, request: HttpRequest, form: Any, formsets: Any, change: bool) -> None:
        super().save_related(request, form, formsets, change)
        # Deals following the template: their "procurement stakeholders covered" item may have changed.
        deals = Opportunity.objects.filter(
            ~Q(stage__outcome__in=("won", "lost")), procurement_template_id=form.instance.pk
        ).select_related("stage", "process", "lead")
        for opportunity in deals:
            checklist.refresh(opportunity)


# --- read-only records: written by the application only -------------------------------------------


class ReadOnlyAdmin(SimpleHistoryAdmin):
    """Deals and quotes carry restricted figures: only administrators (who see them anyway) open these."""

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return bool(request.user.is_superuser)

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Lead)
class LeadAdmin(ReadOnlyAdmin):
    list_display = ("name", "account", "company_name", "source", "segment", "status", "owner", "deleted_at")
    list_filter = ("status", "source", "scenario", "segment")
    search_fields = ("name", "company_name", "account__name")
    list_select_related = ("account", "owner")
    date_hierarchy = "created_at"

    def get_queryset(self, request: HttpRequest) -> Any:
        return Lead.all_objects.select_related("account", "owner", "owner_unit", "contact")


@admin.register(Opportunity)
class OpportunityAdmin(ReadOnlyAdmin):
    """Deals as recorded; costs and margins are in the application, where the margin rule applies."""

    list_display = ("name", "account", "process", "stage", "amount", "currency", "checklist_score", "owner")
    list_filter = ("process", "forecast_category", "project_type")
    search_fields = ("name", "account__name", "external_id")
    list_select_related = ("account", "process", "stage", "owner")
    exclude = ("margin", "margin_percent")

    def get_queryset(self, request: HttpRequest) -> Any:
        return Opportunity.all_objects.select_related("account", "process", "stage", "owner", "lead_unit")


class QuoteLineInline(admin.TabularInline):
    model = QuoteLine
    extra = 0
    fields = ("position", "product", "quantity", "list_price", "discount", "unit_cost")
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Quote)
class QuoteAdmin(ReadOnlyAdmin):
    list_display = ("__str__", "opportunity", "status", "total", "currency", "below_floor", "created_at")
    list_filter = ("status", "below_floor")
    search_fields = ("opportunity__name", "opportunity__account__name")
    list_select_related = ("opportunity",)
    inlines = [QuoteLineInline]

    def get_queryset(self, request: HttpRequest) -> Any:
        return Quote.all_objects.select_related("opportunity", "sr_approved_by", "manager_approved_by")
