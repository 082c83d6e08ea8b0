"""Income statement lines and amounts, budget frames and their changes, investments.

Money is stored in tkr (thousands of kronor) with its sign as the income statement prints
it: income positive, costs negative. Subtotals are never stored: economy.rules computes
them from the leaf lines.
"""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

MONEY = {"max_digits": 18, "decimal_places": 3}


class LedgerLine(models.Model):
    """A line of an organisation's income statement (resultaträkning).

    A line with children is a subtotal (the sum of its children, printed after them with
    `name`, and `heading` printed before them); a line without children holds amounts."""

    organisation = models.ForeignKey(
        "organisation.Organisation",
        on_delete=models.CASCADE,
        related_name="ledger_lines",
        verbose_name=_("organisation"),
    )
    code = models.SlugField(_("kod"), max_length=64)
    name = models.CharField(_("namn"), max_length=200)
    heading = models.CharField(
        _("rubrik"),
        max_length=200,
        blank=True,
        help_text=_("Summaradens rubrik före raderna, t.ex. Verksamhetens intäkter."),
    )
    parent = models.ForeignKey(
        "self",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="children",
        verbose_name=_("summeras i"),
    )
    order = models.PositiveIntegerField(_("ordning"), default=0)
    account_range = models.CharField(
        _("konton"), max_length=200, blank=True, help_text=_("T.ex. 3000-3999.")
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("resultaträkningsrad")
        verbose_name_plural = _("resultaträkningsrader")
        ordering = ["organisation", "order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "code"], name="uniq_ledger_line"),
            models.CheckConstraint(condition=~Q(parent=F("id")), name="ledger_line_not_own_parent"),
        ]

    def __str__(self) -> str:
        return self.name


class AmountKind(models.TextChoices):
    ACTUAL = "actual", _("Utfall")
    BUDGET = "budget", _("Budget")
    FORECAST = "forecast", _("Prognos")
    PLAN = "plan", _("Plan")


AMOUNT_KIND_HEADINGS = {
    AmountKind.ACTUAL: "Bokslut",
    AmountKind.BUDGET: "Budget",
    AmountKind.FORECAST: "Prognos",
    AmountKind.PLAN: "Plan",
}


class Amount(models.Model):
    """An amount (tkr) on a leaf line for a unit, year and kind; `month` 1-12 for monthly
    figures, empty for the whole year."""

    line = models.ForeignKey(
        LedgerLine, on_delete=models.PROTECT, related_name="amounts", verbose_name=_("rad")
    )
    unit = models.ForeignKey(
        "organisation.OrgUnit",
        on_delete=models.PROTECT,
        related_name="amounts",
        verbose_name=_("enhet"),
    )
    year = models.PositiveSmallIntegerField(_("år"))
    month = models.PositiveSmallIntegerField(_("månad"), null=True, blank=True)
    kind = models.CharField(_("typ"), max_length=16, choices=AmountKind.choices)
    value = models.DecimalField(_("belopp (tkr)"), **MONEY)
    note = models.CharField(_("anmärkning"), max_length=500, blank=True)
    source = models.CharField(_("källa"), max_length=200, blank=True)
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
        verbose_name = _("belopp")
        verbose_name_plural = _("belopp")
        ordering = ["unit", "year", "kind", "month", "line__order"]
        constraints = [
            models.UniqueConstraint(
                fields=["line", "unit", "year", "kind"],
                condition=Q(month__isnull=True),
                name="uniq_amount_year",
            ),
            models.UniqueConstraint(
                fields=["line", "unit", "year", "kind", "month"],
                condition=Q(month__isnull=False),
                name="uniq_amount_month",
            ),
            models.CheckConstraint(
                condition=Q(month__isnull=True) | (Q(month__gte=1) & Q(month__lte=12)),
                name="amount_month_range",
            ),
            models.CheckConstraint(
                condition=Q(kind__in=[k.value for k in AmountKind]), name="amount_kind_valid"
            ),
            models.CheckConstraint(
                condition=Q(year__gte=1990) & Q(year__lte=2100), name="amount_year_range"
            ),
        ]
        indexes = [models.Index(fields=["unit", "year", "kind"])]

    def __str__(self) -> str:
        month = f"-{self.month:02d}" if self.month else ""
        return f"{self.line} {self.unit_id} {self.year}{month} {self.kind}: {self.value}"


class Frame(models.Model):
    """A budget frame (ram) of a unit for a year: last year's grant plus its changes.

    The total is computed (economy.rules.frame_total), never stored. A frame allocated
    from a larger one names it as `parent` (the board's frame split on care-choice
    systems and further distribution); `recipient` names a receiver that is not a unit."""

    unit = models.ForeignKey(
        "organisation.OrgUnit",
        on_delete=models.PROTECT,
        related_name="frames",
        verbose_name=_("enhet"),
    )
    year = models.PositiveSmallIntegerField(_("år"))
    code = models.SlugField(_("kod"), max_length=64, unique=True)
    name = models.CharField(_("namn"), max_length=300)
    recipient = models.CharField(_("mottagare"), max_length=300, blank=True)
    base_amount = models.DecimalField(_("anslag året innan (tkr)"), null=True, blank=True, **MONEY)
    parent = models.ForeignKey(
        "self",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="allocations",
        verbose_name=_("fördelas från"),
    )
    order = models.PositiveIntegerField(_("ordning"), default=0)
    note = models.TextField(_("anmärkning"), blank=True)
    source = models.CharField(_("källa"), max_length=300, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("ram")
        verbose_name_plural = _("ramar")
        ordering = ["unit__path", "year", "order", "id"]
        constraints = [
            models.CheckConstraint(condition=~Q(parent=F("id")), name="frame_not_own_parent"),
            models.CheckConstraint(
                condition=Q(year__gte=1990) & Q(year__lte=2100), name="frame_year_range"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class FrameChangeCategory(models.TextChoices):
    PRICE_INDEX = "price_index", _("Löne- och prisindex")
    EXPANSION = "expansion", _("Utökning")
    REDUCTION = "reduction", _("Neddragning")
    REALLOCATION = "reallocation", _("Omfördelning")
    OTHER = "other", _("Övrigt")


class FrameChange(models.Model):
    """A change of a frame (ramförändring) in tkr: positive adds, negative reduces."""

    frame = models.ForeignKey(
        Frame, on_delete=models.CASCADE, related_name="changes", verbose_name=_("ram")
    )
    name = models.CharField(_("benämning"), max_length=300)
    category = models.CharField(
        _("kategori"),
        max_length=16,
        choices=FrameChangeCategory.choices,
        default=FrameChangeCategory.OTHER,
    )
    amount = models.DecimalField(_("belopp (tkr)"), **MONEY)
    order = models.PositiveIntegerField(_("ordning"), default=0)
    note = models.TextField(_("anmärkning"), blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("ramförändring")
        verbose_name_plural = _("ramförändringar")
        ordering = ["frame", "order", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(category__in=[c.value for c in FrameChangeCategory]),
                name="frame_change_category_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name}: {self.amount}"


class Investment(models.Model):
    """An investment object of a unit for a year (tkr)."""

    unit = models.ForeignKey(
        "organisation.OrgUnit",
        on_delete=models.PROTECT,
        related_name="investments",
        verbose_name=_("enhet"),
    )
    year = models.PositiveSmallIntegerField(_("år"))
    name = models.CharField(_("objekt"), max_length=300)
    category = models.CharField(_("kategori"), max_length=100, blank=True)
    amount = models.DecimalField(_("belopp (tkr)"), **MONEY)
    order = models.PositiveIntegerField(_("ordning"), default=0)
    note = models.TextField(_("anmärkning"), blank=True)
    source = models.CharField(_("källa"), max_length=300, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("investering")
        verbose_name_plural = _("investeringar")
        ordering = ["unit__path", "year", "order", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gte=0), name="investment_amount_nonneg"),
            models.CheckConstraint(
                condition=Q(year__gte=1990) & Q(year__lte=2100), name="investment_year_range"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class InvestmentFrame(models.Model):
    """An investment frame (investeringsram) for a year: an amount a decision level may
    commit in a category (seed 004: Regionstyrelsen, inventarier & fastigheter, 189,9
    mnkr), or a unit's total frame (seed 003: Totalram 2024, 1 000 tkr)."""

    unit = models.ForeignKey(
        "organisation.OrgUnit",
        on_delete=models.PROTECT,
        related_name="investment_frames",
        verbose_name=_("enhet"),
    )
    year = models.PositiveSmallIntegerField(_("år"))
    decision_level = models.CharField(_("beslutsnivå"), max_length=200, blank=True)
    category = models.CharField(_("kategori"), max_length=100, blank=True)
    amount = models.DecimalField(_("belopp (tkr)"), **MONEY)
    order = models.PositiveIntegerField(_("ordning"), default=0)
    note = models.TextField(_("anmärkning"), blank=True)
    source = models.CharField(_("källa"), max_length=300, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("investeringsram")
        verbose_name_plural = _("investeringsramar")
        ordering = ["unit__path", "year", "order", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["unit", "year", "decision_level", "category"],
                name="uniq_investment_frame",
            ),
            models.CheckConstraint(
                condition=Q(amount__gte=0), name="investment_frame_amount_nonneg"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.decision_level} {self.category} {self.year}".strip()


class LedgerBasis(models.TextChoices):
    ACTUAL = "actual", _("Utfall mot budget")
    FORECAST = "forecast", _("Prognos mot budget")


class LedgerIndicator(models.Model):
    """An indicator fed from the ledger instead of being typed in: its outcome for a
    unit and period is a line of the income statement (default: the top line, Årets
    resultat) as actual (or forecast) minus budget, written by
    economy.services.feed_ledger_indicators after every ledger import.

    "Avvikelse mot budgeterat resultat i tkr" (seed 003) is such an indicator."""

    indicator = models.OneToOneField(
        "planning.Indicator",
        on_delete=models.CASCADE,
        related_name="ledger_binding",
        verbose_name=_("indikator"),
    )
    line = models.ForeignKey(
        LedgerLine,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("resultaträkningsrad"),
        help_text=_("Tomt: översta raden (Årets resultat)."),
    )
    basis = models.CharField(
        _("jämförelse"), max_length=16, choices=LedgerBasis.choices, default=LedgerBasis.ACTUAL
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("indikator från resultaträkningen")
        verbose_name_plural = _("indikatorer från resultaträkningen")
        constraints = [
            models.CheckConstraint(
                condition=Q(basis__in=[b.value for b in LedgerBasis]),
                name="ledger_indicator_basis_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.indicator} ← {self.line or 'Årets resultat'} ({self.basis})"
