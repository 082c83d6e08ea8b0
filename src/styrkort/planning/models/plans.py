"""Plan models (an organisation's level names), plans and their goal trees."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


class PlanModel(models.Model):
    """An organisation's governance model: the names of the levels of its goal tree."""

    organisation = models.ForeignKey(
        "organisation.Organisation",
        on_delete=models.CASCADE,
        related_name="plan_models",
        verbose_name=_("organisation"),
    )
    name = models.CharField(_("namn"), max_length=200)

    class Meta:
        verbose_name = _("styrmodell")
        verbose_name_plural = _("styrmodeller")
        constraints = [
            models.UniqueConstraint(fields=["organisation", "name"], name="uniq_planmodel_name")
        ]

    def __str__(self) -> str:
        return self.name

    def level_name(self, level: int) -> str:
        for lvl in self.levels.all():
            if lvl.level == level:
                return lvl.name
        return str(_("Nivå %(level)s") % {"level": level})


class PlanLevel(models.Model):
    """One level of a plan model: 1 Perspektiv, 2 Strategiskt mål, 3 Framgångsfaktor ..."""

    plan_model = models.ForeignKey(
        PlanModel, on_delete=models.CASCADE, related_name="levels", verbose_name=_("styrmodell")
    )
    level = models.PositiveSmallIntegerField(_("nivå"))
    name = models.CharField(_("namn"), max_length=100)
    name_plural = models.CharField(_("namn i plural"), max_length=100, blank=True)
    # who renamed which level, when (an administration setting: docs/administration.md)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("nivå i styrmodell")
        verbose_name_plural = _("nivåer i styrmodell")
        ordering = ["plan_model", "level"]
        constraints = [
            models.UniqueConstraint(fields=["plan_model", "level"], name="uniq_planlevel"),
            models.CheckConstraint(condition=Q(level__gte=1), name="planlevel_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.level}. {self.name}"


class PlanState(models.TextChoices):
    DRAFT = "draft", _("Utkast")
    ADOPTED = "adopted", _("Fastställd")
    ARCHIVED = "archived", _("Arkiverad")


class Plan(models.Model):
    """One organisation unit's plan for a span of years (verksamhetsplan, regionstyrelsens plan)."""

    unit = models.ForeignKey(
        "organisation.OrgUnit",
        on_delete=models.PROTECT,
        related_name="plans",
        verbose_name=_("enhet"),
    )
    plan_model = models.ForeignKey(
        PlanModel, on_delete=models.PROTECT, related_name="plans", verbose_name=_("styrmodell")
    )
    code = models.SlugField(_("kod"), max_length=64, unique=True)
    name = models.CharField(_("namn"), max_length=300)
    start_year = models.PositiveSmallIntegerField(_("första år"))
    end_year = models.PositiveSmallIntegerField(_("sista år"))
    state = models.CharField(
        _("status"), max_length=16, choices=PlanState.choices, default=PlanState.DRAFT
    )
    decision_body = models.CharField(_("beslutande organ"), max_length=200, blank=True)
    decision_ref = models.CharField(_("beslutsreferens"), max_length=200, blank=True)
    decision_date = models.DateField(_("beslutsdatum"), null=True, blank=True)
    vision = models.TextField(_("vision"), blank=True)
    introduction = models.TextField(_("inledning"), blank=True)
    superior_plan = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="subordinate_plans",
        verbose_name=_("överordnad plan"),
    )
    copied_from = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="copies",
        verbose_name=_("kopierad från"),
    )
    source = models.CharField(_("källa"), max_length=300, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("plan")
        verbose_name_plural = _("planer")
        ordering = ["unit__path", "-start_year"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_year__gte=F("start_year")), name="plan_years_in_order"
            ),
            models.CheckConstraint(
                condition=Q(state__in=[s.value for s in PlanState]), name="plan_state_valid"
            ),
            models.CheckConstraint(
                condition=~Q(superior_plan=F("id")), name="plan_not_own_superior"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def covers_year(self, year: int) -> bool:
        return self.start_year <= year <= self.end_year


class PlanRevision(models.Model):
    """A recorded change of an adopted plan: who changed it, when and why.

    Every planning service that changes an adopted plan's content (its header, goals,
    placements, targets, activities) needs a reason and records one row; changes made by
    the same person with the same reason in a short while share the row. The history
    rows written by the change carry the reason as their change reason."""

    plan = models.ForeignKey(
        Plan, on_delete=models.CASCADE, related_name="revisions", verbose_name=_("plan")
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("ändrad av"),
    )
    at = models.DateTimeField(_("tidpunkt"))
    reason = models.TextField(_("skäl till ändringen"))

    class Meta:
        verbose_name = _("revidering av plan")
        verbose_name_plural = _("revideringar av planer")
        ordering = ["plan", "-at", "-id"]
        constraints = [
            models.CheckConstraint(condition=~Q(reason=""), name="planrevision_has_reason")
        ]

    def __str__(self) -> str:
        return f"{self.plan} {self.at:%Y-%m-%d}"


class Goal(models.Model):
    """A node of a plan's goal tree; its level is named by the plan model.

    `linked_goals` are goals in a superior unit's plan that this goal serves (cascading).
    """

    plan = models.ForeignKey(
        Plan, on_delete=models.CASCADE, related_name="goals", verbose_name=_("plan")
    )
    parent = models.ForeignKey(
        "self",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="children",
        verbose_name=_("överordnat mål"),
    )
    level = models.PositiveSmallIntegerField(_("nivå"))
    code = models.CharField(_("kod"), max_length=64, blank=True)
    name = models.CharField(_("namn"), max_length=500)
    description = models.TextField(_("beskrivning"), blank=True)
    planning_comment = models.TextField(_("planeringskommentar"), blank=True)
    order = models.PositiveIntegerField(_("ordning"), default=0)
    linked_goals = models.ManyToManyField(
        "self",
        symmetrical=False,
        blank=True,
        related_name="supporting_goals",
        verbose_name=_("kopplade mål i överordnad plan"),
    )
    history = HistoricalRecords(m2m_fields=[linked_goals])

    class Meta:
        verbose_name = _("mål")
        verbose_name_plural = _("mål")
        ordering = ["plan", "level", "order", "id"]
        constraints = [
            models.CheckConstraint(condition=~Q(parent=F("id")), name="goal_not_own_parent"),
            models.CheckConstraint(condition=Q(level__gte=1), name="goal_level_positive"),
            models.UniqueConstraint(
                fields=["plan", "code"], condition=~Q(code=""), name="uniq_goal_code_in_plan"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def ancestors(self) -> list["Goal"]:
        """The goals above this one, from the top level down."""
        chain, node = [], self.parent
        while node is not None:
            chain.append(node)
            node = node.parent
        return list(reversed(chain))
