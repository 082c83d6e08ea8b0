"""Import of outcomes (utfall) in the shape a data warehouse exports, and the row
validation the API's bulk endpoint shares.

Columns (English or Swedish header, case and spaces ignored):
``org``/``enhet`` (unit code or exact name), ``indicator``/``indikator`` (code),
``period``, ``sex``/``kön`` (``total``/``T``, ``women``/``K``, ``men``/``M``; blank is
total), ``value``/``värde``, ``numerator``/``täljare``, ``denominator``/``nämnare``,
``source``/``källa``, ``note``/``anmärkning``.
"""

from __future__ import annotations

import datetime as dt
import math
import re
import unicodedata
from collections.abc import Callable, Mapping
from operator import itemgetter

from django.db import connection
from django.utils.translation import gettext as _

from styrkort.followup.evaluation.sexes import SEX_ALIASES
from styrkort.followup.models import OutcomeSource
from styrkort.followup.services import (
    OutcomeInput,
    parse_sex,
    stale_outcome_rows,
    validate_outcome,
)
from styrkort.io.numbers import NumberError
from styrkort.io.readers import Table
from styrkort.io.writers import OutcomeWriter
from styrkort.organisation.permissions import Action, Scope, scope_for
from styrkort.periods import PeriodError, parse_period
from styrkort.rounds.locks import LockIndex

from .base import Column, Importer, ImportReport, cell_number, cell_text
from .registry import register

__all__ = ["OUTCOME_COLUMNS", "OutcomeImporter", "OutcomeRowParser", "import_outcome_rows"]

OUTCOME_COLUMNS: tuple[Column, ...] = (
    Column(
        "org",
        ("enhet", "organisation", "unit", "enhetskod"),
        required=True,
        help="Enhetens kod eller exakta namn.",
    ),
    Column(
        "indicator",
        ("indikator", "indikatorkod", "indicator code", "mått"),
        required=True,
        help="Indikatorns kod.",
    ),
    Column(
        "period",
        ("tidsperiod", "månad", "år"),
        required=True,
        help="2022, 2022-T1, 2022-DÅ04, 2022-04, 202204, 2022-Q2, 2022-H1 …",
    ),
    Column("sex", ("kön", "kon"), help="total/T, women/K, men/M; tomt = totalt."),
    Column("value", ("värde", "varde", "utfall"), help="Värdet; procent i procent (51,0 %)."),
    Column("numerator", ("täljare", "taljare"), help="För kvoter."),
    Column("denominator", ("nämnare", "namnare"), help="För kvoter."),
    Column("source", ("källa", "kalla", "datakälla"), help="Varifrån värdet kommer."),
    Column("note", ("anmärkning", "kommentar"), help="Fri text."),
)

_VALIDATION_COLUMN = {
    "unit": "org",
    "indicator": "indicator",
    "value": "value",
    "numerator": "numerator",
    "denominator": "denominator",
    "sex": "sex",
    "period": "period",
}

Reject = Callable[..., None]  # (row, column, reason, *, forbidden=False)


class OutcomeRowParser:
    """Resolves and validates outcome rows: the one path for files and the API.

    Unit and indicator codes are resolved against dictionaries loaded once; every row
    goes through `styrkort.followup.services.validate_outcome`; the acting user's right
    to report for the unit is checked (None: a trusted system import, no check); a row
    repeating an earlier row's key with other values is rejected, an identical repeat is
    skipped."""

    def __init__(self, *, user=None, today: dt.date | None = None):
        from styrkort.organisation.models import OrgUnit
        from styrkort.planning.models import Indicator

        self.user = user
        self.scope = scope_for(user) if user is not None else None
        self.today = today or dt.date.today()
        # The same spellings as styrkort.organisation.lookup.find_unit: the code
        # (case-insensitive), else the exact name or short name (case-insensitive, NFC).
        self.units_by_code: dict[str, object] = {}
        self.units_by_folded_code: dict[str, list] = {}
        self.units_by_name: dict[str, list] = {}
        self.units_by_short_name: dict[str, list] = {}
        for unit in OrgUnit.objects.all().only(
            "id",
            "code",
            "name",
            "short_name",
            "path",
            "depth",
            "organisation_id",
            "valid_from",
            "valid_to",
        ):
            self.units_by_code[unit.code] = unit
            self.units_by_folded_code.setdefault(unit.code.casefold(), []).append(unit)
            self.units_by_name.setdefault(_fold(unit.name), []).append(unit)
            if unit.short_name:
                self.units_by_short_name.setdefault(_fold(unit.short_name), []).append(unit)
        self.indicators: dict[str, object] = {}
        self.indicators_folded: dict[str, object] = {}
        for ind in Indicator.objects.all().only(
            "id", "code", "organisation_id", "unit", "aggregation", "numerator_at_most_denominator"
        ):
            self.indicators[ind.code] = ind
            self.indicators_folded[ind.code.casefold()] = ind
        self._periods: dict[str, object] = {}
        self.locks = LockIndex({u.organisation_id for u in self.units_by_code.values()})
        self._may_report: dict[int, bool] = {}
        self._seen: dict[tuple, tuple] = {}
        self.duplicates = 0

    # --- resolving --------------------------------------------------------------

    def unit(self, text: str):
        """The unit for a code or exact name; raises ValueError (in the active language)
        otherwise."""
        unit = self.units_by_code.get(text)
        if unit is not None:
            return unit
        folded = _fold(text)
        for candidates in (
            self.units_by_folded_code.get(text.casefold()),
            self.units_by_name.get(folded),
            self.units_by_short_name.get(folded),
        ):
            if not candidates:
                continue
            if len(candidates) == 1:
                return candidates[0]
            codes = ", ".join(sorted(u.code for u in candidates))
            raise ValueError(
                _("Flera enheter heter '%(text)s': %(codes)s. Ange enhetens kod.")
                % {"text": text, "codes": codes}
            )
        raise ValueError(
            _("Okänd enhet: '%(text)s' (ange enhetens kod eller exakta namn).") % {"text": text}
        )

    def indicator(self, text: str):
        ind = self.indicators.get(text) or self.indicators_folded.get(text.casefold())
        if ind is None:
            raise ValueError(_("Okänd indikator: '%(text)s'.") % {"text": text})
        return ind

    def period(self, text: str):
        cached = self._periods.get(text)
        if cached is None:
            period = parse_period(text)
            if period.start > self.today:
                raise PeriodError(
                    _("Perioden %(period)s har inte börjat ännu; utfall kan inte finnas.")
                    % {"period": period.canonical}
                )
            cached = self._periods[text] = (period, period.canonical)
        return cached[0]

    def may_report(self, unit) -> bool:
        if self.scope is None:
            return True
        allowed = self._may_report.get(unit.pk)
        if allowed is None:
            allowed = self._may_report[unit.pk] = self.scope.allows(Action.REPORT, unit)
        return allowed

    # --- one row ----------------------------------------------------------------

    def parse(
        self,
        number: int | None,
        values: Mapping[str, object],
        reject: Reject,
        labels: Mapping[str, str] | None = None,
    ) -> OutcomeInput | None:
        """Turn one row (canonical column name -> cell) into a validated OutcomeInput.

        Every problem is passed to `reject(row, column, reason, forbidden=...)`; returns
        None for a rejected row or an identical repeat of an earlier row."""
        get = values.get
        return self.parse_cells(number, tuple(get(name) for name in _NAMES), reject, labels)

    def parse_cells(
        self,
        number: int | None,
        cells: tuple,
        reject: Reject,
        labels: Mapping[str, str] | None = None,
    ) -> OutcomeInput | None:
        """`parse` for the cells of one row in the order of OUTCOME_COLUMNS (None for a
        column the file does not have): what a file import calls."""
        resolved = self._resolve_fast(cells)
        if resolved is None:
            values = dict(zip(_NAMES, cells, strict=True))
            resolved = self._resolve_checked(number, values, reject, labels or {})
            if resolved is None:
                return None
        unit, indicator, period, canonical, sex, value, numerator, denominator, source, note = (
            resolved
        )
        if self.scope is not None and not self.may_report(unit):
            reject(
                number,
                _label(labels, "org"),
                _("Du saknar behörighet att rapportera för %(name)s (%(code)s).")
                % {"name": unit.name, "code": unit.code},
                forbidden=True,
            )
            return None
        if self.locks.rounds:  # rows of a locked unit and period (rounds.locks)
            locked = self.locks.reason(unit, period.start, period.end)
            if locked is not None:
                reject(number, _label(labels, "period"), locked.messages[0])
                return None
        row = OutcomeInput(
            indicator=indicator,
            unit=unit,
            period=period,
            sex=sex,
            value=value,
            numerator=numerator,
            denominator=denominator,
            data_source=source,
            note=note,
        )
        errors = validate_outcome(row)
        if errors:
            for name, message in errors.items():
                reject(number, _label(labels, _VALIDATION_COLUMN.get(name, name)), message)
            return None
        key = (indicator.id, unit.id, canonical, sex)
        signature = (row.value, row.numerator, row.denominator)
        seen = self._seen.get(key)
        if seen is None:
            self._seen[key] = (number, signature)
            return row
        if seen[1] == signature:
            self.duplicates += 1
            return None
        values = {"row": seen[0], "value": _show(signature), "other": _show(seen[1])}
        if seen[0] is not None:
            message = (
                _(
                    "Samma enhet, indikator, period och kön som rad %(row)s men ett annat "
                    "värde (%(value)s mot %(other)s)."
                )
                % values
            )
        else:
            message = (
                _(
                    "Samma enhet, indikator, period och kön som en tidigare rad men ett annat "
                    "värde (%(value)s mot %(other)s)."
                )
                % values
            )
        reject(number, _label(labels, "value"), message)
        return None

    def _resolve_fast(self, cells: tuple) -> tuple | None:
        """The common case in few steps: known codes, a cached period, plain numbers.
        None sends the row to `_resolve_checked`, which says what is wrong."""
        org, code, text, sex, value, numerator, denominator, source, note = cells
        if org.__class__ is not str or code.__class__ is not str or text.__class__ is not str:
            return None
        unit = self.units_by_code.get(org)
        indicator = self.indicators.get(code)
        cached = self._periods.get(text)
        sex = _SEX_FAST.get(sex or "")
        if unit is None or indicator is None or cached is None or sex is None:
            return None
        value = _fast_number(value)
        numerator = _fast_number(numerator)
        denominator = _fast_number(denominator)
        if value is _SLOW or numerator is _SLOW or denominator is _SLOW:
            return None
        source = source or ""
        note = note or ""
        if source.__class__ is not str or note.__class__ is not str or len(source) > 200:
            return None
        return (
            unit,
            indicator,
            cached[0],
            cached[1],
            sex,
            value,
            numerator,
            denominator,
            source.strip(),
            note.strip(),
        )

    def _resolve_checked(self, number, values, reject, labels) -> tuple | None:
        """Resolve a row field by field, reporting every problem."""

        def label(name: str) -> str:
            return labels.get(name, name)

        ok = True
        org_text = cell_text(values.get("org"))
        ind_text = cell_text(values.get("indicator"))
        period_text = cell_text(values.get("period"))
        unit = indicator = period = None
        if not org_text:
            reject(number, label("org"), _("Enhet saknas."))
            ok = False
        else:
            try:
                unit = self.unit(org_text)
            except ValueError as exc:
                reject(number, label("org"), str(exc))
                ok = False
        if not ind_text:
            reject(number, label("indicator"), _("Indikator saknas."))
            ok = False
        else:
            try:
                indicator = self.indicator(ind_text)
            except ValueError as exc:
                reject(number, label("indicator"), str(exc))
                ok = False
        if not period_text:
            reject(number, label("period"), _("Period saknas."))
            ok = False
        else:
            try:
                period = self.period(period_text)
            except PeriodError as exc:
                reject(number, label("period"), str(exc))
                ok = False
        try:
            sex = str(parse_sex(cell_text(values.get("sex"))))
        except ValueError as exc:
            reject(number, label("sex"), str(exc))
            ok = False
        numbers = {}
        for name in ("value", "numerator", "denominator"):
            try:
                numbers[name] = cell_number(values.get(name))
            except NumberError as exc:
                reject(number, label(name), str(exc) + ".")
                ok = False
        data_source = cell_text(values.get("source"))
        note = cell_text(values.get("note"))
        if len(data_source) > 200:
            reject(number, label("source"), _("Källan får vara högst 200 tecken."))
            ok = False
        if not ok:
            return None
        return (
            unit,
            indicator,
            period,
            self._periods[period_text][1],
            sex,
            numbers["value"],
            numbers["numerator"],
            numbers["denominator"],
            data_source,
            note,
        )


def _label(labels: Mapping[str, str] | None, name: str) -> str:
    return labels.get(name, name) if labels else name


_NAMES = tuple(column.name for column in OUTCOME_COLUMNS)
_SLOW = object()
_PLAIN_NUMBER = re.compile(r"-?(?:[0-9]+|[0-9]{1,3}(?: [0-9]{3})+)(?:,[0-9]+)?")
_SEX_FAST: dict[str, str] = {}
for _alias, _sex in SEX_ALIASES.items():
    for _form in (_alias, _alias.upper(), _alias.capitalize()):
        _SEX_FAST[_form] = str(_sex)


def _fast_number(value: object):
    """A plain number written in one of the common ways ("1757", "1 757", "51,0",
    "-3") or a JSON number; _SLOW for anything `cell_number` must look at."""
    if value is None or value == "":
        return None
    cls = value.__class__
    if cls is str:
        if value.isdigit() and value.isascii():
            return float(value)
        if value.isascii() and _PLAIN_NUMBER.fullmatch(value):
            return float(value.replace(" ", "").replace(",", ".")) + 0.0
        return _SLOW
    if cls is float or cls is int:
        return float(value) if math.isfinite(value) else _SLOW
    return _SLOW


def _fold(text: str) -> str:
    return unicodedata.normalize("NFC", text).strip().casefold()


def _show(signature: tuple) -> str:
    value, numerator, denominator = signature
    from styrkort.io.numbers import format_number

    if numerator is not None:
        return f"{format_number(numerator)}/{format_number(denominator)}"
    return format_number(value)


@register
class OutcomeImporter(Importer):
    """Outcomes from CSV or XLSX: upserted per indicator x unit x period x sex."""

    kind = "outcomes"
    label = "Utfall"
    columns = OUTCOME_COLUMNS

    def __init__(
        self,
        *,
        source: str = OutcomeSource.IMPORT,
        expected_versions: Mapping[int, str] | None = None,
        **kwargs,
    ):
        """`expected_versions`: {row number: the version of the outcome the row's author
        read} (the API's bulk rows); a row whose outcome has changed since is rejected."""
        super().__init__(**kwargs)
        self.source = source
        self.expected_versions = dict(expected_versions or {})

    def writes_while_reading(self) -> bool:
        """On PostgreSQL the rows are copied and merged batch by batch while the file is
        read (styrkort.io.writers), in one transaction that blocks no other user (MVCC);
        elsewhere (SQLite) they are staged and written in one short transaction."""
        return connection.vendor == "postgresql"

    def dry_run_reads_only(self) -> bool:
        # Rows with the version they expect are checked against the stored versions in
        # the write transaction (`finish`): a dry run of them goes through it and rolls
        # back, so that it refuses a stale row as the real run would.
        return not self.writes_while_reading() and not self.expected_versions

    def begin(self) -> None:
        self.parser = OutcomeRowParser(user=self.user)
        self.writer = OutcomeWriter(user=self.user, source=self.source)
        self._reject = self.report.reject
        self._held: list[tuple[int, OutcomeInput]] = []

    def process_row(self, number, values) -> None:
        row = self.parser.parse(number, values, self._reject, self.column_labels)
        if row is not None and self.report.ok:
            if self.expected_versions:
                # Checked against the stored versions inside the write transaction; the
                # COPY writer gets them only then, the staged one stages them now.
                self._held.append((number, row))
                if not self.writer.writes_while_reading:
                    self.writer.add(row)
            else:
                self.writer.add(row)

    def row_processor(self, positions: dict[str, int], width: int):
        """Cells straight to `OutcomeRowParser.parse_cells`, without a dict per row; a
        column the file lacks reads the None appended after the last cell. Rows with
        expected versions take the plain path (`process_row`)."""
        if self.expected_versions:
            return super().row_processor(positions, width)
        pick = itemgetter(*(positions.get(name, width) for name in _NAMES))
        parse, add, reject, report = (
            self.parser.parse_cells,
            self.writer.add,
            self._reject,
            self.report,
        )
        labels = self.column_labels

        def process(number: int, cells: list) -> None:
            cells.append(None)
            row = parse(number, pick(cells), reject, labels)
            if row is not None and report.ok:
                add(row)

        return process

    def abort(self) -> None:
        writer = getattr(self, "writer", None)
        if writer is not None:
            writer.abort()

    def _check_versions(self) -> None:
        """Reject every held row whose outcome has changed since the version it names
        (the stored outcomes locked until the transaction ends); else hand them all to
        the writer."""
        versioned = [
            (number, row, self.expected_versions[number])
            for number, row in self._held
            if number in self.expected_versions
        ]
        stale = stale_outcome_rows([(row, version) for _n, row, version in versioned])
        for position, exc in stale:
            self.report.reject(versioned[position][0], "version", exc.detail)
        if self.report.ok and self.writer.writes_while_reading:
            for _number, row in self._held:
                self.writer.add(row)

    def stage(self) -> None:
        """Compare the rows with the stored outcomes, reads only (the staged writer):
        a dry run's counts; a real run counts again when it writes."""
        if self.writer.writes_while_reading:
            return
        result = self.writer.stage()
        self._count(result)

    def _check_again(self) -> None:
        """Inside the write transaction: the roles and the rounds' period locks read
        afresh, for every unit and period the rows write, so that nothing a round locked
        or a role lost since the rows were read is written (on SQLite nobody can change
        them until the transaction ends)."""
        places = self.writer.units_and_periods
        if not places:
            return
        units = {unit.id: unit for unit, _period in places.values()}
        labels = self.column_labels
        if self.user is not None:
            scope = Scope(self.user)
            for unit in units.values():
                if not scope.allows(Action.REPORT, unit):
                    self.report.reject(
                        None,
                        labels.get("org", "org"),
                        _("Du saknar behörighet att rapportera för %(name)s (%(code)s).")
                        % {"name": unit.name, "code": unit.code},
                        forbidden=True,
                    )
        locks = LockIndex({unit.organisation_id for unit in units.values()})
        if locks.rounds:
            for unit, period in places.values():
                locked = locks.reason(unit, period.start, period.end)
                if locked is not None:
                    self.report.reject(None, labels.get("period", "period"), locked.messages[0])

    def _count(self, result) -> None:
        self.report.created = result.created
        self.report.updated = result.updated
        self.report.unchanged = result.unchanged
        self.report.duplicates = self.parser.duplicates

    def finish(self) -> None:
        staged = not self.writer.writes_while_reading
        if staged:  # checked before anything is written
            self._check_again()
            if not self.report.ok:
                return
        if self.expected_versions:
            self._check_versions()
            if not self.report.ok:
                return
        result = self.writer.finish()
        if not staged:
            # PostgreSQL: the batches were merged while the file was read (the last one
            # may still be running: `finish` waits for it); checked now, still inside the
            # transaction, which is rolled back if anything is refused.
            self._check_again()
            if not self.report.ok:
                return
        self._count(result)


def import_outcome_rows(
    rows: list[Mapping[str, object]],
    *,
    user,
    dry_run: bool = False,
    source: str = OutcomeSource.API,
) -> ImportReport:
    """Upsert outcomes given as mappings with the import file's column names (the API's
    bulk endpoint): the same header mapping, row validation, all-or-nothing transaction
    and writer as a file import. Row numbers in the report count from 1.

    A row may carry `version`: the version of the outcome its author read (an ETag,
    quoted or not; "" when there was none); the row is rejected when the outcome has
    changed since (styrkort.concurrency), and then nothing is written."""
    expected: dict[int, str] = {}
    if any("version" in row for row in rows):
        plain = []
        for number, row in enumerate(rows, start=1):
            row = dict(row)
            version = row.pop("version", None)
            if version is not None:
                expected[number] = str(version).strip().strip('"')
            plain.append(row)
        rows = plain
    headers: list[str] = []
    for row in rows:
        for key in row:
            if key not in headers:
                headers.append(key)
    table = Table(
        headers=headers,
        rows=((n, [row.get(h) for h in headers]) for n, row in enumerate(rows, start=1)),
        total_bytes=len(rows),
        format="json",
    )
    importer = OutcomeImporter(
        user=user, dry_run=dry_run, source=source, expected_versions=expected
    )
    return importer.run(table)
