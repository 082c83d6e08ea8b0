from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RiskConfig(AppConfig):
    name = "styrkort.risk"
    verbose_name = _("Risker")

    def ready(self):
        from styrkort.web.nav import register_unit_tab

        register_unit_tab("risk_matrix", _("Risker"))
