"""Users and their roles on organisation subtrees."""

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models.signals import post_save, pre_save
from django.dispatch import receiver
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


class User(AbstractUser):
    """A person who signs in. What they may do is given by their `RoleAssignment`s."""

    #: The organisation whose administrator created the account (None: created by a
    #: superuser, the demo or a sign-in service); the account is that organisation's
    #: also before it holds a role there.
    organisation = models.ForeignKey(
        "organisation.Organisation",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("skapad i organisation"),
    )
    # Who created, changed, deactivated or reactivated whom (accounts.services). Never
    # the password, and not the time of each sign-in (the sign-in log has those).
    history = HistoricalRecords(excluded_fields=["password", "last_login"])

    class Meta:
        verbose_name = _("användare")
        verbose_name_plural = _("användare")


class Role(models.TextChoices):
    ADMIN = "admin", _("Administratör")
    PLANNER = "planner", _("Planerare")
    REPORTER = "reporter", _("Rapportör")
    READER = "reader", _("Läsare")
    #: reads everything in its organisation, the history and the sign-in log; changes nothing
    AUDITOR = "auditor", _("Revisor")


class RoleSource(models.TextChoices):
    """Where a role assignment comes from: given by an administrator, or derived from what
    the identity provider said at the last sign-in (replaced at every sign-in)."""

    MANUAL = "manual", _("Tilldelad manuellt")
    SSO = "sso", _("Från inloggningstjänsten")


class RoleAssignment(models.Model):
    """A role held by a user on an organisation unit and everything below it."""

    user = models.ForeignKey(
        User, on_delete=models.CASCADE, related_name="roles", verbose_name=_("användare")
    )
    unit = models.ForeignKey(
        "organisation.OrgUnit",
        on_delete=models.CASCADE,
        related_name="role_assignments",
        verbose_name=_("enhet"),
        help_text=_("Rollen gäller enheten och alla enheter under den."),
    )
    role = models.CharField(_("roll"), max_length=16, choices=Role.choices)
    source = models.CharField(
        _("källa"), max_length=8, choices=RoleSource.choices, default=RoleSource.MANUAL
    )
    # Who granted or revoked which role, when (accounts.services sets the acting user).
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("rolltilldelning")
        verbose_name_plural = _("rolltilldelningar")
        constraints = [
            # The same role may be held both manually and from the identity provider: the
            # provider's is replaced at each sign-in, the manual one stays.
            models.UniqueConstraint(
                fields=["user", "unit", "role", "source"], name="uniq_role_assignment"
            ),
            models.CheckConstraint(
                condition=models.Q(role__in=[r.value for r in Role]), name="role_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} – {self.get_role_display()} – {self.unit}"


class SignInMethod(models.TextChoices):
    PASSWORD = "password", _("Lösenord")
    TOKEN = "token", _("API-nyckel")
    OIDC = "oidc", _("OpenID Connect")
    SAML = "saml", _("SAML")


class SignInOutcome(models.TextChoices):
    SUCCESS = "success", _("Inloggad")
    FAILURE = "failure", _("Misslyckad")
    LOCKED = "locked", _("Spärrad")
    REFUSED = "refused", _("Nekad")
    SIGNED_OUT = "signed_out", _("Utloggad")


class SignInEvent(models.Model):
    """One sign-in, failed sign-in or sign-out: who (or the name tried), when, how, from
    which address, and why it was refused. Written by ``accounts.signin``, never changed;
    administrators and auditors of the organisation read it."""

    at = models.DateTimeField(_("tidpunkt"), auto_now_add=True, db_index=True)
    user = models.ForeignKey(
        User,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="sign_ins",
        verbose_name=_("användare"),
    )
    username = models.CharField(_("angivet användarnamn"), max_length=150, blank=True)
    organisation = models.ForeignKey(
        "organisation.Organisation",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("organisation"),
    )
    method = models.CharField(_("sätt"), max_length=16, choices=SignInMethod.choices)
    outcome = models.CharField(_("utfall"), max_length=16, choices=SignInOutcome.choices)
    provider = models.CharField(_("inloggningstjänst"), max_length=100, blank=True)
    address = models.GenericIPAddressField(_("adress"), null=True, blank=True)
    user_agent = models.CharField(_("webbläsare"), max_length=300, blank=True)
    reason = models.CharField(_("orsak"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("inloggningshändelse")
        verbose_name_plural = _("inloggningslogg")
        ordering = ["-at", "-pk"]
        indexes = [models.Index(fields=["organisation", "-at"], name="signin_org_at")]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.username} {self.get_outcome_display()}"


@receiver(pre_save, sender=User, dispatch_uid="styrkort_user_history_skip_sign_in")
def _skip_history_of_sign_in(sender, instance, update_fields=None, **kwargs):
    """A save of ``last_login`` alone (every sign-in) writes no history row: the history
    says who changed the account, the sign-in log when it signed in."""
    if update_fields is not None and set(update_fields) <= {"last_login"}:
        instance.skip_history_when_saving = True


@receiver(post_save, sender=User, dispatch_uid="styrkort_user_history_skip_end")
def _history_again(sender, instance, **kwargs):
    # Connected after simple-history's own receiver, so it runs after it.
    instance.__dict__.pop("skip_history_when_saving", None)
