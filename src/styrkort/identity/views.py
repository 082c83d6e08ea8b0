"""Sign-in through an organisation's identity provider: start (``/inloggning/<slug>/``),
the OpenID Connect answer (``svar/``), the SAML answer (``saml/acs/``), the SAML service
provider's metadata (``saml/metadata/``), and the single logout.

Every refusal is a Swedish page saying why, with nothing created, and an event in the
sign-in log with the reason (except an unknown provider's address and a start over the
per-address limit, which write nothing); a success is logged by the login signal, with
the provider.
"""

from __future__ import annotations

import logging

from django.conf import settings
from django.contrib.auth import login
from django.http import HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_POST

from styrkort.accounts.models import SignInEvent, SignInMethod, SignInOutcome
from styrkort.accounts.signin import record
from styrkort.web import ratelimit

from . import oidc, rules, services
from .models import IdentityProvider, Protocol

logger = logging.getLogger("styrkort.identity")

SESSION_PENDING = "identity_pending"  # the OIDC state, nonce and verifier until the answer
SESSION_SIGNED_IN = "identity"  # the provider signed in through, for the single logout

BACKENDS = {
    Protocol.OIDC: "styrkort.identity.oidc.OIDCBackend",
    Protocol.SAML: "styrkort.identity.saml.SAMLBackend",
}
METHODS = {Protocol.OIDC: SignInMethod.OIDC, Protocol.SAML: SignInMethod.SAML}


def refusal_page(request, message: str, *, provider=None, status: int):
    """The refusal page alone (nothing written)."""
    return render(
        request,
        "identity/refused.html",
        {"message": message, "provider": provider},
        status=status,
    )


def refuse(request, *, method, message, reason, provider=None, status=403, username="", user=None):
    """The refusal page, and the refusal in the sign-in log."""
    reason, username = rules.scrub_text(reason), rules.scrub_text(username)
    record(
        outcome=SignInOutcome.REFUSED,
        method=method,
        request=request,
        user=user,
        username=username,
        organisation_id=provider.organisation_id if provider else None,
        provider=provider.name if provider else "",
        reason=reason,
    )
    return refusal_page(request, message, provider=provider, status=status)


def _unknown(request, slug: str):
    """The 404 page for a provider that does not exist: not written to the sign-in log
    (anyone could fill it by asking for made-up addresses)."""
    return refusal_page(
        request,
        _("Det finns ingen inloggningstjänst som heter ”%(slug)s”.") % {"slug": slug},
        status=404,
    )


def _provider(request, slug: str, method: str):
    provider = (
        IdentityProvider.objects.select_related("organisation")
        .filter(slug=slug, enabled=True)
        .first()
    )
    if provider is None:
        return None, _unknown(request, slug)
    return provider, None


def _safe_next(request, url: str) -> str:
    if url and url_has_allowed_host_and_scheme(
        url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return url
    return reverse("home")


def signed_in(request, provider, outcome, *, session: dict, next_url: str):
    """Sign the account in (the login signal logs it; the provider is added here), keep
    what the single logout needs, and go on."""
    method = METHODS[provider.protocol]
    if outcome.refusal is not None:
        refusal = outcome.refusal
        return refuse(
            request,
            method=method,
            message=refusal.message,
            reason=refusal.reason,
            provider=provider,
            username=refusal.username,
            user=refusal.user,
        )
    outcome.user.backend = BACKENDS[provider.protocol]  # the sign-in log's method
    login(request, outcome.user, backend=outcome.user.backend)
    event = (
        SignInEvent.objects.filter(user=outcome.user, outcome=SignInOutcome.SUCCESS, provider="")
        .order_by("-pk")
        .first()
    )
    if event is not None:
        SignInEvent.objects.filter(pk=event.pk).update(provider=provider.name[:100])
    request.session[SESSION_SIGNED_IN] = {"provider": provider.slug, **session}
    return HttpResponseRedirect(_safe_next(request, next_url))


@require_GET
def start(request, slug: str):
    """Send the person to the provider."""
    provider, refused = _provider(request, slug, SignInMethod.OIDC)
    if refused:
        return refused
    per_hour = settings.STYRKORT_SIGN_IN_STARTS_PER_HOUR
    if ratelimit.over_limit("identity-start", request, per_hour):
        logger.warning("sign-in starts over the limit (%s per hour) from one address", per_hour)
        return refusal_page(
            request,
            _(
                "För många inloggningsförsök från din adress den senaste timmen. Vänta en "
                "stund och försök igen."
            ),
            provider=provider,
            status=429,
        )
    ratelimit.count("identity-start", request)
    next_url = _safe_next(request, request.GET.get("next", ""))
    if provider.protocol == Protocol.SAML:
        from . import saml

        try:
            location, request_id = saml.start(request, provider, next_url)
        except saml.SAMLError as error:
            return refuse(
                request,
                method=SignInMethod.SAML,
                message=error.message,
                reason=error.reason,
                provider=provider,
                status=502,
            )
        response = HttpResponseRedirect(location)
        saml.bind_to_browser(response, request, provider, request_id)
        return response
    redirect_uri = request.build_absolute_uri(reverse("identity:oidc_callback", args=[slug]))
    try:
        url, pending = oidc.authorisation(provider, redirect_uri)
    except oidc.OIDCError as error:
        return refuse(
            request,
            method=SignInMethod.OIDC,
            message=error.message,
            reason=error.reason,
            provider=provider,
            status=502,
        )
    request.session[SESSION_PENDING] = {**pending, "provider": slug, "next": next_url}
    return HttpResponseRedirect(url)


@require_GET
def oidc_callback(request, slug: str):
    """The OpenID provider sends the person back here with a code."""
    provider, refused = _provider(request, slug, SignInMethod.OIDC)
    if refused:
        return refused
    pending = request.session.pop(SESSION_PENDING, None)
    if pending and pending.get("provider") != slug:
        pending = None
    redirect_uri = request.build_absolute_uri(reverse("identity:oidc_callback", args=[slug]))
    try:
        claims, logout = oidc.finish(provider, redirect_uri, request.GET, pending)
    except oidc.OIDCError as error:
        return refuse(
            request,
            method=SignInMethod.OIDC,
            message=error.message,
            reason=error.reason,
            provider=provider,
            status=400,
        )
    outcome = services.sign_in(user=None, provider=provider, claims=claims)
    return signed_in(request, provider, outcome, session=logout, next_url=pending["next"])


@csrf_exempt  # the IdP posts the answer from its own page: the answer is signed, and tied
# to the browser that started the sign-in by the binding cookie (saml.BINDING_COOKIE)
@require_POST
def saml_acs(request, slug: str):
    """The SAML IdP posts the person's assertion here (HTTP-POST binding)."""
    from . import saml

    provider, refused = _provider(request, slug, SignInMethod.SAML)
    if refused:
        return refused
    try:
        claims, session, next_url = saml.finish(request, provider)
    except saml.SAMLError as error:
        return refuse(
            request,
            method=SignInMethod.SAML,
            message=error.message,
            reason=error.reason,
            provider=provider,
            status=400,
        )
    outcome = services.sign_in(user=None, provider=provider, claims=claims)
    response = signed_in(request, provider, outcome, session=session, next_url=next_url)
    saml.unbind(response, provider)  # its request is answered
    return response


@require_GET
def saml_metadata(request, slug: str):
    """Styrkort's metadata as a SAML service provider, for the IdP's administrator."""
    from . import saml

    provider = IdentityProvider.objects.filter(slug=slug).first()
    if provider is None:
        return _unknown(request, slug)
    return HttpResponse(saml.sp_metadata(request, provider), content_type="application/xml")


def single_logout_url(request) -> str | None:
    """Where to send a person signing out so that the provider ends its session too, or
    None (then only Styrkort's session ends). Read before the session is flushed."""
    signed = request.session.get(SESSION_SIGNED_IN)
    if not signed:
        return None
    provider = IdentityProvider.objects.filter(slug=signed.get("provider"), enabled=True).first()
    if provider is None:
        return None
    after = request.build_absolute_uri(reverse("login"))
    if provider.protocol == Protocol.OIDC:
        return oidc.logout_url(provider, signed, after)
    if provider.protocol == Protocol.SAML:
        from . import saml

        return saml.logout_url(request, provider, signed)
    return None
