"""OpenID Connect sign-in (authorisation code flow with PKCE) against a provider
configured in an ``IdentityProvider`` row, with Authlib: discovery, the authorisation
request (state, nonce, S256 code challenge), the code exchange, and the ID token's
signature (the provider's JWKS, asymmetric algorithms only) and claims (iss, aud, exp,
iat, nonce, azp) checked with joserfc, Authlib's JOSE library; the UserInfo answer is
merged when the provider has one (some providers put groups and names only there).

Every failure raises ``OIDCError`` with a Swedish message for the person and a short
reason for the sign-in log.
"""

from __future__ import annotations

import time

import requests
from authlib.common.errors import AuthlibBaseError as OAuthError
from authlib.common.security import generate_token
from authlib.integrations.requests_client import OAuth2Session
from django.core.cache import cache
from joserfc import jwt
from joserfc.errors import JoseError
from joserfc.jwk import KeySet

from . import addresses, rules

TIMEOUT = 10  # seconds for each call to the provider
LEEWAY = 60  # seconds of clock difference accepted on exp and iat
#: Only asymmetric signatures: an HMAC "signature" keyed with the client secret, or none,
#: would let anyone who knows the secret (or no one) mint tokens.
ALGORITHMS = ["RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES384", "ES512"]


class OIDCError(Exception):
    def __init__(self, message: str, reason: str):
        super().__init__(message)
        self.message, self.reason = message, reason


def _check_address(url: object, what: str) -> str:
    """`url` if Styrkort may fetch from it (``identity.addresses``), else OIDCError."""
    bad = (
        "en adress saknas"
        if not isinstance(url, str) or not url
        else addresses.problem(url, resolve_required=True)
    )
    if bad:
        raise OIDCError(
            "Inloggningstjänsten är felaktigt inställd (adress). Kontakta din administratör.",
            f"{what}: adressen godtas inte ({bad}): {str(url)[:100]}",
        )
    return url


def _get_json(url: str, what: str) -> dict:
    _check_address(url, what)
    try:
        response = addresses.get(url, timeout=TIMEOUT, headers={"Accept": "application/json"})
        response.raise_for_status()
        found = response.json()
    except addresses.Refused as error:
        raise OIDCError(
            "Inloggningstjänsten är felaktigt inställd (adress). Kontakta din administratör.",
            f"{what}: {error}",
        ) from error
    except (requests.RequestException, ValueError) as error:
        raise OIDCError(
            "Inloggningstjänsten svarar inte just nu. Försök igen om en stund.",
            f"{what}: {error.__class__.__name__}",
        ) from error
    if not isinstance(found, dict):
        raise OIDCError(_MISCONFIGURED, f"{what}: svaret är inget JSON-objekt")
    return found


_MISCONFIGURED = "Inloggningstjänsten är felaktigt inställd. Kontakta din administratör."


def _endpoint(config: dict, name: str) -> str:
    """The address `name` of the provider's configuration, or OIDCError when it lacks it."""
    url = config.get(name)
    if not isinstance(url, str) or not url.startswith(("https://", "http://")):
        raise OIDCError(_MISCONFIGURED, f"discovery saknar {name}")
    return url


def discovery(provider) -> dict:
    """The provider's configuration (``/.well-known/openid-configuration``), cached for
    ten minutes; its issuer must be exactly the configured one."""
    issuer = provider.issuer.rstrip("/")
    key = f"identity:oidc:discovery:{issuer}"
    found = cache.get(key)
    if found is None:
        found = _get_json(f"{issuer}/.well-known/openid-configuration", "discovery")
        if str(found.get("issuer", "")).rstrip("/") != issuer:
            raise OIDCError(
                "Inloggningstjänsten är felaktigt inställd (fel utfärdare). Kontakta din "
                "administratör.",
                f"fel utfärdare i discovery: {str(found.get('issuer'))[:100]}",
            )
        cache.set(key, found, 600)
    return found


def _keys(config: dict, *, fresh: bool = False) -> KeySet:
    uri = _endpoint(config, "jwks_uri")
    key = f"identity:oidc:jwks:{uri}"
    found = None if fresh else cache.get(key)
    if found is None:
        found = _get_json(uri, "jwks")
        cache.set(key, found, 600)
    try:
        return KeySet.import_key_set(found)
    except Exception as error:  # joserfc raises many kinds for a malformed key set
        cache.delete(key)
        raise OIDCError(
            _MISCONFIGURED, f"jwks kan inte läsas: {error.__class__.__name__}"
        ) from error


def _session(provider, redirect_uri: str, **kwargs) -> OAuth2Session:
    return OAuth2Session(
        provider.client_id,
        provider.client_secret or None,
        scope=provider.scopes or "openid",
        redirect_uri=redirect_uri,
        code_challenge_method="S256",
        token_endpoint_auth_method="client_secret_basic" if provider.client_secret else "none",
        **kwargs,
    )


def authorisation(provider, redirect_uri: str) -> tuple[str, dict]:
    """Where to send the person, and what to keep in their session until they return:
    the state, the nonce and the PKCE code verifier."""
    config = discovery(provider)
    pending = {
        "state": generate_token(32),
        "nonce": generate_token(32),
        "verifier": generate_token(64),
        "started": int(time.time()),
    }
    url, _state = _session(provider, redirect_uri).create_authorization_url(
        _endpoint(config, "authorization_endpoint"),
        state=pending["state"],
        nonce=pending["nonce"],
        code_verifier=pending["verifier"],
    )
    return url, pending


def finish(provider, redirect_uri: str, params, pending: dict | None) -> tuple[dict, str]:
    """The person's claims after the provider sent them back with `params` (the query):
    the state must be the one sent, the code is exchanged, the ID token checked. Returns
    the claims and what the single logout may keep (``logout_hints``)."""
    if params.get("error"):
        raise OIDCError(
            "Inloggningen avbröts hos inloggningstjänsten.",
            f"fel från tjänsten: {params.get('error')[:80]}",
        )
    if not pending or not params.get("state") or params.get("state") != pending.get("state"):
        raise OIDCError(
            "Inloggningen kunde inte slutföras: svaret hör inte till en inloggning som "
            "startades här (fel state). Börja om från inloggningssidan.",
            "state stämmer inte",
        )
    if time.time() - pending.get("started", 0) > 900:
        raise OIDCError(
            "Inloggningen tog för lång tid. Börja om från inloggningssidan.", "för gammal"
        )
    config = discovery(provider)
    if params.get("iss") and params["iss"].rstrip("/") != provider.issuer.rstrip("/"):
        raise OIDCError(_WRONG_ISSUER, "fel utfärdare i svaret (iss)")
    try:
        token = _session(provider, redirect_uri).fetch_token(
            _check_address(_endpoint(config, "token_endpoint"), "token_endpoint"),
            code=params.get("code", ""),
            code_verifier=pending["verifier"],
            timeout=TIMEOUT,
            allow_redirects=False,  # a redirect could lead into the server's own network
        )
    except (OAuthError, requests.RequestException, ValueError) as error:
        raise OIDCError(
            "Inloggningstjänsten godtog inte inloggningen. Börja om från inloggningssidan.",
            f"kodväxling misslyckades: {str(error)[:100]}",
        ) from error
    id_token = token.get("id_token")
    if not id_token:
        raise OIDCError(_BAD_TOKEN, "inget id_token")
    claims = check_id_token(provider, config, id_token, pending["nonce"])
    logout = logout_hints(claims, id_token)
    if isinstance(config.get("userinfo_endpoint"), str) and token.get("access_token"):
        info = _userinfo(config["userinfo_endpoint"], token["access_token"])
        if info.get("sub") == claims["sub"]:
            claims = {**info, **claims}
    return claims, logout


def logout_hints(claims: dict, id_token: str) -> dict:
    """What the single logout may keep in the session: the raw ID token (its
    ``id_token_hint``) only when it carries no personal identity number, by name or by
    value (the Swedish OIDC profile's ``https://id.oidc.se/claim/personalIdentityNumber``,
    Freja, Sweden Connect); else only the ``sub`` as ``logout_hint``, when it is no
    personal identity number itself."""
    if not rules.holds_personal_number(claims):
        return {"id_token": id_token}
    subject = str(claims.get("sub", ""))
    return {"logout_hint": subject} if not rules.holds_personal_number(subject) else {}


_BAD_TOKEN = "Inloggningstjänstens svar kunde inte godtas (ogiltig ID-token)."
_WRONG_ISSUER = "Inloggningstjänstens svar kom från fel utfärdare och godtogs inte."


def algorithms_of(config: dict) -> list[str]:
    """The ID token algorithms accepted from a provider: those it lists that are
    asymmetric (never HS* or none), or RS256 when it lists none of them."""
    listed = config.get("id_token_signing_alg_values_supported")
    listed = listed if isinstance(listed, list) else []
    return [a for a in listed if a in ALGORITHMS] or ["RS256"]


def check_id_token(provider, config: dict, id_token: str, nonce: str) -> dict:
    """The ID token's claims, after its signature and claims are checked."""
    # Computed once for both decodes: an empty list would let joserfc fall back to its
    # own defaults, HS256 among them.
    algorithms = algorithms_of(config)
    try:
        try:
            decoded = jwt.decode(id_token, _keys(config), algorithms=algorithms)
        except (JoseError, ValueError):
            # The provider may have rolled its keys since they were cached.
            decoded = jwt.decode(id_token, _keys(config, fresh=True), algorithms=algorithms)
    except (JoseError, ValueError) as error:
        raise OIDCError(_BAD_TOKEN, f"id_token: signaturen godtas inte ({error})") from error
    claims = decoded.claims
    now = time.time()
    if str(claims.get("iss", "")).rstrip("/") != provider.issuer.rstrip("/"):
        raise OIDCError(_WRONG_ISSUER, f"id_token: fel utfärdare {str(claims.get('iss'))[:80]}")
    audience = claims.get("aud")
    audiences = audience if isinstance(audience, list) else [audience]
    if provider.client_id not in audiences:
        raise OIDCError(
            "Inloggningstjänstens svar var inte avsett för Styrkort (fel mottagare) och "
            "godtogs inte.",
            f"id_token: fel mottagare (aud) {str(audience)[:80]}",
        )
    if len(audiences) > 1 and claims.get("azp") != provider.client_id:
        raise OIDCError(_BAD_TOKEN, "id_token: flera mottagare utan rätt azp")
    if not isinstance(claims.get("exp"), int | float) or claims["exp"] + LEEWAY < now:
        raise OIDCError(
            "Inloggningstjänstens svar har gått ut. Börja om från inloggningssidan.",
            "id_token: utgången (exp)",
        )
    if isinstance(claims.get("iat"), int | float) and claims["iat"] - LEEWAY > now:
        raise OIDCError(_BAD_TOKEN, "id_token: utfärdad i framtiden (iat)")
    if not nonce or claims.get("nonce") != nonce:
        raise OIDCError(
            "Inloggningstjänstens svar hör inte till den här inloggningen (fel nonce). "
            "Börja om från inloggningssidan.",
            "id_token: nonce stämmer inte",
        )
    if not claims.get("sub"):
        raise OIDCError(_BAD_TOKEN, "id_token: saknar sub")
    return dict(claims)


def _userinfo(url: str, access_token: str) -> dict:
    try:
        _check_address(url, "userinfo")
        response = addresses.get(
            url, timeout=TIMEOUT, headers={"Authorization": f"Bearer {access_token}"}
        )
        response.raise_for_status()
        info = response.json()
        return info if isinstance(info, dict) else {}
    except (requests.RequestException, ValueError, OIDCError, addresses.Refused):
        return {}  # the ID token's claims are enough to go on


def logout_url(provider, signed: dict, after: str) -> str | None:
    """The provider's end-session address, or None when it has none (then only the local
    session ends). With the ID token as ``id_token_hint`` when it was kept, else with
    ``client_id``, ``post_logout_redirect_uri`` and ``logout_hint`` (the provider may then
    ask the person to confirm)."""
    try:
        endpoint = discovery(provider).get("end_session_endpoint")
    except OIDCError:
        return None
    if not endpoint or not isinstance(endpoint, str):
        return None
    from urllib.parse import urlencode

    query = {}
    if signed.get("id_token"):
        query["id_token_hint"] = signed["id_token"]
    elif signed.get("logout_hint"):
        query["logout_hint"] = signed["logout_hint"]
    query |= {"post_logout_redirect_uri": after, "client_id": provider.client_id}
    return f"{endpoint}{'&' if '?' in endpoint else '?'}{urlencode(query)}"


class OIDCBackend:
    """The session's backend for accounts signed in with OpenID Connect (its module path
    names the sign-in method in the sign-in log). It authenticates nothing itself."""

    def authenticate(self, request, **credentials):
        return None

    def get_user(self, user_id):
        from styrkort.accounts.backends import load_user

        user = load_user(user_id)
        if user is None or not user.is_active:
            return None
        user.backend = "styrkort.identity.oidc.OIDCBackend"  # the sign-out logged by method
        return user
