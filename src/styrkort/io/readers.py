"""Readers for tabular import files: CSV and XLSX, streamed row by row.

What data-warehouse exports really contain is accepted: UTF-8 with or without a byte
order mark, Windows-1252 when the bytes are not UTF-8, `;`, `,` or tab separators
(sniffed from the header line), quoted fields, blank lines. XLSX is read with openpyxl
in read-only mode; a cell formatted as a percentage (0,51 shown as 51 %) is given in
percent, as DESIGN.md's contract says, and a date in the first of a month (what Excel
makes of "2022-04") is given back as the month.

A file may be hostile (docs/import.md, "Limits"): :class:`Limits` caps the rows, the
columns and, for XLSX, the unpacked size, the compression ratio and the number of parts.
The zip's directory is checked before anything is unpacked, the worksheet's declared
dimension is ignored in favour of the cells really there, and XML with a document type
or entities (XML bombs) is refused; openpyxl parses with defusedxml.

Everything a reader cannot make sense of raises :class:`ImportFileError` with a message
in the active language (Swedish unless the user chose English); nothing here touches the
database.
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import io
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import BinaryIO

from django.utils.translation import gettext as _

__all__ = ["ImportFileError", "Limits", "Table", "open_table"]

CHUNK = 1 << 20
XLSX_MAGIC = b"PK\x03\x04"
DELIMITERS = (";", ",", "\t")


class ImportFileError(ValueError):
    """A file that cannot be read as a table; the message is in the active language.
    `row` is the row where reading failed, when known."""

    def __init__(self, message: str, row: int | None = None):
        super().__init__(message)
        self.row = row


@dataclass(frozen=True)
class Limits:
    """What a file may cost before it is refused (bytes, rows and columns as counted in the
    file; `max_ratio` is unpacked bytes per packed byte of one XLSX part)."""

    max_rows: int = 2_000_000
    max_columns: int = 1_000
    max_unpacked_bytes: int = 500 * 1024 * 1024
    max_ratio: int = 100
    max_parts: int = 1_000
    #: parts smaller than this unpacked are not held to `max_ratio` (an empty style sheet
    #: compresses well and costs nothing)
    ratio_floor: int = 1024 * 1024


DEFAULT_LIMITS = Limits()


@dataclass
class Table:
    """A header and an iterator of (row number, cells) with the header as row 1.

    `progress()` gives (bytes read, total bytes) for a progress bar; `encoding` and
    `delimiter` say what was detected (CSV only)."""

    headers: list[str]
    rows: Iterator[tuple[int, list]]
    total_bytes: int
    format: str
    delimiter: str | None = None
    progress: Callable[[], tuple[int, int]] = field(default=lambda: (0, 0))
    # Known for sure only once reading is under way (Windows-1252 is chosen at the
    # first byte that is not UTF-8).
    detected_encoding: Callable[[], str | None] = field(default=lambda: None)

    @property
    def encoding(self) -> str | None:
        return self.detected_encoding()


def _mb(n: int) -> str:
    return f"{n / (1024 * 1024):.1f}".replace(".", ",") + " MB"


def _size_of(fileobj: BinaryIO) -> int | None:
    try:
        pos = fileobj.tell()
        fileobj.seek(0, io.SEEK_END)
        end = fileobj.tell()
        fileobj.seek(pos)
        return end - pos
    except (AttributeError, OSError, ValueError):
        return None


def open_table(
    fileobj: BinaryIO,
    *,
    name: str = "",
    max_bytes: int | None = None,
    limits: Limits = DEFAULT_LIMITS,
) -> Table:
    """Open a binary file object as a :class:`Table` (CSV or XLSX, told apart by content).

    Raises ImportFileError for an empty, oversized, malformed or wrongly encoded file, and
    (also while the rows are read) for one beyond `limits`."""
    size = _size_of(fileobj)
    if max_bytes is not None and size is not None and size > max_bytes:
        raise ImportFileError(
            _("Filen är för stor: %(size)s (högst %(limit)s).")
            % {"size": _mb(size), "limit": _mb(max_bytes)}
        )
    head = fileobj.read(4)
    if not head:
        raise ImportFileError(_("Filen är tom."))
    if head == XLSX_MAGIC or name.lower().endswith((".xlsx", ".xlsm")):
        rest = fileobj.read() if max_bytes is None else fileobj.read(max_bytes + 1 - len(head))
        data = head + rest
        if max_bytes is not None and len(data) > max_bytes:
            raise ImportFileError(_too_large(max_bytes))
        return _open_xlsx(data, limits)
    if head[:2] in (b"\xff\xfe", b"\xfe\xff") or head.startswith(b"\xd0\xcf\x11\xe0"):
        raise ImportFileError(
            _(
                "Filen är inte en CSV-fil i UTF-8 eller Windows-1252 (UTF-16 eller gammalt "
                "Excel-format?). Spara den som CSV (UTF-8) eller XLSX."
            )
        )
    return _open_csv(fileobj, head, size, max_bytes, limits)


def _too_many_rows(limits: Limits, row: int) -> ImportFileError:
    return ImportFileError(
        _("Filen har fler än %(limit)s rader och läses inte in. Dela upp den i flera filer.")
        % {"limit": _count(limits.max_rows)},
        row=row,
    )


def _too_many_columns(limits: Limits, row: int, count: int) -> ImportFileError:
    return ImportFileError(
        _("Rad %(row)s har %(count)s kolumner; högst %(limit)s läses.")
        % {"row": row, "count": _count(count), "limit": _count(limits.max_columns)},
        row=row,
    )


def _count(n: int) -> str:
    return f"{n:,}".replace(",", "\u00a0")


def _too_large(max_bytes: int) -> str:
    return _("Filen är för stor (högst %(limit)s).") % {"limit": _mb(max_bytes)}


# --- CSV ---------------------------------------------------------------------------


class _Decoder:
    """Decodes a byte stream chunk by chunk: UTF-8 (a BOM is dropped) until a byte
    proves otherwise, then Windows-1252 when nothing but ASCII had been seen so far."""

    def __init__(self, fileobj: BinaryIO, head: bytes, max_bytes: int | None):
        self.fileobj = fileobj
        self.pending = head
        self.max_bytes = max_bytes
        self.read_bytes = 0
        self.encoding = "utf-8"
        self.decoder = codecs.getincrementaldecoder("utf-8-sig")()
        self.seen_non_ascii = False
        self.line = 1

    def _raw_chunks(self) -> Iterator[bytes]:
        if self.pending:
            chunk, self.pending = self.pending, b""
            self.read_bytes += len(chunk)
            yield chunk
        while True:
            chunk = self.fileobj.read(CHUNK)
            if not chunk:
                return
            self.read_bytes += len(chunk)
            if self.max_bytes is not None and self.read_bytes > self.max_bytes:
                raise ImportFileError(_too_large(self.max_bytes))
            yield chunk

    def _line_of(self, exc: UnicodeDecodeError) -> int:
        return self.line + exc.object[: exc.start].count(b"\n")

    def _decode(self, chunk: bytes, final: bool = False) -> str:
        if b"\x00" in chunk:
            line = self.line + chunk[: chunk.index(b"\x00")].count(b"\n")
            raise ImportFileError(
                _(
                    "Filen innehåller binära tecken (NUL) på rad %(row)s och är inte en "
                    "textfil i CSV-format."
                )
                % {"row": line},
                row=line,
            )
        buffered = self.decoder.getstate()[0] if self.encoding == "utf-8" else b""
        try:
            text = self.decoder.decode(chunk, final)
        except UnicodeDecodeError as exc:
            valid_before = exc.object[: exc.start]
            if self.encoding != "utf-8" or self.seen_non_ascii or not valid_before.isascii():
                raise ImportFileError(
                    _(
                        "Filen har blandad eller okänd teckenkodning: den är varken UTF-8 "
                        "eller Windows-1252 (ogiltig byte 0x%(byte)s på rad %(row)s)."
                    )
                    % {"byte": f"{exc.object[exc.start]:02x}", "row": self._line_of(exc)},
                    row=self._line_of(exc),
                ) from exc
            # Nothing but ASCII so far: the whole file is Windows-1252.
            self.encoding = "cp1252"
            self.decoder = codecs.getincrementaldecoder("cp1252")()
            try:
                text = self.decoder.decode(buffered + chunk, final)
            except UnicodeDecodeError as exc2:
                raise ImportFileError(
                    _(
                        "Filen har okänd teckenkodning: den är varken UTF-8 eller "
                        "Windows-1252 (ogiltig byte 0x%(byte)s på rad %(row)s)."
                    )
                    % {"byte": f"{exc2.object[exc2.start]:02x}", "row": self._line_of(exc2)},
                    row=self._line_of(exc2),
                ) from exc2
        if self.encoding == "utf-8" and not self.seen_non_ascii and not text.isascii():
            self.seen_non_ascii = True
        return text

    def lines(self) -> Iterator[str]:
        """Complete lines with their line ends (what csv.reader wants)."""
        rest = ""
        for chunk in self._raw_chunks():
            text = rest + self._decode(chunk)
            cut = text.rfind("\n") + 1
            if cut == 0:
                rest = text
                continue
            rest = text[cut:]
            for line in text[:cut].splitlines(keepends=True):
                self.line += 1
                yield line
        text = rest + self._decode(b"", final=True)
        if text:
            yield from text.splitlines(keepends=True)


def _sniff_delimiter(header_line: str) -> str:
    counts = {d: _count_outside_quotes(header_line, d) for d in DELIMITERS}
    best = max(DELIMITERS, key=lambda d: counts[d])
    return best if counts[best] else ";"


def _count_outside_quotes(line: str, char: str) -> int:
    count, quoted = 0, False
    for c in line:
        if c == '"':
            quoted = not quoted
        elif c == char and not quoted:
            count += 1
    return count


def _open_csv(
    fileobj: BinaryIO, head: bytes, size: int | None, max_bytes: int | None, limits: Limits
) -> Table:
    decoder = _Decoder(fileobj, head, max_bytes)
    lines = decoder.lines()
    header_line = ""
    for line in lines:
        if line.strip():
            header_line = line
            break
    if not header_line.strip():
        raise ImportFileError(_("Filen är tom."))
    delimiter = _sniff_delimiter(header_line)

    def all_lines() -> Iterator[str]:
        yield header_line
        yield from lines

    reader = csv.reader(all_lines(), delimiter=delimiter, quotechar='"', strict=True)
    try:
        headers = [h.strip() for h in next(reader)]
    except csv.Error as exc:
        raise ImportFileError(
            _("Rubrikraden kan inte läsas som CSV: %(error)s.") % {"error": exc}, row=1
        ) from exc
    if not any(headers):
        raise ImportFileError(_("Filen saknar rubrikrad."), row=1)
    if len(headers) > limits.max_columns:
        raise _too_many_columns(limits, 1, len(headers))

    def rows() -> Iterator[tuple[int, list]]:
        number = 1
        while True:
            try:
                cells = next(reader)
            except StopIteration:
                return
            except csv.Error as exc:
                raise ImportFileError(
                    _("Felaktig CSV på rad %(row)s: %(reason)s")
                    % {"row": number + 1, "reason": _csv_reason(exc)},
                    row=number + 1,
                ) from exc
            number += 1
            if number > limits.max_rows:
                raise _too_many_rows(limits, number)
            if len(cells) > limits.max_columns:
                raise _too_many_columns(limits, number, len(cells))
            if not cells or not (cells[0].strip() or any(c.strip() for c in cells)):
                continue
            yield number, cells

    total = size if size is not None else 0
    return Table(
        headers=headers,
        rows=rows(),
        total_bytes=total,
        format="csv",
        delimiter=delimiter,
        progress=lambda: (decoder.read_bytes, total),
        detected_encoding=lambda: decoder.encoding,
    )


def _csv_reason(exc: csv.Error) -> str:
    text = str(exc)
    if "unexpected end of data" in text or "EOF" in text:
        return _("ett citattecken avslutas aldrig (avkortad fil?).")
    if "expected" in text and "after" in text:
        return _("ett tecken står direkt efter ett avslutande citattecken.")
    if "field larger than field limit" in text:
        return _("ett fält är orimligt långt (felaktiga citattecken?).")
    return text


# --- XLSX --------------------------------------------------------------------------


def _cell_value(cell) -> object:
    value = getattr(cell, "value", None)
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, int | float):
        if "%" in (getattr(cell, "number_format", "") or ""):
            return round(value * 100, 10)
        if isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
            return int(value)
        return value
    if isinstance(value, dt.datetime | dt.date):
        if value.day == 1:
            return f"{value.year:04d}-{value.month:02d}"
        return value.strftime("%Y-%m-%d")
    return str(value)


#: how much of each XML part is searched for a document type declaration
XML_PROLOGUE = 64 * 1024


def _xml_bomb() -> ImportFileError:
    return ImportFileError(
        _(
            "XLSX-filen innehåller XML-definitioner (DTD eller entiteter) som en Excel-fil "
            "aldrig har och som kan användas för att överbelasta servern (XML-bomb). "
            "Filen läses inte; spara den på nytt från Excel."
        )
    )


def _defused(exc: BaseException | None) -> bool:
    """Whether defusedxml refused the XML somewhere in the chain (openpyxl wraps it)."""
    from defusedxml import DefusedXmlException

    seen = 0
    while exc is not None and seen < 10:
        if isinstance(exc, DefusedXmlException):
            return True
        exc, seen = exc.__cause__ or exc.__context__, seen + 1
    return False


def _check_package(data: bytes, limits: Limits) -> None:
    """Refuse a package from its zip directory before anything is unpacked: too many parts,
    too much unpacked, a part packed beyond `max_ratio` (a zip bomb), or an XML part that
    declares a document type (an XML bomb). Python's zipfile never unpacks more than a
    part's declared size, so the directory's sizes bound the work."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, EOFError, ValueError, OSError) as exc:
        raise ImportFileError(
            _("XLSX-filen är skadad eller avkortad och kan inte öppnas.")
        ) from exc
    with archive:
        parts = archive.infolist()
        if len(parts) > limits.max_parts:
            raise ImportFileError(
                _("XLSX-filen har %(count)s delar; en Excel-fil har högst %(limit)s.")
                % {"count": _count(len(parts)), "limit": _count(limits.max_parts)}
            )
        unpacked = sum(part.file_size for part in parts)
        if unpacked > limits.max_unpacked_bytes:
            raise ImportFileError(
                _(
                    "XLSX-filen blir %(size)s uppackad (högst %(limit)s). Dela upp den eller "
                    "spara den som CSV."
                )
                % {"size": _mb(unpacked), "limit": _mb(limits.max_unpacked_bytes)}
            )
        for part in parts:
            ratio = part.file_size / max(part.compress_size, 1)
            if part.file_size > limits.ratio_floor and ratio > limits.max_ratio:
                raise ImportFileError(
                    _(
                        "XLSX-filen är packad orimligt hårt (delen %(part)s blir %(ratio)s "
                        "gånger större uppackad; högst %(limit)s). Den kan vara en zip-bomb "
                        "och läses inte."
                    )
                    % {
                        "part": part.filename[:80],
                        "ratio": _count(int(ratio)),
                        "limit": _count(limits.max_ratio),
                    }
                )
        for part in parts:
            if not part.filename.lower().endswith((".xml", ".rels", ".vml")):
                continue
            try:
                with archive.open(part) as member:
                    prologue = member.read(XML_PROLOGUE)
            except (zipfile.BadZipFile, EOFError, ValueError, OSError, RuntimeError) as exc:
                raise ImportFileError(
                    _("XLSX-filen är skadad eller avkortad och kan inte öppnas.")
                ) from exc
            if b"<!DOCTYPE" in prologue.upper() or b"<!ENTITY" in prologue.upper():
                raise _xml_bomb()


def _open_xlsx(data: bytes, limits: Limits = DEFAULT_LIMITS) -> Table:
    from openpyxl import load_workbook

    _check_package(data, limits)
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, EOFError) as exc:
        raise ImportFileError(
            _("XLSX-filen är skadad eller avkortad och kan inte öppnas.")
        ) from exc
    except Exception as exc:  # openpyxl raises many kinds on a broken package
        if _defused(exc):
            raise _xml_bomb() from exc
        raise ImportFileError(
            _("XLSX-filen kan inte läsas: %(error)s.") % {"error": exc.__class__.__name__}
        ) from exc
    sheet = workbook.worksheets[0] if workbook.worksheets else None
    if sheet is None:
        raise ImportFileError(_("XLSX-filen har inget kalkylblad."))
    # The declared dimension (`<dimension ref="A1:XFD1048576">`) only serves the progress
    # bar, and only when plausible: openpyxl would otherwise pad every row to its width
    # and add its empty rows, hours of work for a few kilobytes.
    declared = sheet.max_row or 0
    total_rows = declared if declared <= limits.max_rows else 0
    sheet.reset_dimensions()
    state = {"row": 0}

    def cells_of(row) -> list:
        if len(row) > limits.max_columns:
            raise _too_many_columns(limits, state["row"], len(row))
        return [_cell_value(c) for c in row]

    def next_row(number: int) -> None:
        if number > limits.max_rows:
            raise _too_many_rows(limits, number)

    raw = sheet.iter_rows()
    headers: list[str] | None = None
    try:
        for row in raw:
            state["row"] += 1
            next_row(state["row"])
            values = cells_of(row)
            if any(str(v).strip() for v in values):
                headers = [str(v).strip() for v in values]
                break
    except ImportFileError:
        workbook.close()
        raise
    except Exception as exc:  # a broken part: openpyxl and the XML parser raise many kinds
        workbook.close()
        if _defused(exc):
            raise _xml_bomb() from exc
        raise ImportFileError(_("XLSX-filen är skadad eller avkortad.")) from exc
    if headers is None:
        workbook.close()
        raise ImportFileError(_("Filen är tom."))
    while headers and not headers[-1]:
        headers.pop()

    def rows() -> Iterator[tuple[int, list]]:
        try:
            for row in raw:
                state["row"] += 1
                next_row(state["row"])
                values = cells_of(row)
                if not any(str(v).strip() for v in values):
                    continue
                while len(values) > len(headers) and values[-1] == "":
                    values.pop()
                # Without the declared width a row ends at its last cell: the empty cells
                # after it are still there in the sheet.
                if len(values) < len(headers):
                    values.extend([""] * (len(headers) - len(values)))
                yield state["row"], values
        except ImportFileError:
            raise
        except Exception as exc:  # a broken part: openpyxl and the parser raise many kinds
            if _defused(exc):
                raise _xml_bomb() from exc
            raise ImportFileError(
                _("XLSX-filen är skadad eller avkortad (nära rad %(row)s).")
                % {"row": state["row"]},
                row=state["row"],
            ) from exc
        finally:
            workbook.close()

    return Table(
        headers=headers,
        rows=rows(),
        total_bytes=len(data),
        format="xlsx",
        progress=lambda: (state["row"], total_rows),
    )
