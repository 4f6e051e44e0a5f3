from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from irontriangle.org.models import ApiToken, Membership, OrgUnit, User


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["unit"]


@admin.register(User)
class UserAdmin(BaseUserAdmin, SimpleHistoryAdmin):
    fieldsets = (*(BaseUserAdmin.fieldsets or ()), (_("IronTriangle"), {"fields": ("display_name",)}))
    list_display = ("username", "display_name", "email", "is_active", "is_superuser", "last_login")
    search_fields = ("username", "display_name", "email")
    inlines = [MembershipInline]


@admin.register(OrgUnit)
class OrgUnitAdmin(SimpleHistoryAdmin):
    list_display = ("code", "name", "name_en", "segment", "parent")
    list_filter = ("segment",)
    search_fields = ("code", "name", "name_en")
    readonly_fields = ("path",)

    def save_model(self, request, obj, form, change):  # type: ignore[no-untyped-def]
        # Keep the materialised path right when an administrator re-hangs a unit here.
        from irontriangle.org.services import unit_create, unit_move

        if change:
            super().save_model(request, obj, form, change)
            unit_move(unit=obj, new_parent=obj.parent)
        else:
            created = unit_create(
                code=obj.code,
                name=obj.name,
                segment=obj.segment,
                parent_code=obj.parent.code if obj.parent else None,
                name_en=obj.name_en,
            )
            obj.pk, obj.path = created.pk, created.path


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = ("prefix", "name", "user", "created_at", "last_used_at", "revoked_at")
    readonly_fields = ("prefix", "key_hash", "created_at", "last_used_at")
    list_filter = ("revoked_at",)
    search_fields = ("user__username", "name", "prefix")

    def has_add_permission(self, request):  # type: ignore[no-untyped-def]
        return False  # tokens are made by `irontriangle token create` or the profile page, which show them once
