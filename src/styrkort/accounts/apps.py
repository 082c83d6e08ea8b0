from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "styrkort.accounts"
    verbose_name = _("Konton")

    def ready(self) -> None:
        from . import (
            second_factor,  # noqa: F401  (a password sign-in that owes a code is marked)
            signals,  # noqa: F401  (API tokens end with a new password or deactivation)
            signin,  # noqa: F401  (the sign-in log's signal receivers)
        )
