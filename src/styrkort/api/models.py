"""The API's tokens as the admin shows them: knox's ``AuthToken`` (a hash, never the
token) under a Swedish name."""

from django.utils.translation import gettext_lazy as _
from knox.models import AuthToken


class ApiToken(AuthToken):
    class Meta:
        proxy = True
        verbose_name = _("API-nyckel")
        verbose_name_plural = _("API-nycklar")
