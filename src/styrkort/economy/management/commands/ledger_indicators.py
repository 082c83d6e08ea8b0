"""`styrkort manage ledger_indicators [--org UNIT] [--year Y ...] [--bind CODE [--line CODE]
[--basis actual|forecast]] [--dry-run] [--json]`: recompute (and optionally bind) the
indicators fed from the income statement, such as "Avvikelse mot budgeterat resultat"."""

from __future__ import annotations

import json

from django.core.exceptions import ValidationError

from styrkort.commands import BadInput, StyrkortCommand
from styrkort.io.numbers import format_number
from styrkort.organisation.lookup import UnitLookupError, find_unit


class Command(StyrkortCommand):
    help = (
        "Räknar om indikatorer som hämtas ur resultaträkningen (t.ex. Avvikelse mot "
        "budgeterat resultat) och sparar dem som utfall med datakälla Ekonomisystem."
    )

    def add_arguments(self, parser):
        parser.add_argument("--org", help="Enhetens kod eller namn: enheten och allt under den.")
        parser.add_argument("--year", type=int, action="append", help="År (kan upprepas).")
        parser.add_argument("--bind", metavar="INDIKATOR", help="Koppla indikatorn (kod) först.")
        parser.add_argument("--line", help="Resultaträkningsradens kod (tomt: Årets resultat).")
        parser.add_argument(
            "--basis", choices=["actual", "forecast"], default="actual",
            help="Utfall (actual) eller prognos (forecast) mot budget.",
        )  # fmt: skip
        parser.add_argument("--dry-run", action="store_true", help="Räkna men spara inget.")
        parser.add_argument("--json", action="store_true", help="Skriv resultatet som JSON.")

    def handle(self, *args, org, year, bind, line, basis, dry_run, json: bool, **options):
        from styrkort.economy.models import LedgerLine
        from styrkort.economy.services import bind_ledger_indicator, feed_ledger_indicators
        from styrkort.organisation.models import OrgUnit
        from styrkort.planning.models import Indicator

        unit = None
        if org:
            try:
                unit = find_unit(org)
            except UnitLookupError as exc:
                raise BadInput(str(exc)) from None
        if bind:
            indicators = Indicator.objects.filter(code=bind)
            if unit is not None:
                indicators = indicators.filter(organisation=unit.organisation)
            indicator = indicators.first()
            if indicator is None:
                raise BadInput(f"Okänd indikator: '{bind}'.")
            ledger_line = None
            if line:
                ledger_line = LedgerLine.objects.filter(
                    organisation=indicator.organisation, code=line
                ).first()
                if ledger_line is None:
                    raise BadInput(f"Okänd resultaträkningsrad: '{line}'.")
            try:
                bind_ledger_indicator(indicator, user=_system(), line=ledger_line, basis=basis)
            except ValidationError as exc:
                raise BadInput(" ".join(exc.messages)) from None
        units = None
        if unit is not None:
            units = list(OrgUnit.objects.filter(path__startswith=unit.path))
        result = feed_ledger_indicators(
            organisation=unit.organisation if unit else None,
            units=units,
            years=year,
            user=None,
            dry_run=dry_run,
        )
        if json:
            self.stdout.write(_dumps({"dry_run": dry_run, **result.as_dict()}))
            return
        for (code, unit_code, period), value in result.values.items():
            self.stdout.write(f"{code} {unit_code} {period}: {format_number(value)}")
        verb = "skulle skapas" if dry_run else "skapade"
        self.stdout.write(
            f"{result.created} utfall {verb}, {result.updated} ändrade, "
            f"{result.unchanged} oförändrade."
        )
        for line_text in result.skipped:
            self.stderr.write(f"Hoppade över: {line_text}")


class _System:
    """The command line acts as a trusted system user (like `styrkort import` without
    --user): it may bind indicators in any organisation."""

    is_authenticated = False
    is_superuser = True
    is_active = True


def _system():
    return _System()


def _dumps(data) -> str:
    return json.dumps(data, ensure_ascii=False)
