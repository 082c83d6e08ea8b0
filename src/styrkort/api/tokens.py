"""API tokens on each request: knox's `Authorization: Token <token>` check with Swedish
messages, and its name in the OpenAPI schema. Issuing, listing and revoking tokens is
``styrkort.accounts.tokens``."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.plumbing import build_bearer_security_scheme_object
from knox.auth import TokenAuthentication as KnoxTokenAuthentication
from rest_framework import exceptions

from styrkort.accounts.tokens import issue_token  # noqa: F401  (callers of the API module)


class InactiveAccount(exceptions.AuthenticationFailed):
    default_detail = _("Kontot är inaktiverat.")


class TokenAuthentication(KnoxTokenAuthentication):
    """knox's `Authorization: Token <token>` check (hash compared, expired tokens deleted,
    inactive owners refused) with its messages in Swedish: 401 for each refusal."""

    def authenticate(self, request):
        try:
            return super().authenticate(request)
        except InactiveAccount:
            raise
        except exceptions.AuthenticationFailed:
            raise exceptions.AuthenticationFailed(
                _("Ogiltig eller utgången API-nyckel. Hämta en ny med POST /api/token/.")
            ) from None

    def validate_user(self, auth_token):
        if not auth_token.user.is_active:
            raise InactiveAccount()
        return (auth_token.user, auth_token)


class TokenScheme(OpenApiAuthenticationExtension):
    """The OpenAPI schema's name for this authentication: `Authorization: Token <token>`."""

    target_class = "styrkort.api.tokens.TokenAuthentication"
    name = "tokenAuth"

    def get_security_definition(self, auto_schema):
        return build_bearer_security_scheme_object(
            header_name="Authorization", token_prefix="Token"
        )
