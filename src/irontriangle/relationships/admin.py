"""Administration of relationships: the cadence settings, the nine-grid texts, the yearly organisational
targets, and read-only views of what the application records (contacts, interactions, activities)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from irontriangle.accounts.models import Tier
from irontriangle.relationships import cadence, selectors
from irontriangle.relationships.models import (
    Contact,
    ContactOwner,
    Interaction,
    NineGridCell,
    OrgActivity,
    OrgCadenceTarget,
    RelationshipSettings,
)


class AdminOnlyChanges(SimpleHistoryAdmin):
    """Configuration: only administrators change it, and every change lands in its history."""

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return bool(request.user.is_superuser) and super().has_change_permission(request, obj)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(RelationshipSettings)
class RelationshipSettingsAdmin(AdminOnlyChanges):
    list_display = ("__str__", "weekly_visit_target", "key_contact_stale_days", "updated_at")
    readonly_fields = ("updated_at",)
    fieldsets = (
        (_("Visit cadence"), {"fields": ("weekly_visit_target",)}),
        (_("Risk radar"), {"fields": ("key_contact_stale_days",)}),
        (None, {"fields": ("updated_at",)}),
    )

    def changelist_view(self, request: HttpRequest, extra_context: Any = None) -> HttpResponse:
        # There is one row: the list is a detour, so it opens the row itself.
        settings = selectors.relationship_settings()
        return HttpResponseRedirect(reverse("admin:relationships_relationshipsettings_change", args=[settings.pk]))


@admin.register(NineGridCell)
class NineGridCellAdmin(AdminOnlyChanges):
    list_display = ("__str__", "intimacy", "support", "action_en", "action_zh")
    list_display_links = ("__str__",)
    list_filter = ("intimacy", "support")
    ordering = ("intimacy", "support")
    readonly_fields = ("intimacy", "support")
    fields = ("intimacy", "support", "action_en", "action_zh")

    def changelist_view(self, request: HttpRequest, extra_context: Any = None) -> HttpResponse:
        selectors.nine_grid_actions()  # the nine default cells, installed on first use
        return super().changelist_view(request, extra_context)


class CadenceTargetForm(forms.ModelForm):
    # The tier is stored as its code; the admin offers only the tiers that exist.
    tier = forms.ChoiceField(label=_("tier"), choices=Tier.choices)

    class Meta:
        model = OrgCadenceTarget
        fields = ("kind", "tier", "per_year")


@admin.register(OrgCadenceTarget)
class OrgCadenceTargetAdmin(SimpleHistoryAdmin):
    """How many activities of a kind a year each tier should get; 0 or no row means no target."""

    form = CadenceTargetForm
    list_display = ("kind", "tier_label", "per_year")
    list_editable = ("per_year",)
    list_filter = ("kind", "tier")
    ordering = ("kind", "tier")

    @admin.display(description=_("tier"), ordering="tier")
    def tier_label(self, obj: OrgCadenceTarget) -> str:
        return obj.tier.upper()

    def changelist_view(self, request: HttpRequest, extra_context: Any = None) -> HttpResponse:
        cadence.cadence_targets()  # the defaults of seed 001, installed on first use
        return super().changelist_view(request, extra_context)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return bool(request.user.is_superuser) and super().has_add_permission(request)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return bool(request.user.is_superuser) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return bool(request.user.is_superuser) and super().has_delete_permission(request, obj)


# --- read-only records: written by the application only -------------------------------------------


class ReadOnlyAdmin(SimpleHistoryAdmin):
    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class OwnerInline(admin.TabularInline):
    model = ContactOwner
    extra = 0
    fields = ("user", "is_primary", "created_at")
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Contact)
class ContactAdmin(ReadOnlyAdmin):
    list_display = ("name", "account", "title", "department", "stance", "intimacy", "support", "is_key", "status")
    list_filter = ("is_key", "stance", "intimacy", "support", "status")
    search_fields = ("name", "title", "department", "account__name", "external_id")
    list_select_related = ("account",)
    inlines = [OwnerInline]

    def get_queryset(self, request: HttpRequest) -> Any:
        return Contact.all_objects.select_related("account", "reports_to")


@admin.register(Interaction)
class InteractionAdmin(ReadOnlyAdmin):
    list_display = ("occurred_at", "kind", "account", "logged_by", "deleted_at")
    list_filter = ("kind",)
    search_fields = ("account__name", "minutes", "next_steps")
    list_select_related = ("account", "logged_by")
    date_hierarchy = "occurred_at"
    exclude = ("search_text",)

    def get_queryset(self, request: HttpRequest) -> Any:
        return Interaction.all_objects.select_related("account", "logged_by")


@admin.register(OrgActivity)
class OrgActivityAdmin(ReadOnlyAdmin):
    list_display = ("occurred_on", "kind", "account", "title", "exclusive", "valid_until", "deleted_at")
    list_filter = ("kind", "exclusive")
    search_fields = ("account__name", "title", "outcome", "key_projects")
    list_select_related = ("account",)
    date_hierarchy = "occurred_on"

    def get_queryset(self, request: HttpRequest) -> Any:
        return OrgActivity.all_objects.select_related("account", "logged_by")
