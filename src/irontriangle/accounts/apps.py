from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "irontriangle.accounts"
    label = "accounts"
    verbose_name = _("Accounts")

    def ready(self) -> None:
        from irontriangle.accounts.services import account_restore
        from irontriangle.common.trash import register_restorer

        register_restorer(
            "accounts.account",
            lambda viewer, actor, record: account_restore(viewer=viewer, actor=actor, account=record),
        )
