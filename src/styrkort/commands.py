"""Shared base for Styrkort's management commands: bad input exits 2 with one line, and a
command that reads or writes the database finds its tables there (migrating a fresh or
older database first, quietly)."""

import sys

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import DEFAULT_DB_ALIAS, DatabaseError, connections

#: The databases found migrated in this process (checked once per process).
_migrated: set[str] = set()


class BadInput(CommandError):
    """Bad input from the user: exit status 2 and a one-line reason on stderr."""

    def __init__(self, message: str):
        super().__init__(message, returncode=2)


def unit_and_period(org: str, period: str):
    """(the unit `org` names, the parsed `period`) for a command's --org and --period, or
    BadInput saying which one is wrong."""
    from styrkort.organisation.lookup import UnitLookupError, find_unit
    from styrkort.periods import PeriodError, parse_period

    try:
        parsed = parse_period(period)
    except PeriodError as exc:
        raise BadInput(str(exc)) from exc
    try:
        return find_unit(org), parsed
    except UnitLookupError as exc:
        raise BadInput(str(exc)) from exc


def migrate_if_needed(database: str = DEFAULT_DB_ALIAS) -> bool:
    """Apply the migrations the database lacks (all of them on a fresh SQLite file),
    without output; True when something was applied. Cheap when nothing is missing:
    the migration graph against the applied list, once per process."""
    if database in _migrated:
        return False
    from django.db.migrations.executor import MigrationExecutor

    try:
        executor = MigrationExecutor(connections[database])
        plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
        if plan:
            call_command("migrate", database=database, interactive=False, verbosity=0)
    except DatabaseError as exc:
        raise CommandError(f"Databasen kunde inte förberedas: {exc}") from exc
    _migrated.add(database)
    return bool(plan)


class StyrkortCommand(BaseCommand):
    """From the command line an error is one line on stderr, never a traceback;
    `call_command` (tests, other commands) still gets the exception.

    ``needs_tables`` (default True): the database is migrated, if it needs to be, before
    the command runs, so that `styrkort demo` or `styrkort evaluate` on a fresh
    installation works instead of ending in "no such table"."""

    needs_tables = True
    _from_cli = False

    def run_from_argv(self, argv):
        self._from_cli = True
        super().run_from_argv(argv)

    def execute(self, *args, **options):
        if not self._from_cli or options.get("traceback"):
            return self._execute(*args, **options)
        try:
            return self._execute(*args, **options)
        except CommandError as exc:
            lines = str(exc).splitlines() or [repr(exc)]
            print(f"styrkort: {lines[0]}", file=sys.stderr)
            sys.exit(exc.returncode)

    def _execute(self, *args, **options):
        if self.needs_tables:
            migrate_if_needed(options.get("database") or DEFAULT_DB_ALIAS)
        return super().execute(*args, **options)
