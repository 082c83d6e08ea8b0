"""Imports while others work: on SQLite an import reads, checks and stages its file
without a write lock and writes in one short transaction; a request that still meets a
locked database is answered 503 "try again", never 500.

The fast tests run on the test database; SQLite's in-memory test database is shared
between the connections of one process, and a second thread (a second connection)
stands for the other users. `test_twenty_users_work_while_50_000_rows_are_imported`
(slow) shows the whole thing against a real server and a real SQLite file.
"""

from __future__ import annotations

import io
import threading

import pytest
from django.db import OperationalError, connection, transaction
from django.test import Client

from factories import PASSWORD
from styrkort.followup.models import Outcome
from styrkort.followup.services import record_outcome
from styrkort.io.services import run_import

pytestmark = pytest.mark.django_db(transaction=True)

#: the fast tests use the test database's own SQLite locking (the slow one brings its file)
sqlite_only = pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's write lock")

PERIOD = "2022-DÅ04"


def _file(rows: list[str]) -> io.BytesIO:
    return io.BytesIO(("Enhet;Indikator;Period;Kön;Värde\n" + "\n".join(rows)).encode())


def _big_file(first: str, repeats: int = 5000) -> io.BytesIO:
    """`first` and then the same row many times (identical repeats are skipped), so that
    the import reads for a while and reports progress every 2 000 rows."""
    return _file([first] + ["NLL-LS1;lakarbesok;2022;T;31 180"] * repeats)


def in_another_connection(work):
    """Run `work()` in a thread of its own, that is with a connection of its own that does
    not wait for a lock (busy_timeout 0): it fails at once if anyone holds the write
    lock. Returns what `work` returned; raises what it raised."""
    result: dict = {}

    def run():
        try:
            with connection.cursor() as cursor:
                cursor.execute("PRAGMA busy_timeout = 0")
            result["value"] = work()
        except Exception as exc:  # handed to the test's thread
            result["error"] = exc
        finally:
            connection.close()

    thread = threading.Thread(target=run)
    thread.start()
    thread.join(60)
    if "error" in result:
        raise result["error"]
    return result.get("value")


def _indicator(code: str):
    from styrkort.planning.models import Indicator

    return Indicator.objects.get(code=code)


def save_outcome(world, value: float, code: str = "lakarbesok", period: str = "2022"):
    """What another user's save does: the outcome service, in its own transaction."""
    return lambda: (
        record_outcome(
            user=world.users.reporter,
            indicator=_indicator(code),
            unit=world.ls1,
            period=period,
            value=value,
        ).value
    )


@sqlite_only
def test_the_probe_sees_a_held_write_lock(world):
    """The check the other tests rely on: while this connection holds a write
    transaction, another connection's save fails at once."""
    with transaction.atomic():
        Outcome.objects.filter(pk=-1).update(value=1)  # BEGIN IMMEDIATE is enough
        with pytest.raises(OperationalError, match="locked"):
            in_another_connection(save_outcome(world, 1))
    assert in_another_connection(save_outcome(world, 2)) == 2


def _outcomes() -> set[tuple]:
    return set(Outcome.objects.values_list("indicator__code", "unit__code", "period", "value"))


@sqlite_only
def test_a_dry_run_takes_no_write_lock(world):
    before = _outcomes()
    saved = []

    def progress(done, total):
        if not saved:  # while the dry run reads and checks its rows
            saved.append(in_another_connection(save_outcome(world, 100, period="2021")))

    report = run_import(
        "outcomes",
        _big_file("NLL-LS1;aterinskrivningar-65;2022-DÅ04;M;17,3 %"),
        user=world.users.reporter,
        dry_run=True,
        progress=progress,
    )
    assert report.ok, report.rejected
    assert saved == [100]  # the other user's save went through at once
    assert (report.created, report.updated, report.unchanged) == (2, 0, 0)
    assert report.duplicates == 5000 - 1
    assert report.write_seconds is None  # no write transaction at all
    # Nothing of the dry run was written; the other user's outcome was.
    assert _outcomes() - before == {("lakarbesok", "NLL-LS1", "2021", 100.0)}


@sqlite_only
def test_an_import_stages_without_a_lock_and_writes_what_others_saved_meanwhile(world):
    """Another user saves during the reading, among them an outcome the file creates: the
    import sees it at write time (an update, not a conflict) and writes the file's
    value with its history; the other's save is kept in the history."""
    saved = []

    def progress(done, total):
        if not saved:
            saved.append(in_another_connection(save_outcome(world, 1)))  # 2022, in the file
            saved.append(in_another_connection(save_outcome(world, 2, period="2021")))

    report = run_import(
        "outcomes",
        _big_file("NLL-LS1;aterinskrivningar-65;2022-DÅ04;M;17,3 %"),
        user=world.users.reporter,
        progress=progress,
    )
    assert report.ok, report.rejected
    assert saved == [1, 2]
    assert (report.created, report.updated, report.unchanged) == (1, 1, 0)
    assert report.write_seconds is not None and report.write_seconds < 5
    stored = {
        o.period: o.value
        for o in Outcome.objects.filter(indicator__code="lakarbesok", unit=world.ls1)
    }
    assert stored["2022"] == 31180.0 and stored["2021"] == 2.0
    history = Outcome.history.filter(indicator__code="lakarbesok", period="2022")
    assert list(history.order_by("history_id").values_list("history_type", "value")) == [
        ("+", 1.0),
        ("~", 31180.0),
    ]
    # The same file again changes nothing.
    again = run_import(
        "outcomes",
        _big_file("NLL-LS1;aterinskrivningar-65;2022-DÅ04;M;17,3 %", repeats=10),
        user=world.users.reporter,
    )
    assert (again.created, again.updated, again.unchanged) == (0, 0, 2)


@sqlite_only
def test_a_period_locked_while_the_file_is_read_is_not_written(world):
    """A round closed after the rows were checked: the locks are read again inside the
    write transaction, and nothing is written."""
    import datetime as dt

    from styrkort.rounds import services as rounds

    def close_the_round():
        rnd = rounds.open_round(
            user=world.users.admin,
            organisation=world.org,
            period=PERIOD,
            opens_on=dt.date(2022, 5, 1),
            deadline=dt.date(2022, 5, 20),
        )
        rounds.close_round(user=world.users.admin, round=rnd)

    before = _outcomes()
    closed = []

    def progress(done, total):
        if not closed:
            closed.append(in_another_connection(close_the_round) or True)

    report = run_import(
        "outcomes",
        _big_file(f"NLL-LS1;aterinskrivningar-65;{PERIOD};M;17,3 %"),
        user=world.users.reporter,
        progress=progress,
    )
    assert closed
    assert not report.ok, report.as_dict()
    assert report.rejected[0].column == "Period"
    assert "NLL-LS1" in report.rejected[0].reason or "Länssjukvård" in report.rejected[0].reason
    assert _outcomes() == before


@sqlite_only
def test_a_role_lost_while_the_file_is_read_stops_the_import(world):
    from styrkort.accounts.models import RoleAssignment

    def take_the_role():
        RoleAssignment.objects.filter(user=world.users.reporter).delete()

    before = _outcomes()
    taken = []

    def progress(done, total):
        if not taken:
            taken.append(in_another_connection(take_the_role) or True)

    report = run_import(
        "outcomes",
        _big_file("NLL-LS1;aterinskrivningar-65;2022-DÅ04;M;17,3 %"),
        user=world.users.reporter,
        progress=progress,
    )
    assert taken
    assert not report.ok and report.forbidden
    assert "behörighet" in report.rejected[0].reason
    assert _outcomes() == before


def _hold_the_write_lock():
    """Another connection holds a write transaction until the returned event is set."""
    holding, release = threading.Event(), threading.Event()

    def hold():
        try:
            with transaction.atomic():
                Outcome.objects.filter(pk=-1).update(value=1)
                holding.set()
                release.wait(30)
        finally:
            connection.close()

    thread = threading.Thread(target=hold)
    thread.start()
    assert holding.wait(10)
    return release, thread


@sqlite_only
def test_a_locked_database_is_503_try_again_not_500(world):
    from styrkort.planning.models import Indicator

    client = Client(raise_request_exception=False)
    client.force_login(world.users.reporter)
    indicator = Indicator.objects.get(code="lakarbesok")
    release, thread = _hold_the_write_lock()
    try:
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA busy_timeout = 0")
        api = client.post(
            "/api/outcomes/",
            {"indicator": indicator.pk, "unit": world.ls1.pk, "period": "2022", "value": 5},
            content_type="application/json",
        )
        signed_out = Client(raise_request_exception=False)
        login = signed_out.post(
            "/logga-in/", {"username": world.users.planner.username, "password": PASSWORD}
        )
    finally:
        release.set()
        thread.join()
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA busy_timeout = 10000")
    assert api.status_code == 503, api.content[:300]
    assert api["Retry-After"] == "5"
    assert api.json()["code"] == "busy"
    assert "försök igen" in api.json()["detail"]
    # A sign-in writes (the session, the last sign-in, the sign-in log): the page asks
    # to try again.
    assert login.status_code == 503, login.content[:300]
    assert login["Retry-After"] == "5"
    text = login.content.decode()
    assert "Försök igen om en stund" in text and "Ingenting har sparats" in text
    # Once the other writer is done, the same request goes through.
    again = client.post(
        "/api/outcomes/",
        {"indicator": indicator.pk, "unit": world.ls1.pk, "period": "2022", "value": 5},
        content_type="application/json",
    )
    assert again.status_code in (200, 201), again.content[:300]


# --- 20 users and a 50 000-row import against a real server (slow) ----------------------

SHAPE = {"units": 125, "indicators": 20, "months": 20}  # 50 000 rows
ROWS = SHAPE["units"] * SHAPE["indicators"] * SHAPE["months"]
CLIENTS = 20

SETUP = """
import django, json, sys
django.setup()
from pathlib import Path
from django.core.management import call_command
from styrkort.accounts.models import RoleAssignment, User
from styrkort.bench.imports import _create_synthetic, _write_csv
from styrkort.organisation.models import OrgUnit
from styrkort.periods import parse_period
from styrkort.planning.models import Indicator
from styrkort.rounds.locks import lock_reason

call_command("demo", verbosity=0)
shape, path, clients, password = json.loads(sys.argv[1]), sys.argv[2], int(sys.argv[3]), sys.argv[4]
units, indicators = _create_synthetic(shape)
rows = _write_csv(Path(path), units, indicators, shape["months"])
unit = OrgUnit.objects.get(code="NLL-LS1")
indicator = Indicator.objects.filter(
    organisation=unit.organisation, aggregation="sum", unit="st"
).order_by("code").first()
periods = [parse_period(f"2025-{m:02d}") for m in range(1, 13)]
periods = [p.canonical for p in periods if lock_reason(unit, p.start, p.end) is None]
users = []
for n in range(clients):
    user = User.objects.create_user(f"belastning{n:02d}", password=password, first_name="Last")
    RoleAssignment.objects.create(user=user, unit=unit, role="reporter")
    users.append(user.username)
print(json.dumps({"rows": rows, "unit": unit.pk, "indicator": indicator.pk,
                  "periods": periods, "users": users}))
"""


def _port() -> int:
    """A free port among 8800-8899."""
    import socket

    for port in range(8800, 8900):
        with socket.socket() as sock:
            try:
                sock.bind(("127.0.0.1", port))
            except OSError:
                continue
            return port
    pytest.skip("no free port in 8800-8899")


class LockProbe:
    """Tries to begin a write (BEGIN IMMEDIATE, no waiting) every 5 ms on the SQLite file
    and keeps the longest stretch of refusals: how long anyone held the write lock."""

    def __init__(self, path):
        self.path, self.longest, self._since, self._stop = str(path), 0.0, None, False
        self.thread = threading.Thread(target=self._run, daemon=True)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self._stop = True
        self.thread.join()

    def _run(self):
        import sqlite3
        import time

        db = sqlite3.connect(self.path, isolation_level=None, timeout=0)
        while not self._stop:
            now = time.perf_counter()
            try:
                db.execute("BEGIN IMMEDIATE")
                db.execute("COMMIT")
            except sqlite3.OperationalError:
                if self._since is None:
                    self._since = now
            else:
                if self._since is not None:
                    self.longest = max(self.longest, now - self._since)
                    self._since = None
            time.sleep(0.005)
        db.close()


@pytest.mark.slow
@pytest.mark.django_db(transaction=False)
def test_twenty_users_work_while_50_000_rows_are_imported(tmp_path):
    """`styrkort serve` on an SQLite file with the demo; 20 clients sign in through the
    login page and save an outcome through the API, over and over, while
    `styrkort import` writes 50 000 new outcomes into the same file: no answer is a 500,
    every save either succeeded or was answered 503 "try again", and the import
    completes. The figures (saves, 503s, the longest write lock) are printed."""
    import json
    import os
    import re
    import signal
    import subprocess
    import sys
    import time
    from collections import Counter

    import requests

    from styrkort.demo.users import DEMO_PASSWORD

    var = tmp_path / "var"
    db_path = tmp_path / "styrkort.sqlite3"
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith("STYRKORT_") and not key.lower().endswith("_proxy")
    }
    env.update(
        STYRKORT_VAR_DIR=str(var),
        STYRKORT_DATABASE_URL=f"sqlite:///{db_path}",
        DJANGO_SETTINGS_MODULE="styrkort.settings",
    )

    def styrkort(*args, timeout=900):
        return subprocess.run(
            [sys.executable, "-m", "styrkort.cli", *args],
            env=env,
            capture_output=True,
            text=True,
            timeout=timeout,
        )

    migrated = styrkort("manage", "migrate", "--noinput", "-v0")
    assert migrated.returncode == 0, migrated.stderr[-2000:]
    csv_path = tmp_path / "utfall.csv"
    setup = subprocess.run(
        [
            sys.executable,
            "-c",
            SETUP,
            json.dumps(SHAPE),
            str(csv_path),
            str(CLIENTS),
            DEMO_PASSWORD,
        ],
        env=env,
        capture_output=True,
        text=True,
        timeout=900,
    )
    assert setup.returncode == 0, setup.stderr[-2000:]
    world = json.loads(setup.stdout.strip().splitlines()[-1])
    assert world["rows"] == ROWS and world["periods"]

    port = _port()
    url = f"http://127.0.0.1:{port}"
    log = tmp_path / "serve.log"
    server = subprocess.Popen(
        [sys.executable, "-m", "styrkort.cli", "serve", "--no-demo", "--port", str(port)],
        env=env,
        stdout=log.open("wb"),
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    try:
        deadline = time.monotonic() + 240
        while True:
            try:
                if requests.get(f"{url}/halsa/", timeout=5).status_code == 200:
                    break
            except requests.ConnectionError:
                pass
            assert server.poll() is None, log.read_text()[-3000:]
            assert time.monotonic() < deadline, log.read_text()[-3000:]
            time.sleep(0.5)

        statuses: dict[str, Counter] = {"sign-in": Counter(), "save": Counter()}
        busy_without_retry_after = []
        slowest = {"sign-in": 0.0, "save": 0.0}
        done = threading.Event()
        lock = threading.Lock()

        moments: list[tuple[float, float]] = []  # (start, end) of every request

        def record(kind, response, started):
            ended = time.perf_counter()
            seconds = ended - started
            with lock:
                moments.append((started, ended))
                statuses[kind][response.status_code] += 1
                slowest[kind] = max(slowest[kind], seconds)
                if response.status_code == 503 and "Retry-After" not in response.headers:
                    busy_without_retry_after.append(kind)

        def client(n):
            username = world["users"][n]
            rounds = 0
            while not done.is_set() or rounds < 2:
                rounds += 1
                session = requests.Session()
                page = session.get(f"{url}/logga-in/", timeout=60)
                token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text)
                started = time.perf_counter()
                signed_in = session.post(
                    f"{url}/logga-in/",
                    data={
                        "username": username,
                        "password": DEMO_PASSWORD,
                        "csrfmiddlewaretoken": token.group(1),
                    },
                    allow_redirects=False,
                    timeout=60,
                )
                record("sign-in", signed_in, started)
                if signed_in.status_code != 302:
                    continue
                started = time.perf_counter()
                saved = session.post(
                    f"{url}/api/outcomes/",
                    json={
                        "indicator": world["indicator"],
                        "unit": world["unit"],
                        "period": world["periods"][n % len(world["periods"])],
                        "value": 1000 + rounds,
                    },
                    headers={"X-CSRFToken": session.cookies["csrftoken"]},
                    timeout=60,
                )
                record("save", saved, started)

        threads = [threading.Thread(target=client, args=(n,)) for n in range(CLIENTS)]
        with LockProbe(db_path) as probe:
            for thread in threads:
                thread.start()
            time.sleep(2)  # everyone at work before the import starts
            import_started = time.perf_counter()
            imported = styrkort("import", "outcomes", str(csv_path), "--json", "--no-progress")
            import_ended = time.perf_counter()
            done.set()
            for thread in threads:
                thread.join(300)
        report = json.loads(imported.stdout)
        during = sum(1 for a, b in moments if a < import_ended and b > import_started)
        figures = {
            "import_s": round(import_ended - import_started, 2),
            "requests_during_import": during,
            "longest_write_lock_s": round(probe.longest, 2),
            "sign_in": dict(statuses["sign-in"]),
            "save": dict(statuses["save"]),
            "slowest_sign_in_s": round(slowest["sign-in"], 2),
            "slowest_save_s": round(slowest["save"], 2),
        }
        print("\nSQLite under concurrent use:", json.dumps(figures))
        (tmp_path / "figures.json").write_text(json.dumps(figures))

        assert imported.returncode == 0, imported.stderr[-2000:]
        assert report["created"] == ROWS
        for kind in ("sign-in", "save"):
            assert 500 not in statuses[kind], (kind, figures, log.read_text()[-3000:])
        assert set(statuses["sign-in"]) <= {302, 503}, figures
        assert set(statuses["save"]) <= {200, 201, 503}, figures
        assert statuses["save"][200] + statuses["save"][201] >= CLIENTS, figures
        assert not busy_without_retry_after
        assert during >= CLIENTS, figures  # everyone was at work while the import ran
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(30)
