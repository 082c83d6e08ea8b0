"""The writes of single sign-on: an account at sign-in (created, its provider roles
replaced, or deactivated), and the providers and role rules an administrator configures.

What is done at a sign-in is decided by the pure rules (``identity.rules``); these
functions read the rows and write what was decided, in one transaction.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from styrkort.accounts.models import RoleAssignment, RoleSource
from styrkort.organisation.models import OrgUnit
from styrkort.organisation.permissions import Action, require
from styrkort.organisation.services import top_unit
from styrkort.writes import change_reason, delete, save, service

from . import addresses, rules
from .models import ExternalIdentity, IdentityProvider, RoleRule, SamlMessage

PROVIDER_FIELDS = (
    "name",
    "slug",
    "protocol",
    "enabled",
    "issuer",
    "client_id",
    "client_secret",
    "scopes",
    "metadata_xml",
    "metadata_url",
    "identifier_claim",
    "email_claim",
    "first_name_claim",
    "last_name_claim",
    "local_passwords_allowed",
)


class SignInRefused(Exception):
    """A sign-in that may not go through: `message` for the person (Swedish), `reason`
    for the sign-in log."""

    def __init__(self, message: str, reason: str, *, username: str = "", user=None):
        super().__init__(message)
        self.message, self.reason, self.username, self.user = message, reason, username, user


@dataclass
class SignInOutcome:
    """The result of ``sign_in``: the account to sign in, or the refusal (the account
    deactivated by it, if one was)."""

    user: object | None
    refusal: SignInRefused | None = None


def _rules_of(provider: IdentityProvider) -> list[rules.Rule]:
    return [
        rules.Rule(r.claim, r.value, r.unit_id, r.role)
        for r in provider.role_rules.filter(unit__organisation_id=provider.organisation_id)
    ]


def sign_in(*, user=None, provider: IdentityProvider, claims: dict) -> SignInOutcome:
    """``apply_sign_in``, tried once more when a concurrent sign-in of the same person
    created their account or link first (IntegrityError): the second try finds it."""
    try:
        return apply_sign_in(user=user, provider=provider, claims=claims)
    except IntegrityError:
        pass
    try:
        return apply_sign_in(user=user, provider=provider, claims=claims)
    except IntegrityError:
        return SignInOutcome(
            None,
            SignInRefused(
                _("Inloggningen kunde inte slutföras just nu. Försök igen."),
                "samtidig inloggning: kontot kunde inte skapas",
            ),
        )


@service
def apply_sign_in(*, user=None, provider: IdentityProvider, claims: dict) -> SignInOutcome:
    """Apply what `provider` says about a person (`claims`, as received) to their account.

    Creates the account at the first sign-in (name and e-mail from the claims, a unique
    username from the identifier, no password); replaces its roles from the provider by
    what the rules give now (manual roles untouched); deactivates an existing account
    the provider no longer vouches for (it says the account is disabled, or the claims
    give no role); refuses, creating nothing, a new person whose claims give no role.
    Personal identity numbers are dropped before anything is read (``rules.normalise``).
    `user` is the acting user: None (the provider acts)."""
    said = rules.normalise(claims)
    problem = rules.identifier_problem(provider.identifier_claim)
    if problem:
        return SignInOutcome(None, SignInRefused(problem, "otillåtet identifierande attribut"))
    subject = rules.first(said, provider.identifier_claim)[:300]
    if not subject:
        return SignInOutcome(
            None,
            SignInRefused(
                _("Inloggningstjänsten skickade inte attributet %(claim)s som identifierar dig.")
                % {"claim": provider.identifier_claim},
                f"saknar {provider.identifier_claim}"[:300],
            ),
        )
    link = (
        ExternalIdentity.objects.select_related("user")
        .filter(provider=provider, subject=subject)
        .first()
    )
    account = link.user if link else None
    granted = rules.roles_for(said, _rules_of(provider))
    decision = rules.decide(
        existing=account is not None,
        active=bool(account and account.is_active),
        roles=granted,
        disabled=rules.says_disabled(said),
    )
    change_reason(_("Inloggning via %(provider)s") % {"provider": provider.name})
    if decision == rules.Decision.REFUSE:
        return SignInOutcome(
            None,
            SignInRefused(
                _(
                    "Du har ingen roll i Styrkort enligt inloggningstjänsten %(provider)s. "
                    "Kontakta din administratör om du behöver behörighet."
                )
                % {"provider": provider.name},
                "uppgifterna ger ingen roll på någon enhet",
                username=subject,
            ),
        )
    if decision == rules.Decision.INACTIVE:
        return SignInOutcome(
            None,
            SignInRefused(
                _("Ditt konto i Styrkort är inaktiverat. Kontakta din administratör."),
                "kontot är inaktiverat",
                user=account,
            ),
        )
    if decision == rules.Decision.DEACTIVATE:
        _replace_roles(account, set())
        account.is_active = False
        account.save(update_fields=["is_active"])
        return SignInOutcome(
            None,
            SignInRefused(
                _(
                    "Inloggningstjänsten %(provider)s ger dig inte längre någon roll i "
                    "Styrkort, så ditt konto har inaktiverats. Kontakta din administratör "
                    "om det är fel."
                )
                % {"provider": provider.name},
                "inaktiverat: inloggningstjänsten ger ingen roll längre",
                user=account,
            ),
        )
    if account is None:
        account = _create_account(provider, subject, said)
        link = ExternalIdentity(provider=provider, subject=subject, user=account)
    else:
        _update_names(account, provider, said)
    link.last_seen = timezone.now()
    link.save()
    _replace_roles(account, granted)
    return SignInOutcome(account)


def _names(provider, said) -> dict:
    return {
        "first_name": rules.first(said, provider.first_name_claim)[:150],
        "last_name": rules.first(said, provider.last_name_claim)[:150],
        "email": rules.first(said, provider.email_claim)[:254],
    }


def _create_account(provider, subject: str, said):
    model = get_user_model()
    base = rules.username_from(subject)
    taken = model.objects.filter(username__istartswith=base).values_list("username", flat=True)
    account = model(username=rules.username_from(subject, taken), **_names(provider, said))
    account.set_unusable_password()
    account.save()
    return account


def _update_names(account, provider, said) -> None:
    changed = [
        name for name, value in _names(provider, said).items()
        if value and getattr(account, name) != value
    ]  # fmt: skip
    for name in changed:
        setattr(account, name, _names(provider, said)[name])
    if changed:
        account.save(update_fields=changed)


def _replace_roles(account, granted: set[tuple[int, str]]) -> None:
    """The account's provider roles become `granted`; its manual roles stay."""
    held = {
        (a.unit_id, a.role): a
        for a in RoleAssignment.objects.filter(user=account, source=RoleSource.SSO)
    }
    for key, assignment in held.items():
        if key not in granted:
            delete(assignment, None)
    for unit_id, role in sorted(granted - held.keys()):
        save(RoleAssignment(user=account, unit_id=unit_id, role=role, source=RoleSource.SSO), None)


# --- SAML message ids: requests we are waiting for an answer to, assertions seen -----------


@service
def expect_saml_answer(*, user=None, provider, request_id: str, next_url: str) -> None:
    """Remember an AuthnRequest sent, to accept only answers to it (InResponseTo)."""
    SamlMessage.objects.filter(expires_at__lt=timezone.now()).delete()
    SamlMessage.objects.create(
        provider=provider,
        message_id=request_id,
        kind=SamlMessage.Kind.REQUEST,
        next_url=next_url[:500],
        expires_at=timezone.now() + timezone.timedelta(minutes=15),
    )


def saml_request(*, provider, request_id: str) -> SamlMessage | None:
    """The AuthnRequest `request_id` if it is outstanding. Only read: it is consumed by
    ``accept_saml_answer`` once its answer has been validated, so that a garbled answer
    posted by whoever saw the RelayState does not burn it."""
    if not request_id:
        return None
    return SamlMessage.objects.filter(
        provider=provider,
        message_id=request_id,
        kind=SamlMessage.Kind.REQUEST,
        expires_at__gte=timezone.now(),
    ).first()


@service
def accept_saml_answer(*, user=None, provider, request_id: str, assertion_id: str, until) -> bool:
    """Consume the AuthnRequest `request_id` and remember assertion `assertion_id` until
    `until` (its NotOnOrAfter), in one transaction, after the answer was validated.
    False, with nothing changed, when the assertion was used before (replay) or the
    request was answered meanwhile (two posts of the same answer at once)."""
    if SamlMessage.objects.filter(
        provider=provider, message_id=assertion_id, kind=SamlMessage.Kind.ASSERTION
    ).exists():
        return False
    consumed, _by_kind = SamlMessage.objects.filter(
        provider=provider, message_id=request_id, kind=SamlMessage.Kind.REQUEST
    ).delete()
    if not consumed:
        return False
    try:
        with transaction.atomic():
            SamlMessage.objects.create(
                provider=provider,
                message_id=assertion_id,
                kind=SamlMessage.Kind.ASSERTION,
                expires_at=until,
            )
    except IntegrityError:  # the same assertion, posted twice at once
        transaction.set_rollback(True)
        return False
    return True


# --- configuration by an organisation's administrator ---------------------------------------


def require_admin(user, organisation_id: int) -> None:
    """Configuring sign-in needs the administrator role on the organisation's top unit."""
    require(user, Action.ADMIN, top_unit(organisation_id))


def provider_problems(provider: IdentityProvider) -> dict[str, str]:
    """What is wrong with a provider's settings, by field, in Swedish."""
    errors = {}
    problem = rules.identifier_problem(provider.identifier_claim)
    if problem:
        errors["identifier_claim"] = problem
    for name in ("email_claim", "first_name_claim", "last_name_claim"):
        if rules.is_personal_number_name(getattr(provider, name)):
            errors[name] = _("Personnummer lagras aldrig i Styrkort: välj ett annat attribut.")
    if provider.protocol == "oidc":
        for name, label in (("issuer", _("Utfärdare")), ("client_id", _("Klient-id"))):
            if not getattr(provider, name).strip():
                errors[name] = _("%(field)s behövs för OpenID Connect.") % {"field": label}
    for name in ("issuer", "metadata_url"):
        bad = addresses.problem(getattr(provider, name).strip(), resolve_required=False)
        if bad and name not in errors:
            errors[name] = bad
    if provider.protocol == "saml" and not (
        provider.metadata_xml.strip() or provider.metadata_url.strip()
    ):
        errors["metadata_xml"] = _("Ange leverantörens metadata (XML) eller en metadata-adress.")
    return errors


def _check_provider(provider: IdentityProvider) -> None:
    errors = provider_problems(provider)
    if errors:
        raise ValidationError(errors)


@service
def save_provider(*, user, provider: IdentityProvider) -> IdentityProvider:
    """Create or change an identity provider of an organisation."""
    require_admin(user, provider.organisation_id)
    if provider.pk:
        stored = IdentityProvider.objects.get(pk=provider.pk)
        if stored.organisation_id != provider.organisation_id:
            require_admin(user, stored.organisation_id)
    _check_provider(provider)
    save(provider, user)
    return provider


@service
def save_rule(*, user, rule: RoleRule) -> RoleRule:
    """Create or change a role rule; its unit must belong to the provider's organisation."""
    require_admin(user, rule.provider.organisation_id)
    unit = OrgUnit.objects.get(pk=rule.unit_id)
    if unit.organisation_id != rule.provider.organisation_id:
        raise ValidationError({"unit": _("Enheten hör inte till organisationen.")})
    if not rule.claim.strip():
        raise ValidationError({"claim": _("Ange anspråk eller attribut.")})
    if rules.is_personal_number_name(rule.claim) or rules.is_personal_identity_number(rule.value):
        raise ValidationError({"claim": _("Personnummer kan inte användas i rollregler.")})
    duplicate = RoleRule.objects.filter(
        provider=rule.provider,
        claim=rule.claim.strip(),
        value=rule.value.strip(),
        unit_id=rule.unit_id,
        role=rule.role,
    ).exclude(pk=rule.pk)
    if duplicate.exists():
        raise ValidationError({"value": _("Det finns redan en likadan regel.")})
    rule.claim, rule.value = rule.claim.strip(), rule.value.strip()
    save(rule, user)
    return rule


@service
def delete_rule(*, user, rule: RoleRule) -> None:
    require_admin(user, rule.provider.organisation_id)
    delete(rule, user)


def password_refused(user) -> bool:
    """Whether `user` may not sign in with a password: they hold a role in an organisation
    whose enabled identity provider does not allow local passwords. Superusers always
    may (the way in when the provider is down)."""
    if user is None or user.is_superuser:
        return False
    organisations = RoleAssignment.objects.filter(user=user).values("unit__organisation_id")
    return IdentityProvider.objects.filter(
        organisation_id__in=organisations, enabled=True, local_passwords_allowed=False
    ).exists()
