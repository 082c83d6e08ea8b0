"""The shared machinery of every importer: header mapping, row errors, the report and
the all-or-nothing run.

An importer subclass declares its columns (English name plus Swedish and other
aliases) and implements `begin`, `process_row` and `finish`. `Importer.run` reads,
checks and stages the whole table *outside* any transaction (reads only: a file of
50 000 rows takes many seconds, and on SQLite a transaction that writes holds the whole
database), then writes in one short transaction (`finish`); any rejected row or
unreadable file and nothing is written. A dry run of an importer that can count
without writing (`stage`, the outcomes on SQLite) opens no transaction at all; other
dry runs roll the short transaction back, so the counts a dry run reports are exactly
what a real run would do. An importer that writes while it reads
(`writes_while_reading`: the outcomes' COPY pipeline on PostgreSQL, where a long
transaction blocks no other user) keeps the whole run in its transaction.

On SQLite the short transaction waits for the write lock (busy_timeout); when another
writer still holds it, the write is tried again (`WRITE_ATTEMPTS`) before the import
is refused with a Swedish "try again" message.
"""

from __future__ import annotations

import contextlib
import logging
import re
import time
import unicodedata
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import ClassVar

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, OperationalError, transaction
from django.utils.translation import gettext as _

from styrkort.errors import is_database_locked
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

logger = logging.getLogger(__name__)

#: At most this many rejected rows are listed one by one; the rest are counted.
MAX_LISTED_ERRORS = 10_000
PROGRESS_EVERY = 2_000
#: how many times the short write transaction is begun while another writer holds the
#: SQLite database (each waits up to busy_timeout) before the import is refused
WRITE_ATTEMPTS = 3

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
    #: seconds the write transaction was held (on SQLite: the database's write lock);
    #: None when none was opened (a dry run that only reads, a rejected file)
    write_seconds: float | None = None

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
        if self.writes_while_reading():
            self._run_in_transaction(table, positions)
        else:
            self._run_staged(table, positions)
        report.encoding = table.encoding
        if not report.ok:
            report.created = report.updated = report.unchanged = 0
        if self.progress is not None:
            done, total = table.progress()
            self.progress(total or done, total or done)
        return report

    def _read_rows(self, table: Table, positions: dict[str, int]) -> None:
        """`begin`, then every row through the row processor (reads only)."""
        report = self.report
        width = len(table.headers)
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

    def _run_staged(self, table: Table, positions: dict[str, int]) -> None:
        """Read, check and stage outside any transaction; write in one short one."""
        report = self.report
        try:
            with self._import_refusals():
                self._read_rows(table, positions)
                if not report.ok:
                    return
                self.stage()
                if not report.ok or (self.dry_run and self.dry_run_reads_only()):
                    return
                self._write_transaction()
        except _Rollback:
            pass

    def _write_transaction(self) -> None:
        """`finish` in one transaction, begun again while another writer holds SQLite's
        write lock; a dry run rolls it back."""
        report = self.report
        for attempt in range(1, WRITE_ATTEMPTS + 1):
            write = contextlib.ExitStack()
            try:
                write.enter_context(transaction.atomic())
            except OperationalError as exc:
                # BEGIN IMMEDIATE waited busy_timeout for another writer; nothing began.
                if not is_database_locked(exc) or attempt == WRITE_ATTEMPTS:
                    raise
                logger.warning("Import %s: the database is locked, trying again", self.kind)
                continue
            started = time.perf_counter()
            try:
                with write:
                    try:
                        self.finish()
                        if not report.ok:
                            raise _Rollback
                    except BaseException:
                        self.abort()
                        raise
                    if self.dry_run:
                        transaction.set_rollback(True)
            finally:
                report.write_seconds = time.perf_counter() - started
                logger.info(
                    "Import %s: %s rows, write transaction %.2f s",
                    self.kind,
                    report.rows,
                    report.write_seconds,
                )
            return

    @contextlib.contextmanager
    def _import_refusals(self):
        """Whole-file refusals (an unreadable file, a permission, a conflict, a database
        that stayed locked) as rejections in the report."""
        report = self.report
        try:
            yield
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
        except OperationalError as exc:
            if not is_database_locked(exc):
                raise
            report.reject(
                None,
                None,
                _(
                    "Databasen är upptagen av en annan skrivning just nu. Ingenting har "
                    "sparats; försök igen om en stund."
                ),
            )

    def _run_in_transaction(self, table: Table, positions: dict[str, int]) -> None:
        """The whole run in one transaction (an importer that writes while it reads)."""
        report = self.report
        try:
            with self._import_refusals(), transaction.atomic():
                try:
                    self._read_rows(table, positions)
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

    def writes_while_reading(self) -> bool:
        """Whether rows are written while the file is read, so that the whole run must
        be one transaction (default: no; the rows are staged and `finish` writes)."""
        return False

    def dry_run_reads_only(self) -> bool:
        """Whether `stage` gives a dry run its counts without writing (then a dry run
        opens no transaction); else a dry run runs `finish` and rolls it back."""
        return False

    def begin(self) -> None:
        """Load what rows are resolved against (once), with reads only: outside any
        transaction unless `writes_while_reading`."""

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

    def stage(self) -> None:
        """After the last row, before the write transaction: prepare the write with reads
        only (and, when `dry_run_reads_only`, fill in the report's counts)."""

    def finish(self) -> None:
        """Inside the short write transaction: check again what may have changed since
        the rows were read (locks, permissions), write what the rows asked for and fill
        in the report's counts."""
        raise NotImplementedError
