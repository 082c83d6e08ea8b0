"""`styrkort serve`: prepare the database (migrated by StyrkortCommand; demo data on a
first run that is not production) and serve."""

import os
import shutil
import sys
from pathlib import Path

from django.conf import settings
from django.core.management import call_command

from styrkort.commands import BadInput, StyrkortCommand


def collect_static_if_changed() -> bool:
    """Run collectstatic only when the static files changed since the last run (it
    compresses and hashes every file, which takes many seconds)."""
    import hashlib

    from django.contrib.staticfiles.finders import get_finders

    digest = hashlib.sha256()
    for finder in get_finders():
        for path, storage in finder.list([]):
            stat = os.stat(storage.path(path))
            digest.update(f"{path}:{stat.st_size}:{stat.st_mtime_ns}\n".encode())
    stamp = Path(settings.STATIC_ROOT) / ".styrkort-static-stamp"
    if stamp.exists() and stamp.read_text() == digest.hexdigest():
        return False
    call_command("collectstatic", interactive=False, verbosity=0)
    stamp.write_text(digest.hexdigest())
    return True


class Command(StyrkortCommand):
    help = "Migrerar databasen, läser in demodata första gången och startar webbservern."

    def add_arguments(self, parser):
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument(
            "--production",
            action="store_true",
            help="Kör en riktig WSGI-server (gunicorn) med statiska filer från WhiteNoise.",
        )
        parser.add_argument("--workers", type=int, default=0, help="gunicorn-processer")
        parser.add_argument("--no-demo", action="store_true", help="Läs inte in demodata.")

    def handle(self, *args, host, port, production, workers, no_demo, **options):
        if not 0 < port < 65536:
            raise BadInput(f"Ogiltig port: {port}")
        # The database was migrated before handle (StyrkortCommand.needs_tables).
        from styrkort.organisation.models import Organisation

        if production or settings.PRODUCTION:
            # Never the demo with its published passwords: the first administrator comes
            # from `styrkort createadmin`.
            self.warn_without_admin()
        else:
            if not no_demo and not Organisation.objects.exists():
                self.stdout.write("Läser in demodata ...")
                call_command("demo", verbosity=0)
            self.print_logins()
        address = f"{host}:{port}"
        if production:
            # The gunicorn workers read the settings afresh: they run as production too.
            os.environ["STYRKORT_PRODUCTION"] = "true"
            collect_static_if_changed()
            # The metrics of all gunicorn workers, added up at each scrape (styrkort.metrics).
            from styrkort.metrics import MULTIPROC_ENV, prepare_multiprocess_dir

            os.environ.setdefault(MULTIPROC_ENV, str(Path(settings.VAR_DIR) / "metrics"))
            prepare_multiprocess_dir(os.environ[MULTIPROC_ENV])
            gunicorn = shutil.which("gunicorn") or os.path.join(
                os.path.dirname(sys.executable), "gunicorn"
            )
            workers = workers or (os.cpu_count() or 1) * 2 + 1
            self.stdout.write(f"Styrkort (produktion) på http://{address}/")
            sys.stdout.flush()
            os.execv(
                gunicorn,
                [
                    gunicorn,
                    "styrkort.wsgi:application",
                    "--bind",
                    address,
                    "--workers",
                    str(workers),
                    # Load the application once, before forking: workers start warm.
                    "--preload",
                    "--access-logfile",
                    "-",
                ],
            )
        self.stdout.write(f"Styrkort på http://{address}/  (avsluta med Ctrl-C)")
        call_command("runserver", address, use_reloader=False, skip_checks=True)

    def warn_without_admin(self):
        from django.contrib.auth import get_user_model

        from styrkort.demo.users import DEMO_PASSWORD, DEMO_USERS

        names = [spec["username"] for spec in DEMO_USERS]
        published = [
            user.username
            for user in get_user_model().objects.filter(username__in=names, is_active=True)
            if user.check_password(DEMO_PASSWORD)
        ]
        if published and not settings.STYRKORT_ALLOW_DEMO_ACCOUNTS:
            raise BadInput(
                "Demokonton med det publicerade lösenordet finns i databasen ("
                + ", ".join(published)
                + "): inaktivera dem eller byt deras lösenord innan Styrkort körs i "
                "produktion (eller sätt STYRKORT_ALLOW_DEMO_ACCOUNTS=true för en demoserver)."
            )
        if not get_user_model().objects.filter(is_superuser=True, is_active=True).exists():
            self.stdout.write(
                "Det finns inget administratörskonto ännu: skapa det med 'styrkort createadmin'."
            )

    def print_logins(self):
        from django.contrib.auth import get_user_model

        from styrkort.demo.users import DEMO_USERS

        names = [user["username"] for user in DEMO_USERS]
        if not get_user_model().objects.filter(username__in=names).exists():
            return
        self.stdout.write("Demoinloggningar (användarnamn / lösenord – roll):")
        for user in DEMO_USERS:
            self.stdout.write(f"  {user['username']} / {user['password']} – {user['description']}")
