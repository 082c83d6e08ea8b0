"""Risks, their level bands, the internal-control plan, controls and control results."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from styrkort.followup.models import PeriodFields

from .rules import CONSEQUENCE_LABELS, PROBABILITY_LABELS

PROBABILITY_CHOICES = [(k, f"{k} {v.lower()}") for k, v in PROBABILITY_LABELS.items()]
CONSEQUENCE_CHOICES = [(k, f"{k} {v.lower()}") for k, v in CONSEQUENCE_LABELS.items()]


class RiskBand(models.Model):
    """A risk level of an organisation: risk values `min_value`..`max_value` inclusive.

    An organisation's bands cover 1-16 without gaps or overlaps (checked by
    risk.rules.check_bands in the service)."""

    organisation = models.ForeignKey(
        "organisation.Organisation",
        on_delete=models.CASCADE,
        related_name="risk_bands",
        verbose_name=_("organisation"),
    )
    name = models.CharField(_("namn"), max_length=100)
    min_value = models.PositiveSmallIntegerField(_("lägsta riskvärde"))
    max_value = models.PositiveSmallIntegerField(_("högsta riskvärde"))
    requires_action = models.BooleanField(_("kräver åtgärd"), default=False)
    symbol = models.CharField(_("symbol"), max_length=8, blank=True)
    colour = models.CharField(_("färg"), max_length=16, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("risknivå")
        verbose_name_plural = _("risknivåer")
        ordering = ["organisation", "min_value"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "name"], name="uniq_riskband_name"),
            models.CheckConstraint(
                condition=Q(min_value__gte=1)
                & Q(max_value__lte=16)
                & Q(min_value__lte=F("max_value")),
                name="riskband_range",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.min_value}–{self.max_value})"

    def as_band(self):
        from .rules import Band

        return Band(self.name, self.min_value, self.max_value, self.requires_action)


class PlanState(models.TextChoices):
    DRAFT = "draft", _("Utkast")
    ADOPTED = "adopted", _("Fastställd")


class InternalControlPlan(models.Model):
    """A unit's internal-control plan for a year (internkontrollplan)."""

    unit = models.ForeignKey(
        "organisation.OrgUnit",
        on_delete=models.PROTECT,
        related_name="control_plans",
        verbose_name=_("enhet"),
    )
    year = models.PositiveSmallIntegerField(_("år"))
    name = models.CharField(_("namn"), max_length=300, blank=True)
    state = models.CharField(
        _("status"), max_length=16, choices=PlanState.choices, default=PlanState.DRAFT
    )
    decision_ref = models.CharField(_("beslutsreferens"), max_length=200, blank=True)
    introduction = models.TextField(_("inledning"), blank=True)
    source = models.CharField(_("källa"), max_length=300, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("internkontrollplan")
        verbose_name_plural = _("internkontrollplaner")
        ordering = ["unit__path", "-year"]
        constraints = [
            models.UniqueConstraint(fields=["unit", "year"], name="uniq_control_plan"),
            models.CheckConstraint(
                condition=Q(year__gte=1990) & Q(year__lte=2100), name="control_plan_year_range"
            ),
        ]

    def __str__(self) -> str:
        return self.name or f"{self.unit} {self.year}"


def _risk_constraints(prefix: str, required: bool) -> list[models.CheckConstraint]:
    p, c, v = f"{prefix}probability", f"{prefix}consequence", f"{prefix}value"
    name = prefix.rstrip("_") or "risk"
    value_range = Q(**{f"{v}__gte": 1}) & Q(**{f"{v}__lte": 16})
    return [
        models.CheckConstraint(
            condition=Q(**{f"{p}__isnull": True}) | (Q(**{f"{p}__gte": 1}) & Q(**{f"{p}__lte": 4})),
            name=f"{name}_probability_range",
        ),
        models.CheckConstraint(
            condition=Q(**{f"{c}__isnull": True}) | (Q(**{f"{c}__gte": 1}) & Q(**{f"{c}__lte": 4})),
            name=f"{name}_consequence_range",
        ),
        models.CheckConstraint(
            condition=value_range if required else Q(**{f"{v}__isnull": True}) | value_range,
            name=f"{name}_value_range",
        ),
        models.CheckConstraint(
            condition=Q(**{f"{p}__isnull": True})
            | Q(**{f"{c}__isnull": True})
            | Q(**{v: F(p) * F(c)}),
            name=f"{name}_value_is_product",
        ),
    ]


class Risk(models.Model):
    """A risk of a unit for a year: what can happen, its consequence and cause, probability
    x consequence = value (or only the value when the source gives only that), the goals it
    threatens, the actions against it and the residual risk after them."""

    unit = models.ForeignKey(
        "organisation.OrgUnit",
        on_delete=models.PROTECT,
        related_name="risks",
        verbose_name=_("enhet"),
    )
    year = models.PositiveSmallIntegerField(_("år"))
    number = models.CharField(_("nummer"), max_length=32, blank=True)
    title = models.CharField(_("risk"), max_length=500)
    area = models.CharField(
        _("perspektiv eller målområde"),
        max_length=300,
        blank=True,
        help_text=_("Som tabellen skriver det, t.ex. Medborgare: Trygga norrbottningar."),
    )
    event = models.TextField(_("vad kan hända"), blank=True)
    consequence_text = models.TextField(_("konsekvens om risken inträffar"), blank=True)
    cause = models.TextField(_("orsak"), blank=True)
    probability = models.PositiveSmallIntegerField(
        _("sannolikhet"), choices=PROBABILITY_CHOICES, null=True, blank=True
    )
    consequence = models.PositiveSmallIntegerField(
        _("konsekvens"), choices=CONSEQUENCE_CHOICES, null=True, blank=True
    )
    value = models.PositiveSmallIntegerField(
        _("riskvärde"), help_text=_("Sannolikhet × konsekvens, 1–16.")
    )
    probability_derived = models.BooleanField(
        _("sannolikheten härledd"),
        default=False,
        help_text=_("Källan angav bara konsekvens och riskvärde."),
    )
    actions = models.TextField(_("åtgärder"), blank=True)
    handling = models.CharField(
        _("typ av hantering"), max_length=100, blank=True, help_text=_("T.ex. Kontroll.")
    )
    residual_probability = models.PositiveSmallIntegerField(
        _("sannolikhet efter åtgärd"), choices=PROBABILITY_CHOICES, null=True, blank=True
    )
    residual_consequence = models.PositiveSmallIntegerField(
        _("konsekvens efter åtgärd"), choices=CONSEQUENCE_CHOICES, null=True, blank=True
    )
    residual_value = models.PositiveSmallIntegerField(
        _("riskvärde efter åtgärd"), null=True, blank=True
    )
    goals = models.ManyToManyField(
        "planning.Goal", blank=True, related_name="risks", verbose_name=_("mål")
    )
    activities = models.ManyToManyField(
        "planning.Activity", blank=True, related_name="risks", verbose_name=_("aktiviteter")
    )
    order = models.PositiveIntegerField(_("ordning"), default=0)
    source = models.CharField(_("källa"), max_length=300, blank=True)
    updated_at = models.DateTimeField(_("ändrad"), auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("ändrad av"),
    )
    history = HistoricalRecords(m2m_fields=[goals, activities])

    class Meta:
        verbose_name = _("risk")
        verbose_name_plural = _("risker")
        ordering = ["unit__path", "year", "order", "id"]
        constraints = [
            *_risk_constraints("", required=True),
            *_risk_constraints("residual_", required=False),
            models.CheckConstraint(
                condition=Q(year__gte=1990) & Q(year__lte=2100), name="risk_year_range"
            ),
        ]
        indexes = [models.Index(fields=["unit", "year"])]

    def __str__(self) -> str:
        return f"{self.number} {self.title}".strip()

    def save(self, *args, **kwargs):
        if self.probability and self.consequence:
            self.value = self.probability * self.consequence
        if self.residual_probability and self.residual_consequence:
            self.residual_value = self.residual_probability * self.residual_consequence
        super().save(*args, **kwargs)


class Frequency(models.TextChoices):
    CONTINUOUS = "continuous", _("Löpande")
    MONTHLY = "monthly", _("Månadsvis")
    TERTIAL = "tertial", _("Varje tertial")
    HALF_YEAR = "half_year", _("Halvårsvis")
    YEARLY = "yearly", _("En gång per år")
    REPORTING_POINTS = "reporting_points", _("Vid varje uppföljning")


class Control(models.Model):
    """A check of a risk (kontrollmoment): how, by whom and how often it is verified."""

    risk = models.ForeignKey(
        Risk, on_delete=models.CASCADE, related_name="controls", verbose_name=_("risk")
    )
    method = models.TextField(_("kontrollmetod"))
    owner = models.CharField(_("ansvarig"), max_length=200, blank=True)
    frequency = models.CharField(
        _("frekvens"), max_length=20, choices=Frequency.choices, blank=True
    )
    order = models.PositiveIntegerField(_("ordning"), default=0)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("kontrollmoment")
        verbose_name_plural = _("kontrollmoment")
        ordering = ["risk", "order", "id"]

    def __str__(self) -> str:
        return self.method[:80]


class ControlOutcome(models.TextChoices):
    OK = "ok", _("Utan anmärkning")
    DEVIATION = "deviation", _("Avvikelse")
    NOT_DONE = "not_done", _("Ej genomförd")


class ControlResult(PeriodFields):
    """The result of a control for a reporting point (or any period)."""

    control = models.ForeignKey(
        Control, on_delete=models.CASCADE, related_name="results", verbose_name=_("kontroll")
    )
    outcome = models.CharField(_("resultat"), max_length=16, choices=ControlOutcome.choices)
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
        verbose_name = _("kontrollresultat")
        verbose_name_plural = _("kontrollresultat")
        ordering = ["control", "period_start"]
        constraints = [
            models.UniqueConstraint(fields=["control", "period"], name="uniq_control_result"),
            models.CheckConstraint(
                condition=Q(outcome__in=[o.value for o in ControlOutcome]),
                name="control_result_outcome_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.control} {self.period}: {self.get_outcome_display()}"
