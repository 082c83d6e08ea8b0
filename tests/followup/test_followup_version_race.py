"""Two saves based on the same version at the same time: the database decides, one wins
and the other is refused (the row is locked while its version is checked). PostgreSQL:
SQLite has one writer at a time anyway."""

import threading

import pytest
from django.db import connection

from styrkort.concurrency import StaleVersionError, version_of
from styrkort.followup.models import Outcome
from styrkort.followup.services import record_outcome

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks: PostgreSQL"),
]
WORLD = {"plans": False}
PERIOD = "2022-DÅ04"


def test_two_saves_of_the_same_version_one_wins(world):
    first = record_outcome(
        user=world.users.admin, indicator=world.visits, unit=world.ls1, period=PERIOD, value=1
    )
    read = version_of(first)
    start = threading.Barrier(2)
    results: dict[str, object] = {}

    def save(name, user, value):
        try:
            start.wait()
            record_outcome(
                user=user,
                indicator=world.visits,
                unit=world.ls1,
                period=PERIOD,
                value=value,
                expected_version=read,
            )
            results[name] = "saved"
        except StaleVersionError as exc:
            results[name] = exc
        finally:
            connection.close()

    threads = [
        threading.Thread(target=save, args=("reporter", world.users.reporter, 2)),
        threading.Thread(target=save, args=("planner", world.users.planner, 3)),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert sorted(str(type(r).__name__) for r in results.values()) == [
        "StaleVersionError",
        "str",
    ]
    winner = next(name for name, r in results.items() if r == "saved")
    loser = next(r for r in results.values() if r != "saved")
    stored = Outcome.objects.get(pk=first.pk)
    assert stored.updated_by.username == winner
    assert loser.saved_by == stored.updated_by
    assert stored.history.count() == 2  # the first save and the winner's
