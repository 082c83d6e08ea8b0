"""The interim report's tables held against seeds 001 and 002, cell by cell.

Each file in ``interim/`` is one table of seed 001 (Norrbotten, Division Länssjukvård 1,
Delårsrapport 2022-04) or seed 002 (Jämtland Härjedalen, follow-up of the health-care
board's plan per April 2024), typed from the seed's text with the seed's line numbers: the
columns compared and each row's cells as printed (a cell left out of a row is not compared).
The report is built from the demo data and read back as a reader gets it: the Word file with
python-docx, the Excel file with openpyxl, and (slow) the PDF and the Word file converted by
LibreOffice, both read by pdftotext. Where the report prints otherwise on purpose the data
file says so and why (``report_differs``, with the seed's lines).

Comparison rules: whitespace, soft hyphens and footnote marks do not count; a number is
compared by its value (``+19 mnkr`` = ``19,0 mnkr``, ``90st`` = ``90``), an Excel number as
its cell format shows it (``0 %``: 0,533 is 53 %). An outcome split by sex (``51 % M: 60 %
K:45 %``) is compared part by part, by its label. A status the seed draws as a symbol is
the report's symbol in documents and its words in Excel (``symbols`` below; seed 001 has no
legend in its text: the shapes are read with the product's legend, which follows the seed's
drawings). ``level_prefix``: the seed sometimes writes a goal without its level
("Förflyttning mot öppna vårdformer"), the report always with it ("Framgångsfaktor: ...").
"""

from __future__ import annotations

import io
import re
import subprocess
from decimal import Decimal, InvalidOperation
from pathlib import Path

import pytest
import yaml
from docx import Document as open_docx
from openpyxl import load_workbook

from styrkort.demo.loader import fixture_files
from styrkort.organisation.lookup import find_unit
from styrkort.reports import build_report

DEMO_FILES = fixture_files()  # the demo as `styrkort demo` loads it
TABLES = sorted((Path(__file__).parent / "interim").glob("interim_*.yaml"))

#: The seeds' status shapes and their words (documents print both, Excel the words).
SYMBOLS = {
    "■": ("Uppfyllt", "Klar"),
    "●": ("Delvis uppfyllt", "Pågår enligt plan"),
    "▲": ("Ej uppfyllt", "Försenad"),
    "◆": ("Ej bedömt",),
    "◇": ("Planerad",),
}
MARKS = re.compile(r"[\u00b9\u00b2\u00b3\u2070-\u2079]|\[\d+\]")
NUMBER = re.compile(r"^([+\-\u2212]?\d{1,3}(?:[ \u00a0\u202f]?\d{3})*(?:,\d+)?)\s*(.*)$")
SEX = re.compile(r"(?:^|\s+|\n)([MK]):\s*")


def load(path: Path) -> dict:
    spec = yaml.safe_load(path.read_text(encoding="utf-8"))
    spec["name"] = path.stem
    rows = [dict(r) for r in spec["rows"]]
    for diff in spec.get("report_differs") or []:
        rows[diff["row"]][diff["column"]] = diff["report"]
    spec["expected"] = rows
    return spec


def flat(text) -> str:
    text = MARKS.sub("", "" if text is None else str(text)).replace("\u00ad", "")
    return re.sub(r"\s+", "", text)


def number(text) -> tuple[Decimal, str] | None:
    """A number with at most a unit after it (``19,0 mnkr``, ``90st``, ``6,9 %``)."""
    if isinstance(text, Decimal):
        return text, ""
    match = NUMBER.match(MARKS.sub("", str(text)).strip())
    if not match or not re.fullmatch(r"(?:%|[a-zåäö]{1,6})?", flat(match.group(2))):
        return None
    digits = re.sub(r"[ \u00a0\u202f]", "", match.group(1)).replace("\u2212", "-").lstrip("+")
    try:
        return Decimal(digits.replace(",", ".")), flat(match.group(2))
    except InvalidOperation:
        return None


def same_value(want: str, got) -> bool:
    a, b = number(want), number(got)
    if a is not None and b is not None:
        return a[0] == b[0] and (not a[1] or not b[1] or a[1] == b[1])
    return flat(want) == flat(got)


def seed_parts(text: str) -> dict[str, str]:
    """``51 % M: 60 % K:45 %`` -> {"": "51 %", "M": "60 %", "K": "45 %"}."""
    pieces = SEX.split(str(text))
    parts = {"": pieces[0]} if pieces[0].strip() else {}
    parts.update(zip(pieces[1::2], pieces[2::2], strict=True))
    return parts


def same(spec: dict, column: str, want: str, got: dict, fmt: str) -> bool:
    """``got``: the report's cell as parts by label ("" the total, "K", "M")."""
    prefix = (spec.get("level_prefix") or {}).get(column)
    if want in SYMBOLS:
        cell = got.get("", "")
        if fmt == "xlsx":
            return str(cell) in SYMBOLS[want]
        return flat(cell).startswith(want) and any(w in str(cell) for w in SYMBOLS[want])
    wanted = seed_parts(want) if want else {"": ""}
    for label, value in wanted.items():
        cell = got.get(label)
        if cell is None and label == "" and not value:
            continue
        if cell is None:
            return False
        if prefix:
            value = value.removeprefix(prefix)
            cell = cell.removeprefix(prefix) if isinstance(cell, str) else cell
        if not same_value(value, cell):
            return False
    return True


# --- the report's tables, as each reader sees them -----------------------------------------


def docx_tables(data: bytes) -> list[tuple[list[str], list[list[dict]]]]:
    out = []
    for table in open_docx(io.BytesIO(data)).tables:
        rows = [[cell.text for cell in row.cells] for row in table.rows]
        if not rows:
            continue
        body = []
        for row in rows[1:]:
            cells = []
            for text in row:
                lines = text.split("\n")
                parts = {"": lines[0]} if not SEX.match(lines[0]) else {}
                for line in lines[1:] if parts else lines:
                    m = SEX.match(line)
                    if m:
                        parts[m.group(1)] = line[m.end() :]
                    else:
                        parts[""] = parts.get("", "") + " " + line
                cells.append(parts)
            body.append(cells)
        out.append(([flat(h) for h in rows[0]], body))
    return out


def xlsx_tables(data: bytes) -> list[tuple[list[str], list[list[dict]]]]:
    """Each sheet's table (caption in A1, header in row 3); the columns of one cell split by
    sex ("Periodens utfall – K") joined again as its parts; numbers as the format shows."""
    wb = load_workbook(io.BytesIO(data))
    out = []
    for ws in wb.worksheets[1:]:
        if ws.max_row < 3:
            continue
        header = [str(c.value or "") for c in ws[3]]
        names, labels = [], []
        for h in header:
            base, _, label = h.partition(" – ")
            names.append(flat(base if label in ("K", "M") else h))
            labels.append(label if label in ("K", "M") else "")
        body = []
        for row in ws.iter_rows(min_row=4):
            if not any(c.value not in (None, "") for c in row):
                break
            cells: dict[str, dict] = {}
            for c, name, label in zip(row, names, labels, strict=False):
                value = c.value
                if isinstance(value, int | float):
                    value = Decimal(str(value))
                    fmt = c.number_format or ""
                    if "%" in fmt:
                        value *= 100
                    decimals = len(fmt.split(".")[1].split()[0].rstrip("%")) if "." in fmt else 0
                    value = value.quantize(Decimal(1).scaleb(-decimals))
                if value not in (None, ""):
                    cells.setdefault(name, {})[label] = value
            body.append(
                [
                    cells.get(n, {}) if lbl == "" else None
                    for n, lbl in zip(names, labels, strict=True)
                ]
            )
        out.append(([n for n, lbl in zip(names, labels, strict=True)], body))
    return out


def rows_of(spec: dict, tables) -> list[dict[str, dict]] | None:
    """The report's table with every seed column, as dicts by column (carried cells filled)."""
    columns = [flat(c) for c in spec["columns"]]
    first = spec["expected"][0]
    for header, body in tables:
        if not all(c in header for c in columns):
            continue
        rows, carried = [], {}
        for cells in body:
            row = {}
            for name in spec["columns"]:
                cell = cells[header.index(flat(name))] or {}
                if name in (spec.get("carry") or []):
                    if flat(cell.get("", "")):
                        carried[name] = cell
                    cell = carried.get(name, cell)
                row[name] = cell
            rows.append(row)
        if any(all(flat(r[k].get("", "")) == flat(first[k]) for k in spec["key"]) for r in rows):
            return rows
    return None


def differences(spec: dict, rows, fmt: str) -> list[str]:
    if rows is None:
        return [f"no table with the columns {spec['columns']} and the row {spec['expected'][0]}"]
    out = []
    for want in spec["expected"]:
        key = [want[k] for k in spec["key"]]
        found = [
            r for r in rows if all(flat(r[k].get("", "")) == flat(want[k]) for k in spec["key"])
        ]
        if len(found) != 1:
            out.append(f"row {key}: {len(found)} rows in the report")
            continue
        for column, value in want.items():
            if not same(spec, column, str(value), found[0][column], fmt):
                out.append(f"row {key}, {column}: seed {value!r}, report {found[0][column]!r}")
    return out


@pytest.fixture(scope="module")
def reports(demo, django_db_blocker):
    built = {}
    with django_db_blocker.unblock():
        for spec in map(load, TABLES):
            key = (spec["report"]["unit"], str(spec["report"]["period"]))
            if key not in built:
                unit = find_unit(key[0])
                built[key] = {f: build_report("interim", unit, key[1], f) for f in ("docx", "xlsx")}
    return built


def report_of(reports, spec, fmt):
    return reports[(spec["report"]["unit"], str(spec["report"]["period"]))][fmt]


@pytest.mark.django_db
@pytest.mark.parametrize("path", TABLES, ids=lambda p: p.stem)
def test_word_table_is_the_seeds(reports, path):
    spec = load(path)
    rows = rows_of(spec, docx_tables(report_of(reports, spec, "docx")))
    assert differences(spec, rows, "docx") == []


@pytest.mark.django_db
@pytest.mark.parametrize("path", TABLES, ids=lambda p: p.stem)
def test_excel_table_is_the_seeds(reports, path):
    spec = load(path)
    rows = rows_of(spec, xlsx_tables(report_of(reports, spec, "xlsx")))
    assert differences(spec, rows, "xlsx") == []


def test_every_seed_table_is_checked():
    """Both seeds' tables are here, each citing its lines."""
    specs = [load(p) for p in TABLES]
    assert {s["seed"] for s in specs} == {"001", "002"}
    assert all(re.fullmatch(r"\d+-\d+", s["lines"]) for s in specs)


# --- PDF: the text a reader copies out of it -----------------------------------------------


def pdf_text(path: Path) -> str:
    out = subprocess.run(
        ["pdftotext", str(path), "-"], check=True, capture_output=True, text=True
    ).stdout
    return " ".join(MARKS.sub("", out).replace("\u00ad", "").split())


def pattern(text: str) -> str:
    """A regular expression for a cell in the PDF text: a number in any of its printed
    forms (``19``, ``19,0``; ``1 757``), else the text with any whitespace between."""
    value = number(text)
    if value is None:  # a hyphen at a line end may be dropped ("hygien- och" -> "hygienoch")
        return r"\s*".join(re.escape(ch) + ("?" if ch == "-" else "") for ch in flat(text))
    forms = set()
    for decimals in range(4):
        q = value[0].quantize(Decimal(1).scaleb(-decimals))
        if q == value[0]:
            whole, _, frac = f"{abs(q):f}".partition(".")
            grouped = re.sub(r"\B(?=(\d{3})+(?!\d))", " ", whole)
            forms.add(grouped + ("," + frac if frac else ""))
    alternatives = "|".join(re.escape(f) for f in sorted(forms, key=len, reverse=True))
    return r"(?<![\d,])[+\-\u2212]?(?:" + alternatives + r")(?!\d|,\d)"


def words_pattern(text: str) -> list[str]:
    """A cell as patterns of its words: a table cell wraps over lines in a PDF, and a
    reader's text interleaves the lines of neighbouring cells, so each word is looked for
    in the row's stretch; a number keeps its printed forms."""
    if number(text) is not None:
        return [pattern(text)]
    return [pattern(w) for w in str(text).split() if flat(w)]


def row_differences(spec: dict, text: str, start: int) -> tuple[list[str], int]:
    """The seed's rows read from ``start`` on: each row's anchor (the first two words of its
    last key, or its first word where the cell wraps between them) in the seed's order,
    and every word of every cell within the table's text (a reader's text may give a
    column of the table as one block, or a wrapped cell's lines after the next row's)."""
    out, located, pos = [], [], start
    for want in spec["expected"]:
        words = str(want[spec["key"][-1]]).split()
        m = None
        for anchor in (" ".join(words[:2]), words[0]):
            m = re.compile(pattern(anchor)).search(text, pos)
            if m is not None:
                break
        if m is None:
            out.append(f"row {want[spec['key'][-1]]!r} not found")
            continue
        located.append((want, m.start()))
        pos = m.end()
    if not located:
        return out, start
    table = text[max(located[0][1] - 600, 0) : located[-1][1] + 1500]
    for want, _at in located:
        for column, value in want.items():
            if column in (spec.get("carry") or []) or not str(value).strip():
                continue
            prefix = (spec.get("level_prefix") or {}).get(column)
            for part in seed_parts(str(value)).values():
                part = part.removeprefix(prefix) if prefix else part
                missing = [w for w in words_pattern(part) if not re.search(w, table)]
                if missing:
                    out.append(f"row {want[spec['key'][-1]]!r}: {part!r} not in the table")
    return out, located[0][1]


def pdf_differences(spec: dict, text: str) -> list[str]:
    """The rows found from the place where the table's first row reads best (the first
    row's anchor may also stand in the table of contents or a heading)."""
    first = " ".join(str(spec["expected"][0][spec["key"][-1]]).split()[:2])
    best = None
    for m in re.finditer(pattern(first), text):
        found, _ = row_differences(spec, text, m.start())
        if best is None or len(found) < len(best):
            best = found
        if not found:
            break
    return best if best is not None else [f"{first!r} not in the text"]


@pytest.mark.slow
@pytest.mark.django_db
def test_pdf_and_word_through_libreoffice_hold_the_seeds_tables(demo, tmp_path):
    """The PDF (WeasyPrint) and the Word file opened by LibreOffice, both read back by
    pdftotext, hold each seed table's rows in the seed's order and every word and number
    of their cells (cell by cell in Word and Excel above)."""
    from test_documents_readers import soffice_pdf

    texts, failures = {}, []
    for spec in map(load, TABLES):
        key = (spec["report"]["unit"], str(spec["report"]["period"]))
        if key not in texts:
            unit = find_unit(key[0])
            pdf = tmp_path / f"{key[0]}.pdf"
            pdf.write_bytes(build_report("interim", unit, key[1], "pdf"))
            docx = tmp_path / f"{key[0]}-word.docx"
            docx.write_bytes(build_report("interim", unit, key[1], "docx"))
            texts[key] = {
                "pdf": pdf_text(pdf),
                "libreoffice": pdf_text(soffice_pdf(docx, tmp_path)),
            }
        for reader, text in texts[key].items():
            failures += [f"{spec['name']} ({reader}): {d}" for d in pdf_differences(spec, text)]
    assert failures == [], "\n".join(failures)
