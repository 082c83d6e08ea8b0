"""The functions the worker runs: a queued job, and the periodic tasks named in
`settings.STYRKORT_SCHEDULES`."""

from __future__ import annotations

from django.apps import apps
from django.conf import settings
from django.db.models import F
from django.utils import timezone
from django.utils.module_loading import import_string

from . import services


def run(model_label: str, pk: int, work: str, language: str | None) -> None:
    """Run one job: `work(job, progress)` with the progress pages' bookkeeping
    (`styrkort.web.jobs`). A job started more often than `STYRKORT_JOB_ATTEMPTS` (its
    worker died each time) is marked failed instead of run again; a second delivery of a
    job that still runs elsewhere does nothing."""
    from styrkort.web.jobs import run_job

    model = apps.get_model(model_label)
    with services.running_alone(model, pk) as alone:
        if alone:
            _run(model, pk, work, language, run_job)


def _run(model, pk, work, language, run_job) -> None:
    model.objects.filter(pk=pk).update(attempts=F("attempts") + 1, updated_at=timezone.now())
    job = model.objects.filter(pk=pk).only("status", "attempts").first()
    if job is None or job.status in ("done", "failed"):
        return
    if job.attempts > settings.STYRKORT_JOB_ATTEMPTS:
        services.fail(job, services.ATTEMPTS_MESSAGE)
        return
    run_job(model, pk, import_string(work), language=language)


def recover() -> int:
    return services.recover()


def prune() -> dict:
    return services.prune()
