"""An import killed halfway (SIGKILL) leaves nothing behind.

`styrkort import` runs in a subprocess against a database of its own (a new PostgreSQL
database when STYRKORT_DATABASE_URL is PostgreSQL, else an SQLite file), is killed once
while it reads the file and once after it has read it all (while it writes), and each
time every row of the follow-up and planning tables, history included, is what it was
before. Then the same import, left alone, goes through.
"""

from __future__ import annotations

import json
import os
import secrets
import signal
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pytest

SHAPE = {"units": 400, "indicators": 25, "months": 20}  # 200 000 rows
ROWS = SHAPE["units"] * SHAPE["indicators"] * SHAPE["months"]

SETUP = """
import django, json, sys
django.setup()
from pathlib import Path
from styrkort.bench.imports import _create_synthetic, _write_csv
units, indicators = _create_synthetic(json.loads(sys.argv[1]))
print(_write_csv(Path(sys.argv[2]), units, indicators, json.loads(sys.argv[1])["months"]))
"""

DUMP = """
import django, hashlib
django.setup()
from django.apps import apps
from django.db import connection
digest = hashlib.sha256()
rows = 0
tables = sorted({m._meta.db_table for label in ("followup", "planning")
                 for m in apps.get_app_config(label).get_models(include_auto_created=True)})
with connection.cursor() as cursor:
    for table in tables:
        cursor.execute(f'SELECT * FROM "{table}" ORDER BY 1')
        for row in cursor.fetchall():
            digest.update(repr((table, row)).encode())
            rows += 1
print(rows, digest.hexdigest())
"""


@pytest.fixture
def database(tmp_path):
    """A database URL of its own for the subprocesses, migrated."""
    base = os.environ.get("STYRKORT_DATABASE_URL", "")
    if base.startswith(("postgres://", "postgresql://")):
        import psycopg

        name = f"styrkort_kill_{secrets.token_hex(4)}"
        with psycopg.connect(base, autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
        parts = urlsplit(base)
        url = urlunsplit(parts._replace(path=f"/{name}"))
    else:
        name = None
        url = f"sqlite:///{tmp_path / 'kill.sqlite3'}"
    env = {
        **os.environ,
        "STYRKORT_DATABASE_URL": url,
        "STYRKORT_VAR_DIR": str(tmp_path / "var"),
        "DJANGO_SETTINGS_MODULE": "styrkort.settings",
    }
    subprocess.run(
        [sys.executable, "-m", "styrkort.cli", "manage", "migrate", "--noinput", "-v0"],
        env=env,
        check=True,
        timeout=600,
    )
    yield env
    if name is not None:
        _drop_database(base, name)


def _drop_database(base: str, name: str) -> None:
    """Drop the test database without needing the right to signal other roles.

    DROP DATABASE ... WITH (FORCE) must be allowed to terminate every backend in the
    database, an autovacuum worker included, which a plain role may not. A plain DROP
    stops autovacuum itself; our own role's leftover backends we end first.
    """
    import psycopg

    with psycopg.connect(base, autocommit=True) as conn:
        for _attempt in range(100):
            conn.execute(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
                " WHERE datname = %s AND usename = current_user AND pid <> pg_backend_pid()",
                [name],
            )
            try:
                conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
                return
            except psycopg.errors.ObjectInUse:
                time.sleep(0.1)
        conn.execute(f'DROP DATABASE IF EXISTS "{name}"')


def _python(env, code, *args) -> str:
    done = subprocess.run(
        [sys.executable, "-c", code, *args],
        env=env,
        check=True,
        capture_output=True,
        text=True,
        timeout=600,
    )
    return done.stdout.strip()


def _file_position(pid: int, path: Path) -> int | None:
    """How far process `pid` has read `path` (Linux /proc), None when not open."""
    fd_dir = Path(f"/proc/{pid}/fd")
    try:
        for fd in fd_dir.iterdir():
            try:
                if os.readlink(fd) == str(path):
                    info = (Path(f"/proc/{pid}/fdinfo") / fd.name).read_text()
                    return int(info.split("pos:")[1].split()[0])
            except (FileNotFoundError, ProcessLookupError):
                continue
    except (FileNotFoundError, ProcessLookupError):
        return None
    return None


def _import(env, path: Path) -> subprocess.Popen:
    return subprocess.Popen(
        [
            sys.executable,
            "-m",
            "styrkort.cli",
            "import",
            "outcomes",
            str(path),
            "--json",
            "--no-progress",
        ],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def _kill_when(process: subprocess.Popen, path: Path, ready, timeout: float = 600) -> None:
    size = path.stat().st_size
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"the import ended before it could be killed: {process.communicate()}")
        position = _file_position(process.pid, path)
        if position is not None and ready(position, size):
            os.kill(process.pid, signal.SIGKILL)
            process.wait(timeout=60)
            assert process.returncode == -signal.SIGKILL
            return
        time.sleep(0.05)
    process.kill()
    pytest.fail("the import never reached the point where it was to be killed")


@pytest.mark.slow
@pytest.mark.skipif(not Path("/proc/self/fdinfo").exists(), reason="needs Linux /proc")
def test_killed_import_leaves_nothing_behind(database, tmp_path):
    path = tmp_path / "utfall.csv"
    assert int(_python(database, SETUP, json.dumps(SHAPE), str(path))) == ROWS
    before = _python(database, DUMP)

    # Killed while reading: a third of the file read, rows streaming into the transaction.
    _kill_when(_import(database, path), path, lambda pos, size: pos > size // 3)
    assert _python(database, DUMP) == before

    # Killed after the whole file was read: while the rows are being written.
    def written(pos, size):
        if pos < size:
            return False
        time.sleep(0.3)
        return True

    _kill_when(_import(database, path), path, written)
    assert _python(database, DUMP) == before

    # The same import, left alone, goes through: nothing was left locked or half-done.
    process = _import(database, path)
    out, err = process.communicate(timeout=1200)
    assert process.returncode == 0, err
    report = json.loads(out)
    assert (report["created"], report["updated"], report["rejected"]) == (ROWS, 0, [])
    rows_after = int(_python(database, DUMP).split()[0])
    assert rows_after == int(before.split()[0]) + 2 * ROWS  # outcomes and their history
