"""A second factor for local accounts: a code from an authenticator app (TOTP, RFC 6238)
or one of ten single-use recovery codes, for administrators and planners of an
organisation that requires it (``Organisation.require_second_factor``).

django-otp keeps the devices and verifies the codes (with its own throttling of wrong
codes); this module decides who needs a second factor, sets up and checks it, and holds
a signed-in person who still owes one to the second-factor pages. A person who signs in
through an identity provider owes none here: the provider decides how they identify
(SITHS card, Freja eID, Entra ID's own multi-factor).
"""

from __future__ import annotations

from urllib.parse import urlencode

import django_otp
from django.contrib.auth import user_logged_in
from django.db import transaction
from django.dispatch import receiver
from django.http import JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from .models import Role, RoleAssignment

__all__ = [
    "RECOVERY_CODES",
    "SecondFactorMiddleware",
    "confirm_totp",
    "has_second_factor",
    "matching_device",
    "new_recovery_codes",
    "pending_totp",
    "requires_second_factor",
    "token_refusal",
    "verify",
]

#: how many recovery codes a person gets (each works once)
RECOVERY_CODES = 10
#: the session key that marks a sign-in which still owes its second factor
SESSION_KEY = "styrkort_second_factor"
#: roles that need a second factor where the organisation requires one
ROLES = (Role.ADMIN, Role.PLANNER)
#: paths a person who owes a second factor may still open
EXEMPT = ("/logga-in/", "/logga-ut/", "/static/", "/halsa/", "/tillganglighet/", "/i18n/")
PASSWORD_BACKENDS = ("styrkort.accounts.backends.UserBackend",)


def requires_second_factor(user) -> bool:
    """Whether this local account needs a second factor: an administrator or planner
    (given by hand) of an organisation that requires one, or a superuser where any
    organisation does. Accounts without a password (single sign-on only) never do."""
    from styrkort.organisation.models import Organisation

    if not user.is_authenticated or not user.has_usable_password():
        return False
    if user.is_superuser:
        return Organisation.objects.filter(require_second_factor=True).exists()
    return RoleAssignment.objects.filter(
        user=user, role__in=ROLES, unit__organisation__require_second_factor=True
    ).exists()


def has_second_factor(user) -> bool:
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def pending_totp(user) -> TOTPDevice:
    """The authenticator app being set up (created unconfirmed, kept until confirmed)."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    return device or TOTPDevice.objects.create(user=user, name="Styrkort", confirmed=False)


@transaction.atomic
def new_recovery_codes(user) -> list[str]:
    """Ten new recovery codes; the old ones stop working. Shown once, stored as the
    device's tokens."""
    device, _created = StaticDevice.objects.get_or_create(
        user=user, name="Återställningskoder", defaults={"confirmed": True}
    )
    device.token_set.all().delete()
    codes = [StaticToken.random_token() for _ in range(RECOVERY_CODES)]
    StaticToken.objects.bulk_create([StaticToken(device=device, token=c) for c in codes])
    return codes


def _clean(code: str) -> str:
    return "".join((code or "").split()).lower()


def confirm_totp(request, code: str) -> list[str] | None:
    """Confirm the app being set up with a code from it: the person is then verified for
    this session and gets their recovery codes (returned). None for a wrong code. The old
    app and codes are replaced by the new ones in one transaction, never half."""
    device = pending_totp(request.user)
    if not device.verify_token(_clean(code)):
        return None
    with transaction.atomic():
        TOTPDevice.objects.filter(user=request.user, confirmed=True).delete()
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        codes = new_recovery_codes(request.user)
    django_otp.login(request, device)
    request.session.pop(SESSION_KEY, None)
    return codes


def matching_device(user, code: str):
    """The device a code from the app or a recovery code belongs to (a recovery code is
    then used up), or None."""
    code = _clean(code)
    if not code:
        return None
    for device in django_otp.devices_for_user(user, confirmed=True):
        if device.verify_token(code):
            return device
    return None


def verify(request, code: str) -> bool:
    """Check a code for the signed-in person and mark the session verified."""
    device = matching_device(request.user, code)
    if device is None:
        return False
    django_otp.login(request, device)
    request.session.pop(SESSION_KEY, None)
    return True


def token_refusal(user, code: str) -> str | None:
    """Why /api/token/ gives this person no token without more (None: it may): someone
    who needs a second factor sends a code from the app (or a recovery code) as `code`."""
    if not requires_second_factor(user):
        return None
    if not has_second_factor(user):
        return _("Ställ in tvåstegsverifiering i webbläsaren innan du hämtar en API-nyckel.")
    if not (code or "").strip():
        return _("Ange koden från din autentiseringsapp i fältet code.")
    if matching_device(user, code) is None:
        return _("Koden stämmer inte eller har redan använts.")
    return None


@receiver(user_logged_in, dispatch_uid="styrkort-second-factor")
def _mark_sign_in(sender, request, user, **kwargs):
    if request is None or not hasattr(request, "session") or request.path.startswith("/api/"):
        return  # /api/token/ asks for the code itself (token_refusal)
    if getattr(user, "backend", "") in PASSWORD_BACKENDS and requires_second_factor(user):
        request.session[SESSION_KEY] = True


class SecondFactorMiddleware:
    """Holds a person who signed in with a password and still owes a second factor to the
    second-factor pages (set it up first if they have none); the API answers 403."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        session = getattr(request, "session", None)
        if (
            session is not None
            and session.get(SESSION_KEY)
            and request.user.is_authenticated
            and not request.user.is_verified()
            and not request.path.startswith(EXEMPT)
        ):
            if request.path.startswith("/api/"):
                message = _("Ange koden från din autentiseringsapp i webbläsaren först.")
                return JsonResponse({"detail": message}, status=403)
            name = "second_factor" if has_second_factor(request.user) else "second_factor_setup"
            query = urlencode({"next": request.get_full_path()})
            return redirect(f"{reverse(name)}?{query}")
        return self.get_response(request)
