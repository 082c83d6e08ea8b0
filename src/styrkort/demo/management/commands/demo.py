"""`styrkort demo`: load the seed demo data and create the demo users."""

import json
from pathlib import Path

from styrkort.commands import BadInput, StyrkortCommand


class Command(StyrkortCommand):
    requires_system_checks = []
    help = "Läser in demodata från källdokumenten (idempotent) och skapar demoanvändarna."

    def add_arguments(self, parser):
        parser.add_argument(
            "--json", action="store_true", dest="as_json", help="Skriv resultatet som JSON."
        )
        parser.add_argument("--no-users", action="store_true", help="Skapa inte demoanvändarna.")
        parser.add_argument(
            "files",
            nargs="*",
            help="Bara dessa fixturfiler, en sökväg eller ett namn i den inbyggda "
            "fixturmappen (standard: alla, i namnordning).",
        )

    def handle(self, *args, as_json=False, no_users=False, files=(), **options):
        from django.conf import settings
        from django.db import transaction

        if settings.PRODUCTION and not no_users:
            raise BadInput(
                "Demoanvändarna har publicerade lösenord och skapas inte i produktion "
                "(STYRKORT_PRODUCTION): använd --no-users och 'styrkort createadmin'."
            )

        from styrkort.demo.loader import FIXTURE_DIR, FixtureError, load_fixtures
        from styrkort.demo.users import create_demo_users

        # A bare name ("001-norrbotten-organisation.yaml") is one of the built-in files.
        paths = [_fixture_path(name, FIXTURE_DIR) for name in files]
        try:
            with transaction.atomic():
                stats = load_fixtures(paths or None)
                users = [] if no_users else create_demo_users()
        except FixtureError as exc:
            raise BadInput(f"Demodata kunde inte läsas in: {exc}") from exc
        except OSError as exc:
            raise BadInput(f"Demodata kunde inte läsas in: {exc}") from exc
        result = {**stats.as_dict(), "users": [u.username for u in users]}
        if as_json:
            self.stdout.write(_dumps(result))
            return
        if options.get("verbosity", 1) >= 1:
            created = sum(stats.created.values())
            updated = sum(stats.updated.values())
            unchanged = sum(stats.unchanged.values())
            self.stdout.write(
                f"Demodata inläst från {len(stats.files)} filer: {created} nya, "
                f"{updated} ändrade, {unchanged} oförändrade objekt; "
                f"{len(users)} demoanvändare."
            )


def _fixture_path(name: str, directory: Path) -> Path:
    """The file as given, else the built-in fixture of that name."""
    given = Path(name)
    if not given.exists() and (directory / name).is_file():
        return directory / name
    return given


def _dumps(data) -> str:
    return json.dumps(data, ensure_ascii=False, indent=2)
