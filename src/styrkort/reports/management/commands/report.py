"""`styrkort report interim|annual|plan|region --org CODE --period PERIOD --format F -o FILE
[--template FILE.docx] [--publication] [--json]`: write a report document."""

from __future__ import annotations

import json
import sys
import time
import zipfile
from pathlib import Path

from styrkort.commands import BadInput, StyrkortCommand
from styrkort.io.numbers import format_number
from styrkort.reports.build import FORMATS, KINDS, ReportError, build_report


def _region_top(text: str):
    """The top unit of the organisation whose code is ``text`` (``nll``), else None."""
    from styrkort.organisation.models import Organisation, OrgUnit

    org = Organisation.objects.filter(code__iexact=(text or "").strip()).first()
    if org is None:
        return None
    return OrgUnit.objects.filter(organisation=org).order_by("depth", "path").first()


class Command(StyrkortCommand):
    requires_system_checks = []
    help = (
        "Skriver delårsrapport, årsrapport, verksamhetsplan eller regionens sammanställda "
        "rapport som docx, pdf, xlsx eller html."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "kind",
            help=(
                "interim (delårsrapport), annual (årsrapport), plan eller region "
                "(regionens rapport sammanställd från enheternas godkända rapporter)"
            ),
        )
        parser.add_argument("--org", required=True, help="Enhetens kod eller exakta namn")
        parser.add_argument("--period", required=True, help="T.ex. 2022-DÅ04, 2022-DÅ08 eller 2022")
        parser.add_argument("--format", dest="fmt", help="docx, pdf, xlsx eller html")
        parser.add_argument("-o", "--output", required=True, help="Filen som skrivs")
        parser.add_argument(
            "--template", help="En egen Word-mall (.docx) med regionens formatmallar"
        )
        parser.add_argument(
            "--publication",
            action="store_true",
            help="För publicering: antal under tröskeln (standard 5) visas som <5",
        )
        parser.add_argument("--json", action="store_true", help="Skriv resultatet som JSON")

    def handle(self, *args, **options):
        from styrkort.organisation.lookup import UnitLookupError, find_unit

        kind = options["kind"].lower()
        if kind not in KINDS:
            raise BadInput(
                f"Okänd rapport: '{options['kind']}'. Välj interim, annual, plan eller region."
            )
        output = Path(options["output"])
        fmt = (options["fmt"] or output.suffix.lstrip(".")).lower()
        if fmt not in FORMATS:
            raise BadInput(f"Okänt format: '{fmt}'. Välj docx, pdf, xlsx eller html (--format).")
        if not output.parent.exists():
            raise BadInput(f"Mappen finns inte: {output.parent}")
        template = options.get("template")
        if template:
            path = Path(template)
            if not path.is_file():
                raise BadInput(f"Mallen finns inte: {template}")
            if not zipfile.is_zipfile(path):
                raise BadInput(f"Mallen är inte en Word-fil (.docx): {template}")
        try:
            unit = _region_top(options["org"]) if kind == "region" else None
            unit = unit or find_unit(options["org"])
        except UnitLookupError as exc:
            raise BadInput(str(exc)) from exc
        started = time.perf_counter()
        try:
            data = build_report(
                kind,
                unit,
                options["period"],
                fmt,
                template=template,
                publication=options["publication"],
            )
        except ReportError as exc:
            raise BadInput(str(exc)) from exc
        except KeyError as exc:
            # python-docx: a template without a style the report needs and cannot add.
            raise BadInput(f"Mallen saknar en formatmall som rapporten behöver: {exc}") from exc
        try:
            output.write_bytes(data)
        except OSError as exc:
            raise BadInput(f"Kan inte skriva {output}: {exc.strerror}") from exc
        seconds = time.perf_counter() - started
        if options["json"]:
            json.dump(
                {
                    "kind": kind,
                    "org": {"code": unit.code, "name": unit.name},
                    "period": options["period"],
                    "format": fmt,
                    "file": str(output),
                    "bytes": len(data),
                    "seconds": round(seconds, 3),
                    "publication": options["publication"],
                },
                sys.stdout,
                ensure_ascii=False,
            )
            sys.stdout.write("\n")
        else:
            size = format_number(len(data) / 1024, 0)
            self.stdout.write(f"Skrev {output} ({size} kB på {format_number(seconds, 1)} s)")
