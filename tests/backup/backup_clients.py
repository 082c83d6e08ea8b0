"""Clients of a Styrkort database for the backup tests, run as a program against the
database its environment names (STYRKORT_DATABASE_URL or STYRKORT_VAR_DIR):

    python backup_clients.py prepare
        creates the clients' user (an administrator)
    python backup_clients.py write STOP_FILE PROGRESS_FILE
        ten threads, each saving one outcome of NLL-LS1 for 2031-DÅ04 through the service
        (`record_outcome`) again and again, the n-th time with n / 100, until STOP_FILE
        exists; PROGRESS_FILE holds the last committed value of each (JSON)
    python backup_clients.py change
        changes one outcome of NLL-LS1 for 2022-DÅ04 (what `evaluate` shows)
    python backup_clients.py counts
        prints the history rows (all history tables) and each client's outcome (JSON)

An outcome saved n times has the value n / 100 and n history rows; a copy taken at one
instant holds, for each client, a value and exactly that many history rows."""

from __future__ import annotations

import json
import os
import sys
import threading
import time
from pathlib import Path

CLIENTS = 10
UNIT = "NLL-LS1"
PERIOD = "2031-DÅ04"
#: the n-th save writes n / SCALE (some of the indicators are shares, at most 100 %)
SCALE = 100


def _setup() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "styrkort.settings")
    import django

    django.setup()


def _client_indicators():
    from styrkort.organisation.models import OrgUnit
    from styrkort.planning.models import Indicator

    unit = OrgUnit.objects.get(code=UNIT)
    indicators = list(
        Indicator.objects.filter(organisation=unit.organisation).order_by("code")[:CLIENTS]
    )
    assert len(indicators) == CLIENTS
    return unit, indicators


def _user():
    from django.contrib.auth import get_user_model

    return get_user_model().objects.get(username="backup-client")


def prepare() -> None:
    from django.contrib.auth import get_user_model

    get_user_model().objects.create_superuser("backup-client", "backup@example.se", "x-x-x-x-x")


def write(stop_file: Path, progress_file: Path) -> None:
    from django.db import OperationalError, connection

    from styrkort.followup.services import record_outcome

    user = _user()
    unit, indicators = _client_indicators()
    committed = {indicator.code: 0 for indicator in indicators}
    errors: list[BaseException] = []

    def client(indicator) -> None:
        value = 0
        try:
            while not stop_file.exists():
                try:
                    record_outcome(
                        user=user,
                        indicator=indicator,
                        unit=unit,
                        period=PERIOD,
                        value=(value + 1) / SCALE,
                    )
                except OperationalError:  # SQLite: the write lock stayed taken; try again
                    continue
                value += 1
                committed[indicator.code] = value
                time.sleep(0.005)
        except BaseException as exc:
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=client, args=(i,)) for i in indicators]
    for thread in threads:
        thread.start()
    while any(thread.is_alive() for thread in threads):
        _write_json(progress_file, committed)
        time.sleep(0.02)
    _write_json(progress_file, {**committed, "_done": True})
    if errors:
        raise errors[0]


def _write_json(path: Path, data: dict) -> None:
    part = path.with_suffix(".part")
    part.write_text(json.dumps(data))
    os.replace(part, path)


def change() -> None:
    from styrkort.followup.models import Outcome
    from styrkort.followup.services import record_outcome

    outcome = (
        Outcome.objects.filter(unit__code=UNIT, period="2022-DÅ04", sex="total")
        .exclude(value=None)
        .order_by("indicator__code")
        .first()
    )
    numerator = outcome.numerator * 2 if outcome.numerator is not None else None
    record_outcome(
        user=_user(),
        indicator=outcome.indicator,
        unit=outcome.unit,
        period=outcome.period,
        value=outcome.value * 3 + 7 if numerator is None else None,
        numerator=numerator,
        denominator=outcome.denominator,
    )


def counts() -> dict:
    from django.apps import apps

    from styrkort.followup.models import Outcome

    history = sum(
        model.objects.count()
        for model in apps.get_models()
        if model.__name__.startswith("Historical") and model.__module__.startswith("styrkort.")
    )
    unit, indicators = _client_indicators()
    clients = {}
    for indicator in indicators:
        keys = {"indicator": indicator, "unit": unit, "period": PERIOD}
        row = Outcome.objects.filter(**keys).first()
        clients[indicator.code] = [
            round(row.value * SCALE) if row else 0,
            Outcome.history.filter(**keys).count(),
        ]
    return {"history": history, "clients": clients}


if __name__ == "__main__":
    _setup()
    command = sys.argv[1]
    if command == "prepare":
        prepare()
    elif command == "write":
        write(Path(sys.argv[2]), Path(sys.argv[3]))
    elif command == "change":
        change()
    else:
        print(json.dumps(counts()))
