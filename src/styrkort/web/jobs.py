"""Background jobs of the web app: a report or an import is queued for the worker
(`styrkort worker`, see `styrkort.jobs`) while the page polls its progress.

`settings.STYRKORT_JOBS_INLINE = True` (or `inline=True`) runs the job in the request
itself, for tests and for installations that want no worker.

Progress is written to the job's row when no transaction holds it back. An import runs in
one transaction (all or nothing), so on PostgreSQL its progress is written through a
second connection; on SQLite the page shows the progress written before the transaction
began until the import ends.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable

from django.conf import settings
from django.db import connections
from django.utils import timezone, translation
from django.utils.translation import gettext, gettext_lazy, gettext_noop
from django_q.exceptions import TimeoutException

from styrkort.jobs.services import ATTEMPTS_MESSAGE, LOST_MESSAGE

from .models import REPORTS_KEPT, JobStatus

#: shown for a job whose process was lost (see `models.STALE_AFTER`)
STALE_MESSAGE = gettext_lazy("Jobbet avbröts, försök igen.")
#: stored for a job that failed on an unexpected error; the job runs outside the request
#: (no language), so the source text is stored and translated when the job is shown
UNEXPECTED_MESSAGE = gettext_noop(
    "Ett oväntat fel inträffade. Försök igen eller kontakta förvaltningen."
)

#: stored for a job stopped for running longer than STYRKORT_JOB_TIMEOUT
TIMEOUT_MESSAGE = gettext_noop(
    "Jobbet tog för lång tid och stoppades. Försök igen, eller kontakta förvaltningen om "
    "det händer igen."
)
#: messages stored as their Swedish source text, translated when a job is shown
TRANSLATED_LATER = {UNEXPECTED_MESSAGE, ATTEMPTS_MESSAGE, LOST_MESSAGE, TIMEOUT_MESSAGE}

#: shown for a queued job while no worker runs
WAITING_MESSAGE = gettext_lazy(
    "Väntar på bakgrundstjänsten, som inte är igång just nu. Jobbet startar när den "
    "startar; kontakta förvaltningen om det dröjer."
)

log = logging.getLogger(__name__)


class ProgressWriter:
    """Records a job's progress (0-100) and a message in the database, at most every
    `interval` seconds (and always for 0 and 100)."""

    def __init__(self, job, *, interval: float = 0.5, side_connection: bool = False):
        self.job = job
        self.interval = interval
        self.side_connection = side_connection
        self._last_write = 0.0
        self._last = (-1, "")
        self._conn = None

    def __call__(self, percent: float, message: str = "") -> None:
        percent = int(max(0, min(100, round(percent))))
        message = (message or "")[:500]
        if (percent, message) == self._last:
            return
        self._last = (percent, message)
        now = time.monotonic()
        if percent not in (0, 100) and now - self._last_write < self.interval:
            return
        self._last_write = now
        try:
            self._write(percent, message)
        except Exception:  # progress is a courtesy; never let it break the work
            log.debug("progress write failed", exc_info=True)

    def _write(self, percent: int, message: str) -> None:
        model = type(self.job)
        conn = connections["default"]
        now = timezone.now()
        if not conn.in_atomic_block:
            model.objects.filter(pk=self.job.pk).update(
                progress=percent, message=message, updated_at=now
            )
            return
        if not self.side_connection or conn.vendor == "sqlite":
            return  # SQLite: the running transaction holds the write lock
        if self._conn is None:
            self._conn = connections.create_connection("default")
        with self._conn.cursor() as cursor:
            cursor.execute(
                f"UPDATE {model._meta.db_table} SET progress = %s, message = %s, "
                "updated_at = %s WHERE id = %s",
                [percent, message, now, self.job.pk],
            )

    def close(self) -> None:
        if self._conn is not None:
            self._conn.close()
            self._conn = None


def inline_jobs() -> bool:
    return bool(getattr(settings, "STYRKORT_JOBS_INLINE", False))


def start(job, work: Callable, *, inline: bool | None = None) -> None:
    """Run `work(job, progress)` for a saved job: queued for the worker after the current
    transaction commits, or at once when inline. `work` is a module-level function that
    returns the fields to save on success (e.g. {"content": ..., "filename": ...}) or
    raises; an exception's message (in the language of the person who ordered the job)
    becomes the job's message. The job runs in the language active when it was started,
    so what the work writes (an import's rejected rows, a report's texts) is in the
    orderer's language."""
    from styrkort.jobs.services import enqueue

    inline = inline_jobs() if inline is None else inline
    if inline:
        _run_job(type(job), job.pk, work)
        return
    enqueue(job, work, language=translation.get_language())


def refuse_over_limit(user, form) -> bool:
    """Put the per-person limit's message on `form` when `user` has reached it."""
    from styrkort.jobs.services import JobLimitError, check_limit

    try:
        check_limit(user)
    except JobLimitError as exc:
        form.add_error(None, str(exc))
        return True
    return False


def run_job(model, pk: int, work: Callable, *, language: str | None = None) -> None:
    """Run a queued job in the worker, in the language of the person who ordered it."""
    with translation.override(language):
        _run_job(model, pk, work)


def _run_job(model, pk: int, work: Callable) -> None:
    progress = None
    try:
        job = model.objects.get(pk=pk)
        model.objects.filter(pk=pk).update(status=JobStatus.RUNNING, updated_at=timezone.now())
        progress = ProgressWriter(job, side_connection=True)
        progress(0, gettext("Startar"))
        fields = work(job, progress) or {}
        model.objects.filter(pk=pk).update(
            status=JobStatus.DONE,
            progress=100,
            finished_at=timezone.now(),
            updated_at=timezone.now(),
            **fields,
        )
    except Exception as exc:
        message = getattr(exc, "message", None) or str(exc) or exc.__class__.__name__
        expected = getattr(exc, "expected", False)
        if not expected:
            log.exception("background job %s %s failed", model.__name__, pk)
            message = UNEXPECTED_MESSAGE
        _fail(model, pk, message)
    except TimeoutException:
        # The worker stops a job that runs past STYRKORT_JOB_TIMEOUT by raising this
        # (a SystemExit) in it: the job is failed with that reason, and the worker goes on.
        _fail(model, pk, TIMEOUT_MESSAGE)
        raise
    finally:
        if progress is not None:
            progress.close()


def _fail(model, pk: int, message: str) -> None:
    model.objects.filter(pk=pk).update(
        status=JobStatus.FAILED,
        message=str(message)[:500],
        finished_at=timezone.now(),
        updated_at=timezone.now(),
    )


class JobError(Exception):
    """An expected failure with a message for the person who ordered the job (built in
    the job's language)."""

    expected = True

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def job_state(job, now=None) -> dict:
    """What a page shows of a job: percent, message and whether it runs, is done or failed.
    A running job without progress for `STALE_AFTER` is shown as failed with
    `STALE_MESSAGE` instead of running forever (the worker's recovery marks it failed in
    the database too); a queued job stays queued (the queue still holds it), and says that
    it waits for the background service while no worker runs."""
    percent, message = job.progress, job.message
    running = not job.finished
    failed = job.status == JobStatus.FAILED
    status_label = job.get_status_display()
    waiting = False
    if running:
        if job.status == JobStatus.RUNNING and job.is_stale(now):
            running, failed = False, True
            message = str(STALE_MESSAGE)
            status_label = JobStatus.FAILED.label
        elif job.status == JobStatus.QUEUED and not inline_jobs():
            from styrkort.jobs.services import worker_running

            if not worker_running(now):
                waiting = True
                message = str(WAITING_MESSAGE)
    if message in TRANSLATED_LATER:
        message = gettext(message)
    return {
        "percent": percent,
        "message": message,
        "running": running,
        "failed": failed,
        "done": job.status == JobStatus.DONE,
        "status_label": status_label,
        "waiting_for_worker": waiting,
    }


def delete_old_reports(now=None) -> int:
    """Delete ordered reports (with their documents) older than `REPORTS_KEPT`; called
    when a new report is ordered. Returns how many went."""
    from .models import ReportJob

    cutoff = (now or timezone.now()) - REPORTS_KEPT
    deleted, _ = ReportJob.objects.filter(created_at__lt=cutoff).delete()
    return deleted
