"""The organisation tree: tenants (regions), their units over time, and sites."""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords
from treebeard.mp_tree import MP_Node


class Organisation(models.Model):
    """A tenant: a region or municipality with its own settings for evaluation and symbols."""

    code = models.SlugField(_("kod"), max_length=32, unique=True)
    name = models.CharField(_("namn"), max_length=200)
    tolerance_pct = models.FloatField(
        _("tolerans för delvis uppfyllt (%)"),
        default=10.0,
        help_text=_("Ett utfall inom så många procent av målvärdet räknas som delvis uppfyllt."),
    )
    trend_epsilon_pct = models.FloatField(
        _("gräns för oförändrad utveckling (%)"),
        default=1.0,
        help_text=_("En förändring mindre än så många procent räknas som oförändrad."),
    )
    goal_met_threshold = models.FloatField(_("gräns för uppfyllt mål (medelpoäng)"), default=2.5)
    goal_partly_threshold = models.FloatField(_("gräns för delvis uppfyllt mål"), default=1.5)
    symbols = models.JSONField(
        _("symboler"),
        default=dict,
        blank=True,
        help_text=_('Egna symboler och färger per status, t.ex. {"met": "■"}.'),
    )
    settings = models.JSONField(_("övriga inställningar"), default=dict, blank=True)
    require_second_factor = models.BooleanField(
        _("kräv tvåstegsverifiering"),
        default=False,
        help_text=_(
            "Administratörer och planerare som loggar in med lösenord anger också en kod "
            "från en autentiseringsapp."
        ),
    )
    economy_unit = models.CharField(
        _("enhet för ekonomitabeller"),
        max_length=8,
        choices=[("tkr", _("tkr (tusental kronor)")), ("mnkr", _("mnkr (miljoner kronor)"))],
        default="tkr",
        help_text=_("Resultaträkning, investeringar och ramar visas och skrivs ut i denna enhet."),
    )
    kolada_area = models.CharField(
        _("Kolada-område"),
        max_length=8,
        blank=True,
        help_text=_("Organisationens id i Kolada, t.ex. 0025 för Region Norrbotten."),
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisationer")
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(tolerance_pct__gte=0) & Q(tolerance_pct__lte=100),
                name="organisation_tolerance_range",
            ),
            models.CheckConstraint(
                condition=Q(trend_epsilon_pct__gte=0), name="organisation_epsilon_nonneg"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class Site(models.Model):
    """A place such as a hospital, giving a second breakdown across the tree."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="sites", verbose_name=_("organisation")
    )
    code = models.SlugField(_("kod"), max_length=64, unique=True)
    name = models.CharField(_("namn"), max_length=200)

    class Meta:
        verbose_name = _("plats")
        verbose_name_plural = _("platser")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class UnitType(models.TextChoices):
    REGION = "region", _("Region")
    ADMINISTRATION = "administration", _("Förvaltning")
    DIVISION = "division", _("Division")
    BUSINESS_AREA = "business_area", _("Verksamhetsområde")
    CLINIC = "clinic", _("Klinik")
    HEALTH_CENTRE = "health_centre", _("Vårdcentral")
    UNIT = "unit", _("Enhet")
    STAFF = "staff", _("Stab")
    BOARD = "board", _("Nämnd")


class OrgUnit(MP_Node):
    """A node of the organisation tree, valid from/to dates (units open and close).

    A materialised-path tree: a unit can never become its own ancestor, moves are
    refused by the tree itself.
    """

    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="units", verbose_name=_("organisation")
    )
    code = models.SlugField(
        _("kod"), max_length=64, unique=True, help_text=_("Stabil kod, t.ex. NLL-LS1.")
    )
    name = models.CharField(_("namn"), max_length=200)
    short_name = models.CharField(_("kortnamn"), max_length=80, blank=True)
    type = models.CharField(_("typ"), max_length=32, choices=UnitType.choices)
    valid_from = models.DateField(_("giltig från"), null=True, blank=True)
    valid_to = models.DateField(_("giltig till"), null=True, blank=True)
    site = models.ForeignKey(
        Site,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="units",
        verbose_name=_("plats"),
    )
    note = models.TextField(_("anteckning"), blank=True)
    history = HistoricalRecords()

    node_order_by = ["code"]

    class Meta:
        verbose_name = _("organisatorisk enhet")
        verbose_name_plural = _("organisatoriska enheter")
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True)
                | Q(valid_from__isnull=True)
                | Q(valid_to__gte=models.F("valid_from")),
                name="orgunit_dates_in_order",
            ),
        ]
        indexes = [models.Index(fields=["organisation", "depth"])]

    def __str__(self) -> str:
        return self.name

    def is_valid_on(self, start, end) -> bool:
        """True when the unit existed at some time between `start` and `end` (dates)."""
        return (self.valid_from is None or self.valid_from <= end) and (
            self.valid_to is None or self.valid_to >= start
        )
