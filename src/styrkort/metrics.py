"""Metrics for Prometheus at `/metrics` (prometheus-client's text format).

Per server process, counted as requests run:

* `styrkort_request_duration_seconds{view,method}`: each request's time in Django, by the
  URL pattern's name (`scorecard`, `api:outcome-list`; `(none)` for a static file or an
  unknown address), a histogram;
* `styrkort_responses_total{view,method,status}`;
* `styrkort_scorecard_pages_total{source}`: scorecard pages served from the shared page
  cache (`cache`) or evaluated and rendered (`rendered`);
* `styrkort_database_connections_opened_total`.

Read from the database at each scrape, the same on every server:

* `styrkort_job_queue_depth` and `styrkort_job_queue_oldest_seconds`: tasks waiting in
  the queue for the worker, and how long the oldest has waited;
* `styrkort_jobs{kind,status}`: report and import jobs by status (`failed` among them;
  finished jobs are pruned after STYRKORT_JOB_KEEP_DAYS);
* `styrkort_worker_last_seen_seconds`: since the worker's last sign of life;
* `styrkort_database_connections{state}`: PostgreSQL's connections to this database
  (`pg_stat_activity`), all servers and the worker together;
* `styrkort_database_up`: 0 when the database could not be read;
* `styrkort_cache_up`: with STYRKORT_CACHE_URL, 0 when Redis did not answer.

Access: `STYRKORT_METRICS_TOKEN` (sent as `Authorization: Bearer <token>`) and/or
`STYRKORT_METRICS_ADDRESSES` (addresses or CIDR blocks); when both are set, both must
hold. With neither the endpoint does not exist (404), as it does for an address outside
the list; a wrong or missing token is 401.

Under gunicorn with several worker processes (`styrkort serve --production`) each process
writes its counts to files in `PROMETHEUS_MULTIPROC_DIR` and a scrape adds them up
(prometheus-client's multiprocess mode); `serve` sets the directory up. docs/deployment.md.
"""

from __future__ import annotations

import hmac
import ipaddress
import logging
import os
import time

from django.conf import settings
from django.db import connection
from django.db.backends.signals import connection_created
from django.http import HttpResponse, HttpResponseNotFound
from django.utils import timezone
from django.views.decorators.cache import never_cache
from prometheus_client import (
    CONTENT_TYPE_LATEST,
    CollectorRegistry,
    Counter,
    Histogram,
    generate_latest,
    multiprocess,
)
from prometheus_client.core import GaugeMetricFamily

log = logging.getLogger(__name__)

MULTIPROC_ENV = "PROMETHEUS_MULTIPROC_DIR"

REQUEST_DURATION = Histogram(
    "styrkort_request_duration_seconds",
    "Time a request spent in Django, by URL pattern name",
    ["view", "method"],
)
RESPONSES = Counter(
    "styrkort_responses",
    "Responses by URL pattern name and status code",
    ["view", "method", "status"],
)
SCORECARD_PAGES = Counter(
    "styrkort_scorecard_pages",
    "Scorecard pages served from the shared page cache (cache) or evaluated (rendered)",
    ["source"],
)
CONNECTIONS_OPENED = Counter(
    "styrkort_database_connections_opened",
    "Database connections this server opened",
)

# Methods outside this set are counted as OTHER (the label stays a small set).
_METHODS = {"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"}


def _count_connection(sender, connection, **kwargs):
    CONNECTIONS_OPENED.inc()


connection_created.connect(_count_connection, dispatch_uid="styrkort.metrics.connections")


class RequestMetricsMiddleware:
    """Times every request and counts its response, by the URL pattern's name."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        started = time.perf_counter()
        response = self.get_response(request)
        match = getattr(request, "resolver_match", None)
        view = (match.view_name if match is not None else "") or "(none)"
        method = request.method if request.method in _METHODS else "OTHER"
        REQUEST_DURATION.labels(view, method).observe(time.perf_counter() - started)
        RESPONSES.labels(view, method, str(response.status_code)).inc()
        return response


class DatabaseCollector:
    """The queue, the jobs, the worker and PostgreSQL's connections (and whether the
    shared cache answers), read at each scrape."""

    def collect(self):
        if getattr(settings, "STYRKORT_CACHE_URL", ""):
            yield self._cache_up()
        up = GaugeMetricFamily("styrkort_database_up", "1 when the database could be read")
        try:
            families = list(self._from_database())
        except Exception:  # a scrape reports a broken database, it does not fail
            log.exception("metrics: the database could not be read")
            up.add_metric([], 0)
            yield up
            return
        up.add_metric([], 1)
        yield up
        yield from families

    def _cache_up(self):
        from django.core.cache import caches

        up = GaugeMetricFamily(
            "styrkort_cache_up", "1 when the shared cache (STYRKORT_CACHE_URL) answered"
        )
        try:
            caches["default"].get("styrkort-metrics-ping")
            up.add_metric([], 1)
        except Exception:  # Redis down: every signed-in request fails, say so
            log.exception("metrics: the shared cache did not answer")
            up.add_metric([], 0)
        return up

    def _from_database(self):
        from django.db.models import Count, Min
        from django_q.models import OrmQ

        from styrkort.jobs.models import WorkerBeat
        from styrkort.jobs.services import job_models

        now = timezone.now()
        waiting = OrmQ.objects.filter(lock__lte=now).aggregate(n=Count("id"), oldest=Min("lock"))
        depth = GaugeMetricFamily(
            "styrkort_job_queue_depth", "Tasks waiting in the queue for the worker"
        )
        depth.add_metric([], waiting["n"])
        yield depth
        oldest = GaugeMetricFamily(
            "styrkort_job_queue_oldest_seconds",
            "How long the oldest waiting task has waited (0: none waits)",
        )
        oldest.add_metric(
            [], (now - waiting["oldest"]).total_seconds() if waiting["oldest"] else 0.0
        )
        yield oldest

        jobs = GaugeMetricFamily(
            "styrkort_jobs", "Report and import jobs by status", labels=["kind", "status"]
        )
        for model in job_models():
            kind = model._meta.model_name.removesuffix("job")
            counts = dict(model.objects.values_list("status").annotate(n=Count("id")))
            for status in ("queued", "running", "done", "failed"):
                jobs.add_metric([kind, status], counts.get(status, 0))
        yield jobs

        seen = WorkerBeat.objects.order_by("-seen_at").values_list("seen_at", flat=True).first()
        if seen is not None:
            worker = GaugeMetricFamily(
                "styrkort_worker_last_seen_seconds", "Seconds since the worker's last sign of life"
            )
            worker.add_metric([], max(0.0, (now - seen).total_seconds()))
            yield worker

        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute(
                    "SELECT coalesce(state, 'unknown'), count(*) FROM pg_stat_activity"
                    " WHERE datname = current_database() GROUP BY 1"
                )
                rows = cursor.fetchall()
            connections = GaugeMetricFamily(
                "styrkort_database_connections",
                "PostgreSQL connections to Styrkort's database, by state",
                labels=["state"],
            )
            for state, count in rows:
                connections.add_metric([state], count)
            yield connections


def _registry() -> CollectorRegistry:
    if os.environ.get(MULTIPROC_ENV):
        registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(registry)
    else:
        # This process's own counts (not the default registry's process metrics, which
        # would describe one worker process of many).
        registry = CollectorRegistry()
        for collector in (REQUEST_DURATION, RESPONSES, SCORECARD_PAGES, CONNECTIONS_OPENED):
            registry.register(collector)
    registry.register(DatabaseCollector())
    return registry


def _address_allowed(request, allowed: list[str]) -> bool:
    from styrkort.accounts.throttling import client_address

    try:
        address = ipaddress.ip_address(client_address(request))
    except ValueError:
        return False
    if address.version == 6 and address.ipv4_mapped is not None:
        address = address.ipv4_mapped
    return any(address in ipaddress.ip_network(item, strict=False) for item in allowed)


def _token_given(request) -> str:
    scheme, _, token = request.META.get("HTTP_AUTHORIZATION", "").partition(" ")
    return token.strip() if scheme.lower() == "bearer" else ""


@never_cache
def endpoint(request):
    """`/metrics`: the metrics in Prometheus' text format, to those allowed (module doc)."""
    token = settings.STYRKORT_METRICS_TOKEN
    addresses = settings.STYRKORT_METRICS_ADDRESSES
    if not token and not addresses:
        return HttpResponseNotFound("Not found\n", content_type="text/plain")
    if addresses and not _address_allowed(request, addresses):
        return HttpResponseNotFound("Not found\n", content_type="text/plain")
    if token and not hmac.compare_digest(_token_given(request).encode(), token.encode()):
        response = HttpResponse("Unauthorized\n", status=401, content_type="text/plain")
        response["WWW-Authenticate"] = 'Bearer realm="styrkort-metrics"'
        return response
    return HttpResponse(generate_latest(_registry()), content_type=CONTENT_TYPE_LATEST)


def prepare_multiprocess_dir(path) -> None:
    """Make `path` an empty directory for a new server's per-process metric files (the
    counts of a previous run would be added to this one's otherwise)."""
    os.makedirs(path, exist_ok=True)
    for name in os.listdir(path):
        if name.endswith(".db"):
            os.remove(os.path.join(path, name))
