"""Write services for accounts and role assignments: who may sign in, and who may do
what on which part of the organisation.

The administration pages, the Django admin and anything else that creates accounts or
hands out roles call these: each needs the admin role (on the unit for a role; for an
account, on the organisation's top unit or on a unit where the person holds a role),
runs in one transaction and records the change in the history with the acting user.
"""

from __future__ import annotations

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import validate_email
from django.utils.translation import gettext as _

from styrkort.organisation.permissions import Action, can, require
from styrkort.writes import acting, delete, save, service

from .models import RoleAssignment, RoleSource, User

__all__ = [
    "create_user",
    "grant_role",
    "local_passwords_allowed",
    "may_manage",
    "revoke_role",
    "set_active",
    "update_user",
]


def _forget_scope(user) -> None:
    """Drop the permission scope cached on the user object (it holds the old roles)."""
    user.__dict__.pop("_styrkort_scope", None)


@service
def grant_role(*, user, target_user, unit, role: str) -> RoleAssignment:
    """Give ``target_user`` the ``role`` on ``unit`` and everything below it. Needs
    ``admin`` on the unit. A role the person already holds there is returned unchanged."""
    require(user, Action.ADMIN, unit)
    existing = RoleAssignment.objects.filter(
        user=target_user, unit=unit, role=role, source=RoleSource.MANUAL
    ).first()
    if existing is not None:
        return existing
    assignment = RoleAssignment(user=target_user, unit=unit, role=role)
    assignment.full_clean()  # ValidationError for a role that does not exist
    save(assignment, user)
    _forget_scope(target_user)
    return assignment


@service
def revoke_role(*, user, assignment: RoleAssignment) -> None:
    """Take a role back. Needs ``admin`` on the assignment's unit; a role from the
    identity provider is replaced at each sign-in and only a superuser removes it."""
    require(user, Action.ADMIN, assignment.unit)
    if assignment.source == RoleSource.SSO and not getattr(user, "is_superuser", True):
        raise ValidationError(
            _("Rollen kommer från inloggningstjänsten och ändras där; den kan inte tas bort här.")
        )
    target = assignment.user
    delete(assignment, user)
    _forget_scope(target)


# --- accounts ------------------------------------------------------------------------


def local_passwords_allowed(organisation) -> bool:
    """Whether the organisation's people may sign in with a password kept here: yes
    without an identity provider, no when an active provider of it says no."""
    from styrkort.identity.models import IdentityProvider

    return not IdentityProvider.objects.filter(
        organisation=organisation, enabled=True, local_passwords_allowed=False
    ).exists()


def may_manage(user, person, organisation) -> bool:
    """May ``user`` change ``person``'s account (name, e-mail, active) as an
    administrator of ``organisation``? A superuser may; else the admin role is needed on
    the organisation's top unit or on every unit where the person holds a role (an
    administrator of a clinic does not deactivate the region's administrator who also
    plans for the clinic), a person without any role must have been created in the
    organisation, a superuser's account is left to superusers, and a person who also
    holds roles in another organisation is left to those who administer both."""
    from styrkort.organisation.services import top_unit

    if getattr(user, "is_superuser", False):
        return True
    if person.is_superuser or not getattr(user, "is_authenticated", False):
        return False
    units = [a.unit for a in RoleAssignment.objects.filter(user=person).select_related("unit")]
    if any(u.organisation_id != organisation.pk and not can(user, Action.ADMIN, u) for u in units):
        return False
    if can(user, Action.ADMIN, top_unit(organisation.pk)):
        return True
    if not units:
        return person.organisation_id == organisation.pk and _admin_somewhere(user, organisation)
    return all(can(user, Action.ADMIN, u) for u in units)


def _admin_somewhere(user, organisation) -> bool:
    from styrkort.organisation.models import OrgUnit
    from styrkort.organisation.permissions import restrict

    units = OrgUnit.objects.filter(organisation=organisation)
    return restrict(units, user, Action.ADMIN, "").exists()


def _require_manage(user, person, organisation) -> None:
    if user is None:
        return  # a trusted system write
    if not may_manage(user, person, organisation):
        raise PermissionDenied(
            _("Du saknar behörighet att ändra kontot %(username)s.")
            % {"username": person.get_username()}
        )


def _clean_person(person: User) -> None:
    """Field rules with Swedish messages naming the field."""
    person.first_name = " ".join((person.first_name or "").split())
    person.last_name = " ".join((person.last_name or "").split())
    person.email = (person.email or "").strip()
    if not person.first_name:
        raise ValidationError({"first_name": _("Ange förnamn.")})
    if not person.last_name:
        raise ValidationError({"last_name": _("Ange efternamn.")})
    if person.email:
        try:
            validate_email(person.email)
        except ValidationError:
            raise ValidationError(
                {"email": _("”%(email)s” är ingen e-postadress.") % {"email": person.email}}
            ) from None
        other = User.objects.filter(email__iexact=person.email).exclude(pk=person.pk).first()
        if other is not None:
            raise ValidationError(
                {
                    "email": _("E-postadressen %(email)s används redan av %(username)s.")
                    % {"email": person.email, "username": other.get_username()}
                }
            )
    if len(person.first_name) > 150 or len(person.last_name) > 150:
        raise ValidationError({"first_name": _("Namnet är för långt (högst 150 tecken).")})


@service
def create_user(
    *,
    user,
    organisation,
    username: str,
    first_name: str,
    last_name: str,
    email: str = "",
    password: str | None = None,
) -> User:
    """A new account in ``organisation``: with a local password (checked by Django's
    password validators) where the organisation allows them, else without one (it signs
    in through the organisation's identity provider). Needs the admin role on a unit of
    the organisation; roles are given afterwards with ``grant_role``."""
    if user is not None and not (
        getattr(user, "is_superuser", False) or _admin_somewhere(user, organisation)
    ):
        raise PermissionDenied(
            _("Du saknar behörighet att skapa konton i %(organisation)s.")
            % {"organisation": organisation.name}
        )
    username = (username or "").strip()
    if not username:
        raise ValidationError({"username": _("Ange ett användarnamn.")})
    if User.objects.filter(username__iexact=username).exists():
        raise ValidationError(
            {"username": _("Användarnamnet %(username)s är upptaget.") % {"username": username}}
        )
    person = User(
        username=username,
        first_name=first_name,
        last_name=last_name,
        email=email,
        organisation=organisation,
    )
    _clean_person(person)
    try:
        person.full_clean(exclude=["password", "organisation"])
    except ValidationError as exc:
        if "username" in exc.message_dict:
            raise ValidationError(
                {
                    "username": _(
                        "Användarnamnet får bara innehålla bokstäver, siffror och "
                        "tecknen @ . + - _ (högst 150 tecken)."
                    )
                }
            ) from None
        raise
    if password:
        if not local_passwords_allowed(organisation):
            raise ValidationError(
                {
                    "password": _(
                        "%(organisation)s tillåter inte lokala lösenord: kontot loggar in "
                        "via inloggningstjänsten."
                    )
                    % {"organisation": organisation.name}
                }
            )
        try:
            validate_password(password, person)
        except ValidationError as exc:
            raise ValidationError({"password": exc.messages}) from None
        person.set_password(password)
    else:
        person.set_unusable_password()
    save(person, user)
    return person


@service
def update_user(*, user, organisation, person: User, **fields) -> User:
    """Change a person's first name, last name or e-mail address. Needs ``may_manage``."""
    unknown = set(fields) - {"first_name", "last_name", "email"}
    if unknown:
        raise ValueError(f"unknown user fields: {sorted(unknown)}")
    _require_manage(user, person, organisation)
    for name, value in fields.items():
        setattr(person, name, value)
    _clean_person(person)
    save(person, user)
    return person


@service
def set_active(*, user, organisation, person: User, active: bool) -> User:
    """Deactivate an account (it can no longer sign in and its API tokens end, see
    ``accounts.signals``) or reactivate it. Needs ``may_manage``; nobody deactivates
    their own account."""
    _require_manage(user, person, organisation)
    if not active and acting(user) is not None and user.pk == person.pk:
        raise ValidationError({"is_active": _("Du kan inte inaktivera ditt eget konto.")})
    if person.is_active == active:
        return person
    person.is_active = active
    save(person, user)
    return person
