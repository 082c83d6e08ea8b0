"""Pure rules of the background jobs: the per-person limit, when a job counts as lost,
and what recovery does with it. No database here; `styrkort.jobs.services` feeds them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, time, timedelta

#: a worker that has not written its beat for this long is taken as stopped
WORKER_SILENT_AFTER = timedelta(seconds=45)


@dataclass(frozen=True)
class JobView:
    """What the rules need to know of a job."""

    status: str  # queued | running | done | failed
    updated_at: datetime
    attempts: int
    in_queue: bool  # the queue still holds its task (it will be delivered again)


def is_active(status: str) -> bool:
    return status in ("queued", "running")


def over_limit(active_jobs: int, limit: int) -> bool:
    """A person may have at most `limit` jobs queued or running at once (0: no limit)."""
    return limit > 0 and active_jobs >= limit


def recovery(job: JobView, now: datetime, *, timeout: timedelta, max_attempts: int) -> str | None:
    """What to do with a job found by the recovery task:
    - "lost": it is not finished and its task is no longer in the queue (the queue lost it,
      or it was dropped after its attempts), and nothing has been heard of it for longer
      than a job may run: mark it failed;
    - "attempts": it was started more than `max_attempts` times without finishing (its
      worker died each time): mark it failed;
    - None: leave it (finished, still running within its time, or waiting to be
      delivered again)."""
    if not is_active(job.status):
        return None
    if job.attempts > max_attempts:
        return "attempts"
    if not job.in_queue and now - job.updated_at > timeout:
        return "lost"
    return None


def worker_alive(last_seen: datetime | None, now: datetime) -> bool:
    return last_seen is not None and now - last_seen <= WORKER_SILENT_AFTER


def next_daily_run(at: str, now: datetime) -> datetime:
    """The next time it is `at` ("HH:MM") on `now`'s clock (today, or tomorrow when that
    time has passed). Raises ValueError for a time that is not HH:MM."""
    hour, minute = (int(part) for part in at.split(":"))
    first = datetime.combine(now.date(), time(hour, minute), tzinfo=now.tzinfo)
    if first <= now:
        first = datetime.combine(
            now.date() + timedelta(days=1), time(hour, minute), tzinfo=now.tzinfo
        )
    return first
