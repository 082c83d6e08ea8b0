"""Reports of accessibility barriers, sent from the accessibility statement page."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class BarrierReport(models.Model):
    """Someone could not use a page: what happened, where, and how to reach them.

    The DOS law (lag 2018:1937) requires a way to report barriers; the reports are handled
    by the organisation's administrators in the admin site."""

    page_url = models.CharField(_("sida"), max_length=500, blank=True)
    description = models.TextField(_("beskrivning av problemet"))
    contact = models.CharField(_("e-post eller telefon för svar"), max_length=200, blank=True)
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("inloggad användare"),
    )
    created_at = models.DateTimeField(_("mottagen"), auto_now_add=True)
    handled = models.BooleanField(_("åtgärdad"), default=False)

    class Meta:
        verbose_name = _("anmälan om tillgänglighetsbrist")
        verbose_name_plural = _("anmälningar om tillgänglighetsbrister")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d} {self.description[:50]}"
