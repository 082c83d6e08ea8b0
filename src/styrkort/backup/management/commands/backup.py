"""`styrkort backup FILE`: the database and the uploaded files in one file, consistent
while others work (see docs/backup.md)."""

from __future__ import annotations

from pathlib import Path

from styrkort.commands import BadInput, StyrkortCommand


class Command(StyrkortCommand):
    requires_system_checks = []
    needs_tables = False  # a backup copies the database as it is, never migrates it
    help = (
        "Säkerhetskopiera databasen och de uppladdade filerna till en fil (tar.gz). "
        "Den hemliga nyckeln ingår inte: spara den för sig."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="Filen att skriva, t.ex. styrkort-2025-01-31.tar.gz.")

    def handle(self, *args, file, **options):
        from styrkort.backup.archive import VENDOR_NAMES, BackupError
        from styrkort.backup.operations import make_backup
        from styrkort.io.numbers import format_number

        try:
            outcome = make_backup(Path(file))
        except BackupError as exc:
            raise BadInput(str(exc)) from exc
        manifest = outcome.manifest
        size = format_number(Path(file).stat().st_size / 1_000_000, 1)
        self.stdout.write(
            f"Säkerhetskopia skriven: {file} ({size} MB; databas "
            f"{VENDOR_NAMES[manifest['vendor']]}, {outcome.media_files} uppladdade filer)."
        )
