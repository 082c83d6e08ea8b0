"""`styrkort kolada kpis FILE | fetch [--org CODE] [--json] | import FILE [--json]`:
Kolada's KPI catalogue and comparison values (docs/comparisons.md). Every failure is
one Swedish line and exit status 2, with nothing stored."""

from __future__ import annotations

import json

from styrkort.commands import BadInput, StyrkortCommand
from styrkort.io.numbers import format_number


class Command(StyrkortCommand):
    requires_system_checks = []
    help = "Kolada: importera nyckeltalskatalogen, hämta eller importera jämförelsevärden."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        kpis = sub.add_parser(
            "kpis", help="Importera Koladas nyckeltalskatalog (ett sparat /v3/kpi-svar)."
        )
        kpis.add_argument("file")
        kpis.add_argument("--json", action="store_true", dest="as_json")
        fetch = sub.add_parser(
            "fetch", help="Hämta jämförelsevärden från Kolada (STYRKORT_KOLADA_URL)."
        )
        fetch.add_argument("--org", help="Organisationens kod, t.ex. nll (standard: alla).")
        fetch.add_argument("--json", action="store_true", dest="as_json")
        imp = sub.add_parser("import", help="Importera ett sparat Kolada v3-svar.")
        imp.add_argument("file")
        imp.add_argument("--json", action="store_true", dest="as_json")
        imp.add_argument(
            "--example",
            action="store_true",
            help="Värdena är exempelvärden (inte publicerade siffror) och märks så.",
        )

    def handle(self, *args, action, as_json=False, **options):
        from styrkort.comparisons.kolada import KoladaError
        from styrkort.comparisons.services import fetch, import_catalogue, import_file

        try:
            if action == "kpis":
                count = import_catalogue(options["file"], user=None)
                if as_json:
                    self.stdout.write(json.dumps({"kpis": count}))
                else:
                    self.stdout.write(f"{format_number(count, 0)} nyckeltal importerade.")
                return
            if action == "fetch":
                result = fetch(self._organisation(options.get("org")), user=None)
            else:
                result = import_file(options["file"], user=None, example=options["example"])
        except KoladaError as exc:
            raise BadInput(str(exc)) from exc
        if as_json:
            self.stdout.write(json.dumps(result.to_json(), ensure_ascii=False, indent=2))
            return
        label = " (exempelvärden)" if result.example else ""
        self.stdout.write(
            f"{format_number(result.values, 0)} värden lästa{label}, "
            f"{format_number(result.changed, 0)} nya eller ändrade; nyckeltal "
            f"{', '.join(result.kpis)}; år {result.years[0]}–{result.years[-1]}. Källa: Kolada."
        )

    def _organisation(self, code):
        if not code:
            return None
        from styrkort.organisation.models import Organisation, OrgUnit

        org = Organisation.objects.filter(code=code.strip().lower()).first()
        if org is None:
            unit = OrgUnit.objects.filter(code=code.strip()).select_related("organisation").first()
            org = unit.organisation if unit else None
        if org is None:
            raise BadInput(f"--org: ingen organisation med koden '{code}' (t.ex. nll).")
        return org
