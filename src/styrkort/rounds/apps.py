import logging

from django.apps import AppConfig
from django.conf import settings
from django.utils.translation import gettext_lazy as _


class RoundsConfig(AppConfig):
    name = "styrkort.rounds"
    verbose_name = _("Uppföljningstillfällen")

    def ready(self) -> None:
        # Reminders go by e-mail: a production installation without a mail server writes
        # them to the log instead, and says so when it starts (web server and worker).
        if settings.PRODUCTION and not settings.STYRKORT_EMAIL_URL:
            logging.getLogger("styrkort.rounds").warning(
                "STYRKORT_EMAIL_URL är inte satt: påminnelserna om uppföljning skickas inte "
                "som e-post utan skrivs till loggen. Ange t.ex. "
                "STYRKORT_EMAIL_URL=smtp+tls://anvandare:losenord@smtp.example.se:587."
            )
