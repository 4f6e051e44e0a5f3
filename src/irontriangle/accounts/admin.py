from typing import Any

from django.contrib import admin, messages
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from simple_history.admin import SimpleHistoryAdmin

from irontriangle.accounts import profiling
from irontriangle.accounts.models import (
    Account,
    AccountTeamMember,
    CustomerInfo,
    KaProfileRule,
    MatrixSettings,
    OwnershipRequest,
    PurchaseDriver,
)
from irontriangle.accounts.services.configuration import (
    MATRIX_FIELDS,
    RULE_FIELDS,
    matrix_settings_update,
    profile_rule_update,
)
from irontriangle.common.access import viewer_of


class TeamInline(admin.TabularInline):
    model = AccountTeamMember
    extra = 0
    autocomplete_fields = ["user"]
    fields = ("user", "role", "is_primary", "started_on", "ended_on")


@admin.register(Account)
class AccountAdmin(SimpleHistoryAdmin):
    """Read-mostly: business edits go through the application, whose services validate and notify."""

    list_display = ("name", "credit_code", "segment", "tier", "matrix_class", "ka_rule", "owner_unit", "owner")
    list_filter = ("segment", "tier", "matrix_class", "coverage", "lifecycle_stage")
    search_fields = ("name", "legal_name", "credit_code")
    list_select_related = ("owner_unit", "owner")
    readonly_fields = [field.name for field in Account._meta.fields]
    inlines = [TeamInline]

    def has_add_permission(self, request):  # type: ignore[no-untyped-def]
        return False

    def has_delete_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False  # deleting is a move to the trash, done in the application


# --- configuration: saved through the services, which re-classify every account -------------------


class ConfigurationAdmin(SimpleHistoryAdmin):
    """Only administrators change the configuration; the service re-derives every account after a change."""

    service_fields: tuple[str, ...] = ()

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return bool(request.user.is_superuser) and super().has_change_permission(request, obj)

    def _service_data(self, form: Any) -> dict[str, Any]:
        return {name: form.cleaned_data[name] for name in self.service_fields if name in form.cleaned_data}

    def _save_through_service(self, request: HttpRequest, obj: Any, form: Any) -> Any:
        raise NotImplementedError

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        # The form has already copied its values onto `obj`; the service compares against the stored
        # row, so it gets a fresh one and the form's cleaned data.
        changed = [name for name in form.changed_data if name in self.service_fields]
        saved = self._save_through_service(request, obj, form)
        obj.pk = saved.pk
        if changed:
            count = Account.all_objects.count()
            self.message_user(
                request,
                ngettext(
                    "%(count)d account was re-classified.",
                    "%(count)d accounts were re-classified.",
                    count,
                )
                % {"count": count},
                messages.INFO,
            )

    def save_related(self, request: HttpRequest, form: Any, formsets: Any, change: bool) -> None:
        pass  # nothing related to save, and form.save_m2m would bypass the service


@admin.register(KaProfileRule)
class KaProfileRuleAdmin(ConfigurationAdmin):
    list_display = ("code", *RULE_FIELDS)
    list_display_links = ("code",)
    readonly_fields = ("code", "updated_at")
    fields = ("code", *RULE_FIELDS, "updated_at")
    service_fields = RULE_FIELDS

    def _save_through_service(self, request: HttpRequest, obj: Any, form: Any) -> Any:
        return profile_rule_update(
            viewer=viewer_of(request.user),
            actor=request.user,  # type: ignore[arg-type]
            rule=KaProfileRule.objects.get(pk=obj.pk),
            data=self._service_data(form),
        )


@admin.register(MatrixSettings)
class MatrixSettingsAdmin(ConfigurationAdmin):
    list_display = ("__str__", "potential_threshold", "strength_threshold", "updated_at")
    readonly_fields = ("updated_at",)
    fieldsets = (
        (_("Potential"), {"fields": ("potential_threshold",)}),
        (_("Relationship strength"), {"fields": ("strength_threshold",)}),
        (None, {"fields": ("updated_at",)}),
    )
    service_fields = MATRIX_FIELDS

    def changelist_view(self, request: HttpRequest, extra_context: Any = None) -> HttpResponse:
        # There is one row: the list is a detour, so it opens the row itself.
        settings = profiling.matrix_settings()
        return HttpResponseRedirect(reverse("admin:accounts_matrixsettings_change", args=[settings.pk]))

    def _save_through_service(self, request: HttpRequest, obj: Any, form: Any) -> Any:
        return matrix_settings_update(
            viewer=viewer_of(request.user),
            actor=request.user,  # type: ignore[arg-type]
            data=self._service_data(form),
        )


# --- read-only records: written by the application only -------------------------------------------


class ReadOnlyAdmin(SimpleHistoryAdmin):
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(OwnershipRequest)
class OwnershipRequestAdmin(ReadOnlyAdmin):
    list_display = ("account", "kind", "from_unit", "to_unit", "status", "requested_by", "created_at", "decided_by")
    list_filter = ("status", "kind")
    search_fields = ("account__name", "reason", "decision_reason")
    list_select_related = ("account", "from_unit", "to_unit", "requested_by", "decided_by")
    date_hierarchy = "created_at"


@admin.register(PurchaseDriver)
class PurchaseDriverAdmin(ReadOnlyAdmin):
    list_display = ("name", "account", "volume", "unit", "factor", "contribution", "as_of", "deleted_at")
    search_fields = ("name", "account__name")
    list_select_related = ("account",)

    def get_queryset(self, request: HttpRequest) -> Any:
        return PurchaseDriver.all_objects.select_related("account")

    @admin.display(description=_("purchase per year"))
    def contribution(self, obj: PurchaseDriver) -> Any:
        return obj.contribution


@admin.register(CustomerInfo)
class CustomerInfoAdmin(ReadOnlyAdmin):
    list_display = ("title", "account", "kind", "recorded_on", "source", "deleted_at")
    list_filter = ("kind",)
    search_fields = ("title", "detail", "account__name")
    list_select_related = ("account",)
    date_hierarchy = "recorded_on"

    def get_queryset(self, request: HttpRequest) -> Any:
        return CustomerInfo.all_objects.select_related("account")
