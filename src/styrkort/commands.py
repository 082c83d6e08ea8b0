"""Shared base for Styrkort's management commands: bad input exits 2 with one line."""

import sys

from django.core.management.base import BaseCommand, CommandError


class BadInput(CommandError):
    """Bad input from the user: exit status 2 and a one-line reason on stderr."""

    def __init__(self, message: str):
        super().__init__(message, returncode=2)


class StyrkortCommand(BaseCommand):
    """From the command line an error is one line on stderr, never a traceback;
    `call_command` (tests, other commands) still gets the exception."""

    _from_cli = False

    def run_from_argv(self, argv):
        self._from_cli = True
        super().run_from_argv(argv)

    def execute(self, *args, **options):
        if not self._from_cli or options.get("traceback"):
            return super().execute(*args, **options)
        try:
            return super().execute(*args, **options)
        except CommandError as exc:
            lines = str(exc).splitlines() or [repr(exc)]
            print(f"styrkort: {lines[0]}", file=sys.stderr)
            sys.exit(exc.returncode)
