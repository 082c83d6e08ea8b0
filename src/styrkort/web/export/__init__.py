"""Downloads of a page's tables as CSV and XLSX, built from the same data the page shows
(the services' results), never from its HTML.

CSV is what Excel in Sweden opens with a double click: UTF-8 with a byte order mark,
semicolons between fields, CRLF line ends, decimal comma and no thousands separator.
Several tables go one after another, each under its title, with an empty line between.
XLSX (openpyxl) has one sheet per table with numbers as numbers.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field

from django.http import HttpResponse
from django.utils.text import slugify

FORMATS = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


@dataclass(frozen=True)
class Num:
    """A number cell shown with `decimals` decimals (None: as many as it has)."""

    value: float
    decimals: int | None = None

    def rounded(self) -> float:
        """The value as the page shows it (rounded half away from zero)."""
        return float(csv_number(self).replace(",", "."))


def num(value, decimals: int | None = None) -> Num | None:
    return None if value is None else Num(float(value), decimals)


@dataclass
class ExportTable:
    title: str
    columns: list[str]
    rows: list[list] = field(default_factory=list)  # cells: str, Num, int or None


def csv_number(cell: Num) -> str:
    """51.25 with 1 decimal -> '51,3' (half away from zero as the page rounds);
    1757.0 -> '1757'."""
    from styrkort.io.numbers import format_number

    text = format_number(cell.value, cell.decimals)
    return re.sub(r"[\s\u00a0\u202f]", "", text).replace("\u2212", "-")


_FORMULA_START = ("=", "+", "@", "\t", "\r")


def _safe_text(text: str) -> str:
    """A text cell that a spreadsheet would take for a formula gets a leading apostrophe."""
    if text.startswith(_FORMULA_START) or (text.startswith("-") and not _numberlike(text)):
        return "'" + text
    return text


def _numberlike(text: str) -> bool:
    return bool(re.fullmatch(r"-\s?\d[\d\s,.]*\s?%?", text))


def _csv_cell(cell) -> str:
    if cell is None:
        return ""
    if isinstance(cell, Num):
        return csv_number(cell)
    if isinstance(cell, int | float):
        return csv_number(Num(float(cell)))
    return _safe_text(" ".join(str(cell).split()))


def to_csv(tables: list[ExportTable]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n", quoting=csv.QUOTE_MINIMAL)
    for n, table in enumerate(tables):
        if n:
            writer.writerow([])
        if len(tables) > 1:
            writer.writerow([_safe_text(table.title)])
        writer.writerow([_safe_text(c) for c in table.columns])
        for row in table.rows:
            writer.writerow([_csv_cell(c) for c in row])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def _sheet_title(title: str, used: set[str]) -> str:
    base = re.sub(r"[\[\]:*?/\\]", " ", title).strip()[:31] or "Tabell"
    name, n = base, 2
    while name.casefold() in used:
        suffix = f" ({n})"
        name, n = base[: 31 - len(suffix)] + suffix, n + 1
    used.add(name.casefold())
    return name


def _xlsx_format(decimals: int | None) -> str:
    if decimals is None:
        return "General"
    return "#,##0" if decimals == 0 else "#,##0." + "0" * decimals


def to_xlsx(tables: list[ExportTable]) -> bytes:
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font

    book = Workbook(write_only=True)
    used: set[str] = set()
    bold = Font(bold=True)
    for table in tables:
        sheet = book.create_sheet(_sheet_title(table.title, used))
        sheet.freeze_panes = "A2"
        widths = [min(60, max(10, len(c) + 2)) for c in table.columns]
        for i, width in enumerate(widths):
            sheet.column_dimensions[_column_letter(i)].width = width
        header = []
        for title in table.columns:
            cell = WriteOnlyCell(sheet, value=title)
            cell.font = bold
            header.append(cell)
        sheet.append(header)
        for row in table.rows:
            cells = []
            for value in row:
                if isinstance(value, Num):
                    cell = WriteOnlyCell(sheet, value=value.rounded())
                    cell.number_format = _xlsx_format(value.decimals)
                elif value is None:
                    cell = WriteOnlyCell(sheet, value=None)
                elif isinstance(value, int | float):
                    cell = WriteOnlyCell(sheet, value=value)
                else:
                    cell = WriteOnlyCell(sheet, value=" ".join(str(value).split()))
                    cell.data_type = "s"  # never a formula, whatever the text begins with
                cells.append(cell)
            sheet.append(cells)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _column_letter(index: int) -> str:
    from openpyxl.utils import get_column_letter

    return get_column_letter(index + 1)


def download(tables: list[ExportTable], fmt: str, name: str) -> HttpResponse:
    """The tables as a file download named `name`.csv/.xlsx (name made file-safe)."""
    body = to_csv(tables) if fmt == "csv" else to_xlsx(tables)
    response = HttpResponse(body, content_type=FORMATS[fmt])
    filename = f"{slugify(name) or 'styrkort'}.{fmt}"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["X-Content-Type-Options"] = "nosniff"
    return response
