"""API tokens (django-rest-knox): issued, listed and revoked.

Only a SHA-512 hash of a token is stored (knox's ``AuthToken``: digest, the token's first
characters as a lookup key, the owner, created, expiry); the token itself is shown once,
when it is issued. A token expires after ``STYRKORT_API_TOKEN_DAYS`` and ends when its
owner revokes it, an administrator deletes it, the owner's password changes or the
account is deactivated (``styrkort.accounts.signals``). The web page "Mina API-nycklar"
and the API's /api/tokens/ call the functions here; ``styrkort.api.tokens`` checks a
token on each request.

A token is named outside this module by ``token_id``: the first characters of its hash,
which say nothing about the token itself; ``prefix`` (its first characters) is shown so
that the owner can tell which one is which.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.utils import timezone
from knox.models import AuthToken
from knox.settings import knox_settings

ID_LENGTH = 16
PREFIX_LENGTH = 8


@dataclass(frozen=True)
class TokenInfo:
    """One of a person's tokens, as the owner sees it (never the token itself)."""

    token_id: str
    prefix: str
    created: datetime
    expiry: datetime | None

    @classmethod
    def of(cls, token: AuthToken) -> TokenInfo:
        return cls(
            token_id=token.digest[:ID_LENGTH],
            prefix=token.token_key[:PREFIX_LENGTH],
            created=token.created,
            expiry=token.expiry,
        )


def issue_token(user) -> tuple[str, AuthToken]:
    """A new token for ``user``, valid for STYRKORT_API_TOKEN_DAYS: the token text (shown
    once, never stored) and its stored row."""
    row, text = AuthToken.objects.create(user=user, expiry=knox_settings.TOKEN_TTL)
    return text, row


def live_tokens(user):
    """``user``'s tokens that have not expired, newest first."""
    now = timezone.now()
    return (
        AuthToken.objects.filter(user=user).exclude(expiry__lte=now).order_by("-created", "digest")
    )


def list_tokens(user) -> list[TokenInfo]:
    """The tokens ``user`` holds, newest first (expired ones are deleted on the way)."""
    AuthToken.objects.filter(user=user, expiry__lte=timezone.now()).delete()
    return [TokenInfo.of(token) for token in live_tokens(user)]


def revoke_token(user, token_id: str) -> bool:
    """Delete ``user``'s token named ``token_id``; False if ``user`` has no such token."""
    if len(token_id) != ID_LENGTH or not token_id.isalnum():
        return False
    deleted, _rows = AuthToken.objects.filter(user=user, digest__startswith=token_id).delete()
    return deleted > 0


def revoke_all_tokens(user) -> int:
    """Delete every token of ``user`` (sign out everywhere); returns how many."""
    deleted, _rows = AuthToken.objects.filter(user=user).delete()
    return deleted


def token_id_of(token: AuthToken) -> str:
    return token.digest[:ID_LENGTH]
