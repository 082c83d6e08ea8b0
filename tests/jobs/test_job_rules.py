"""The pure rules of the background jobs: the per-person limit and recovery."""

from datetime import UTC, datetime, timedelta

import pytest

from styrkort.jobs.rules import JobView, over_limit, recovery, worker_alive

NOW = datetime(2022, 5, 2, 9, 0, tzinfo=UTC)
TIMEOUT = timedelta(minutes=30)


@pytest.mark.parametrize(
    ("active", "limit", "refused"), [(0, 3, False), (2, 3, False), (3, 3, True), (9, 0, False)]
)
def test_limit(active, limit, refused):
    assert over_limit(active, limit) is refused


def _job(status="running", minutes_ago=1, attempts=1, in_queue=True):
    return JobView(status, NOW - timedelta(minutes=minutes_ago), attempts, in_queue)


@pytest.mark.parametrize(
    ("job", "verdict"),
    [
        (_job(), None),  # running within its time
        (_job(minutes_ago=90), None),  # silent, but the queue will deliver it again
        (_job(minutes_ago=90, in_queue=False), "lost"),  # gone from the queue: never ends
        (_job(minutes_ago=5, in_queue=False), None),  # not yet past its time
        (_job(status="queued", minutes_ago=90, in_queue=False, attempts=0), "lost"),
        (_job(attempts=3), "attempts"),  # started three times, its worker died each time
        (_job(status="done", minutes_ago=900, in_queue=False), None),
        (_job(status="failed", attempts=5), None),
    ],
)
def test_recovery(job, verdict):
    assert recovery(job, NOW, timeout=TIMEOUT, max_attempts=2) == verdict


def test_worker_alive():
    assert worker_alive(NOW - timedelta(seconds=20), NOW)
    assert not worker_alive(NOW - timedelta(minutes=2), NOW)
    assert not worker_alive(None, NOW)
