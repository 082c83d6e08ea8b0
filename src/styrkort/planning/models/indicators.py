"""Indicators (styrmått, kontrollmått), their placement under goals, and targets."""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


class IndicatorKind(models.TextChoices):
    STEERING = "steering", _("Styrmått")
    CONTROL = "control", _("Kontrollmått")


class Direction(models.TextChoices):
    HIGHER = "higher", _("Högre är bättre")
    LOWER = "lower", _("Lägre är bättre")
    TARGET = "target", _("Så nära målvärdet som möjligt")
    NONE = "none", _("Ingen riktning")


class Aggregation(models.TextChoices):
    SUM = "sum", _("Summa")
    RATIO = "ratio", _("Kvot (summa täljare / summa nämnare)")
    MEAN = "mean", _("Medelvärde")
    MIN = "min", _("Minsta")
    MAX = "max", _("Största")
    LAST = "last", _("Senaste")
    NONE = "none", _("Går inte att summera")


class MeasureType(models.TextChoices):
    FLOW = "flow", _("Flöde (summeras över tid)")
    STOCK = "stock", _("Stock (värdet vid periodens slut)")
    AVERAGE = "average", _("Genomsnitt av periodens månader")


UNIT_CHOICES = [
    ("%", "%"),
    ("st", "st"),
    ("kr", "kr"),
    ("tkr", "tkr"),
    ("mnkr", "mnkr"),
    ("index", "index"),
    ("dagar", "dagar"),
    ("‰", "‰"),
    ("per 1000", "per 1 000 invånare"),
    ("timmar", "timmar"),
]


class Indicator(models.Model):
    """A measure with its definition and how its values add up."""

    organisation = models.ForeignKey(
        "organisation.Organisation",
        on_delete=models.PROTECT,
        related_name="indicators",
        verbose_name=_("organisation"),
    )
    code = models.SlugField(_("kod"), max_length=64, unique=True)
    name = models.CharField(_("namn"), max_length=500)
    short_name = models.CharField(_("kortnamn"), max_length=120, blank=True)
    definition = models.TextField(_("definition"), blank=True)
    unit = models.CharField(_("enhet"), max_length=16, choices=UNIT_CHOICES, default="st")
    kind = models.CharField(
        _("typ"), max_length=16, choices=IndicatorKind.choices, default=IndicatorKind.STEERING
    )
    direction = models.CharField(
        _("önskad riktning"), max_length=16, choices=Direction.choices, default=Direction.HIGHER
    )
    aggregation = models.CharField(
        _("aggregering"), max_length=16, choices=Aggregation.choices, default=Aggregation.SUM
    )
    measure_type = models.CharField(
        _("måtttyp"), max_length=16, choices=MeasureType.choices, default=MeasureType.FLOW
    )
    source = models.CharField(_("källa"), max_length=200, blank=True)
    reporting_points = models.CharField(
        _("uppföljningsperiod"),
        max_length=100,
        blank=True,
        help_text=_("T.ex. DÅ04, DÅ08, ÅR."),
    )
    by_sex = models.BooleanField(_("redovisas per kön"), default=False)
    decimals = models.PositiveSmallIntegerField(_("decimaler"), default=0)
    numerator_label = models.CharField(_("täljare"), max_length=200, blank=True)
    denominator_label = models.CharField(_("nämnare"), max_length=200, blank=True)
    numerator_at_most_denominator = models.BooleanField(
        _("täljaren kan inte överstiga nämnaren"), default=True
    )
    parent = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="children",
        verbose_name=_("överordnad indikator"),
        help_text=_(
            "Delindikatorer summeras till den överordnade (Läkarbesök = Somatik + Psykiatri)."
        ),
    )
    tolerance_pct = models.FloatField(
        _("tolerans för delvis uppfyllt (%)"),
        null=True,
        blank=True,
        help_text=_("Tom: organisationens standard."),
    )
    green_limit = models.FloatField(_("gräns för uppfyllt"), null=True, blank=True)
    red_limit = models.FloatField(_("gräns för ej uppfyllt"), null=True, blank=True)
    note = models.TextField(_("anmärkning"), blank=True)
    kolada_kpi = models.CharField(
        _("Kolada-nyckeltal"),
        max_length=16,
        blank=True,
        help_text=_("Id för motsvarande nyckeltal i Kolada, t.ex. N79221."),
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("indikator")
        verbose_name_plural = _("indikatorer")
        ordering = ["code"]
        constraints = [
            models.CheckConstraint(condition=~Q(parent=F("id")), name="indicator_not_own_parent"),
            models.CheckConstraint(
                condition=Q(tolerance_pct__isnull=True)
                | (Q(tolerance_pct__gte=0) & Q(tolerance_pct__lte=100)),
                name="indicator_tolerance_range",
            ),
            models.CheckConstraint(
                condition=Q(direction__in=[d.value for d in Direction]),
                name="indicator_direction_valid",
            ),
            models.CheckConstraint(
                condition=Q(aggregation__in=[a.value for a in Aggregation]),
                name="indicator_aggregation_valid",
            ),
            models.CheckConstraint(
                condition=Q(measure_type__in=[m.value for m in MeasureType]),
                name="indicator_measure_type_valid",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_ratio(self) -> bool:
        return self.aggregation == Aggregation.RATIO

    @property
    def ratio_scale(self) -> float:
        """Value = scale x numerator / denominator: 100 for %, 1000 for ‰ and per 1 000."""
        return {"%": 100.0, "‰": 1000.0, "per 1000": 1000.0}.get(self.unit, 1.0)


class PlanIndicator(models.Model):
    """An indicator placed under a goal of a plan.

    One indicator can be placed under several goals: two placements, one indicator."""

    plan = models.ForeignKey(
        "planning.Plan", on_delete=models.CASCADE, related_name="placements", verbose_name=_("plan")
    )
    goal = models.ForeignKey(
        "planning.Goal", on_delete=models.CASCADE, related_name="placements", verbose_name=_("mål")
    )
    indicator = models.ForeignKey(
        Indicator, on_delete=models.PROTECT, related_name="placements", verbose_name=_("indikator")
    )
    order = models.PositiveIntegerField(_("ordning"), default=0)
    baseline_text = models.CharField(_("ingångsvärde"), max_length=200, blank=True)
    baseline_value = models.FloatField(_("ingångsvärde (tal)"), null=True, blank=True)
    baseline_period = models.CharField(_("ingångsvärdets period"), max_length=16, blank=True)
    reporting_points = models.CharField(_("uppföljningsperiod"), max_length=100, blank=True)
    note = models.TextField(_("fotnot"), blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("indikator i plan")
        verbose_name_plural = _("indikatorer i plan")
        ordering = ["plan", "goal", "order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["goal", "indicator"], name="uniq_indicator_per_goal")
        ]

    def __str__(self) -> str:
        return f"{self.indicator} ({self.goal})"


class Target(models.Model):
    """A target for an indicator placed in a plan: for a year or reporting point,
    optionally for one unit ("anges för varje vårdcentral"), or long-term with its year.

    `text` is what the plan prints; `spec` is its parsed structure (planning.targets),
    kept in step on every save.
    """

    placement = models.ForeignKey(
        PlanIndicator,
        on_delete=models.CASCADE,
        related_name="targets",
        verbose_name=_("indikator i plan"),
    )
    year = models.PositiveSmallIntegerField(_("år"))
    unit = models.ForeignKey(
        "organisation.OrgUnit",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="targets",
        verbose_name=_("gäller enhet"),
    )
    is_long_term = models.BooleanField(_("långsiktigt målvärde"), default=False)
    text = models.CharField(_("målvärde"), max_length=300)
    assessed_by_hand = models.BooleanField(
        _("bedöms manuellt"),
        default=False,
        help_text=_("Målvärdet kan inte mätas automatiskt; måluppfyllelsen sätts för hand."),
    )
    spec = models.JSONField(_("tolkat målvärde"), default=dict, editable=False)
    note = models.TextField(_("anmärkning"), blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("målvärde")
        verbose_name_plural = _("målvärden")
        ordering = ["placement", "is_long_term", "year"]
        constraints = [
            # Two partial constraints: NULL units must collide too, on every database.
            models.UniqueConstraint(
                fields=["placement", "year", "is_long_term"],
                condition=Q(unit__isnull=True),
                name="uniq_target",
            ),
            models.UniqueConstraint(
                fields=["placement", "year", "unit", "is_long_term"],
                condition=Q(unit__isnull=False),
                name="uniq_target_per_unit",
            ),
            models.CheckConstraint(
                condition=Q(year__gte=1990) & Q(year__lte=2100), name="target_year_range"
            ),
        ]

    def __str__(self) -> str:
        return self.text

    def clean(self):
        if not (self.text or "").strip():
            raise ValidationError({"text": _("Ange ett målvärde.")})

    def save(self, *args, **kwargs):
        from styrkort.planning.targets import TargetSpec, parse_target

        self.text = (self.text or "").strip()
        if self.assessed_by_hand:
            # Assessed by hand: the rules never evaluate the text, whatever it reads as.
            self.spec = TargetSpec(kind="qualitative", text=self.text).to_dict()
        else:
            self.spec = parse_target(self.text).to_dict()
        super().save(*args, **kwargs)

    @property
    def parsed(self):
        from styrkort.planning.targets import TargetSpec

        return TargetSpec.from_dict(self.spec)
