"""Reporting rounds (uppföljningstillfällen), each unit's submission in a round, and
substitutes (ersättare). The rules are in ``rounds.rules``; every write goes through
``rounds.services``."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from styrkort.followup.models import PeriodFields


class RoundState(models.TextChoices):
    OPEN = "open", _("Öppen")
    CLOSED = "closed", _("Stängd")


class ReportingRound(PeriodFields):
    """One reporting point of an organisation (DÅ04 2022 for Region Norrbotten): opens on
    a date, has a deadline per unit level, and is closed once the report has gone to the
    board."""

    organisation = models.ForeignKey(
        "organisation.Organisation",
        on_delete=models.CASCADE,
        related_name="rounds",
        verbose_name=_("organisation"),
    )
    opens_on = models.DateField(_("öppnar"))
    deadline = models.DateField(_("sista dag"))
    # {"<depth>": "YYYY-MM-DD"}: an earlier deadline for deeper levels (a VO reports
    # before its division). Levels without an entry use `deadline`.
    level_deadlines = models.JSONField(_("sista dag per nivå"), default=dict, blank=True)
    state = models.CharField(
        _("status"), max_length=16, choices=RoundState.choices, default=RoundState.OPEN
    )
    reason = models.TextField(_("skäl"), blank=True)  # of the last reopening or extension
    created_at = models.DateTimeField(_("skapad"), auto_now_add=True)
    updated_at = models.DateTimeField(_("ändrad"), auto_now=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("uppföljningstillfälle")
        verbose_name_plural = _("uppföljningstillfällen")
        ordering = ["organisation", "-period_end", "period_start"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "period"], name="uniq_round"),
            models.CheckConstraint(
                condition=Q(deadline__gte=models.F("opens_on")), name="round_deadline_after_open"
            ),
            models.CheckConstraint(
                condition=Q(state__in=[s.value for s in RoundState]), name="round_state_valid"
            ),
        ]
        indexes = [models.Index(fields=["organisation", "period_start", "period_end"])]

    def __str__(self) -> str:
        return f"{self.organisation} {self.period}"


class SubmissionState(models.TextChoices):
    OPEN = "open", _("Pågår")
    READY = "ready", _("Klarmarkerad")
    APPROVED = "approved", _("Godkänd")


class Submission(models.Model):
    """A unit's report in a round: open -> ready (klarmarkerad) -> approved, or returned
    with a comment (back to open). The approval keeps a digest of what it approved."""

    round = models.ForeignKey(
        ReportingRound,
        on_delete=models.CASCADE,
        related_name="submissions",
        verbose_name=_("uppföljningstillfälle"),
    )
    unit = models.ForeignKey(
        "organisation.OrgUnit",
        on_delete=models.CASCADE,
        related_name="submissions",
        verbose_name=_("enhet"),
    )
    state = models.CharField(
        _("status"), max_length=16, choices=SubmissionState.choices, default=SubmissionState.OPEN
    )
    excused = models.BooleanField(_("undantagen"), default=False)
    excuse_reason = models.TextField(_("skäl till undantag"), blank=True)
    comment = models.TextField(_("kommentar"), blank=True)  # the last return or reopening
    ready_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("klarmarkerad av"),
    )
    ready_at = models.DateTimeField(_("klarmarkerad"), null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("godkänd av"),
    )
    approved_at = models.DateTimeField(_("godkänd"), null=True, blank=True)
    approved_digest = models.CharField(_("godkänt innehåll"), max_length=64, blank=True)
    reopened = models.BooleanField(_("återöppnad"), default=False)
    updated_at = models.DateTimeField(_("ändrad"), auto_now=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("inrapportering")
        verbose_name_plural = _("inrapporteringar")
        ordering = ["round", "unit__path"]
        constraints = [
            models.UniqueConstraint(fields=["round", "unit"], name="uniq_submission"),
            models.CheckConstraint(
                condition=Q(state__in=[s.value for s in SubmissionState]),
                name="submission_state_valid",
            ),
            models.CheckConstraint(
                condition=Q(excused=False) | ~Q(excuse_reason=""),
                name="submission_excuse_reason",
            ),
            models.CheckConstraint(
                condition=~Q(state="approved") | Q(approved_at__isnull=False),
                name="submission_approval_recorded",
            ),
        ]
        indexes = [models.Index(fields=["unit", "state"])]

    def __str__(self) -> str:
        return f"{self.unit} {self.round.period}: {self.get_state_display()}"


class Substitution(models.Model):
    """A person's substitute (ersättare) for a period: the substitute may act with the
    person's roles and receives their reminders from `starts_on` to `ends_on`."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="substitutions",
        verbose_name=_("person"),
    )
    substitute = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="substituting",
        verbose_name=_("ersättare"),
    )
    starts_on = models.DateField(_("från"))
    ends_on = models.DateField(_("till"))
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("ersättare")
        verbose_name_plural = _("ersättare")
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=models.F("starts_on")), name="substitution_dates"
            ),
            models.CheckConstraint(
                condition=~Q(user=models.F("substitute")), name="substitution_not_self"
            ),
        ]
        # The permission function reads "whom do I stand in for today" at every request.
        indexes = [models.Index(fields=["substitute", "ends_on"], name="substitution_active")]

    def __str__(self) -> str:
        return f"{self.substitute} för {self.user}"


class ReminderPreference(models.Model):
    """Whether a person receives the reminder e-mails of the reporting rounds (on unless
    they turned them off)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="reminder_preference",
        verbose_name=_("person"),
    )
    enabled = models.BooleanField(_("påminnelser per e-post"), default=True)
    updated_at = models.DateTimeField(_("ändrad"), auto_now=True)

    class Meta:
        verbose_name = _("inställning för påminnelser")
        verbose_name_plural = _("inställningar för påminnelser")

    def __str__(self) -> str:
        return f"{self.user}: {'på' if self.enabled else 'av'}"


class ReminderLog(models.Model):
    """The reminder a person was sent on a day: at most one per person and day, so a
    second run the same day sends nothing."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="reminders",
        verbose_name=_("person"),
    )
    day = models.DateField(_("dag"))
    sent_at = models.DateTimeField(_("skickad"), auto_now_add=True)
    address = models.EmailField(_("e-postadress"))
    subject = models.CharField(_("ämne"), max_length=200)
    units = models.PositiveIntegerField(_("antal enheter"))

    class Meta:
        verbose_name = _("skickad påminnelse")
        verbose_name_plural = _("skickade påminnelser")
        ordering = ["-day", "user"]
        constraints = [models.UniqueConstraint(fields=["user", "day"], name="uniq_reminder_day")]
        indexes = [models.Index(fields=["day"], name="reminder_day")]

    def __str__(self) -> str:
        return f"{self.user} {self.day}"
