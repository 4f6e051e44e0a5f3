from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RelationshipsConfig(AppConfig):
    name = "irontriangle.relationships"
    label = "relationships"
    verbose_name = _("Relationships")

    def ready(self) -> None:
        from irontriangle.common.scheduler import register_job
        from irontriangle.common.trash import register_restorer
        from irontriangle.relationships.services import cadence_alerts_run, contact_restore

        register_restorer(
            "relationships.contact",
            lambda viewer, actor, record: contact_restore(viewer=viewer, actor=actor, contact=record),
        )
        # Hourly is enough: an alert is at most once per account, kind and due date.
        register_job("relationship cadence alerts", 3600, cadence_alerts_run)
