"""Reports of accessibility barriers, sent from the accessibility statement page."""

from datetime import timedelta

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

#: a queued or running job with no progress for this long is taken as lost (its process
#: stopped: a restart, a killed worker) and shown as failed
STALE_AFTER = timedelta(minutes=30)
#: finished reports are kept this long; older ones go when a new report is ordered
REPORTS_KEPT = timedelta(days=7)


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


class JobStatus(models.TextChoices):
    QUEUED = "queued", _("I kö")
    RUNNING = "running", _("Pågår")
    DONE = "done", _("Klar")
    FAILED = "failed", _("Misslyckades")


class Job(models.Model):
    """Work that takes longer than a page load (a report, an import), run by the worker
    (`styrkort.web.jobs`, `styrkort.jobs`) while the page polls its progress."""

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("beställare"),
    )
    status = models.CharField(
        _("status"), max_length=10, choices=JobStatus.choices, default=JobStatus.QUEUED
    )
    progress = models.PositiveSmallIntegerField(_("förlopp (%)"), default=0)
    message = models.CharField(_("meddelande"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("skapad"), auto_now_add=True)
    updated_at = models.DateTimeField(
        _("senaste förlopp"),
        default=timezone.now,
        help_text=_("När jobbet senast skrev sitt förlopp."),
    )
    finished_at = models.DateTimeField(_("klar"), null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(
        _("försök"),
        default=0,
        help_text=_("Hur många gånger en bakgrundstjänst har startat jobbet."),
    )
    task_id = models.CharField(_("köns uppgifts-id"), max_length=64, blank=True)

    class Meta:
        abstract = True
        ordering = ["-created_at"]

    @property
    def finished(self) -> bool:
        return self.status in (JobStatus.DONE, JobStatus.FAILED)

    def is_stale(self, now=None) -> bool:
        """Queued or running, but no progress written for `STALE_AFTER`."""
        if self.finished:
            return False
        return (now or timezone.now()) - self.updated_at > STALE_AFTER


class ReportJob(Job):
    """A report ordered from the web (`styrkort.reports.build_report`); the document is
    kept in the database until it is downloaded or the job is cleaned up."""

    unit = models.ForeignKey(
        "organisation.OrgUnit", on_delete=models.CASCADE, related_name="+", verbose_name=_("enhet")
    )
    kind = models.CharField(_("rapport"), max_length=10)
    period = models.CharField(_("period"), max_length=16)
    fmt = models.CharField(_("format"), max_length=5)
    publication = models.BooleanField(_("för publicering"), default=False)
    filename = models.CharField(_("filnamn"), max_length=200, blank=True)
    content = models.BinaryField(_("innehåll"), null=True, blank=True)

    class Meta(Job.Meta):
        verbose_name = _("rapportbeställning")
        verbose_name_plural = _("rapportbeställningar")

    def __str__(self) -> str:
        return f"{self.kind} {self.period} {self.fmt} ({self.status})"


class ImportJob(Job):
    """An uploaded file imported by `styrkort.io.services.run_import`; `result` holds the
    import's report (counts and rejected rows)."""

    kind = models.CharField(_("importtyp"), max_length=20)
    dry_run = models.BooleanField(_("provkörning"), default=False)
    filename = models.CharField(_("filnamn"), max_length=255, blank=True)
    upload_path = models.CharField(max_length=500, blank=True)
    result = models.JSONField(_("resultat"), null=True, blank=True)

    class Meta(Job.Meta):
        verbose_name = _("import")
        verbose_name_plural = _("importer")

    def __str__(self) -> str:
        return f"{self.kind} {self.filename} ({self.status})"
