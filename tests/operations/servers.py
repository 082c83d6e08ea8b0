"""Real processes for the several-servers tests: a redis-server of the test's own, a
PostgreSQL database of the test's own, and `styrkort serve --production` (gunicorn) on a
port of its own."""

from __future__ import annotations

import contextlib
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

START_TIMEOUT_S = 240


def free_port() -> int:
    """A free TCP port on loopback; from STYRKORT_TEST_PORTS ("8700-8799") when set, for a
    machine where ports are shared out among people."""
    span = os.environ.get("STYRKORT_TEST_PORTS", "")
    if span:
        low, high = (int(part) for part in span.split("-"))
        candidates = list(range(low, high + 1))
        secrets.SystemRandom().shuffle(candidates)
    else:
        candidates = [0]
    for candidate in candidates:
        with socket.socket() as sock:
            try:
                sock.bind(("127.0.0.1", candidate))
            except OSError:
                continue
            return sock.getsockname()[1]
    raise RuntimeError(f"no free port in {span}")


def _wait_for_port(port: int, process: subprocess.Popen, log: Path, what: str) -> None:
    deadline = time.monotonic() + START_TIMEOUT_S
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise AssertionError(f"{what} stopped:\n{log.read_text(errors='replace')}")
        with socket.socket() as sock:
            if sock.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.2)
    raise AssertionError(f"{what} never answered:\n{log.read_text(errors='replace')}")


def stop(process: subprocess.Popen) -> None:
    """End the process's whole group (gunicorn and its workers), politely first."""
    if process.poll() is not None:
        return
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(timeout=30)
    except subprocess.TimeoutExpired:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=30)


@contextlib.contextmanager
def redis_server(directory: Path):
    """A throwaway redis-server on loopback (no persistence); yields its redis:// URL."""
    binary = shutil.which("redis-server") or "/usr/bin/redis-server"
    port = free_port()
    log = directory / "redis.log"
    arguments = ["--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"]
    process = subprocess.Popen(
        [binary, *arguments, "--dir", str(directory), "--logfile", str(log)],
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    try:
        log.touch()
        _wait_for_port(port, process, log, "redis-server")
        yield f"redis://127.0.0.1:{port}/0"
    finally:
        stop(process)


@contextlib.contextmanager
def postgres_database(base_url: str):
    """A new, empty database on the PostgreSQL server of `base_url`; dropped at the end."""
    import psycopg

    name = f"styrkort_servers_{secrets.token_hex(4)}"
    with psycopg.connect(base_url, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    try:
        yield urlunsplit(urlsplit(base_url)._replace(path=f"/{name}"))
    finally:
        with psycopg.connect(base_url, autocommit=True) as conn:
            conn.execute(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
                " WHERE datname = %s AND usename = current_user AND pid <> pg_backend_pid()",
                [name],
            )
            conn.execute(f'DROP DATABASE IF EXISTS "{name}"')


def environment(var_dir: Path, **settings: str) -> dict[str, str]:
    """This process's environment without its STYRKORT_ variables or proxies, plus
    `settings`: what a server of the test runs with."""
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("STYRKORT_", "PROMETHEUS_"))
        and key != "DJANGO_ALLOW_ASYNC_UNSAFE"
        and not key.lower().endswith("_proxy")
    }
    env["STYRKORT_VAR_DIR"] = str(var_dir)
    env.update(settings)
    return env


def run_python(env: dict[str, str], code: str, *args: str) -> str:
    done = subprocess.run(
        [sys.executable, "-c", code, *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=900,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    return done.stdout.strip()


class Server:
    """`styrkort serve --production` with two gunicorn workers, on a port of its own."""

    def __init__(self, env: dict[str, str], log: Path, workers: int = 2):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log = log
        command = [sys.executable, "-m", "styrkort.cli", "serve", "--production"]
        with open(log, "wb") as out:
            self.process = subprocess.Popen(
                [*command, "--port", str(self.port), "--workers", str(workers)],
                env=env,
                stdin=subprocess.DEVNULL,
                stdout=out,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        try:
            _wait_for_port(self.port, self.process, log, "the server")
        except BaseException:
            stop(self.process)
            raise

    def stop(self) -> None:
        stop(self.process)
