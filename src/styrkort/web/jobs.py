"""Background jobs of the web app: a report or an import runs in a daemon thread with its
own database connection (closed at the end) while the page polls its progress.

`settings.STYRKORT_JOBS_INLINE = True` (or `inline=True`) runs the job in the request
itself, for tests and for installations that want no threads.

Progress is written to the job's row when no transaction holds it back. An import runs in
one transaction (all or nothing), so its progress is also kept in this process's memory
(`live_progress`) and, on PostgreSQL, written through a second connection; with SQLite and
several worker processes a poll answered by another process shows the last progress
written before the transaction began.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable

from django.conf import settings
from django.db import close_old_connections, connections, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext, gettext_lazy, gettext_noop

from .models import REPORTS_KEPT, JobStatus

#: shown for a job whose process was lost (see `models.STALE_AFTER`)
STALE_MESSAGE = gettext_lazy("Jobbet avbröts, försök igen.")
#: stored for a job that failed on an unexpected error; the job runs outside the request
#: (no language), so the source text is stored and translated when the job is shown
UNEXPECTED_MESSAGE = gettext_noop(
    "Ett oväntat fel inträffade. Försök igen eller kontakta förvaltningen."
)

log = logging.getLogger(__name__)

_LIVE: dict[tuple[str, int], tuple[int, str]] = {}
_LOCK = threading.Lock()


def live_progress(job) -> tuple[int, str] | None:
    """The progress of a running job of this process, newer than its row."""
    with _LOCK:
        return _LIVE.get((job._meta.label_lower, job.pk))


def _set_live(job, percent: int, message: str) -> None:
    with _LOCK:
        _LIVE[(job._meta.label_lower, job.pk)] = (percent, message)


def _drop_live(job) -> None:
    with _LOCK:
        _LIVE.pop((job._meta.label_lower, job.pk), None)


class ProgressWriter:
    """Records a job's progress (0-100) and a Swedish message: in memory at once, in the
    database at most every `interval` seconds (and always for 0 and 100)."""

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
        _set_live(self.job, percent, message)
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
    """Run `work(job, progress)` for a saved job: in a daemon thread after the current
    transaction commits, or at once when inline. `work` returns the fields to save on
    success (e.g. {"content": ..., "filename": ...}) or raises; an exception's message
    (in the language of the person who ordered the job) becomes the job's message. A
    thread runs in the language active when the job was started, so what the work writes
    (an import's rejected rows, a report's texts) is in the orderer's language."""
    inline = inline_jobs() if inline is None else inline
    if inline:
        _run(type(job), job.pk, work, threaded=False)
        return
    model, pk = type(job), job.pk
    language = translation.get_language()

    def launch():
        thread = threading.Thread(
            target=_run,
            args=(model, pk, work),
            kwargs={"threaded": True, "language": language},
            daemon=True,
        )
        thread.name = f"styrkort-{model._meta.model_name}-{pk}"
        thread.start()

    transaction.on_commit(launch)


def _run(model, pk: int, work: Callable, *, threaded: bool, language: str | None = None) -> None:
    if language is None:
        _run_job(model, pk, work, threaded=threaded)
        return
    with translation.override(language):
        _run_job(model, pk, work, threaded=threaded)


def _run_job(model, pk: int, work: Callable, *, threaded: bool) -> None:
    if threaded:
        close_old_connections()
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
        model.objects.filter(pk=pk).update(
            status=JobStatus.FAILED,
            message=str(message)[:500],
            finished_at=timezone.now(),
            updated_at=timezone.now(),
        )
    finally:
        if progress is not None:
            progress.close()
            _drop_live(progress.job)
        if threaded:
            connections.close_all()


class JobError(Exception):
    """An expected failure with a message for the person who ordered the job (built in
    the job's language)."""

    expected = True

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def job_state(job, now=None) -> dict:
    """What a page shows of a job: percent, message and whether it runs, is done or failed.
    A queued or running job without progress for `STALE_AFTER` (and none in this
    process's memory) is shown as failed with `STALE_MESSAGE` instead of running forever."""
    percent, message = job.progress, job.message
    running = not job.finished
    failed = job.status == JobStatus.FAILED
    status_label = job.get_status_display()
    if running:
        live = live_progress(job)
        if live:
            percent, message = live
        elif job.is_stale(now):
            running, failed = False, True
            message = str(STALE_MESSAGE)
            status_label = JobStatus.FAILED.label
    if message == UNEXPECTED_MESSAGE:
        message = gettext(UNEXPECTED_MESSAGE)
    return {
        "percent": percent,
        "message": message,
        "running": running,
        "failed": failed,
        "done": job.status == JobStatus.DONE,
        "status_label": status_label,
    }


def delete_old_reports(now=None) -> int:
    """Delete ordered reports (with their documents) older than `REPORTS_KEPT`; called
    when a new report is ordered. Returns how many went."""
    from .models import ReportJob

    cutoff = (now or timezone.now()) - REPORTS_KEPT
    deleted, _ = ReportJob.objects.filter(created_at__lt=cutoff).delete()
    return deleted
