from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FollowupConfig(AppConfig):
    name = "styrkort.followup"
    verbose_name = _("Uppföljning")

    def ready(self):
        from . import checks  # noqa: F401  (registers the system check)
