"""Outcomes (utfall), analyses and manual assessments, all with their history."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


class Sex(models.TextChoices):
    TOTAL = "total", _("Totalt")
    WOMEN = "women", _("Kvinnor")
    MEN = "men", _("Män")


class OutcomeSource(models.TextChoices):
    MANUAL = "manual", _("Manuellt")
    IMPORT = "import", _("Import")
    API = "api", _("API")
    DEMO = "demo", _("Demodata")


class OutcomeHistory(HistoricalRecords):
    """simple-history's records with only the indexes the history is read by: the
    primary key (`MAX(history_id)` in styrkort.followup.versions) and the outcome's id
    (one outcome's history, the admin). No index on history_date, history_user or the
    copied foreign keys: each index costs every imported row an index insertion, and
    nothing searches the history by them (deleting a user scans the table instead)."""

    @property
    def _date_indexing(self):
        return False

    def _get_history_user_fields(self):
        fields = super()._get_history_user_fields()
        fields["history_user"].db_index = False
        return fields


class PeriodFields(models.Model):
    """A period in its canonical form (styrkort.periods) with its first and last day,
    so that finer periods can be found inside a coarser one with a range query."""

    period = models.CharField(_("period"), max_length=16)
    period_start = models.DateField(_("periodens början"))
    period_end = models.DateField(_("periodens slut"))

    class Meta:
        abstract = True
        constraints = []

    def set_period(self, period) -> None:
        """Store `period` (a styrkort.periods.Period or its text) in canonical form."""
        from styrkort.periods import parse_period

        if isinstance(period, str):
            period = parse_period(period)
        self.period = period.canonical
        self.period_start = period.start
        self.period_end = period.end

    def clean(self):
        from styrkort.periods import PeriodError

        super().clean()
        try:
            self.set_period(self.period)
        except PeriodError as exc:
            raise ValidationError({"period": str(exc)}) from exc

    def save(self, *args, **kwargs):
        self.set_period(self.period)
        super().save(*args, **kwargs)


class Outcome(PeriodFields):
    """A measured value for indicator x unit x period x sex."""

    # No single-column indexes: the unique (indicator, unit, period, sex) and the
    # (unit, period) index lead with these columns, and every extra index slows imports.
    # No foreign key constraints (db_constraint=False) for the three references and the
    # history's user: on PostgreSQL triggers enforce them per statement rather than per
    # row (styrkort.followup.postgres); SQLite keeps the foreign keys its tables were
    # created with. styrkort.followup.checks reports a database that has neither.
    indicator = models.ForeignKey(
        "planning.Indicator",
        on_delete=models.PROTECT,
        related_name="outcomes",
        verbose_name=_("indikator"),
        db_index=False,
        db_constraint=False,
    )
    unit = models.ForeignKey(
        "organisation.OrgUnit",
        on_delete=models.PROTECT,
        related_name="outcomes",
        verbose_name=_("enhet"),
        db_index=False,
        db_constraint=False,
    )
    sex = models.CharField(_("kön"), max_length=8, choices=Sex.choices, default=Sex.TOTAL)
    value = models.FloatField(_("värde"), null=True, blank=True)
    numerator = models.FloatField(_("täljare"), null=True, blank=True)
    denominator = models.FloatField(_("nämnare"), null=True, blank=True)
    # Copied from the indicator on save so that the database itself can refuse a
    # numerator above its denominator.
    bounded_ratio = models.BooleanField(default=False, editable=False)
    source = models.CharField(
        _("inrapporterat via"),
        max_length=16,
        choices=OutcomeSource.choices,
        default=OutcomeSource.MANUAL,
    )
    data_source = models.CharField(_("källa"), max_length=200, blank=True)
    note = models.TextField(_("anmärkning"), blank=True)
    created_at = models.DateTimeField(_("skapad"), auto_now_add=True)
    updated_at = models.DateTimeField(_("ändrad"), auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("ändrad av"),
        db_index=False,  # a partial index below: imports without a user add no entry
        db_constraint=False,
    )
    history = OutcomeHistory(
        no_db_index=["indicator", "unit", "updated_by"], user_db_constraint=False
    )

    class Meta:
        verbose_name = _("utfall")
        verbose_name_plural = _("utfall")
        ordering = ["indicator", "unit", "period_start", "period_end", "sex"]
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "unit", "period", "sex"], name="uniq_outcome"
            ),
            models.CheckConstraint(
                condition=Q(period_end__gte=F("period_start")), name="outcome_period_in_order"
            ),
            models.CheckConstraint(
                condition=Q(sex__in=[s.value for s in Sex]), name="outcome_sex_valid"
            ),
            models.CheckConstraint(
                condition=Q(denominator__isnull=True) | Q(denominator__gte=0),
                name="outcome_denominator_nonneg",
            ),
            models.CheckConstraint(
                condition=Q(bounded_ratio=False)
                | Q(numerator__isnull=True)
                | Q(denominator__isnull=True)
                | Q(numerator__lte=F("denominator")),
                name="outcome_numerator_le_denominator",
            ),
            models.CheckConstraint(
                condition=Q(value__isnull=False) | Q(numerator__isnull=False),
                name="outcome_has_value",
            ),
        ]
        indexes = [
            models.Index(fields=["indicator", "period_start", "period_end"]),
            models.Index(fields=["unit", "period"]),
            models.Index(
                fields=["updated_by"],
                condition=Q(updated_by__isnull=False),
                name="outcome_updated_by_idx",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.indicator_id} {self.unit_id} {self.period} {self.sex}: {self.value}"

    def save(self, *args, **kwargs):
        self.bounded_ratio = bounded_ratio(self.indicator)
        super().save(*args, **kwargs)


def bounded_ratio(indicator) -> bool:
    """Whether the database must refuse a numerator above the denominator."""
    return indicator.aggregation == "ratio" and indicator.numerator_at_most_denominator


class Analysis(PeriodFields):
    """Text written for an indicator or a goal of a unit for a period (analys, kommentar)."""

    unit = models.ForeignKey(
        "organisation.OrgUnit",
        on_delete=models.CASCADE,
        related_name="analyses",
        verbose_name=_("enhet"),
    )
    indicator = models.ForeignKey(
        "planning.Indicator",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="analyses",
        verbose_name=_("indikator"),
    )
    goal = models.ForeignKey(
        "planning.Goal",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="analyses",
        verbose_name=_("mål"),
    )
    text = models.TextField(_("analys"))
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
        verbose_name = _("analys")
        verbose_name_plural = _("analyser")
        constraints = [
            models.CheckConstraint(
                condition=(Q(indicator__isnull=False) & Q(goal__isnull=True))
                | (Q(indicator__isnull=True) & Q(goal__isnull=False)),
                name="analysis_indicator_xor_goal",
            ),
            models.UniqueConstraint(
                fields=["unit", "indicator", "period"],
                condition=Q(indicator__isnull=False),
                name="uniq_indicator_analysis",
            ),
            models.UniqueConstraint(
                fields=["unit", "goal", "period"],
                condition=Q(goal__isnull=False),
                name="uniq_goal_analysis",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.unit} {self.period}"


class AssessedStatus(models.TextChoices):
    MET = "met", _("Uppfyllt")
    PARTLY = "partly", _("Delvis uppfyllt")
    NOT_MET = "not_met", _("Ej uppfyllt")
    NOT_ASSESSED = "not_assessed", _("Ej bedömt")


class Assessment(PeriodFields):
    """A manual assessment of an indicator's or a goal's status, only with a written reason.

    The rules' own status is still computed and shown beside it."""

    unit = models.ForeignKey(
        "organisation.OrgUnit",
        on_delete=models.CASCADE,
        related_name="assessments",
        verbose_name=_("enhet"),
    )
    indicator = models.ForeignKey(
        "planning.Indicator",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="assessments",
        verbose_name=_("indikator"),
    )
    goal = models.ForeignKey(
        "planning.Goal",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="assessments",
        verbose_name=_("mål"),
    )
    sex = models.CharField(_("kön"), max_length=8, choices=Sex.choices, default=Sex.TOTAL)
    status = models.CharField(_("bedömning"), max_length=16, choices=AssessedStatus.choices)
    reason = models.TextField(_("motivering"))
    updated_at = models.DateTimeField(_("ändrad"), auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("bedömd av"),
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("manuell bedömning")
        verbose_name_plural = _("manuella bedömningar")
        constraints = [
            models.CheckConstraint(
                condition=(Q(indicator__isnull=False) & Q(goal__isnull=True))
                | (Q(indicator__isnull=True) & Q(goal__isnull=False)),
                name="assessment_indicator_xor_goal",
            ),
            models.CheckConstraint(condition=~Q(reason=""), name="assessment_reason_required"),
            models.CheckConstraint(
                condition=Q(status__in=[s.value for s in AssessedStatus]),
                name="assessment_status_valid",
            ),
            models.UniqueConstraint(
                fields=["unit", "indicator", "period", "sex"],
                condition=Q(indicator__isnull=False),
                name="uniq_indicator_assessment",
            ),
            models.UniqueConstraint(
                fields=["unit", "goal", "period"],
                condition=Q(goal__isnull=False),
                name="uniq_goal_assessment",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_status_display()}: {self.reason[:40]}"
