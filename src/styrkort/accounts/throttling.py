"""Login throttling (django-axes): who the client is, and when it is locked out.

Two limits hold at once, both within the cool-off time:

* per account and address: ``STYRKORT_LOGIN_FAILURE_LIMIT`` failures for one user name
  from one address lock that name from that address only, so nobody can lock another
  person out by trying their name from elsewhere;
* per address: ``STYRKORT_LOGIN_ADDRESS_FAILURE_LIMIT`` failures from one address,
  whatever the user names, lock the address (one address trying a few passwords against
  every account).

The client's address is ``REMOTE_ADDR``, or, when the request comes from a proxy listed
in ``STYRKORT_TRUSTED_PROXIES``, the nearest address in ``X-Forwarded-For`` that is not
one of those proxies (anything further left can be written by the client itself).
"""

from __future__ import annotations

import functools
import ipaddress

from axes.attempts import get_cool_off_threshold
from axes.handlers.database import AxesDatabaseHandler
from axes.models import AccessAttempt
from django.conf import settings
from django.db.models import Sum

Network = ipaddress.IPv4Network | ipaddress.IPv6Network


@functools.cache
def _networks(spec: tuple[str, ...]) -> tuple[Network, ...]:
    return tuple(ipaddress.ip_network(item, strict=False) for item in spec)


def trusted_proxies() -> tuple[Network, ...]:
    """The networks of ``STYRKORT_TRUSTED_PROXIES`` (addresses or CIDR blocks)."""
    return _networks(tuple(getattr(settings, "STYRKORT_TRUSTED_PROXIES", ())))


def _address(text: str):
    try:
        return ipaddress.ip_address(text.strip())
    except ValueError:
        return None


def _is_trusted(address, networks) -> bool:
    if address is None:
        return False
    if address.version == 6 and address.ipv4_mapped is not None:
        address = address.ipv4_mapped
    return any(address in network for network in networks)


def client_address(request) -> str:
    """The address of the client that sent ``request`` (AXES_CLIENT_IP_CALLABLE).

    ``X-Forwarded-For`` is read only when ``REMOTE_ADDR`` is a trusted proxy: from the
    right, trusted proxies are skipped and the first other address is the client. An
    entry that is not an address ends the walk at the last trusted hop."""
    remote = request.META.get("REMOTE_ADDR", "") or ""
    networks = trusted_proxies()
    if not networks or not _is_trusted(_address(remote), networks):
        return remote
    hops = [hop for hop in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if hop.strip()]
    client = remote
    for hop in reversed(hops):
        address = _address(hop)
        if address is None:
            break
        client = str(address)
        if not _is_trusted(address, networks):
            break
    return client


def address_failures(request) -> int:
    """Failed logins from the request's address within the cool-off time, all names."""
    attempts = AccessAttempt.objects.filter(ip_address=request.axes_ip_address)
    if settings.AXES_COOLOFF_TIME is not None:
        attempts = attempts.filter(attempt_time__gte=get_cool_off_threshold(request))
    return attempts.aggregate(total=Sum("failures_since_start"))["total"] or 0


class LoginThrottle(AxesDatabaseHandler):
    """axes' database handler with a second, higher limit per address across accounts.

    axes compares ``get_failures`` with its one ``AXES_FAILURE_LIMIT`` (the per-account
    limit, AXES_LOCKOUT_PARAMETERS being user name + address): an address over its own
    limit counts as at the per-account limit for every name it tries. A successful login
    resets only its own account's failures from that address (AXES_RESET_ON_SUCCESS), so
    signing in to one's own account does not clear the address's count."""

    def get_failures(self, request, credentials=None) -> int:
        per_account = super().get_failures(request, credentials)
        limit = settings.STYRKORT_LOGIN_ADDRESS_FAILURE_LIMIT
        if limit and address_failures(request) >= limit:
            return max(per_account, settings.AXES_FAILURE_LIMIT)
        return per_account


def username_of(request, credentials=None) -> str:
    """The user name a sign-in tried, as axes counts and stores it: a personal identity
    number typed in the name field (people do) is never stored in axes' tables or logs;
    all such tries count under one name."""
    from django.conf import settings

    from styrkort.identity.rules import scrub_text

    field = settings.AXES_USERNAME_FORM_FIELD
    if credentials:
        name = credentials.get(field)
    else:
        data = getattr(request, "data", getattr(request, "POST", {})) if request else {}
        name = data.get(field)
    return scrub_text(str(name)) if name is not None else name
