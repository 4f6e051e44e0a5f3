from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    name = "irontriangle.notifications"
    label = "notifications"
    verbose_name = _("Notifications")

    def ready(self) -> None:
        from irontriangle.common.scheduler import register_job
        from irontriangle.notifications.services import deliveries_run_due

        register_job("webhook deliveries due", 15, deliveries_run_due)
