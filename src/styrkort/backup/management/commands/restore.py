"""`styrkort restore FILE [--force]`: put back the database and the uploaded files of a
backup made by `styrkort backup` (see docs/backup.md)."""

from __future__ import annotations

from pathlib import Path

from styrkort.commands import BadInput, StyrkortCommand


class Command(StyrkortCommand):
    requires_system_checks = []
    needs_tables = False  # the backup brings its own tables
    help = (
        "Återställ databasen och de uppladdade filerna från en säkerhetskopia. Vägrar en "
        "kopia av en annan schemaversion eller databas, och en databas med uppgifter utan "
        "--force. Stoppa webbservrarna och bakgrundstjänsten först."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="Säkerhetskopian (från styrkort backup).")
        parser.add_argument(
            "--force",
            action="store_true",
            help="Ersätt en databas som redan innehåller uppgifter.",
        )

    def handle(self, *args, file, force=False, **options):
        from styrkort.backup.archive import VENDOR_NAMES, BackupError
        from styrkort.backup.operations import restore_backup

        try:
            outcome = restore_backup(Path(file), force=force)
        except BackupError as exc:
            raise BadInput(str(exc)) from exc
        manifest = outcome.manifest
        self.stdout.write(
            f"Återställt från {file}: databasen ({VENDOR_NAMES[manifest['vendor']]}) som den "
            f"var {manifest['created_at']} och {outcome.media_files} uppladdade filer. "
            "Starta om webbservrarna och bakgrundstjänsten."
        )
        if outcome.key_differs:
            self.stderr.write(
                "Obs: den hemliga nyckeln är inte densamma som när kopian gjordes; "
                "alla behöver logga in igen och köade bakgrundsjobb kan inte läsas. Återställ "
                "STYRKORT_SECRET_KEY eller secret_key i datakatalogen från nyckelns egen kopia."
            )
