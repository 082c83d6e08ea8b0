"""A system check that the outcome's references are enforced by the database.

Four references carry no foreign key constraint in Django's state (``db_constraint=False``,
see `styrkort.followup.postgres`): on PostgreSQL triggers enforce them, on SQLite the
foreign keys the tables were created with. Either can go missing without Django noticing
(a trigger dropped or disabled by hand, a restore without triggers, a later migration
that rebuilds a table on SQLite), so this check looks at the database itself. It is a
database check: ``styrkort manage check --database default`` and ``migrate`` run it.
"""

from __future__ import annotations

from django.core.checks import Error, Tags, register
from django.db import connections
from django.db.migrations.recorder import MigrationRecorder

from . import postgres


@register(Tags.database)
def check_reference_enforcement(app_configs=None, databases=None, **kwargs) -> list[Error]:
    errors: list[Error] = []
    for alias in databases or ():
        errors += reference_errors(connections[alias])
    return errors


def reference_errors(connection) -> list[Error]:
    """Errors for the references of `postgres.REFERENCES` that `connection`'s database
    does not enforce (none before the followup migrations have created the tables)."""
    recorder = MigrationRecorder(connection)
    if not recorder.has_table():
        return []
    applied = {name for app, name in recorder.applied_migrations() if app == "followup"}
    if "0001_initial" not in applied:
        return []
    if connection.vendor == "postgresql":
        return _trigger_errors(connection, applied)
    return _foreign_key_errors(connection)


def _trigger_errors(connection, applied: set[str]) -> list[Error]:
    expected = [
        trigger
        for migration, triggers in postgres.TRIGGERS.items()
        if migration in applied
        for trigger in triggers
    ]
    with connection.cursor() as cursor:
        missing = postgres.missing_triggers(cursor, expected)
    if not missing:
        return []
    return [
        Error(
            "The outcome's references are not enforced: triggers missing or disabled: "
            + ", ".join(missing),
            hint="Followup migrations 0003 and 0004 install them "
            "(styrkort.followup.postgres). Enable a disabled one (ALTER TABLE ... ENABLE "
            "TRIGGER ...); put missing ones back with 'styrkort manage migrate followup "
            "0002 --skip-checks' and then 'styrkort manage migrate'.",
            id="followup.E001",
        )
    ]


def _foreign_key_errors(connection) -> list[Error]:
    missing = []
    relations: dict[str, dict] = {}
    with connection.cursor() as cursor:
        for table, column, parent in postgres.REFERENCES:
            if table not in relations:
                relations[table] = connection.introspection.get_relations(cursor, table)
            if relations[table].get(column, (None, None))[1] != parent:
                missing.append(f"{table}.{column} -> {parent}")
    if not missing:
        return []
    return [
        Error(
            "The outcome's references are not enforced: foreign keys missing: "
            + ", ".join(missing),
            hint="The model declares them db_constraint=False (PostgreSQL enforces them by "
            "triggers); on this database the tables must keep the foreign keys they were "
            "created with. A migration that rebuilt a table must put them back.",
            id="followup.E002",
        )
    ]
