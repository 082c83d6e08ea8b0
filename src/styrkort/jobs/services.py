"""The background jobs: queueing a job for the worker (django-q2's ORM broker), the
per-person limit, the worker's sign of life, recovery of jobs whose worker died, pruning
of old results and the periodic schedules (`settings.STYRKORT_SCHEDULES`).

A job is a row of a `styrkort.web.models.Job` model (a report, an import) whose work is a
module-level function `work(job, progress)`; the queue carries the job's model, id, the
work's dotted path and the language of the person who ordered it.
"""

from __future__ import annotations

import contextlib
import logging
import os
import socket
import zlib
from datetime import UTC, datetime, timedelta
from pathlib import Path

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext, gettext_noop, ngettext

from . import rules
from .models import WorkerBeat

log = logging.getLogger(__name__)

RUN_TASK = "styrkort.jobs.tasks.run"
_LOCK_SPACE = 7_401_221  # advisory locks of running jobs


class JobLimitError(Exception):
    """The person already has as many jobs queued or running as they may."""


def job_models() -> list:
    from styrkort.web.models import ImportJob, ReportJob

    return [ReportJob, ImportJob]


def timeout() -> timedelta:
    return timedelta(seconds=settings.STYRKORT_JOB_TIMEOUT)


# --- the per-person limit ------------------------------------------------------------


def active_jobs(user) -> int:
    """The person's jobs that are queued or running (a job lost long ago does not count)."""
    since = timezone.now() - timeout() - timedelta(seconds=settings.Q_CLUSTER["retry"])
    return sum(
        model.objects.filter(
            owner=user, status__in=("queued", "running"), updated_at__gte=since
        ).count()
        for model in job_models()
    )


def check_limit(user) -> None:
    """Raise JobLimitError (a sentence in the active language) when `user` may not order
    one more job now."""
    limit = settings.STYRKORT_JOBS_PER_PERSON
    if rules.over_limit(active_jobs(user), limit):
        raise JobLimitError(
            ngettext(
                "Du har redan %(limit)s jobb i kö eller igång, vilket är det högsta antalet. "
                "Vänta tills det är klart och försök igen.",
                "Du har redan %(limit)s jobb i kö eller igång, vilket är det högsta antalet. "
                "Vänta tills något av dem är klart och försök igen.",
                limit,
            )
            % {"limit": limit}
        )


# --- queueing -------------------------------------------------------------------------


def work_path(work) -> str:
    path = f"{work.__module__}.{work.__qualname__}"
    if "<" in path:
        raise ValueError(f"A job's work must be a module-level function, not {path}")
    return path


def enqueue(job, work, *, language: str | None) -> None:
    """Queue `work(job, progress)` for the worker once the current transaction commits."""
    from django_q.tasks import async_task

    label, pk, path = job._meta.label, job.pk, work_path(work)

    def send():
        task_id = async_task(RUN_TASK, label, pk, path, language, task_name=f"{label}-{pk}")
        type(job).objects.filter(pk=pk).update(task_id=task_id)

    transaction.on_commit(send)


def queued_task_ids() -> set[str]:
    """The ids of the tasks the queue still holds (waiting, or taken by a worker)."""
    from django_q.models import OrmQ

    ids = set()
    for entry in OrmQ.objects.all():
        try:
            ids.add(entry.task_id())
        except Exception:  # an entry that cannot be read is not ours to judge
            log.warning("unreadable queue entry %s", entry.pk)
    return ids


@contextlib.contextmanager
def running_alone(model, pk: int):
    """Yield True when no other worker process runs this job now. On PostgreSQL a session
    advisory lock on the job (released when the holder's connection ends, a killed worker's
    too); on SQLite the worker runs one process, so a job never runs twice at once."""
    if connection.vendor != "postgresql":
        yield True
        return
    key = (_LOCK_SPACE << 32) | zlib.crc32(f"{model._meta.label}:{pk}".encode())
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_try_advisory_lock(%s::bigint)", [key])
        alone = cursor.fetchone()[0]
    try:
        yield alone
    finally:
        if alone:
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_unlock(%s::bigint)", [key])


# --- the worker's sign of life ----------------------------------------------------------


def worker_name() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


def beat_file() -> Path:
    return Path(settings.VAR_DIR) / "worker-beat"


def beat(name: str, started_at) -> None:
    """The worker's sign of life: a file under the var directory (written even while an
    import holds SQLite's write lock) and its row (seen by web servers on other hosts)."""
    now = timezone.now()
    beat_file().write_text(f"{name} {now.isoformat()}\n")
    WorkerBeat.objects.update_or_create(
        name=name, defaults={"started_at": started_at, "seen_at": now}
    )
    WorkerBeat.objects.filter(seen_at__lt=now - timedelta(days=1)).delete()


def worker_running(now=None) -> bool:
    now = now or timezone.now()
    last = WorkerBeat.objects.order_by("-seen_at").values_list("seen_at", flat=True).first()
    with contextlib.suppress(OSError):
        touched = datetime.fromtimestamp(beat_file().stat().st_mtime, tz=UTC)
        last = touched if last is None else max(last, touched)
    return rules.worker_alive(last, now)


# --- recovery and pruning --------------------------------------------------------------

#: stored as the Swedish source text and translated when shown (`styrkort.web.jobs`)
ATTEMPTS_MESSAGE = gettext_noop(
    "Jobbet avbröts varje gång det startades, för att bakgrundstjänsten stannade. "
    "Det görs inte om; beställ det igen."
)
LOST_MESSAGE = gettext_noop(
    "Bakgrundstjänsten stannade medan jobbet pågick, och jobbet finns inte längre i kön. "
    "Beställ det igen."
)


def recover(now=None) -> int:
    """Mark failed, with the reason, every job that will never finish: started too many
    times by workers that died, or gone from the queue and silent for longer than a job
    may run. Returns how many."""
    now = now or timezone.now()
    in_queue = queued_task_ids()
    failed = 0
    for model in job_models():
        for job in model.objects.filter(status__in=("queued", "running")).defer(
            *(["content"] if hasattr(model, "content") else [])
        ):
            view = rules.JobView(
                status=job.status,
                updated_at=job.updated_at,
                attempts=job.attempts,
                in_queue=bool(job.task_id) and job.task_id in in_queue,
            )
            verdict = rules.recovery(
                view, now, timeout=timeout(), max_attempts=settings.STYRKORT_JOB_ATTEMPTS
            )
            if verdict is None:
                continue
            failed += fail(job, ATTEMPTS_MESSAGE if verdict == "attempts" else LOST_MESSAGE)
    return failed


def fail(job, message: str) -> int:
    """Mark an unfinished job failed with `message` (the Swedish source text, translated
    when shown); returns 1 when it was still unfinished."""
    return (
        type(job)
        .objects.filter(pk=job.pk, status__in=("queued", "running"))
        .update(
            status="failed",
            message=message[:500],
            finished_at=timezone.now(),
            updated_at=timezone.now(),
        )
    )


def prune(now=None) -> dict[str, int]:
    """Delete finished jobs older than `STYRKORT_JOBS_KEEP_DAYS` with their documents and
    uploaded files, and the queue's own records of finished tasks as old."""
    from django_q.models import Task

    now = now or timezone.now()
    cutoff = now - timedelta(days=settings.STYRKORT_JOBS_KEEP_DAYS)
    counts = {}
    for model in job_models():
        old = model.objects.filter(status__in=("done", "failed"), finished_at__lt=cutoff)
        if hasattr(model, "upload_path"):
            for path in old.exclude(upload_path="").values_list("upload_path", flat=True):
                Path(path).unlink(missing_ok=True)
        counts[model._meta.model_name], _ = old.delete()
    counts["tasks"], _ = Task.objects.filter(stopped__lt=cutoff).delete()
    return counts


# --- schedules --------------------------------------------------------------------------


def sync_schedules() -> None:
    """Make the queue's schedules what `settings.STYRKORT_SCHEDULES` says (by name): the
    one place where periodic tasks are configured. A spec has "minutes" (every N minutes)
    or "daily_at" ("07:00", local time: a daily task)."""
    from django_q.models import Schedule

    for name, spec in settings.STYRKORT_SCHEDULES.items():
        if "daily_at" in spec:
            _sync_daily(Schedule, name, spec["func"], spec["daily_at"])
            continue
        minutes = int(spec["minutes"])
        schedule = Schedule.objects.filter(name=name).first()
        if schedule is None:
            Schedule.objects.create(
                name=name,
                func=spec["func"],
                schedule_type=Schedule.MINUTES,
                minutes=minutes,
                repeats=-1,
                next_run=timezone.now() + timedelta(seconds=spec.get("first_after", 60)),
            )
        elif (schedule.func, schedule.minutes, schedule.schedule_type) != (
            spec["func"],
            minutes,
            Schedule.MINUTES,
        ):
            schedule.func, schedule.minutes = spec["func"], minutes
            schedule.schedule_type, schedule.repeats = Schedule.MINUTES, -1
            schedule.save()


def _sync_daily(Schedule, name: str, func: str, at: str) -> None:
    """A daily schedule at local time `at` ("HH:MM"); django-q2 keeps the time of day
    across daylight saving changes."""
    next_run = rules.next_daily_run(at, timezone.localtime())
    schedule = Schedule.objects.filter(name=name).first()
    if schedule is None:
        Schedule.objects.create(
            name=name, func=func, schedule_type=Schedule.DAILY, repeats=-1, next_run=next_run
        )
        return
    current = timezone.localtime(schedule.next_run).strftime("%H:%M") if schedule.next_run else ""
    if (schedule.func, schedule.schedule_type, current) != (func, Schedule.DAILY, at):
        schedule.func, schedule.schedule_type, schedule.minutes = func, Schedule.DAILY, None
        schedule.repeats, schedule.next_run = -1, next_run
        schedule.save()


def schedules() -> list[dict]:
    """Every schedule with its next run, its last run and its last error, for the
    administrators' jobs page and `styrkort jobs`."""
    from django_q.models import Schedule, Task

    rows = []
    for schedule in Schedule.objects.order_by("name"):
        last = Task.objects.filter(group=schedule.name).order_by("-started").first()
        if last is None and schedule.task:
            last = Task.objects.filter(id=schedule.task).first()
        error = Task.objects.filter(group=schedule.name, success=False).order_by("-started").first()
        rows.append(
            {
                "name": schedule.name,
                "func": schedule.func,
                "every_minutes": schedule.minutes,
                "daily_at": (
                    timezone.localtime(schedule.next_run).strftime("%H:%M")
                    if schedule.schedule_type == Schedule.DAILY and schedule.next_run
                    else None
                ),
                "next_run": schedule.next_run,
                "last_run": last.started if last else None,
                "last_ok": last.success if last else None,
                "last_error": str(error.result)[:500] if error else "",
                "last_error_at": error.started if error else None,
            }
        )
    return rows


def listing(limit: int = 50) -> list[dict]:
    """Queued, running and failed jobs, newest first (for administrators)."""
    rows = []
    for model in job_models():
        fields = [
            "id",
            "owner__username",
            "status",
            "progress",
            "message",
            "created_at",
            "updated_at",
            "finished_at",
            "attempts",
        ]
        for job in (
            model.objects.filter(status__in=("queued", "running", "failed"))
            .order_by("-created_at")
            .values(*fields)[:limit]
        ):
            job["kind"] = model._meta.model_name
            job["message"] = gettext(job["message"]) if job["message"] else ""
            rows.append(job)
    rows.sort(key=lambda row: row["created_at"], reverse=True)
    return rows[:limit]
