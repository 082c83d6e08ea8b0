"""Import of income-statement amounts (ledger rows) from CSV or XLSX:
`styrkort import ledger FILE [--dry-run] [--json]`.

One row per amount: the line's code, the unit (code or exact name), the year, the kind
(actual/budget/forecast/plan; utfall, bokslut, prognos accepted), optionally the month
(1-12) or a period such as `2024-03` / `202403`, and the amount in tkr written the
Swedish way ("-1 073 400"). All or nothing, as for outcomes: any rejected row (with its
row, column and a Swedish reason) and nothing is written. After a successful import the
indicators bound to the ledger (economy.models.LedgerIndicator) are recomputed for the
units and years the file touched, in the same transaction.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Mapping

from django.utils.translation import gettext as _

from styrkort.io.importers.base import Column, Importer, cell_text
from styrkort.io.importers.registry import register
from styrkort.io.numbers import NumberError
from styrkort.organisation.permissions import REFUSALS, scope_for
from styrkort.periods import PeriodError, parse_period

from .models import LedgerLine
from .services import (
    KIND_ALIASES,
    AmountRow,
    action_for,
    feed_ledger_indicators,
    to_money,
    write_amounts,
)

LEDGER_COLUMNS: tuple[Column, ...] = (
    Column(
        "line",
        ("rad", "radkod", "resultaträkningsrad", "kod"),
        required=True,
        help="Resultaträkningsradens kod (en rad utan underrader).",
    ),
    Column(
        "org",
        ("enhet", "organisation", "unit", "ansvar"),
        required=True,
        help="Enhetens kod eller exakta namn.",
    ),
    Column("year", ("år", "ar"), help="År; kan utelämnas när period anges."),
    Column(
        "kind",
        ("typ", "slag", "beloppstyp"),
        required=True,
        help="actual/utfall/bokslut, budget, forecast/prognos eller plan.",
    ),
    Column("month", ("månad", "manad"), help="1–12 för ett månadsbelopp, tomt för året."),
    Column("period", ("period",), help="2024, 2024-03 eller 202403 i stället för år och månad."),
    Column(
        "value",
        ("belopp", "värde", "varde", "tkr", "amount"),
        required=True,
        help="Belopp i tkr; intäkter positiva, kostnader negativa.",
    ),
    Column("note", ("anmärkning", "anmarkning", "kommentar")),
)


def _fold(text: str) -> str:
    return unicodedata.normalize("NFC", text).strip().casefold()


@register
class LedgerImporter(Importer):
    """Amounts per income-statement line x unit x year x kind (x month)."""

    kind = "ledger"
    label = "Resultaträkning"
    columns = LEDGER_COLUMNS

    def __init__(self, *, source: str = "import", **kwargs):
        super().__init__(**kwargs)
        self.source = source
        self.feed = None

    def begin(self) -> None:
        from styrkort.organisation.models import OrgUnit

        self.scope = scope_for(self.user) if self.user is not None else None
        self.units_by_code, self.units_by_folded = {}, {}
        for unit in OrgUnit.objects.only(
            "id", "code", "name", "short_name", "path", "depth", "organisation_id"
        ):
            self.units_by_code[unit.code] = unit
            for key in {unit.code.casefold(), _fold(unit.name), _fold(unit.short_name or "")}:
                if key:
                    self.units_by_folded.setdefault(key, []).append(unit)
        self.lines = {}
        parents = set()
        for line in LedgerLine.objects.all():
            self.lines[(line.organisation_id, line.code.casefold())] = line
            if line.parent_id:
                parents.add(line.parent_id)
        self.parents = parents
        self.rows: list[AmountRow] = []
        self.seen: dict[tuple, tuple[int, object]] = {}
        self.allowed: dict[tuple, bool] = {}

    def _unit(self, text: str):
        unit = self.units_by_code.get(text)
        if unit is not None:
            return unit
        candidates = self.units_by_folded.get(_fold(text), [])
        if len(candidates) == 1:
            return candidates[0]
        if candidates:
            codes = ", ".join(sorted(u.code for u in candidates))
            raise ValueError(
                _("Flera enheter heter '%(text)s': %(codes)s. Ange enhetens kod.")
                % {"text": text, "codes": codes}
            )
        raise ValueError(
            _("Okänd enhet: '%(text)s' (ange enhetens kod eller exakta namn).") % {"text": text}
        )

    def process_row(self, number: int, values: Mapping[str, object]) -> None:
        label = self.column_labels.get
        reject = self.report.reject
        ok = True
        unit = line = kind = year = month = value = None
        org_text = cell_text(values.get("org"))
        try:
            if not org_text:
                raise ValueError(_("Enheten saknas."))
            unit = self._unit(org_text)
        except ValueError as exc:
            reject(number, label("org"), str(exc))
            ok = False
        line_text = cell_text(values.get("line"))
        if not line_text:
            reject(number, label("line"), _("Raden (resultaträkningsradens kod) saknas."))
            ok = False
        elif unit is not None:
            line = self.lines.get((unit.organisation_id, line_text.casefold()))
            if line is None:
                reject(
                    number,
                    label("line"),
                    _("Okänd resultaträkningsrad '%(line)s' för %(unit)s.")
                    % {"line": line_text, "unit": unit.name},
                )
                ok = False
            elif line.pk in self.parents:
                reject(
                    number,
                    label("line"),
                    _(
                        "Raden %(code)s (%(name)s) är en summarad; ange beloppen på "
                        "raderna under den."
                    )
                    % {"code": line.code, "name": line.name},
                )
                ok = False
        kind_text = cell_text(values.get("kind"))
        kind = KIND_ALIASES.get(kind_text.lower())
        if kind is None:
            reject(
                number,
                label("kind"),
                _("Okänd typ '%(kind)s' (utfall, budget, prognos eller plan).")
                % {"kind": kind_text}
                if kind_text
                else _("Typen saknas (utfall, budget, prognos eller plan)."),
            )
            ok = False
        year_text, month_text = cell_text(values.get("year")), cell_text(values.get("month"))
        period_text = cell_text(values.get("period"))
        if period_text:
            try:
                period = parse_period(period_text)
            except PeriodError as exc:
                reject(number, label("period"), str(exc))
                ok = False
            else:
                if period.is_year:
                    year = period.year
                elif period.first_month == period.last_month:
                    year, month = period.year, period.first_month
                else:
                    reject(
                        number,
                        label("period"),
                        _("Perioden %(period)s är varken ett år eller en månad.")
                        % {"period": period.canonical},
                    )
                    ok = False
        if year is None:
            if not year_text:
                reject(number, label("year"), _("Året saknas (ange år eller period)."))
                ok = False
            elif not year_text.isdigit() or not 1990 <= int(year_text) <= 2100:
                reject(number, label("year"), _("Ogiltigt år '%(year)s'.") % {"year": year_text})
                ok = False
            else:
                year = int(year_text)
        elif year_text and year_text != str(year):
            reject(
                number,
                label("year"),
                _("Året %(year)s stämmer inte med perioden.") % {"year": year_text},
            )
            ok = False
        if month_text and month is None:
            if not month_text.isdigit() or not 1 <= int(month_text) <= 12:
                reject(
                    number,
                    label("month"),
                    _("Ogiltig månad '%(month)s' (1–12).") % {"month": month_text},
                )
                ok = False
            else:
                month = int(month_text)
        try:
            value = to_money(
                values.get("value")
                if not isinstance(values.get("value"), str)
                else values.get("value").strip(),
            )
        except (ValueError, NumberError) as exc:
            reject(number, label("value"), str(exc))
            ok = False
        if not ok:
            return
        action = action_for(kind)
        if self.scope is not None:
            key = (unit.pk, action)
            if key not in self.allowed:
                self.allowed[key] = self.scope.allows(action, unit)
            if not self.allowed[key]:
                reject(
                    number,
                    label("org"),
                    _(REFUSALS[action]) % {"unit": f"{unit.name} ({unit.code})"},
                    forbidden=True,
                )
                return
        row = AmountRow(
            line=line,
            unit=unit,
            year=year,
            kind=kind,
            month=month,
            value=value,
            note=cell_text(values.get("note"))[:500],
            source=self.source,
        )
        previous = self.seen.get(row.key)
        if previous is not None:
            first, first_value = previous
            if first_value == value:
                self.report.duplicates += 1
                return
            reject(
                number,
                label("value"),
                _("Samma rad, enhet, år, typ och månad som rad %(row)s men ett annat belopp.")
                % {"row": first},
            )
            return
        self.seen[row.key] = (number, value)
        self.rows.append(row)

    def finish(self) -> None:
        result = write_amounts(self.rows, user=self.user, source=self.source)
        self.report.created = result.created
        self.report.updated = result.updated
        self.report.unchanged = result.unchanged
        if self.rows:
            self.feed = feed_ledger_indicators(
                units={r.unit for r in self.rows},
                years={r.year for r in self.rows},
                user=self.user,
            )
