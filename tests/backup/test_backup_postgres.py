"""`styrkort backup` and `restore` on PostgreSQL (`pg_dump`/`pg_restore` in custom format):
a backup taken while ten clients write restores to what was true at backup time, into
the database it came from and into an empty one. Runs against a database of its own on
the test database's server."""

from __future__ import annotations

import uuid
from urllib.parse import quote

import pytest
from backup_flow import (
    EVALUATE,
    backup_while_writing,
    change_restore_and_check,
    cli,
    counts,
    environment,
    ok,
    seed,
)
from django.db import connection

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="pg_dump is PostgreSQL's"),
]


@pytest.fixture
def database_url():
    """The URL of a new, empty database on the test server; dropped at the end."""
    import psycopg

    settings = connection.settings_dict
    params = {
        "host": settings["HOST"] or "localhost",
        "port": settings["PORT"] or 5432,
        "user": settings["USER"],
        "password": settings["PASSWORD"],
    }
    created = []

    def new() -> str:
        name = f"styrkort_backup_{uuid.uuid4().hex[:8]}"
        with psycopg.connect(dbname="postgres", autocommit=True, **params) as admin:
            admin.execute(f'CREATE DATABASE "{name}"')
        created.append(name)
        user, password = quote(params["user"], safe=""), quote(params["password"], safe="")
        return f"postgres://{user}:{password}@{params['host']}:{params['port']}/{name}"

    yield new
    with psycopg.connect(dbname="postgres", autocommit=True, **params) as admin:
        for name in created:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def test_backup_while_ten_clients_write_restores_the_moment_of_the_backup(database_url, tmp_path):
    env = environment(tmp_path / "var", database_url())
    seed(env)
    taken = backup_while_writing(env, tmp_path)
    restored = change_restore_and_check(env, taken)

    # into an empty database of a new installation (no --force needed), the same again
    fresh = environment(tmp_path / "fresh", database_url())
    result = cli(fresh, "restore", str(taken["file"]))
    assert result.returncode == 0, result.stderr
    assert ok(cli(fresh, *EVALUATE)) == taken["evaluation"]
    assert counts(fresh) == restored


def test_a_database_with_data_needs_force(database_url, tmp_path):
    env = environment(tmp_path / "var", database_url())
    seed(env)
    ok(cli(env, "backup", str(tmp_path / "kopia.tar.gz")))
    result = cli(env, "restore", str(tmp_path / "kopia.tar.gz"))
    assert result.returncode == 2
    assert result.stderr.startswith("styrkort: Databasen innehåller redan uppgifter; ange --force")
