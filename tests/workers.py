"""`styrkort worker` as a real process for the tests: started against a database the test
can also read (the test database itself on PostgreSQL, or a database of its own), stopped
(or killed) at the end."""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote


def test_database_url() -> str | None:
    """The URL of the test database the test process uses, when another process can reach
    it (PostgreSQL); None for SQLite's in-memory test database."""
    from django.db import connection

    settings = connection.settings_dict
    if connection.vendor != "postgresql":
        return None
    user = quote(settings["USER"] or "", safe="")
    password = quote(settings["PASSWORD"] or "", safe="")
    host = settings["HOST"] or "localhost"
    port = settings["PORT"] or 5432
    return f"postgres://{user}:{password}@{host}:{port}/{settings['NAME']}"


def worker_env(database_url: str, **extra: str) -> dict[str, str]:
    """The environment of a worker for `database_url`; it signs and reads the queue's
    tasks with the same secret key as this process (the web side)."""
    from django.conf import settings

    env = {k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"}
    env.update(
        {
            "STYRKORT_DATABASE_URL": database_url,
            "STYRKORT_SECRET_KEY": settings.SECRET_KEY,
        }
    )
    env.update(extra)
    return env


def start_worker(env: dict[str, str], log_path) -> subprocess.Popen:
    """A worker in a process group of its own (the cluster's processes with it)."""
    log = open(log_path, "ab")  # noqa: SIM115 - the worker writes to it until it stops
    return subprocess.Popen(
        [sys.executable, "-m", "styrkort.cli", "worker"],
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )


def wait_until_running(process: subprocess.Popen, log_path, timeout: float = 120) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise AssertionError(
                f"the worker stopped: {Path(log_path).read_text(errors='replace')}"
            )
        if "Bakgrundstjänsten är igång" in _text(log_path):
            time.sleep(1)  # the cluster's processes start
            return
        time.sleep(0.1)
    raise AssertionError(f"the worker never started: {Path(log_path).read_text(errors='replace')}")


def _text(path) -> str:
    return Path(path).read_text(errors="replace")


def kill(process: subprocess.Popen, sig=signal.SIGKILL) -> None:
    """Signal the worker's whole process group and wait for it."""
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, sig)
    try:
        process.wait(timeout=30)
    except subprocess.TimeoutExpired:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=30)


@contextlib.contextmanager
def running_worker(env: dict[str, str], log_path) -> Iterator[subprocess.Popen]:
    process = start_worker(env, log_path)
    try:
        wait_until_running(process, log_path)
        yield process
    finally:
        kill(process, signal.SIGTERM)
