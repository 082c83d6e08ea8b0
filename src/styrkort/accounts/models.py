"""Users and their roles on organisation subtrees."""

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


class User(AbstractUser):
    """A person who signs in. What they may do is given by their `RoleAssignment`s."""

    class Meta:
        verbose_name = _("användare")
        verbose_name_plural = _("användare")


class Role(models.TextChoices):
    ADMIN = "admin", _("Administratör")
    PLANNER = "planner", _("Planerare")
    REPORTER = "reporter", _("Rapportör")
    READER = "reader", _("Läsare")


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
    # Who granted or revoked which role, when (accounts.services sets the acting user).
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("rolltilldelning")
        verbose_name_plural = _("rolltilldelningar")
        constraints = [
            models.UniqueConstraint(fields=["user", "unit", "role"], name="uniq_role_assignment"),
            models.CheckConstraint(
                condition=models.Q(role__in=[r.value for r in Role]), name="role_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} – {self.get_role_display()} – {self.unit}"
