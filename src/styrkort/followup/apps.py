from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FollowupConfig(AppConfig):
    name = "styrkort.followup"
    verbose_name = _("Uppföljning")

    def ready(self):
        from django.db.models.signals import post_migrate

        from . import (
            checks,  # noqa: F401  (registers the system check)
            versions,
        )

        versions.connect_signals()
        # A migration may rewrite stored data without a save: every cached page is stale.
        post_migrate.connect(
            lambda **kwargs: versions.touch_everything(), dispatch_uid="styrkort-versions-migrate"
        )
