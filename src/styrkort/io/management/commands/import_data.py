"""`styrkort import outcomes|plans FILE [--dry-run] [--json] [--user NAME]`."""

from __future__ import annotations

import json
import os
import sys

from django.contrib.auth import get_user_model
from django.utils.translation import gettext as _

from styrkort.commands import BadInput, StyrkortCommand
from styrkort.io.importers import importer_kinds
from styrkort.io.services import run_import

#: Files above this size get a progress bar on stderr.
PROGRESS_BYTES = 1 << 20


class Command(StyrkortCommand):
    help = (
        "Läser in utfall eller planer från en CSV- eller XLSX-fil. Allt eller inget: "
        "om någon rad avvisas sparas ingenting och kommandot avslutas med status 2."
    )

    def add_arguments(self, parser):
        parser.add_argument("kind", help="Vad filen innehåller: " + ", ".join(importer_kinds()))
        parser.add_argument("file", help="CSV- eller XLSX-fil")
        parser.add_argument(
            "--dry-run", action="store_true", help="Kontrollera filen men spara ingenting."
        )
        parser.add_argument("--json", action="store_true", help="Skriv resultatet som JSON.")
        parser.add_argument(
            "--user", help="Importera som denna användare (roller kontrolleras, syns i historiken)."
        )
        parser.add_argument(
            "--no-progress", action="store_true", help="Visa ingen förloppsindikator."
        )

    def handle(self, *args, kind, file, dry_run, json: bool, user, no_progress, **options):
        if kind not in importer_kinds():
            raise BadInput(
                _("Okänd importtyp '%(kind)s'. Välj bland: %(known)s.")
                % {"kind": kind, "known": ", ".join(importer_kinds())}
            )
        acting = None
        if user:
            acting = get_user_model().objects.filter(username=user, is_active=True).first()
            if acting is None:
                raise BadInput(_("Okänd användare: '%(user)s'.") % {"user": user})
        if not os.path.isfile(file):
            raise BadInput(_("Filen finns inte: %(file)s") % {"file": file})
        size = os.path.getsize(file)
        with open(file, "rb") as fileobj:
            if no_progress or size < PROGRESS_BYTES:
                report = run_import(kind, fileobj, user=acting, dry_run=dry_run, name=file)
            else:
                report = self._with_progress(kind, fileobj, acting, dry_run, file)
        if json:
            self.stdout.write(_dumps(report.as_dict()))
        elif report.ok:
            self.stdout.write(report.summary_sv())
            if report.ignored_columns:
                ignored = ", ".join(report.ignored_columns)
                self.stdout.write(
                    _("Okända kolumner (ignorerade): %(columns)s") % {"columns": ignored}
                )
        else:
            for error in report.rejected:
                print(str(error), file=sys.stderr)
            if report.rejected_not_listed:
                print(
                    _("… och %(count)s fel till.") % {"count": report.rejected_not_listed},
                    file=sys.stderr,
                )
        if not report.ok:
            total = len(report.rejected) + report.rejected_not_listed
            first = report.rejected[0]
            if total > 1:
                raise BadInput(
                    _("%(count)s fel i %(file)s – ingenting har sparats (första: %(first)s).")
                    % {"count": total, "file": os.path.basename(file), "first": first}
                )
            raise BadInput(_("%(first)s Ingenting har sparats.") % {"first": first})

    def _with_progress(self, kind, fileobj, acting, dry_run, name):
        from rich.console import Console
        from rich.progress import BarColumn, Progress, TextColumn, TimeRemainingColumn

        console = Console(stderr=True)
        columns = (
            TextColumn(_("Läser in")),
            BarColumn(),
            TextColumn("{task.percentage:>3.0f} %"),
            TimeRemainingColumn(),
        )
        with Progress(*columns, console=console, transient=True) as bar:
            task = bar.add_task("import", total=None)

            def progress(done: int, total: int) -> None:
                bar.update(task, completed=done, total=total or None)

            return run_import(
                kind, fileobj, user=acting, dry_run=dry_run, progress=progress, name=name
            )


def _dumps(data) -> str:
    return json.dumps(data, ensure_ascii=False)
