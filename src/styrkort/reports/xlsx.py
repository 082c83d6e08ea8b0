"""Excel (.xlsx) rendering: every table of the report as a sheet of typed cells.

Numbers are numbers (never text), percentages are fractions with a percent number
format (23,6 % is stored as 0.236 with ``0.0%``), changes carry their sign in the
format, money keeps its unit in the format, statuses are text (their words). A
composite cell (an outcome with women and men) becomes one column per part, so each
value is its own typed cell. A first sheet describes the report and its symbols; free
text written by people (analyses, descriptions) is on a last sheet "Texter", as plain
text. Every text is written as text: one that starts with ``=``, ``+``, ``-`` or ``@``
(an activity comment ``=1+2``) is never a formula (:func:`put`).
"""

from __future__ import annotations

import io
import re
from collections.abc import Callable

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter

from styrkort.text import to_plain

from .document import Cell, Document, Heading, Legend, Table, Text, text_cell

__all__ = ["FORMULA_STARTS", "number_format", "put", "render_xlsx"]

_HEADER_FILL = PatternFill("solid", fgColor="DCE6F0")
_BOLD = Font(bold=True)
_TOP = Border(top=Side(style="double", color="404040"))
_WRAP = Alignment(wrap_text=True, vertical="top")


#: What a spreadsheet program reads as the start of a formula.
FORMULA_STARTS = ("=", "+", "-", "@")


def put(ws, row: int, column: int, value):
    """Write ``value`` to a cell; text is always text: a string that starts like a formula
    (``=1+2``, ``-5``, ``@SUM``) is stored as a string with the quote prefix, so that
    neither Excel nor LibreOffice computes it, also when the cell is edited."""
    cell = ws.cell(row=row, column=column, value=value)
    if isinstance(value, str):
        cell.data_type = "s"
        if value.lstrip().startswith(FORMULA_STARTS):
            cell.quotePrefix = True
    return cell


#: The Swedish locale tag: spreadsheet programs that honour it (LibreOffice) print
#: 31 180 and 23,6 % whatever the reader's own locale; Excel uses the system's.
LOCALE_TAG = "[$-41D]"


def number_format(cell: Cell) -> str:
    """The Excel number format of a typed cell (Swedish locale tag, space before %)."""
    decimals = "." + "0" * cell.decimals if cell.decimals else ""
    if cell.kind == "percent":
        return f"{LOCALE_TAG}0{decimals} %"
    if cell.kind == "change":
        return f"{LOCALE_TAG}+0{decimals} %;-0{decimals} %;0{decimals} %"
    if cell.kind == "mnkr":
        return f'{LOCALE_TAG}#,##0{decimals} "mnkr"'
    return f"{LOCALE_TAG}#,##0{decimals}"


def _typed(cell: Cell):
    """The value written to Excel: a float (percent as a fraction) or text."""
    if cell.suppressed:
        return cell.text
    if cell.is_numeric:
        if cell.kind in ("percent", "change"):
            return float(cell.value) / 100.0
        return float(cell.value)
    if cell.kind == "symbol":
        return cell.label or cell.text or None
    return cell.text or None


WORDS, READING = object(), object()  # the two columns of a target as written


def _expand(table: Table) -> tuple[list[str], list[list[Cell]], list[Cell] | None]:
    """Columns with composite cells split into one column per part label."""
    all_rows = [*table.rows, *([table.total] if table.total else [])]
    plan: list[tuple[int, object]] = []
    columns: list[str] = []
    for j, name in enumerate(table.columns):
        labels: list[str] = []
        has_plain = False
        for row in all_rows:
            cell = row[j]
            if cell.parts:
                if cell.text:
                    has_plain = True
                for label, _ in cell.parts:
                    if label not in labels:
                        labels.append(label)
            else:
                has_plain = True
        if not labels and any(row[j].written for row in all_rows):
            # A target as written ("max 2 %") stays text; its parsed number goes beside it.
            plan += [(j, WORDS), (j, READING)]
            columns += [name, f"{name} – tolkat värde"]
            continue
        if not labels:
            plan.append((j, None))
            columns.append(name)
            continue
        if has_plain:
            plan.append((j, None))
            columns.append(name)
        for label in labels:
            plan.append((j, label))
            columns.append(f"{name} – {label}")

    def pick(row: list[Cell]) -> list[Cell]:
        out = []
        for j, label in plan:
            cell = row[j]
            if label is WORDS:
                out.append(text_cell(cell.text, bold=cell.bold) if cell.text else Cell())
                continue
            if label is READING:
                out.append(
                    Cell(cell.text, cell.value, cell.kind, cell.decimals, bold=cell.bold)
                    if cell.written
                    else Cell()
                )
                continue
            if label is None:
                out.append(
                    Cell(
                        cell.text,
                        cell.value,
                        cell.kind,
                        cell.decimals,
                        label=cell.label,
                        key=cell.key,
                        suppressed=cell.suppressed,
                        symbol=cell.symbol,
                    )
                    if cell.parts
                    else cell
                )
            else:
                part = next((p for lbl, p in cell.parts if lbl == label), Cell())
                out.append(part)
        return out

    rows = [pick(row) for row in table.rows]
    total = pick(table.total) if table.total else None
    return columns, rows, total


def _sheet_title(name: str, used: set[str]) -> str:
    base = re.sub(r"[\[\]:*?/\\]", " ", name or "Tabell").strip()[:28] or "Tabell"
    title, n = base, 2
    while title.lower() in used:
        suffix = f" {n}"
        title, n = base[: 31 - len(suffix)] + suffix, n + 1
    used.add(title.lower())
    return title


def _write_table(ws, table: Table) -> None:
    columns, rows, total = _expand(table)
    r = 1
    if table.caption:
        put(ws, 1, 1, table.caption).font = Font(bold=True, size=12)
        r = 3
    header_row = r
    for j, name in enumerate(columns, start=1):
        c = put(ws, r, j, name.replace("\u00ad", ""))
        c.font = _BOLD
        c.fill = _HEADER_FILL
        c.alignment = _WRAP
    for row in [*rows, *([total] if total else [])]:
        r += 1
        is_total = total is not None and row is total
        for j, cell in enumerate(row, start=1):
            c = put(ws, r, j, _typed(cell))
            if cell.is_numeric and not cell.suppressed:
                c.number_format = number_format(cell)
            elif isinstance(c.value, str) and "\n" in c.value:
                c.alignment = _WRAP
            if is_total or cell.bold:
                c.font = _BOLD
            if is_total:
                c.border = _TOP
    if table.note:
        put(ws, r + 2, 1, table.note).font = Font(italic=True)
    ws.freeze_panes = ws.cell(row=header_row + 1, column=min(table.row_headers, 1) + 1)
    # Printed (or converted to PDF): landscape, every column on the page, header repeated.
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.print_title_rows = f"{header_row}:{header_row}"
    for j, name in enumerate(columns, start=1):
        data = [
            len(str(ws.cell(row=i, column=j).value or "")) for i in range(header_row + 1, r + 1)
        ]
        header = min(len(str(name)), 32)
        ws.column_dimensions[get_column_letter(j)].width = max(9, min(60, max([header, *data]) + 2))


def _write_about(ws, document: Document) -> None:
    put(ws, 1, 1, document.title).font = Font(bold=True, size=14)
    r = 2
    if document.subtitle:
        put(ws, 2, 1, document.subtitle)
        r = 3
    for label, value in document.meta.items():
        r += 1
        put(ws, r, 1, label).font = _BOLD
        put(ws, r, 2, value)
    for block in document.blocks:
        if isinstance(block, Legend):
            r += 2
            put(ws, r, 1, block.title).font = Font(bold=True, size=12)
            for title, items in block.groups:
                r += 1
                put(ws, r, 1, title).font = _BOLD
                for item in items:
                    r += 1
                    put(ws, r, 1, item.symbol)
                    put(ws, r, 2, item.label)
    ws.column_dimensions["A"].width = 28
    ws.column_dimensions["B"].width = 70


def _texts(document: Document) -> list[tuple[str, str]]:
    """The free texts of the document as (section, plain text): the section is the
    headings above the text, outermost first."""
    path: list[Heading] = []
    out = []
    for block in document.blocks:
        if isinstance(block, Heading):
            path = [h for h in path if h.level < block.level] + [block]
        elif isinstance(block, Text):
            text = to_plain(block.text, lead=block.lead)
            if text:
                out.append((" – ".join(h.text for h in path), text))
    return out


def _write_texts(ws, texts: list[tuple[str, str]]) -> None:
    for j, name in enumerate(("Avsnitt", "Text"), start=1):
        c = put(ws, 1, j, name)
        c.font, c.fill = _BOLD, _HEADER_FILL
    for r, (section, text) in enumerate(texts, start=2):
        put(ws, r, 1, section).alignment = _WRAP
        put(ws, r, 2, text).alignment = _WRAP
    ws.freeze_panes = "A2"
    ws.column_dimensions["A"].width = 40
    ws.column_dimensions["B"].width = 100
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.print_title_rows = "1:1"


def render_xlsx(
    document: Document,
    *,
    progress: Callable[[int, int], None] | None = None,
) -> bytes:
    """The report's tables as an .xlsx workbook (bytes)."""
    wb = Workbook()
    about = wb.active
    about.title = "Om rapporten"
    _write_about(about, document)
    used = {"om rapporten"}
    tables = document.tables()
    for index, table in enumerate(tables):
        ws = wb.create_sheet(_sheet_title(table.name or table.caption, used))
        _write_table(ws, table)
        if progress is not None:
            progress(index + 1, len(tables))
    texts = _texts(document)
    if texts:
        _write_texts(wb.create_sheet(_sheet_title("Texter", used)), texts)
    wb.properties.title = document.title
    wb.properties.subject = document.subtitle
    wb.properties.creator = "Styrkort"
    wb.properties.language = document.language
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()
