from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EconomyConfig(AppConfig):
    name = "styrkort.economy"
    verbose_name = _("Ekonomi")

    def ready(self):
        from styrkort.web.nav import register_unit_tab

        register_unit_tab("economy", _("Ekonomi"))
