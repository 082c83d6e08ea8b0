"""Local passwords where the organisation's identity provider does not allow them."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext_lazy as _

from . import services

#: The login page's message when a right password is refused by the policy.
PASSWORD_REFUSED = _(
    "Din organisation loggar in via sin inloggningstjänst, inte med lösenord. Välj "
    "”Logga in med …” ovan."
)


class PasswordPolicyBackend:
    """Stops a password sign-in (the login page and the API's token endpoint alike) of a
    person whose organisation's identity provider does not allow local passwords.

    It runs before the password backend: for such a person with the right password it
    raises PermissionDenied, which ends the authentication as a failure, and marks the
    request so that the login page can say why. A wrong password is left to the password
    backend, so that nothing about the account is revealed."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        if not username or password is None:
            return None
        user = get_user_model().objects.filter(username=username).first()
        if user is None or not user.is_active or not services.password_refused(user):
            return None
        if not user.check_password(password):
            return None
        if request is not None:
            request.styrkort_password_refused = True
        raise PermissionDenied("local passwords not allowed")

    # No get_user: the session's user is loaded by the backend that signed it in (the
    # test client's force_login also takes the first backend that has one).
