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

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's one writer at a time"),
]

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
