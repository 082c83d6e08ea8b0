"""Comparison values from outside sources (Kolada), Kolada's KPI catalogue, and the
comparison groups (jämförelsegrupper) each organisation defines."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

SEXES = (("total", _("totalt")), ("women", _("kvinnor")), ("men", _("män")))


class ComparisonValue(models.Model):
    """One published value: source, KPI, area (Kolada's municipality id: ``0000`` riket,
    ``0025`` Region Norrbotten), year and sex, with the source's own value status (a
    non-empty ``status`` marks a value that is not normal: kept and shown). ``example``
    marks recorded example values (the demo's), never published figures. A new fetch
    replaces a value in place, and the history keeps the earlier ones."""

    source = models.CharField(_("källa"), max_length=16, default="kolada")
    kpi = models.CharField(_("nyckeltal"), max_length=16)
    area = models.CharField(_("område"), max_length=8)
    year = models.PositiveSmallIntegerField(_("år"))
    sex = models.CharField(_("kön"), max_length=8, choices=SEXES)
    value = models.FloatField(_("värde"), null=True, blank=True)
    count = models.IntegerField(_("antal"), null=True, blank=True)
    status = models.CharField(_("värdets status"), max_length=32, blank=True)
    example = models.BooleanField(_("exempelvärde"), default=False)
    fetched_at = models.DateTimeField(_("hämtat"))
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("jämförelsevärde")
        verbose_name_plural = _("jämförelsevärden")
        ordering = ["source", "kpi", "area", "year", "sex"]
        constraints = [
            models.UniqueConstraint(
                fields=["source", "kpi", "area", "year", "sex"],
                name="comparison_value_unique",
            ),
            models.CheckConstraint(
                condition=Q(sex__in=["total", "women", "men"]), name="comparison_value_sex"
            ),
        ]
        indexes = [models.Index(fields=["kpi", "year"], name="comparison_kpi_year")]

    def __str__(self) -> str:
        return f"{self.kpi} {self.area} {self.year} {self.sex}: {self.value}"


class KoladaKpi(models.Model):
    """A KPI of Kolada's catalogue (from a saved ``/v3/kpi`` response), so that planners
    can search and pick KPIs offline."""

    id = models.CharField(_("id"), max_length=16, primary_key=True)
    title = models.CharField(_("titel"), max_length=500)
    description = models.TextField(_("beskrivning"), blank=True)
    municipality_type = models.CharField(_("områdestyp"), max_length=4, blank=True)
    divided_by_gender = models.BooleanField(_("uppdelat på kön"), default=False)
    operating_area = models.CharField(_("verksamhetsområde"), max_length=300, blank=True)
    imported_at = models.DateTimeField(_("importerat"))

    class Meta:
        verbose_name = _("Kolada-nyckeltal")
        verbose_name_plural = _("Kolada-nyckeltal")
        ordering = ["id"]

    def __str__(self) -> str:
        return f"{self.id} {self.title}"


class ComparisonGroup(models.Model):
    """A comparison group of an organisation (e.g. the northern regions): Kolada area
    ids whose mean is compared like riket (``I nivå med jämförelsegruppen``)."""

    organisation = models.ForeignKey(
        "organisation.Organisation",
        on_delete=models.CASCADE,
        related_name="comparison_groups",
        verbose_name=_("organisation"),
    )
    name = models.CharField(_("namn"), max_length=200)
    areas = models.JSONField(_("områden"), default=list, help_text=_("Kolada-id, t.ex. 0025."))
    order = models.PositiveSmallIntegerField(_("ordning"), default=0)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("jämförelsegrupp")
        verbose_name_plural = _("jämförelsegrupper")
        ordering = ["organisation", "order", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "name"], name="comparison_group_unique_name"
            )
        ]

    def __str__(self) -> str:
        return self.name


class ComparisonFetch(models.Model):
    """One fetch or import of comparison values: when, from where, how many values
    changed, and the error when it failed (nothing stored then)."""

    started_at = models.DateTimeField(_("startad"))
    source = models.CharField(_("källa"), max_length=300)
    organisation = models.ForeignKey(
        "organisation.Organisation",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        verbose_name=_("organisation"),
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        verbose_name=_("användare"),
    )
    ok = models.BooleanField(_("lyckades"), default=False)
    values = models.PositiveIntegerField(_("värden"), default=0)
    changed = models.PositiveIntegerField(_("ändrade värden"), default=0)
    error = models.TextField(_("fel"), blank=True)

    class Meta:
        verbose_name = _("hämtning av jämförelsevärden")
        verbose_name_plural = _("hämtningar av jämförelsevärden")
        ordering = ["-started_at"]

    def __str__(self) -> str:
        return f"{self.source} {self.started_at:%Y-%m-%d %H:%M}"
