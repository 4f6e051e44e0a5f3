from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ResourcesConfig(AppConfig):
    name = "irontriangle.resources"
    label = "resources"
    verbose_name = _("Presales resources and partners")

    def ready(self) -> None:
        from irontriangle.common.scheduler import register_job
        from irontriangle.resources.services.escalation import escalations_run

        # Every ten minutes: a request past its SLA goes up one level, each level announced once.
        register_job("resource request escalations", 600, escalations_run)
