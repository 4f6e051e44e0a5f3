from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from irontriangle.accounts.models import Account, AccountTeamMember


class TeamInline(admin.TabularInline):
    model = AccountTeamMember
    extra = 0
    autocomplete_fields = ["user"]
    fields = ("user", "role", "is_primary", "started_on", "ended_on")


@admin.register(Account)
class AccountAdmin(SimpleHistoryAdmin):
    """Read-mostly: business edits go through the application, whose services validate and notify."""

    list_display = ("name", "credit_code", "segment", "tier", "owner_unit", "owner", "updated_at")
    list_filter = ("segment", "tier", "coverage", "lifecycle_stage")
    search_fields = ("name", "legal_name", "credit_code")
    list_select_related = ("owner_unit", "owner")
    readonly_fields = [field.name for field in Account._meta.fields]
    inlines = [TeamInline]

    def has_add_permission(self, request):  # type: ignore[no-untyped-def]
        return False

    def has_delete_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False  # deleting is a move to the trash, done in the application
