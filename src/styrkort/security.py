"""Sessions that end, and form answers that leave for another site.

Sessions end after `STYRKORT_SESSION_IDLE_MINUTES` without a request, and at the
latest `SESSION_COOKIE_AGE` seconds after sign-in, whatever is done meanwhile
(`SessionLimitsMiddleware`).

Django's own expiry runs from the session's last save; since this middleware writes the
time of the last request into the session, that expiry would slide with every write. The
absolute limit is therefore kept here too, from the time of sign-in stored in the session.
The last request is written at most once a minute (`WRITE_EVERY`), not at every request:
a session may thus end up to a minute before its idle time is quite over.

A request in an ended session is signed out before any view runs: a page then asks for
sign-in as it would for anyone (with a message why), an htmx request sends the whole
page to the login page (`HX-Redirect`) instead of swapping it into a part of the page,
and the API answers as it does without a session.

A form's answer that redirects to another site (signing out sends the browser on to the
identity provider's single logout) would be blocked by the Content-Security-Policy's
`form-action 'self'`: browsers check each redirect of a form submission against the
policy of the page the form was on. `LeaveSiteMiddleware` answers such a redirect with a
page that goes there itself (a refresh, and a link), which no policy restricts; only to a
browser submitting a page's form (`Sec-Fetch-Mode: navigate`, which every current browser
sends): other clients get the redirect as it is.
"""

from __future__ import annotations

import time
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import SESSION_KEY, logout
from django.http import HttpResponse
from django.shortcuts import render, resolve_url
from django.utils.http import urlencode
from django.utils.translation import ngettext

#: the session's keys: seconds since the epoch of sign-in and of the last request written
SIGNED_IN = "styrkort_signed_in"
LAST_SEEN = "styrkort_last_seen"
#: the last request is written into the session at most this often, in seconds
WRITE_EVERY = 60


def ended(session, now: float) -> str | None:
    """Why the signed-in session has ended ('idle' or 'max'), or None while it holds."""
    last_seen, signed_in = session.get(LAST_SEEN), session.get(SIGNED_IN)
    if last_seen is not None and now - last_seen >= settings.STYRKORT_SESSION_IDLE_MINUTES * 60:
        return "idle"
    if signed_in is not None and now - signed_in >= settings.SESSION_COOKIE_AGE:
        return "max"
    return None


def _message(reason: str) -> str:
    if reason == "idle":
        minutes = settings.STYRKORT_SESSION_IDLE_MINUTES
        if minutes % 60 == 0:
            hours = minutes // 60
            return ngettext(
                "Du har loggats ut efter %(count)d timme utan aktivitet. Logga in igen.",
                "Du har loggats ut efter %(count)d timmar utan aktivitet. Logga in igen.",
                hours,
            ) % {"count": hours}
        return ngettext(
            "Du har loggats ut efter %(count)d minut utan aktivitet. Logga in igen.",
            "Du har loggats ut efter %(count)d minuter utan aktivitet. Logga in igen.",
            minutes,
        ) % {"count": minutes}
    hours = settings.SESSION_COOKIE_AGE // 3600
    return ngettext(
        "Du har loggats ut: en inloggning gäller i högst %(count)d timme. Logga in igen.",
        "Du har loggats ut: en inloggning gäller i högst %(count)d timmar. Logga in igen.",
        hours,
    ) % {"count": hours}


class SessionLimitsMiddleware:
    """Ends a signed-in session that is idle too long or older than the absolute limit;
    keeps the time of sign-in and of the last request in the session. After Session-,
    Authentication- and MessageMiddleware."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        session = request.session
        if SESSION_KEY not in session:
            return self.get_response(request)
        now = time.time()
        reason = ended(session, now)
        if reason is None:
            if session.get(SIGNED_IN) is None:
                session[SIGNED_IN] = int(now)
            last_seen = session.get(LAST_SEEN)
            if last_seen is None or now - last_seen >= WRITE_EVERY:
                session[LAST_SEEN] = int(now)
            return self.get_response(request)

        logout(request)
        messages.info(request, _message(reason))
        if getattr(request, "htmx", False):
            # The whole page goes to sign-in, then back to the page the request came from.
            login = resolve_url(settings.LOGIN_URL)
            current = request.htmx.current_url_abs_path
            if current:
                login = f"{login}?{urlencode({'next': current})}"
            return HttpResponse(status=204, headers={"HX-Redirect": login})
        return self.get_response(request)


#: redirects a browser follows with GET (a 307 or 308 would post the form again: left alone)
_GET_REDIRECTS = {301, 302, 303}


def leaves_site(request, response) -> str | None:
    """The address of another site that this answer to a submitted form redirects to, or
    None. Another site: another scheme, host or port than the request's, and not one of
    the addresses `form-action` allows (STYRKORT_CSP_FORM_ACTION)."""
    if request.method != "POST" or response.status_code not in _GET_REDIRECTS:
        return None
    if request.headers.get("Sec-Fetch-Mode") != "navigate":
        return None  # not a browser submitting a page's form: htmx, the API, a script
    location = response.get("Location", "")
    target = urlsplit(location)
    if not target.scheme or not target.netloc:
        return None  # a path on this site
    origin = f"{target.scheme}://{target.netloc}".lower()
    if origin == f"{request.scheme}://{request.get_host()}".lower():
        return None
    allowed = settings.CONTENT_SECURITY_POLICY["DIRECTIVES"].get("form-action", [])
    if any(origin == source.rstrip("/").lower() for source in allowed):
        return None
    return location


class LeaveSiteMiddleware:
    """Turns a form's redirect to another site into a page that goes there by itself
    (see the module's docstring). Inside django-csp's middleware, so the page has the
    policy too."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        location = leaves_site(request, response)
        if location is None:
            return response
        leaving = render(
            request, "web/leaving.html", {"url": location, "host": urlsplit(location).hostname}
        )
        leaving.cookies = response.cookies  # what the view set (a message, the language)
        return leaving
