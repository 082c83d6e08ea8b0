"""The worker as a real process: killed (SIGKILL, its whole process group) in the middle
of a report job and of an import job, then started again: both jobs end finished, the
import wrote nothing while killed and everything at the end, nothing stays "running".
And a scheduled task runs at its time while the web server is restarted.

Each test has a database of its own that the worker processes and the test share (a new
PostgreSQL database when STYRKORT_DATABASE_URL is PostgreSQL, else an SQLite file).
"""

from __future__ import annotations

import json
import os
import secrets
import socket
import sqlite3
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pytest

from workers import kill, running_worker, start_worker, wait_until_running, worker_env

pytestmark = pytest.mark.slow

SHAPE = {"units": 250, "indicators": 20, "months": 30}  # 150 000 rows
ROWS = SHAPE["units"] * SHAPE["indicators"] * SHAPE["months"]

SETUP = """
import django, json, sys
django.setup()
from pathlib import Path
from django.core.management import call_command
from styrkort.accounts.models import User
from styrkort.bench.imports import _create_synthetic, _write_csv
from styrkort.demo.loader import FIXTURE_DIR
files = sorted(p.name for p in FIXTURE_DIR.glob("0[01][0-9]-norrbotten-*.yaml"))
call_command("demo", "--no-users", *files, verbosity=0)
User.objects.create_superuser("bestallare", "bestallare@example.se", "x-" + "y" * 20)
units, indicators = _create_synthetic(json.loads(sys.argv[1]))
print(_write_csv(Path(sys.argv[2]), units, indicators, json.loads(sys.argv[1])["months"]))
"""

ORDER = """
import django, sys
django.setup()
from styrkort.accounts.models import User
from styrkort.organisation.models import OrgUnit
from styrkort.web.jobs import start
from styrkort.web.models import ImportJob, ReportJob
from styrkort.web.views.imports import _run
from styrkort.web.views.reports import _build
owner = User.objects.get(username="bestallare")
report = ReportJob.objects.create(owner=owner, unit=OrgUnit.objects.get(code="NLL"),
    kind="interim", period="2022-DÅ04", fmt="pdf")
start(report, _build, inline=False)
imported = ImportJob.objects.create(owner=owner, kind="outcomes", filename="utfall.csv",
    upload_path=sys.argv[1])
start(imported, _run, inline=False)
print(report.pk, imported.pk)
"""


class Database:
    """Plain SQL on the shared database, from the test process."""

    def __init__(self, url: str):
        self.url = url

    def rows(self, sql: str) -> list[tuple]:
        if self.url.startswith("sqlite"):
            with sqlite3.connect(self.url.removeprefix("sqlite:///"), timeout=30) as conn:
                return conn.execute(sql).fetchall()
        import psycopg

        with psycopg.connect(self.url) as conn:
            return conn.execute(sql).fetchall()

    def value(self, sql: str):
        return self.rows(sql)[0][0]


@pytest.fixture
def database(tmp_path):
    base = os.environ.get("STYRKORT_DATABASE_URL", "")
    name = None
    if base.startswith(("postgres://", "postgresql://")):
        import psycopg

        name = f"styrkort_worker_{secrets.token_hex(4)}"
        with psycopg.connect(base, autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
        url = urlunsplit(urlsplit(base)._replace(path=f"/{name}"))
    else:
        url = f"sqlite:///{tmp_path / 'worker.sqlite3'}"
    env = worker_env(
        url,
        STYRKORT_VAR_DIR=str(tmp_path / "var"),
        STYRKORT_JOB_TIMEOUT="60",
        STYRKORT_JOB_RETRY="65",
        STYRKORT_WORKER_POLL_SECONDS="0.2",
    )
    subprocess.run(
        [sys.executable, "-m", "styrkort.cli", "manage", "migrate", "--noinput", "-v0"],
        env=env,
        check=True,
        timeout=600,
    )
    yield env, Database(url)
    if name is not None:
        import psycopg

        with psycopg.connect(base, autocommit=True) as conn:
            conn.execute(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
                " WHERE datname = %s AND usename = current_user AND pid <> pg_backend_pid()",
                [name],
            )
            conn.execute(f'DROP DATABASE IF EXISTS "{name}"')


def _python(env, code, *args) -> str:
    done = subprocess.run(
        [sys.executable, "-c", code, *args],
        env=env,
        check=True,
        capture_output=True,
        text=True,
        timeout=900,
    )
    return done.stdout.strip()


def _jobs(db: Database, report: int, imported: int) -> dict[str, tuple]:
    fields = "status, attempts, message"
    return {
        "report": db.rows(f"SELECT {fields} FROM web_reportjob WHERE id = {report}")[0],
        "import": db.rows(f"SELECT {fields} FROM web_importjob WHERE id = {imported}")[0],
    }


def _wait(predicate, timeout: float, what: str):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(0.1)
    pytest.fail(f"waited {timeout:.0f} s for {what}")


def test_jobs_of_a_killed_worker_end_finished(database, tmp_path):
    env, db = database
    path = tmp_path / "utfall.csv"
    assert int(_python(env, SETUP, json.dumps(SHAPE), str(path))) == ROWS
    outcomes = "SELECT count(*) FROM followup_outcome"
    before = db.value(outcomes)
    report, imported = map(int, _python(env, ORDER, str(path)).split())

    # Kill the worker while each job runs (one at a time or both at once), start another.
    killed: set[str] = set()
    log = tmp_path / "worker.log"
    while killed != {"report", "import"}:
        worker = start_worker(env, log)
        wait_until_running(worker, log)
        running = _wait(
            lambda: {
                name
                for name, (status, *_rest) in _jobs(db, report, imported).items()
                if status == "running" and name not in killed
            },
            timeout=300,
            what="a job to run",
        )
        # Well inside the work: the report is being written, rows read. An import of
        # PostgreSQL's COPY is done in about a second, so it is killed at once.
        time.sleep(0.05 if "import" in running else 0.5)
        kill(worker)
        states = _jobs(db, report, imported)
        for name in running:
            if states[name][0] == "running":
                killed.add(name)
        # All or nothing: whatever the killed import had read is gone.
        assert db.value(outcomes) == before

    with running_worker(env, log):
        done = _wait(
            lambda: all(s[0] in ("done", "failed") for s in _jobs(db, report, imported).values()),
            timeout=600,
            what="both jobs to finish",
        )
        assert done
    states = _jobs(db, report, imported)
    assert states["report"][0] == "done", states
    assert states["import"][0] == "done", states
    assert states["report"][1] >= 2 and states["import"][1] >= 2  # started again
    assert db.value(f"SELECT length(content) FROM web_reportjob WHERE id = {report}") > 10_000
    assert db.value(outcomes) == before + ROWS  # everything, once
    assert db.value("SELECT count(*) FROM web_reportjob WHERE status = 'running'") == 0
    assert db.value("SELECT count(*) FROM web_importjob WHERE status = 'running'") == 0
    assert not path.exists()  # the upload is removed once imported


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _serve(env, port: int, log: Path) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "styrkort.cli", "serve", "--no-demo", "--port", str(port)],
        env=env,
        stdout=log.open("ab"),
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )


def test_a_scheduled_task_runs_while_the_web_server_restarts(database, tmp_path):
    env, db = database
    log, web_log = tmp_path / "worker.log", tmp_path / "web.log"
    port = _free_port()
    web = _serve(env, port, web_log)
    with running_worker(env, log):
        # The schedule is due now; the scheduler looks every 30 seconds.
        due = "2000-01-01 00:00:00+00:00" if "sqlite" in db.url else "2000-01-01 00:00:00+00"
        name = "Rensa gamla jobb"
        _python(
            env,
            "import django; django.setup(); from django_q.models import Schedule;"
            f"Schedule.objects.filter(name='{name}').update(next_run='{due}')",
        )
        kill(web)  # the web server goes down and comes back while the task falls due
        time.sleep(2)
        web = _serve(env, port, web_log)
        ran = _wait(
            lambda: db.rows(
                "SELECT success, started FROM django_q_task WHERE \"group\" = 'Rensa gamla jobb'"
            ),
            timeout=120,
            what="the scheduled task to run",
        )
        assert ran[0][0] in (1, True)
        next_run = db.value(f"SELECT next_run FROM django_q_schedule WHERE name = '{name}'")
        assert str(next_run) > "2026"
        out = subprocess.run(
            [sys.executable, "-m", "styrkort.cli", "jobs"],
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
            check=True,
        ).stdout
        assert "Bakgrundstjänsten: igång" in out
        assert "Rensa gamla jobb (var 60:e minut): senast 20" in out
    kill(web)
