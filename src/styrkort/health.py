"""Readiness: can this installation do its work right now? (`/halsa/redo/`)

`/halsa/` is the cheap liveness check (one `SELECT 1`: the process answers and reaches the
database). Readiness asks more, for a load balancer or a monitor deciding whether to send
users here: the database accepts a write (a row written and rolled back, so a read-only
database, a full disk or a replica in recovery fails it) and the background service is
alive (its sign of life, `jobs.services.worker_running`; skipped when jobs run inline);
with several servers (`STYRKORT_CACHE_URL`) the shared cache answers.
"""

from __future__ import annotations

import logging
import time
import uuid
from dataclasses import dataclass

from django.conf import settings
from django.db import DatabaseError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

logger = logging.getLogger(__name__)


@dataclass
class Check:
    name: str
    ok: bool
    detail: str
    ms: float

    def as_dict(self) -> dict:
        return {"ok": self.ok, "detail": self.detail, "ms": round(self.ms, 1)}


class _Rollback(Exception):
    pass


def check_database_write() -> Check:
    """Write a row of the worker's sign-of-life table and roll it back."""
    from styrkort.jobs.models import WorkerBeat

    started = time.perf_counter()
    try:
        with transaction.atomic():
            now = timezone.now()
            WorkerBeat.objects.create(
                name=f"readiness-{uuid.uuid4().hex}", started_at=now, seen_at=now
            )
            raise _Rollback
    except _Rollback:
        ok, detail = True, _("Databasen tar emot skrivningar.")
    except DatabaseError as exc:
        logger.warning("Readiness: the database refused a write: %s", exc)
        ok = False
        detail = _("Databasen tar inte emot skrivningar: %(error)s") % {
            "error": str(exc).splitlines()[0][:200] if str(exc) else exc.__class__.__name__
        }
    return Check("database", ok, detail, (time.perf_counter() - started) * 1000)


def check_worker() -> Check:
    """The background service has shown a sign of life lately (or is not needed)."""
    from styrkort.jobs.rules import WORKER_SILENT_AFTER
    from styrkort.jobs.services import worker_running

    started = time.perf_counter()
    if settings.STYRKORT_JOBS_INLINE:
        ok, detail = True, _("Jobb körs i webbservern (ingen bakgrundstjänst behövs).")
    else:
        try:
            ok = worker_running()
        except DatabaseError as exc:
            logger.warning("Readiness: the worker's sign of life could not be read: %s", exc)
            ok = False
        detail = (
            _("Bakgrundstjänsten är igång.")
            if ok
            else _(
                "Bakgrundstjänsten (styrkort worker) har inte hörts av på över %(seconds)s "
                "sekunder."
            )
            % {"seconds": int(WORKER_SILENT_AFTER.total_seconds())}
        )
    return Check("worker", ok, detail, (time.perf_counter() - started) * 1000)


def check_shared_cache() -> Check | None:
    """With several servers (STYRKORT_CACHE_URL) the sessions live in Redis or Valkey: a
    server that cannot reach it cannot serve a signed-in person. None without one."""
    if not getattr(settings, "STYRKORT_CACHE_URL", ""):
        return None
    from django.core.cache import caches

    started = time.perf_counter()
    key = f"styrkort-readiness-{uuid.uuid4().hex}"
    try:
        cache = caches["sessions"]
        cache.set(key, 1, 10)
        ok = cache.get(key) == 1
        cache.delete(key)
        detail = _("Den delade cachen svarar.") if ok else _("Den delade cachen sparar inget.")
    except Exception as exc:  # redis' connection errors are not Django's
        logger.warning("Readiness: the shared cache did not answer: %s", exc)
        ok = False
        detail = _("Den delade cachen (STYRKORT_CACHE_URL) svarar inte.")
    return Check("cache", ok, detail, (time.perf_counter() - started) * 1000)


def readiness() -> tuple[bool, dict]:
    """(ready, the answer's body): every check with `ok`, `detail` and `ms`; `failed`
    names the checks that failed."""
    checks = [check_database_write(), check_worker()]
    cache = check_shared_cache()
    if cache is not None:
        checks.append(cache)
    failed = [c.name for c in checks if not c.ok]
    body = {
        "status": "ok" if not failed else "fail",
        "failed": failed,
        "checks": {c.name: c.as_dict() for c in checks},
    }
    return not failed, body
