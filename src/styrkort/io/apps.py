from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IoConfig(AppConfig):
    name = "styrkort.io"
    label = "dataio"
    verbose_name = _("Import och export")
