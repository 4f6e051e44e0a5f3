from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PipelineConfig(AppConfig):
    name = "irontriangle.pipeline"
    label = "pipeline"
    verbose_name = _("Pipeline")

    def ready(self) -> None:
        from irontriangle.common.trash import register_restorer
        from irontriangle.pipeline import margins
        from irontriangle.pipeline.services import lead_restore, opportunity_restore

        margins.register()
        register_restorer(
            "pipeline.opportunity",
            lambda viewer, actor, record: opportunity_restore(viewer=viewer, actor=actor, opportunity=record),
        )
        register_restorer(
            "pipeline.lead", lambda viewer, actor, record: lead_restore(viewer=viewer, actor=actor, lead=record)
        )
