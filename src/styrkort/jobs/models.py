"""The background service's sign of life: each worker process writes its row every few
seconds, so that a page can tell a queued job that waits for a worker that is not there."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class WorkerBeat(models.Model):
    """One running `styrkort worker` (host and process id), and when it was last seen."""

    name = models.CharField(_("namn"), max_length=200, unique=True)
    started_at = models.DateTimeField(_("startad"))
    seen_at = models.DateTimeField(_("senast sedd"))

    class Meta:
        verbose_name = _("bakgrundstjänst")
        verbose_name_plural = _("bakgrundstjänster")

    def __str__(self) -> str:
        return self.name
