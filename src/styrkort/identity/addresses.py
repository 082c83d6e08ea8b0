"""The addresses Styrkort fetches from for an identity provider (an OIDC issuer and the
endpoints its discovery names, a SAML metadata address) are typed in by an
organisation's administrator: they must be https, and must not point at the server's own
network (loopback, private, link-local or otherwise reserved addresses), or an
administrator could make the server probe its internal network (blind SSRF).

``STYRKORT_IDENTITY_ALLOW_LOCAL_HTTP`` (off by default; the tests turn it on for their
local providers) lifts both rules; ``DEBUG`` lifts only the https rule. The check is made
when a provider is saved and again before every fetch (a name may resolve differently
later); a name that cannot be resolved when saved is let through, and refused at the
fetch if it resolves to an internal address then.
"""

from __future__ import annotations

import ipaddress
import socket
from urllib.parse import urljoin, urlsplit

import requests
from django.conf import settings
from django.utils.translation import gettext as _


def allow_local() -> bool:
    return bool(getattr(settings, "STYRKORT_IDENTITY_ALLOW_LOCAL_HTTP", False))


def _internal(address: str) -> bool:
    ip = ipaddress.ip_address(address.split("%")[0])
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped:
        ip = ip.ipv4_mapped
    return not ip.is_global or ip.is_multicast


def _addresses(host: str, port: int) -> list[str]:
    try:
        return [str(ipaddress.ip_address(host))]
    except ValueError:
        pass
    infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    return sorted({info[4][0] for info in infos})


def problem(url: str, *, resolve_required: bool) -> str | None:
    """Why Styrkort may not fetch from `url`, in Swedish, or None. With
    `resolve_required`, a name that cannot be resolved is a problem too."""
    if not url:
        return None
    parts = urlsplit(url.strip())
    if parts.scheme not in ("https", "http") or not parts.hostname:
        return _("Adressen måste börja med https://.")
    if parts.scheme != "https" and not (settings.DEBUG or allow_local()):
        return _("Adressen måste börja med https:// (krypterad förbindelse).")
    if allow_local():
        return None
    try:
        found = _addresses(parts.hostname, parts.port or 443)
    except (OSError, UnicodeError, ValueError):
        return _("Adressen kan inte slås upp.") if resolve_required else None
    if any(_internal(address) for address in found):
        return _(
            "Adressen pekar på ett internt nät (lokal, privat eller reserverad adress) och "
            "kan inte användas."
        )
    return None


class Refused(Exception):
    """A redirect to an address Styrkort may not fetch from."""


def get(url: str, *, max_redirects: int = 5, **kwargs):
    """``requests.get`` that follows redirects itself, checking every address it is sent
    to (a public address must not redirect the server into its own network)."""
    for _hop in range(max_redirects + 1):
        response = requests.get(url, allow_redirects=False, **kwargs)
        if not response.is_redirect:
            return response
        url = urljoin(url, response.headers["Location"])
        bad = problem(url, resolve_required=True)
        if bad:
            raise Refused(f"omdirigerad till en adress som inte godtas ({bad}): {url[:100]}")
    raise Refused("för många omdirigeringar")
