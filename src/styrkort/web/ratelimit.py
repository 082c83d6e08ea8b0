"""A small rate limit per client address: how many times an action may succeed per
hour (the anonymous accessibility report form).

The counts live in the sessions' cache, which every worker process shares (the file cache
under the var directory, or STYRKORT_CACHE_URL's Redis for several servers), per address
and clock hour, so a limit holds across processes, servers and restarts. The address is
the login throttling's (``STYRKORT_TRUSTED_PROXIES`` decides when ``X-Forwarded-For`` is
believed).
"""

from __future__ import annotations

import hashlib
import time

from django.conf import settings
from django.core.cache import caches

from styrkort.accounts.throttling import client_address

WINDOW_SECONDS = 3600


def _key(action: str, address: str) -> str:
    bucket = int(time.time() // WINDOW_SECONDS)
    digest = hashlib.sha256(address.encode()).hexdigest()[:32]
    return f"styrkort-rate:{action}:{digest}:{bucket}"


def _cache():
    return caches[getattr(settings, "SESSION_CACHE_ALIAS", "default")]


def over_limit(action: str, request, per_hour: int) -> bool:
    """True when ``action`` has succeeded ``per_hour`` times this hour from the request's
    address (0: no limit)."""
    return bool(per_hour) and (_cache().get(_key(action, client_address(request))) or 0) >= per_hour


def count(action: str, request) -> None:
    """Count one success of ``action`` from the request's address."""
    key = _key(action, client_address(request))
    cache = _cache()
    if not cache.add(key, 1, timeout=WINDOW_SECONDS + 60):
        try:
            cache.incr(key)
        except ValueError:  # expired between add and incr
            cache.set(key, 1, timeout=WINDOW_SECONDS + 60)


def forget(action: str, address: str) -> None:
    """Forget this hour's count of ``action`` from ``address`` (the tests' start)."""
    _cache().delete(_key(action, address))
