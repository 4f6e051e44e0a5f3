"""Administration of call for fire: the routing rules, the request SLAs and the registration window are
configuration, changed here by administrators with every change in its history. The pool, the requests,
the partners, the registrations and the double counts are shown read-only: they are written in the
application, through its access checks, escalations and notifications; never here."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from irontriangle.resources.defaults import ensure_defaults
from irontriangle.resources.models import (
    Assignment,
    DealRegistration,
    DoubleCount,
    Partner,
    PartnerContact,
    PartnerUser,
    RequestEvent,
    Resource,
    ResourceRequest,
    ResourceSettings,
    RoutingRule,
    SlaRule,
)
from irontriangle.resources.services.registrations import state_of

# --- configuration: administrators only, every change in its history -----------------------------------


class ConfigurationAdmin(SimpleHistoryAdmin):
    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return bool(request.user.is_superuser) and super().has_add_permission(request)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return bool(request.user.is_superuser) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return bool(request.user.is_superuser) and super().has_delete_permission(request, obj)


@admin.register(RoutingRule)
class RoutingRuleAdmin(ConfigurationAdmin):
    """The first active rule (by order) whose project type and amount band fit a deal routes its requests;
    a changed rule applies to requests raised afterwards."""

    list_display = (
        "position",
        "project_type",
        "min_amount",
        "max_amount",
        "tier",
        "pool_unit",
        "serve_with",
        "double_count",
        "is_active",
    )
    list_display_links = ("position", "project_type")
    list_filter = ("tier", "project_type", "is_active")
    list_select_related = ("pool_unit",)
    ordering = ("position", "pk")
    fieldsets = (
        (
            _("Which deals"),
            {
                "fields": ("position", "project_type", "min_amount", "max_amount", "is_active"),
                "description": _(
                    "Rules are tried in order; the first active rule whose project type matches and whose "
                    "amount band holds the deal's amount decides. With no rule, the project type alone "
                    "decides the tier."
                ),
            },
        ),
        (
            _("Who serves them"),
            {"fields": ("tier", "pool_unit", "serve_with", "double_count")},
        ),
        (None, {"fields": ("description", "description_en")}),
    )


@admin.register(SlaRule)
class SlaRuleAdmin(ConfigurationAdmin):
    list_display = ("kind", "answer_within_hours")
    ordering = ("kind",)
    fieldsets = (
        (
            None,
            {
                "fields": ("kind", "answer_within_hours"),
                "description": _(
                    "A request not assigned or declined within these hours goes to the managers of its pool "
                    "unit; after as many hours again, to the managers one level up. A change applies to "
                    "requests raised afterwards."
                ),
            },
        ),
    )

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        # A deleted SLA would come back with the default at the next request: change the hours instead.
        return False


@admin.register(ResourceSettings)
class ResourceSettingsAdmin(ConfigurationAdmin):
    list_display = ("__str__", "registration_window_days")
    fieldsets = (
        (
            _("Deal registration"),
            {
                "fields": ("registration_window_days",),
                "description": _(
                    "The longest a deal registration protects a customer's project. A registration keeps "
                    "the end date it was given; a change applies to registrations made afterwards."
                ),
            },
        ),
    )

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return not ResourceSettings.objects.exists() and super().has_add_permission(request, obj)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def changelist_view(self, request: HttpRequest, extra_context: Any = None) -> HttpResponse:
        # There is one row: the list is a detour, so it opens the row itself.
        ensure_defaults()
        settings = ResourceSettings.objects.order_by("pk").first()
        assert settings is not None
        return HttpResponseRedirect(reverse("admin:resources_resourcesettings_change", args=[settings.pk]))


# --- read-only records: written by the application only -------------------------------------------


class ReadOnlyAdmin(SimpleHistoryAdmin):
    """Requests and registrations sit on deals with restricted figures: only administrators open these."""

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

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Resource)
class ResourceAdmin(ReadOnlyAdmin):
    list_display = (
        "__str__",
        "unit",
        "support_tier",
        "region",
        "weekly_capacity_hours",
        "is_executive",
        "is_active",
        "deleted_at",
    )
    list_filter = ("support_tier", "is_executive", "is_active", "unit")
    search_fields = ("name", "user__username", "user__display_name", "partner__name", "region")
    list_select_related = ("user", "partner", "unit")

    def get_queryset(self, request: HttpRequest) -> Any:
        return Resource.all_objects.select_related("user", "partner", "unit")


class AssignmentInline(ReadOnlyInline):
    model = Assignment
    fields = ("resource", "user", "starts_on", "ends_on", "hours_per_week", "is_active", "assigned_by")
    readonly_fields = fields


class RequestEventInline(ReadOnlyInline):
    model = RequestEvent
    fields = ("at", "kind", "level", "actor", "unit", "notified", "note")
    readonly_fields = fields
    ordering = ("at", "pk")


@admin.register(ResourceRequest)
class ResourceRequestAdmin(ReadOnlyAdmin):
    list_display = (
        "__str__",
        "status",
        "priority",
        "routed_tier",
        "pool_unit",
        "hours",
        "needed_by",
        "answer_due_at",
        "escalation_level",
        "requested_by",
    )
    list_filter = ("status", "kind", "routed_tier", "escalation_level")
    search_fields = ("opportunity__name", "opportunity__account__name", "notes")
    list_select_related = ("opportunity", "pool_unit", "requested_by")
    date_hierarchy = "created_at"
    inlines = [AssignmentInline, RequestEventInline]

    def get_queryset(self, request: HttpRequest) -> Any:
        return ResourceRequest.all_objects.select_related("opportunity", "pool_unit", "requested_by", "routing_rule")


class PartnerContactInline(ReadOnlyInline):
    model = PartnerContact
    fields = ("name", "title", "phone", "email", "is_primary")
    readonly_fields = fields


class PartnerUserInline(ReadOnlyInline):
    model = PartnerUser
    fields = ("user", "created_at")
    readonly_fields = fields
    verbose_name_plural = _("partner logins")


@admin.register(Partner)
class PartnerAdmin(ReadOnlyAdmin):
    list_display = ("name", "name_en", "type", "tier", "manager", "deleted_at")
    list_filter = ("type", "tier")
    search_fields = ("name", "name_en")
    list_select_related = ("manager",)
    inlines = [PartnerContactInline, PartnerUserInline]

    def get_queryset(self, request: HttpRequest) -> Any:
        return Partner.all_objects.select_related("manager")


@admin.register(DealRegistration)
class DealRegistrationAdmin(ReadOnlyAdmin):
    """The stored status stays `approved` after the window ends; `state` shows it as the application does."""

    list_display = (
        "customer_name",
        "project",
        "partner",
        "unit",
        "account",
        "opportunity",
        "status",
        "state",
        "expires_on",
        "registered_by",
        "deleted_at",
    )
    list_filter = ("status",)
    search_fields = ("customer_name", "project", "partner__name", "account__name")
    list_select_related = ("partner", "unit", "account", "opportunity", "registered_by")
    date_hierarchy = "expires_on"

    def get_queryset(self, request: HttpRequest) -> Any:
        return DealRegistration.all_objects.select_related(
            "partner", "unit", "account", "opportunity", "registered_by", "decided_by"
        )

    @admin.display(description=_("state today"))
    def state(self, obj: DealRegistration) -> str:
        return str(_("Expired")) if state_of(obj) == "expired" else obj.get_status_display()


@admin.register(DoubleCount)
class DoubleCountAdmin(ReadOnlyAdmin):
    list_display = ("opportunity", "unit", "request", "recorded_at")
    list_filter = ("unit",)
    search_fields = ("opportunity__name", "opportunity__account__name")
    list_select_related = ("opportunity", "unit", "request__opportunity")
