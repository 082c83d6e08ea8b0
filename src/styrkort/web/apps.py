from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WebConfig(AppConfig):
    name = "styrkort.web"
    verbose_name = _("Webb")

    def ready(self):
        from django.conf import settings

        # The lockout after too many failed logins is a page of this app, in Swedish;
        # django-axes' own response is an English sentence. Settings may name another.
        if not getattr(settings, "AXES_LOCKOUT_CALLABLE", None):
            settings.AXES_LOCKOUT_CALLABLE = "styrkort.web.views.auth.locked_out"
