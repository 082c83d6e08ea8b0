"""Activities and assignments (aktiviteter, åtgärder, handlingsplaner, uppdrag)."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


class ActivityKind(models.TextChoices):
    ACTIVITY = "activity", _("Aktivitet")
    ASSIGNMENT = "assignment", _("Uppdrag")


class ActivityStatus(models.TextChoices):
    PLANNED = "planned", _("Planerad")
    ON_TRACK = "on_track", _("Pågår enligt plan")
    DELAYED = "delayed", _("Försenad")
    DONE = "done", _("Klar")
    CANCELLED = "cancelled", _("Avbruten")
    NOT_REPORTED = "not_reported", _("Ej rapporterad")


class Activity(models.Model):
    """Planned work linked to any number of goals and indicators.

    An activity with a `concretisation` is cascaded: each sub-unit answers it in its own
    `ActivityReport` rows.
    """

    plan = models.ForeignKey(
        "planning.Plan", on_delete=models.CASCADE, related_name="activities", verbose_name=_("plan")
    )
    owner_unit = models.ForeignKey(
        "organisation.OrgUnit",
        on_delete=models.PROTECT,
        related_name="activities",
        verbose_name=_("ansvarig enhet"),
    )
    kind = models.CharField(
        _("typ"), max_length=16, choices=ActivityKind.choices, default=ActivityKind.ACTIVITY
    )
    number = models.CharField(_("nummer"), max_length=32, blank=True)
    name = models.CharField(_("namn"), max_length=500)
    description = models.TextField(_("beskrivning"), blank=True)
    background = models.TextField(_("bakgrund"), blank=True)
    concretisation = models.TextField(
        _("konkretisering"), blank=True, help_text=_("Vad varje underliggande enhet ska redovisa.")
    )
    status = models.CharField(
        _("status"), max_length=16, choices=ActivityStatus.choices, default=ActivityStatus.PLANNED
    )
    start_date = models.DateField(_("startdatum"), null=True, blank=True)
    end_date = models.DateField(_("slutdatum"), null=True, blank=True)
    responsible = models.CharField(_("ansvarig person"), max_length=200, blank=True)
    issued_by = models.CharField(
        _("beslutat av"), max_length=200, blank=True, help_text=_("För uppdrag: vilket organ.")
    )
    order = models.PositiveIntegerField(_("ordning"), default=0)
    goals = models.ManyToManyField(
        "planning.Goal", blank=True, related_name="activities", verbose_name=_("mål")
    )
    indicators = models.ManyToManyField(
        "planning.Indicator", blank=True, related_name="activities", verbose_name=_("indikatorer")
    )
    history = HistoricalRecords(m2m_fields=[goals, indicators])

    class Meta:
        verbose_name = _("aktivitet")
        verbose_name_plural = _("aktiviteter")
        ordering = ["plan", "order", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__isnull=True)
                | Q(start_date__isnull=True)
                | Q(end_date__gte=F("start_date")),
                name="activity_dates_in_order",
            ),
            models.CheckConstraint(
                condition=Q(status__in=[s.value for s in ActivityStatus]),
                name="activity_status_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.name}".strip()


class ActivityReport(models.Model):
    """An activity's status and comment for a reporting point, by the owner unit or, for a
    cascaded konkretisering, by each sub-unit."""

    activity = models.ForeignKey(
        Activity, on_delete=models.CASCADE, related_name="reports", verbose_name=_("aktivitet")
    )
    unit = models.ForeignKey(
        "organisation.OrgUnit",
        on_delete=models.CASCADE,
        related_name="activity_reports",
        verbose_name=_("enhet"),
    )
    period = models.CharField(_("period"), max_length=16)
    status = models.CharField(
        _("status"),
        max_length=16,
        choices=ActivityStatus.choices,
        default=ActivityStatus.NOT_REPORTED,
    )
    comment = models.TextField(_("kommentar"), blank=True)
    updated_at = models.DateTimeField(_("ändrad"), auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("ändrad av"),
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("aktivitetsuppföljning")
        verbose_name_plural = _("aktivitetsuppföljningar")
        ordering = ["activity", "period", "unit__path"]
        constraints = [
            models.UniqueConstraint(
                fields=["activity", "unit", "period"], name="uniq_activity_report"
            ),
            models.CheckConstraint(
                condition=Q(status__in=[s.value for s in ActivityStatus]),
                name="activityreport_status_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.activity} {self.period}"


class ActivitySummary(models.Model):
    """Counts of activities per status reported as a whole (seed 002: 731 activities)."""

    plan = models.ForeignKey(
        "planning.Plan", on_delete=models.CASCADE, related_name="activity_summaries"
    )
    unit = models.ForeignKey("organisation.OrgUnit", on_delete=models.CASCADE, related_name="+")
    period = models.CharField(_("period"), max_length=16)
    status = models.CharField(_("status"), max_length=16, choices=ActivityStatus.choices)
    count = models.PositiveIntegerField(_("antal"))
    source = models.CharField(_("källa"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("sammanställning av aktiviteter")
        verbose_name_plural = _("sammanställningar av aktiviteter")
        constraints = [
            models.UniqueConstraint(
                fields=["plan", "unit", "period", "status"], name="uniq_activity_summary"
            )
        ]

    def __str__(self) -> str:
        return f"{self.unit} {self.period} {self.get_status_display()}: {self.count}"
