"""The shared machinery of every importer: header mapping, row errors, the report and
the all-or-nothing run.

An importer subclass declares its columns (English name plus Swedish and other
aliases) and implements `begin`, `process_row` and `finish`. `Importer.run` reads the
table row by row inside one transaction; any rejected row or unreadable file rolls the
whole import back, and a dry run rolls back a successful one, so the counts a dry run
reports are exactly what a real run would do.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import ClassVar

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from styrkort.io.numbers import parse_number
from styrkort.io.readers import ImportFileError, Table

__all__ = [
    "Column",
    "ImportReport",
    "Importer",
    "RowError",
    "cell_number",
    "cell_text",
    "normalise_header",
]

#: At most this many rejected rows are listed one by one; the rest are counted.
MAX_LISTED_ERRORS = 10_000
PROGRESS_EVERY = 2_000

Progress = Callable[[int, int], None]


def normalise_header(text: object) -> str:
    """Case-, space- and accent-form-insensitive key for a column header:
    ``' Kön '`` and ``'KÖN'`` (composed or decomposed Ö) both give ``'kön'``."""
    folded = unicodedata.normalize("NFC", str(text or "")).casefold()
    return re.sub(r"[\s_\-.:]+", "", folded.strip().strip('"\ufeff'))


@dataclass(frozen=True)
class Column:
    """A column an importer understands: `name` (English, used in the API and in
    reports) and the other headers accepted for it."""

    name: str
    aliases: tuple[str, ...] = ()
    required: bool = False
    help: str = ""

    def header_keys(self) -> set[str]:
        return {normalise_header(self.name), *(normalise_header(a) for a in self.aliases)}


@dataclass
class RowError:
    """A rejected row: its number in the file (header = row 1), the column as the file
    names it, and a reason in the language active when it was found (Swedish unless the
    user chose English). `row` is None for the file as a whole."""

    row: int | None
    column: str | None
    reason: str
    #: a refusal by the permission function rather than bad data (the API answers 403)
    forbidden: bool = False

    def as_dict(self) -> dict:
        return {"row": self.row, "column": self.column, "reason": self.reason}

    def __str__(self) -> str:
        values = {"row": self.row, "column": self.column, "message": self.reason}
        if self.row is not None:
            if self.column:
                return _("Rad %(row)s, kolumn %(column)s: %(message)s") % values
            return _("Rad %(row)s: %(message)s") % values
        if self.column:
            return _("Filen, kolumn %(column)s: %(message)s") % values
        return _("Filen: %(message)s") % values


@dataclass
class ImportReport:
    """What an import did or, when anything was rejected, would not do."""

    kind: str
    dry_run: bool = False
    rows: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    duplicates: int = 0
    rejected: list[RowError] = field(default_factory=list)
    rejected_not_listed: int = 0
    ignored_columns: list[str] = field(default_factory=list)
    format: str | None = None
    encoding: str | None = None

    @property
    def ok(self) -> bool:
        return not self.rejected

    @property
    def forbidden(self) -> bool:
        """Whether any row was refused by the permission function."""
        return any(e.forbidden for e in self.rejected)

    @property
    def written(self) -> bool:
        return self.ok and not self.dry_run

    def reject(
        self, row: int | None, column: str | None, reason: str, *, forbidden: bool = False
    ) -> None:
        if len(self.rejected) < MAX_LISTED_ERRORS:
            self.rejected.append(RowError(row, column, reason, forbidden))
        else:
            self.rejected_not_listed += 1

    def as_dict(self) -> dict:
        """The JSON form (`styrkort import --json`, the API's bulk endpoint)."""
        return {
            "kind": self.kind,
            "dry_run": self.dry_run,
            "rows": self.rows,
            "created": self.created,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "duplicates": self.duplicates,
            "rejected": [e.as_dict() for e in self.rejected],
            "rejected_not_listed": self.rejected_not_listed,
            "ignored_columns": list(self.ignored_columns),
        }

    def summary_sv(self) -> str:
        """One line, e.g. for the command line and the web page: Swedish, or English when
        the user chose English (the name is older than the translation)."""
        if not self.ok:
            total = len(self.rejected) + self.rejected_not_listed
            return _("%(count)s fel – ingenting har sparats.") % {"count": total}
        counts = {
            "rows": self.rows,
            "created": self.created,
            "updated": self.updated,
            "unchanged": self.unchanged,
        }
        if not self.dry_run:
            return (
                _(
                    "%(rows)s rader lästa: %(created)s skapade, %(updated)s ändrade, "
                    "%(unchanged)s oförändrade."
                )
                % counts
            )
        return (
            _(
                "%(rows)s rader lästa: %(created)s skulle skapas, %(updated)s ändrade, "
                "%(unchanged)s oförändrade."
            )
            % counts
            + " "
            + _("(Provkörning – ingenting sparat.)")
        )


class _Rollback(Exception):
    pass


def cell_text(value: object) -> str:
    """A cell as stripped text (numbers from XLSX cells written without '.0')."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


_SIMPLE_NUMBER = re.compile(r"-?[0-9]+(?:,[0-9]+)?")


def cell_number(value: object) -> float | None:
    """A cell as a number, Swedish style (styrkort.io.numbers), None when blank.

    The common plain forms ("1757", "51,0", "-3") take a fast path; everything else
    ("1 757", "51,0 %", "-11,2%", U+00A0 spaces) goes through `parse_number`. Raises
    NumberError with a message in the active language."""
    if value is None:
        return None
    if isinstance(value, str):
        if value.isascii():
            if value.isdigit():
                return float(value)
            if _SIMPLE_NUMBER.fullmatch(value):
                return float(value.replace(",", ".")) + 0.0
        if not value.strip(" \u00a0\u202f\u2009\t\r\n"):
            return None
    return parse_number(value)


class Importer:
    """Base of the registered importers (see `styrkort.io.importers.register`)."""

    kind: ClassVar[str] = ""
    label: ClassVar[str] = ""
    columns: ClassVar[tuple[Column, ...]] = ()

    def __init__(self, *, user=None, dry_run: bool = False, progress: Progress | None = None):
        self.user = user
        self.dry_run = dry_run
        self.progress = progress
        self.report = ImportReport(kind=self.kind, dry_run=dry_run)
        #: canonical column name -> the header as the file writes it
        self.column_labels: dict[str, str] = {c.name: c.name for c in self.columns}

    # --- header -------------------------------------------------------------------

    def map_headers(self, headers: list[str]) -> dict[str, int] | None:
        """Map canonical column names to cell positions; report unknown columns as
        ignored and missing or repeated required ones as errors (None then)."""
        by_key: dict[str, Column] = {}
        for column in self.columns:
            for key in column.header_keys():
                by_key[key] = column
        positions: dict[str, int] = {}
        ok = True
        for index, header in enumerate(headers):
            if not header:
                continue
            column = by_key.get(normalise_header(header))
            if column is None:
                self.report.ignored_columns.append(header)
                continue
            if column.name in positions:
                self.report.reject(
                    1,
                    header,
                    _("Kolumnen '%(header)s' förekommer två gånger (som %(name)s).")
                    % {"header": header, "name": column.name},
                )
                ok = False
                continue
            positions[column.name] = index
            self.column_labels[column.name] = header
        for column in self.columns:
            if column.required and column.name not in positions:
                names = "/".join([column.name, *column.aliases[:1]])
                self.report.reject(1, None, _("Kolumnen %(names)s saknas.") % {"names": names})
                ok = False
        return positions if ok else None

    # --- the run ------------------------------------------------------------------

    def run(self, table: Table) -> ImportReport:
        """Import a table all-or-nothing; returns the report (never raises for bad input)."""
        report = self.report
        report.format = table.format
        positions = self.map_headers(table.headers)
        if positions is None:
            return report
        width = len(table.headers)
        try:
            with transaction.atomic():
                try:
                    self.begin()
                    process = self.row_processor(positions, width)
                    for number, cells in table.rows:
                        report.rows += 1
                        if len(cells) != width:
                            cells = self._fit(number, cells, width)
                            if cells is None:
                                continue
                        process(number, cells)
                        if self.progress is not None and report.rows % PROGRESS_EVERY == 0:
                            self.progress(*table.progress())
                    if report.rows == 0 and report.ok:
                        report.reject(None, None, _("Filen har inga rader under rubrikraden."))
                    if not report.ok:
                        raise _Rollback
                    self.finish()
                    if not report.ok:
                        raise _Rollback
                except BaseException:
                    self.abort()
                    raise
                if self.dry_run:
                    transaction.set_rollback(True)
        except _Rollback:
            pass
        except ImportFileError as exc:
            report.reject(exc.row, None, str(exc))
        except PermissionDenied as exc:
            report.reject(None, None, str(exc), forbidden=True)
        except IntegrityError:
            report.reject(
                None,
                None,
                _(
                    "Databasen vägrade spara raderna (en annan import eller användare ändrade "
                    "samma uppgifter samtidigt?). Ingenting har sparats; försök igen."
                ),
            )
        report.encoding = table.encoding
        if not report.ok:
            report.created = report.updated = report.unchanged = 0
        if self.progress is not None:
            done, total = table.progress()
            self.progress(total or done, total or done)
        return report

    def _fit(self, number: int, cells: list, width: int) -> list | None:
        if len(cells) > width:
            if all(cell_text(c) == "" for c in cells[width:]):
                return cells[:width]
            self.report.reject(
                number,
                None,
                _(
                    "Raden har %(count)s fält men rubrikraden har %(width)s"
                    " (fel avgränsare eller citattecken?)."
                )
                % {"count": len(cells), "width": width},
            )
            return None
        self.report.reject(
            number,
            None,
            _("Raden har bara %(count)s fält men rubrikraden har %(width)s (avkortad rad?).")
            % {"count": len(cells), "width": width},
        )
        return None

    # --- what subclasses implement -------------------------------------------------

    def begin(self) -> None:
        """Load what rows are resolved against (once), inside the transaction."""

    def process_row(self, number: int, values: Mapping[str, object]) -> None:
        raise NotImplementedError

    def row_processor(self, positions: dict[str, int], width: int) -> Callable[[int, list], None]:
        """What `run` calls with each row's number and cells (exactly `width` of them,
        a fresh list the callee may change): by default `process_row` with the cells by
        column name. An importer may return something faster; called after `begin`."""
        items = list(positions.items())
        process_row = self.process_row

        def process(number: int, cells: list) -> None:
            process_row(number, {name: cells[i] for name, i in items})

        return process

    def abort(self) -> None:
        """Release what `begin` opened when the run fails (before the rollback)."""

    def finish(self) -> None:
        """Write what the rows asked for and fill in the report's counts."""
        raise NotImplementedError
