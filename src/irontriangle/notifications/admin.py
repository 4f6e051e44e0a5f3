from typing import Any

from django import forms
from django.contrib import admin

from irontriangle.notifications.models import DeliveryAttempt, Event, WebhookDelivery, WebhookSubscription
from irontriangle.notifications.services import webhook_problems


class WebhookSubscriptionForm(forms.ModelForm):
    url = forms.URLField(max_length=500, assume_scheme="https")

    class Meta:
        model = WebhookSubscription
        fields = ("name", "url", "events", "format", "secret", "is_active")
        widgets = {"secret": forms.PasswordInput(render_value=True)}

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        events = data.get("events")
        problems = webhook_problems(
            url=data.get("url") or "",
            events=events if isinstance(events, list) else [],
            secret=data.get("secret") or "",
            format=data.get("format") or "",
        )
        for problem in problems:
            if problem.field not in self.errors:
                self.add_error(problem.field, problem.message)
        return data


@admin.register(WebhookSubscription)
class WebhookSubscriptionAdmin(admin.ModelAdmin):
    list_display = ("name", "url", "format", "is_active", "created_at")
    list_filter = ("format", "is_active")
    search_fields = ("name", "url")
    form = WebhookSubscriptionForm


class AttemptInline(admin.TabularInline):
    model = DeliveryAttempt
    extra = 0
    can_delete = False
    readonly_fields = ("attempted_at", "status_code", "error", "duration_ms", "response_excerpt")

    def has_add_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False


@admin.register(WebhookDelivery)
class WebhookDeliveryAdmin(admin.ModelAdmin):
    """The delivery log; read-only, because it records what happened."""

    list_display = ("event", "subscription", "status", "attempts", "last_status_code", "next_attempt_at")
    list_filter = ("status", "subscription")
    list_select_related = ("event", "subscription")
    readonly_fields = (
        "subscription",
        "event",
        "status",
        "attempts",
        "next_attempt_at",
        "last_status_code",
        "last_error",
        "delivered_at",
        "created_at",
    )
    inlines = [AttemptInline]

    def has_add_permission(self, request):  # type: ignore[no-untyped-def]
        return False


@admin.register(Event)
class EventAdmin(admin.ModelAdmin):
    list_display = ("kind", "subject_type", "subject_id", "actor", "created_at")
    list_filter = ("kind",)
    list_select_related = ("actor",)
    readonly_fields = ("kind", "subject_type", "subject_id", "actor", "data", "created_at")

    def has_add_permission(self, request):  # type: ignore[no-untyped-def]
        return False

    def has_change_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False

    def has_delete_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False
