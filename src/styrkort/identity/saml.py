"""SAML 2.0 sign-in with pysaml2 as the service provider, built per identity provider from
its metadata (an ``IdentityProvider`` row), with Debian's ``xmlsec1`` for signatures.

Styrkort sends the AuthnRequest, signed with its own key (``identity.keys``), with the
HTTP-Redirect binding (a link, so the site's
Content-Security-Policy never needs to let a form post elsewhere) and the IdP posts its
answer to the ACS address (HTTP-POST binding). The answer is accepted only when the
response or its assertion is signed by the IdP's key from the metadata, it comes from
that IdP, it answers a request sent from here that has not been answered yet
(InResponseTo), its Destination is our ACS address, its audience is our entity id, it is
within its validity (NotBefore, NotOnOrAfter, a minute's clock difference) and its
assertion id has not been used before (replay).
"""

from __future__ import annotations

import hmac
import logging
import shutil

import requests
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone
from saml2 import BINDING_HTTP_POST, BINDING_HTTP_REDIRECT
from saml2.client import Saml2Client
from saml2.config import SPConfig
from saml2.metadata import entity_descriptor
from saml2.s_utils import UnknownPrincipal, UnsupportedBinding, sid
from saml2.xmldsig import SIG_RSA_SHA256

from . import addresses, services
from .keys import sp_key_pair

logger = logging.getLogger("styrkort.identity")

TIME_SLACK = 60  # seconds of clock difference accepted


class SAMLError(Exception):
    def __init__(self, message: str, reason: str):
        super().__init__(message)
        self.message, self.reason = message, reason


_NOT_ACCEPTED = "Inloggningstjänstens svar kunde inte godtas."


def _urls(request, provider) -> dict:
    def absolute(name):
        return request.build_absolute_uri(reverse(name, args=[provider.slug]))

    return {
        "entity_id": absolute("identity:saml_metadata"),
        "acs": absolute("identity:saml_acs"),
        "logout_done": request.build_absolute_uri(reverse("login")),
    }


def _metadata(provider) -> str:
    if provider.metadata_xml.strip():
        return provider.metadata_xml
    key = f"identity:saml:metadata:{provider.metadata_url}"
    found = cache.get(key)
    if found is None:
        bad = addresses.problem(provider.metadata_url, resolve_required=True)
        if bad:
            raise SAMLError(
                "Inloggningstjänsten är felaktigt inställd (metadata-adress). Kontakta din "
                "administratör.",
                f"metadata: adressen godtas inte ({bad}): {provider.metadata_url[:100]}",
            )
        try:
            response = addresses.get(provider.metadata_url, timeout=10)
            response.raise_for_status()
        except addresses.Refused as error:
            raise SAMLError(
                "Inloggningstjänsten är felaktigt inställd (metadata-adress). Kontakta din "
                "administratör.",
                f"metadata: {error}",
            ) from error
        except requests.RequestException as error:
            raise SAMLError(
                "Inloggningstjänsten svarar inte just nu. Försök igen om en stund.",
                f"metadata: {error.__class__.__name__}",
            ) from error
        found = response.text
        cache.set(key, found, 3600)
    return found


def config(request, provider, *, with_idp: bool = True) -> SPConfig:
    urls = _urls(request, provider)
    key_file, cert_file = sp_key_pair()
    settings = {
        "entityid": urls["entity_id"],
        "xmlsec_binary": shutil.which("xmlsec1"),
        "key_file": key_file,
        "cert_file": cert_file,
        "allow_unknown_attributes": True,
        "accepted_time_diff": TIME_SLACK,
        "service": {
            "sp": {
                "name": f"Styrkort ({provider.organisation.name})",
                "endpoints": {
                    "assertion_consumer_service": [(urls["acs"], BINDING_HTTP_POST)],
                    "single_logout_service": [(urls["logout_done"], BINDING_HTTP_REDIRECT)],
                },
                "allow_unsolicited": False,
                "authn_requests_signed": True,
                "logout_requests_signed": True,
                "want_response_signed": False,
                "want_assertions_signed": False,
                "want_assertions_or_response_signed": True,
                "name_id_format_allow_create": True,
            }
        },
    }
    if with_idp:
        settings["metadata"] = {"inline": [_metadata(provider)]}
    conf = SPConfig()
    conf.load(settings)
    return conf


def _client(request, provider) -> tuple[Saml2Client, str]:
    try:
        client = Saml2Client(config=config(request, provider))
        idps = list(client.metadata.identity_providers())
    except SAMLError:
        raise
    except Exception as error:
        logger.warning("SAML metadata of %s not usable: %s", provider.slug, error)
        raise SAMLError(
            "Inloggningstjänsten är felaktigt inställd (metadata). Kontakta din administratör.",
            "metadata kan inte läsas",
        ) from error
    if len(idps) != 1:
        raise SAMLError(
            "Inloggningstjänsten är felaktigt inställd (metadata). Kontakta din administratör.",
            f"metadata beskriver {len(idps)} identitetsleverantörer, inte en",
        )
    return client, idps[0]


#: The cookie that ties an outstanding AuthnRequest to the browser that started the
#: sign-in (login CSRF): it holds the request's id, and the answer posted to the ACS is
#: accepted only from a browser that sends it with the same id as the RelayState.
BINDING_COOKIE = "styrkort_saml_request"
BINDING_SECONDS = 15 * 60  # as long as the request is outstanding


def bind_to_browser(response, request, provider, request_id: str) -> None:
    """Set the binding cookie on `response`: HttpOnly, only sent to this provider's ACS.
    The IdP's answer is a cross-site POST, which carries a cookie only with
    ``SameSite=None``, and browsers accept that only with ``Secure``: so over HTTPS the
    cookie is ``SameSite=None; Secure``; over plain HTTP (local trials) it is ``Lax``, which
    a browser sends only when the IdP is on the same site as Styrkort."""
    secure = request.is_secure()
    response.set_cookie(
        BINDING_COOKIE,
        request_id,
        max_age=BINDING_SECONDS,
        path=reverse("identity:saml_acs", args=[provider.slug]),
        secure=secure,
        httponly=True,
        samesite="None" if secure else "Lax",
    )


def unbind(response, provider) -> None:
    response.delete_cookie(BINDING_COOKIE, path=reverse("identity:saml_acs", args=[provider.slug]))


def start(request, provider, next_url: str) -> tuple[str, str]:
    """The IdP's address with our AuthnRequest (HTTP-Redirect binding), and the request's
    id, which is remembered for its answer, travels as RelayState and goes into the
    browser's binding cookie (``bind_to_browser``)."""
    client, idp = _client(request, provider)
    try:
        # The request's id is the RelayState too: made here, as the query's signature
        # covers both.
        request_id = sid()
        _id, info = client.prepare_for_authenticate(
            entityid=idp,
            binding=BINDING_HTTP_REDIRECT,
            relay_state=request_id,
            message_id=request_id,
            sign=True,
            sigalg=SIG_RSA_SHA256,
        )
    except (UnsupportedBinding, UnknownPrincipal) as error:
        raise SAMLError(
            "Inloggningstjänsten är felaktigt inställd (metadata). Kontakta din administratör.",
            f"ingen SSO-adress med HTTP-Redirect: {error}"[:300],
        ) from error
    except Exception as error:  # xmlsec, Styrkort's key, or pysaml2 failing to sign
        logger.exception("SAML AuthnRequest for %s not built", provider.slug)
        raise SAMLError(
            "Inloggningen kunde inte startas just nu (begäran kunde inte signeras). "
            "Kontakta din administratör.",
            f"AuthnRequest kunde inte skapas: {error.__class__.__name__}",
        ) from error
    services.expect_saml_answer(
        user=None, provider=provider, request_id=request_id, next_url=next_url
    )
    return dict(info["headers"])["Location"], request_id


def finish(request, provider) -> tuple[dict, dict, str]:
    """The person's attributes from the IdP's posted answer, what the single logout
    needs, and where to go next; or SAMLError."""
    posted = request.POST.get("SAMLResponse", "")
    relay = request.POST.get("RelayState", "")
    if not posted:
        raise SAMLError(_NOT_ACCEPTED, "inget SAMLResponse")
    client, idp = _client(request, provider)
    pending = services.saml_request(provider=provider, request_id=relay)
    bound = request.COOKIES.get(BINDING_COOKIE, "")
    if pending is not None and not hmac.compare_digest(bound.encode(), relay.encode()):
        raise SAMLError(
            "Inloggningen kunde inte slutföras: svaret kom till en annan webbläsare än den "
            "som startade inloggningen. Börja om från inloggningssidan i samma webbläsare.",
            "svaret hör inte till den här webbläsaren (bindningskakan "
            + ("stämmer inte)" if bound else "saknas)"),
        )
    outstanding = {pending.message_id: pending.next_url} if pending else {}
    try:
        answer = client.parse_authn_request_response(posted, BINDING_HTTP_POST, outstanding)
    except Exception as error:  # pysaml2 raises many kinds, some plain Exception
        reason = _conditions_problem(posted, _urls(request, provider)["entity_id"])
        raise SAMLError(_NOT_ACCEPTED, reason or _reason(error, pending)) from error
    if answer is None:
        raise SAMLError(
            "Inloggningstjänstens svar var inte adresserat till Styrkort och godtogs inte.",
            "fel mottagaradress (Destination) eller fel InResponseTo",
        )
    if pending is None:
        raise SAMLError(_NOT_ACCEPTED, "svaret hör inte till någon utestående begäran")
    if answer.response.destination != _urls(request, provider)["acs"]:
        raise SAMLError(
            "Inloggningstjänstens svar var inte adresserat till Styrkort och godtogs inte.",
            f"fel mottagaradress (Destination): {str(answer.response.destination)[:100]}",
        )
    if answer.issuer() != idp:
        raise SAMLError(_NOT_ACCEPTED, f"fel utfärdare: {str(answer.issuer())[:100]}")
    assertion = answer.assertion
    until = _until(answer)
    if not services.accept_saml_answer(
        user=None,
        provider=provider,
        request_id=pending.message_id,
        assertion_id=assertion.id,
        until=until,
    ):
        raise SAMLError(
            "Inloggningstjänstens svar har redan använts en gång och godtogs inte. Börja om "
            "från inloggningssidan.",
            "återanvänt intyg (replay)",
        )
    attributes = dict(answer.ava or {})
    name_id = answer.name_id
    if name_id is not None and name_id.text:
        attributes.setdefault("NameID", [name_id.text])
    session = {
        "name_id": name_id.text if name_id is not None else "",
        "name_id_format": (name_id.format or "") if name_id is not None else "",
        "session_index": answer.session_info().get("session_index") or "",
    }
    from . import rules

    if rules.is_personal_identity_number(session["name_id"]):
        session["name_id"] = ""  # never kept, not even in the session
    return attributes, session, pending.next_url


def _until(answer):
    import datetime

    not_on_or_after = getattr(answer, "not_on_or_after", 0) or 0
    if not_on_or_after:
        return datetime.datetime.fromtimestamp(not_on_or_after, tz=datetime.UTC)
    return timezone.now() + datetime.timedelta(hours=1)


def _conditions_problem(posted: str, entity_id: str) -> str:
    """Which condition of a refused answer failed, read from the XML for the sign-in log
    only (pysaml2 has already refused it and says only "Condition not OK")."""
    import base64
    import datetime

    from defusedxml import ElementTree

    ns = {"saml": "urn:oasis:names:tc:SAML:2.0:assertion"}
    try:
        root = ElementTree.fromstring(base64.b64decode(posted))
    except Exception:
        return ""
    conditions = root.find(".//saml:Assertion/saml:Conditions", ns)
    if conditions is None:
        return ""
    audiences = [a.text for a in conditions.findall(".//saml:Audience", ns)]
    if audiences and entity_id not in audiences:
        return f"fel mottagare (Audience): {', '.join(map(str, audiences))[:100]}"
    until = conditions.get("NotOnOrAfter", "")
    try:
        moment = datetime.datetime.fromisoformat(until.replace("Z", "+00:00"))
    except ValueError:
        return ""
    if moment + datetime.timedelta(seconds=TIME_SLACK) < timezone.now():
        return f"svaret har gått ut (NotOnOrAfter {until})"
    return ""


def _reason(error: Exception, pending) -> str:
    text = f"{error.__class__.__name__}: {error}"
    lowered = text.lower()
    if error.__class__.__name__ == "MissingKey":  # no key for that issuer in the metadata
        return f"fel utfärdare: {str(error)[:100]}"
    if pending is None or "unsolicited" in lowered:
        return "svaret hör inte till någon utestående begäran (redan använt eller okänt)"
    if "signature" in lowered or "signed" in lowered:
        return "osignerat eller felaktigt signerat svar"
    if "audience" in lowered:
        return "fel mottagare (Audience)"
    if "lifetime" in lowered or "too old" in lowered or "on_or_after" in lowered:
        return "svaret har gått ut (NotOnOrAfter)"
    if "issuer" in lowered or "unknown" in lowered:
        return "fel utfärdare"
    return text[:300]


def sp_metadata(request, provider) -> str:
    """Styrkort's metadata as this provider's service provider."""
    return str(entity_descriptor(config(request, provider, with_idp=False)))


def logout_url(request, provider, signed: dict) -> str | None:
    """The IdP's single-logout address with a LogoutRequest (HTTP-Redirect), or None when
    its metadata has none."""
    if not signed.get("name_id"):
        return None
    try:
        from saml2.saml import NameID

        client, idp = _client(request, provider)
        destinations = client.metadata.single_logout_service(idp, BINDING_HTTP_REDIRECT, "idpsso")
        if not destinations:
            return None
        name_id = NameID(text=signed["name_id"], format=signed.get("name_id_format") or None)
        _id, logout = client.create_logout_request(
            destinations[0]["location"],
            idp,
            name_id=name_id,
            session_indexes=[signed["session_index"]] if signed.get("session_index") else None,
            sign=False,  # the HTTP-Redirect binding signs the query instead
        )
        info = client.apply_binding(
            BINDING_HTTP_REDIRECT,
            str(logout),
            destinations[0]["location"],
            relay_state="",
            sign=True,
            sigalg=SIG_RSA_SHA256,
        )
        return dict(info["headers"])["Location"]
    except SAMLError:
        return None
    except Exception:
        logger.exception("SAML logout request for %s not built", provider.slug)
        return None


class SAMLBackend:
    """The session's backend for accounts signed in with SAML (its module path names the
    sign-in method in the sign-in log). It authenticates nothing itself."""

    def authenticate(self, request, **credentials):
        return None

    def get_user(self, user_id):
        from styrkort.accounts.backends import load_user

        user = load_user(user_id)
        if user is None or not user.is_active:
            return None
        user.backend = "styrkort.identity.saml.SAMLBackend"  # the sign-out logged by method
        return user
