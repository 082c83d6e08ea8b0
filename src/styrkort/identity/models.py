"""Single sign-on, configured per organisation: the identity providers (OIDC or SAML 2.0)
an organisation's staff sign in through, which claim or attribute identifies a person,
the rules that turn what the provider says into role assignments on units, and the link
between an account and the person at a provider.

Roles that come from a provider are ``RoleAssignment``s with source ``sso``, replaced at
each sign-in from the rules; roles given by hand (source ``manual``) are kept apart."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from styrkort.accounts.models import Role


class Protocol(models.TextChoices):
    OIDC = "oidc", _("OpenID Connect")
    SAML = "saml", _("SAML 2.0")


class IdentityProvider(models.Model):
    """One identity provider of one organisation (Inera IdP, Entra ID, Freja eID, ...)."""

    organisation = models.ForeignKey(
        "organisation.Organisation",
        on_delete=models.CASCADE,
        related_name="identity_providers",
        verbose_name=_("organisation"),
    )
    slug = models.SlugField(
        _("kod"),
        max_length=50,
        unique=True,
        help_text=_("Ingår i inloggningsadressen, t.ex. nll-siths."),
    )
    name = models.CharField(
        _("namn"), max_length=100, help_text=_("Visas på inloggningssidan, t.ex. SITHS-kort.")
    )
    protocol = models.CharField(_("protokoll"), max_length=8, choices=Protocol.choices)
    enabled = models.BooleanField(_("aktiv"), default=True)
    # OpenID Connect
    issuer = models.URLField(
        _("utfärdare (issuer)"),
        blank=True,
        help_text=_(
            "OIDC: leverantörens adress; inställningarna hämtas från "
            "/.well-known/openid-configuration."
        ),
    )
    client_id = models.CharField(_("klient-id"), max_length=200, blank=True)
    client_secret = models.CharField(_("klienthemlighet"), max_length=500, blank=True)
    scopes = models.CharField(
        _("omfång (scopes)"), max_length=300, default="openid profile email", blank=True
    )
    # SAML 2.0
    metadata_xml = models.TextField(
        _("metadata (XML)"), blank=True, help_text=_("SAML: identitetsleverantörens metadata.")
    )
    metadata_url = models.URLField(_("metadata-adress"), blank=True)
    # Who the person is and what they are called
    identifier_claim = models.CharField(
        _("identifierande attribut"),
        max_length=200,
        default="sub",
        help_text=_(
            "Det anspråk eller attribut som identifierar personen, t.ex. "
            "employeeHsaId, email eller sub."
        ),
    )
    email_claim = models.CharField(_("attribut för e-post"), max_length=200, default="email")
    first_name_claim = models.CharField(
        _("attribut för förnamn"), max_length=200, default="given_name"
    )
    last_name_claim = models.CharField(
        _("attribut för efternamn"), max_length=200, default="family_name"
    )
    local_passwords_allowed = models.BooleanField(
        _("lokala lösenord tillåtna"),
        default=True,
        help_text=_("Om organisationens personer också får logga in med lösenord."),
    )
    # The client secret is not copied into the history (the Django admin shows it).
    history = HistoricalRecords(excluded_fields=["client_secret"])

    class Meta:
        verbose_name = _("inloggningstjänst")
        verbose_name_plural = _("inloggningstjänster")
        ordering = ["organisation", "name"]

    def __str__(self) -> str:
        return self.name


class RoleRule(models.Model):
    """If the claim or attribute ``claim`` holds ``value`` (one of its values), the person
    gets ``role`` on ``unit`` (and everything below it)."""

    provider = models.ForeignKey(
        IdentityProvider,
        on_delete=models.CASCADE,
        related_name="role_rules",
        verbose_name=_("inloggningstjänst"),
    )
    claim = models.CharField(
        _("anspråk eller attribut"),
        max_length=200,
        help_text=_("T.ex. groups, hsaCommissionPurpose eller en enhetskod."),
    )
    value = models.CharField(_("värde"), max_length=300)
    unit = models.ForeignKey(
        "organisation.OrgUnit",
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("enhet"),
    )
    role = models.CharField(_("roll"), max_length=16, choices=Role.choices)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("rollregel")
        verbose_name_plural = _("rollregler")
        ordering = ["provider", "claim", "value", "unit__path", "role"]
        constraints = [
            models.UniqueConstraint(
                fields=["provider", "claim", "value", "unit", "role"], name="uniq_role_rule"
            )
        ]

    def __str__(self) -> str:
        return f"{self.claim}={self.value} → {self.get_role_display()} ({self.unit})"


class ExternalIdentity(models.Model):
    """The account a person at a provider signs in to: the provider's identifier for them
    (never a personal identity number)."""

    provider = models.ForeignKey(
        IdentityProvider,
        on_delete=models.PROTECT,
        related_name="identities",
        verbose_name=_("inloggningstjänst"),
    )
    subject = models.CharField(_("identifierare"), max_length=300)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="external_identities",
        verbose_name=_("användare"),
    )
    first_seen = models.DateTimeField(_("första inloggning"), auto_now_add=True)
    last_seen = models.DateTimeField(_("senaste inloggning"), null=True, blank=True)

    class Meta:
        verbose_name = _("extern identitet")
        verbose_name_plural = _("externa identiteter")
        constraints = [
            models.UniqueConstraint(fields=["provider", "subject"], name="uniq_external_identity")
        ]

    def __str__(self) -> str:
        return f"{self.provider}: {self.subject}"


class SamlMessage(models.Model):
    """A SAML message id remembered for a while: an AuthnRequest we sent and accept one
    answer to (InResponseTo), or an assertion already used (a replay is refused). Rows
    are kept until they expire; a SAML answer arrives as a cross-site POST without the
    session's cookie, so this cannot live in the session."""

    class Kind(models.TextChoices):
        REQUEST = "request", _("begäran")
        ASSERTION = "assertion", _("intyg")

    provider = models.ForeignKey(
        IdentityProvider, on_delete=models.CASCADE, related_name="+", verbose_name=_("tjänst")
    )
    kind = models.CharField(_("slag"), max_length=10, choices=Kind.choices)
    message_id = models.CharField(_("id"), max_length=200)
    next_url = models.CharField(_("nästa sida"), max_length=500, blank=True)
    expires_at = models.DateTimeField(_("gäller till"), db_index=True)

    class Meta:
        verbose_name = _("SAML-meddelande")
        verbose_name_plural = _("SAML-meddelanden")
        constraints = [
            models.UniqueConstraint(
                fields=["provider", "kind", "message_id"], name="uniq_saml_message"
            )
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.message_id}"
