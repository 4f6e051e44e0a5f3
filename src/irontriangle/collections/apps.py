from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CollectionsConfig(AppConfig):
    name = "irontriangle.collections"
    label = "collections"
    verbose_name = _("Collections")

    def ready(self) -> None:
        from irontriangle.collections.services import contract_restore, milestone_alerts_run, payment_restore
        from irontriangle.common.scheduler import register_job
        from irontriangle.common.trash import register_restorer

        register_restorer(
            "collections.contract",
            lambda viewer, actor, record: contract_restore(viewer=viewer, actor=actor, contract=record),
        )
        register_restorer(
            "collections.payment",
            lambda viewer, actor, record: payment_restore(viewer=viewer, actor=actor, payment=record),
        )
        # Hourly: each milestone is announced at most once per kind and due date, whenever the job runs.
        register_job("milestone due and overdue alerts", 3600, milestone_alerts_run)
