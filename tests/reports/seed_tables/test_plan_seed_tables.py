"""The plan reports' tables held against the seeds' own, cell by cell.

Each file in ``seed_tables/plan/`` is one table of seed 003 (Sörmland's Division Primärvård,
Verksamhetsplan 2024-2026) or seed 004 (Norrbotten's Regionstyrelsens plan 2022-2024),
typed from the seed's text with the seed's line numbers: header and rows as printed.
The report is built from the demo data and read back as a reader gets it: the Word file
with python-docx, the Excel file with openpyxl, the PDF with pdftotext (and, once, the
Word file converted to PDF by LibreOffice). Every printed cell of the seed must be in the
report's table, in the seed's column; where the report prints otherwise on purpose the
data file says so and why (``report_differs``).

Comparison rules: spaces (also no-break spaces) and footnote marks do not count, and a
number is compared by its value (``+123,5`` = ``123,5``; ``0`` = ``0,0``), never rounded:
``-45`` is not ``0,0``. A header cell the seed prints empty (``""``) is not compared, its
column is found by its place; a column the seed prints empty throughout (``null``: seed
004's arrow column) is not compared at all.
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

from styrkort.organisation.lookup import find_unit
from styrkort.reports import build_report

pytestmark = pytest.mark.django_db

SEED_TABLES = sorted((Path(__file__).parent / "plan").glob("*.yaml"))
MARKS = re.compile("[\u00b9\u00b2\u00b3\u2070-\u2079]")
NUMBER = re.compile(
    r"^[+\-\u2212]?\d{1,3}(?:[ \u00a0\u202f]\d{3})*(?:,\d+)?$|^[+\-\u2212]?\d+(?:,\d+)?$"
)


def load(path: Path) -> dict:
    spec = yaml.safe_load(path.read_text(encoding="utf-8"))
    spec["name"] = path.stem
    return spec


def flat(text: str) -> str:
    """Text without footnote marks, soft hyphens and whitespace."""
    text = MARKS.sub("", str(text)).replace("\u00ad", "")
    return re.sub(r"\s+", "", text)


def number(text) -> Decimal | None:
    """A cell that is one number (``-1 025 899``, ``8 712,1``, ``+123,5``) as its value."""
    if isinstance(text, Decimal):
        return text
    text = MARKS.sub("", str(text)).strip()
    if not NUMBER.match(text):
        return None
    text = text.replace("\u2212", "-").lstrip("+")
    try:
        return Decimal(re.sub(r"[ \u00a0\u202f]", "", text).replace(",", "."))
    except InvalidOperation:
        return None


def percent(text) -> Decimal | None:
    """A cell that is one percentage (``55 %``) as its value in percent."""
    text = str(text).strip()
    return number(text[:-1]) if text.endswith("%") else None


def same(expected, got) -> bool:
    a, b = number(expected), number(got)
    if a is not None and b is not None:
        return a == b
    a, b = percent(expected), percent(got)
    if a is not None and b is not None:
        return a == b
    return flat(expected) == flat("" if got is None else got)


def expected_rows(spec: dict) -> list[list[str]]:
    """The seed's rows with the report's deliberate differences put in."""
    rows = [list(r) for r in spec["rows"]]
    columns = spec.get("columns")
    for diff in spec.get("report_differs") or []:
        j = columns.index(diff["column"]) if columns else int(diff["column"])
        rows[diff["row"]][j] = diff["report"]
    return rows


# --- the report's tables, as each reader sees them -----------------------------------------


def docx_tables(data: bytes) -> list[tuple[list, list[list]]]:
    doc = open_docx(io.BytesIO(data))
    out = []
    for table in doc.tables:
        rows = [[cell.text for cell in row.cells] for row in table.rows]
        if rows:
            out.append((rows[0], rows[1:]))
    return out


def xlsx_tables(data: bytes) -> list[tuple[list, list[list]]]:
    """Each sheet's table: caption in A1, header in row 3, then the rows (numbers as
    Decimal; a percentage cell's 0.8 as "80 %")."""
    wb = load_workbook(io.BytesIO(data))
    out = []
    for ws in wb.worksheets[1:]:
        if ws.max_row < 3:
            continue
        header = [c.value or "" for c in ws[3]]
        rows = []
        for row in ws.iter_rows(min_row=4):
            if not any(c.value not in (None, "") for c in row):
                break
            values = []
            for c in row:
                if isinstance(c.value, int | float):
                    value = Decimal(str(c.value))
                    if "%" in (c.number_format or ""):  # 0.55 shown as 55 %
                        values.append(f"{(value * 100).normalize():f} %".replace(".", ","))
                    else:
                        values.append(value.normalize())
                else:
                    values.append("" if c.value is None else str(c.value))
            rows.append(values)
        out.append((header, rows))
    return out


def column_view(spec: dict, header: list, rows: list[list]) -> list[list] | None:
    """The report's table laid out in the seed's columns (None: a seed column missing)."""
    columns = spec.get("columns")
    if columns is None:
        width = len(spec["rows"][0])
        return [r[:width] for r in rows] if header and len(header) >= width else None
    names = [flat(h) for h in header]
    pick = []
    for name in columns:
        compose = (spec.get("compose") or {}).get(name)
        if compose:
            try:
                idx = [names.index(flat(c)) for c in compose["columns"]]
            except ValueError:
                return None
            pick.append((idx, compose.get("joiner", " ")))
        elif name is None:  # a column the seed prints empty (seed 004's arrow): not compared
            pick.append(None)
        elif name == "":  # a header the seed leaves empty: the column at the same place
            if len(header) <= len(pick):
                return None
            pick.append(([len(pick)], " "))
        elif flat(name) in names:
            pick.append(([names.index(flat(name))], " "))
        else:
            return None
    view = []
    for row in rows:
        cells = []
        for p in pick:
            if p is None:
                cells.append(None)
                continue
            idx, joiner = p
            parts = [row[i] for i in idx]
            if len(parts) == 1:
                cells.append(parts[0])
            else:
                cells.append(parts[0] + "".join(joiner + str(x) for x in parts[1:] if x))
        view.append(cells)
    return view


def find_table(spec: dict, tables) -> list[list]:
    """The report's table that holds the seed's first row label, in the seed's columns."""
    first = next(r[0] for r in expected_rows(spec) if r[0])
    for header, rows in tables:
        view = column_view(spec, header, rows)
        if view and any(v and v[0] is not None and same(first, v[0]) for v in view):
            return view
    labels = [[r[0] for r in rows[:3]] for _h, rows in tables]
    pytest.fail(f"{spec['name']}: no table with the row {first!r} in the seed's columns {labels}")


def differences(spec: dict, view: list[list]) -> list[str]:
    expected = expected_rows(spec)
    out = []
    if len(view) != len(expected):
        out.append(f"{len(view)} rows, the seed prints {len(expected)}")
    for i, (want, got) in enumerate(zip(expected, view, strict=False)):
        for j, (w, g) in enumerate(zip(want, got, strict=False)):
            if g is None:  # a column the seed prints empty: not compared
                continue
            if not same(w, g):
                out.append(f"row {i + 1} ({want[0]!r}), column {j + 1}: seed {w!r}, report {g!r}")
    return out


@pytest.fixture(scope="module")
def reports(demo, django_db_blocker):
    """Each seed's plan report in each format, built once."""
    built = {}
    with django_db_blocker.unblock():
        for spec in map(load, SEED_TABLES):
            key = (spec["report"]["unit"], str(spec["report"]["period"]))
            if key in built:
                continue
            unit = find_unit(key[0])
            built[key] = {
                fmt: build_report(spec["report"]["kind"], unit, key[1], fmt)
                for fmt in ("docx", "xlsx")
            }
    return built


def report_of(reports, spec, fmt):
    return reports[(spec["report"]["unit"], str(spec["report"]["period"]))][fmt]


@pytest.mark.parametrize("path", SEED_TABLES, ids=lambda p: p.stem)
def test_word_table_is_the_seeds(reports, path):
    spec = load(path)
    view = find_table(spec, docx_tables(report_of(reports, spec, "docx")))
    assert differences(spec, view) == []


@pytest.mark.parametrize("path", SEED_TABLES, ids=lambda p: p.stem)
def test_excel_table_is_the_seeds(reports, path):
    spec = load(path)
    view = find_table(spec, xlsx_tables(report_of(reports, spec, "xlsx")))
    assert differences(spec, view) == []


def test_footnotes_follow_the_table(reports):
    """Seed 004's footnotes under the steering indicators are printed with their marks."""
    for spec in map(load, SEED_TABLES):
        if not spec.get("footnotes"):
            continue
        doc = open_docx(io.BytesIO(report_of(reports, spec, "docx")))
        text = flat("\n".join(p.text for p in doc.paragraphs))
        marked = "\n".join(p.text for p in doc.paragraphs)
        for note in spec["footnotes"]:
            assert flat(note) in text, note
            assert note.split()[0] in marked  # the mark itself (³)


def test_excel_keeps_the_target_as_written(reports):
    """ "max 2 %" stays the text "max 2 %" with its parsed number beside it (seed 003,
    line 703), and the long-term target keeps its year."""
    spec = load(next(p for p in SEED_TABLES if p.stem == "003_indikatorer_ekonomi"))
    for header, rows in xlsx_tables(report_of(reports, spec, "xlsx")):
        row = next((r for r in rows if str(r[0]).startswith("Andel kostnad för inhyrd")), None)
        if row is None:
            continue
        cells = dict(zip(header, row, strict=True))
        assert cells["Målvärde 2024"] == "max 2 %"
        assert cells["Målvärde 2024 – tolkat värde"] == "2 %"
        assert cells["Långsiktigt målvärde"] == "2026: Högst 2 %"
        return
    pytest.fail("no indicator table with Andel kostnad för inhyrd personal")


def test_derived_risk_probabilities_are_marked(reports):
    """Seed 004's risk assessment (Bilaga 5, lines 770-): a probability Styrkort derives
    from consequence and risk value is marked † with the legend under the table, in Word,
    and in Excel as the marked text with the number beside it."""
    spec = {"report": {"unit": "NLL", "period": "2022"}}
    header, rows = next(
        t for t in docx_tables(report_of(reports, spec, "docx")) if t[0][:2] == ["Nr", "Risk"]
    )
    probability, consequence, value = (
        header.index(c) for c in ("Sannolikhet", "Konsekvens", "Riskvärde")
    )
    marked = [r for r in rows if r[probability].endswith("\u2020")]
    assert marked
    for r in marked:  # value = probability x consequence, the probability derived
        assert int(r[probability][0]) * int(r[consequence]) == int(r[value])
    doc = open_docx(io.BytesIO(report_of(reports, spec, "docx")))
    assert any(p.text.startswith("\u2020 Sannolikheten är härledd") for p in doc.paragraphs)
    header, rows = next(
        t for t in xlsx_tables(report_of(reports, spec, "xlsx")) if t[0][:2] == ["Nr", "Risk"]
    )
    cells = dict(zip(header, rows[0], strict=True))  # risk 1: consequence 3, value 6
    assert cells["Sannolikhet"] == "2\u00a0\u2020"
    assert cells["Sannolikhet – tolkat värde"] == Decimal(2)


# --- PDF: the text a reader copies out of it -----------------------------------------------


def pdf_text(pdf: bytes, tmp_path: Path, name: str) -> list[str]:
    path = tmp_path / f"{name}.pdf"
    path.write_bytes(pdf)
    return pdf_file_text(path)


def pdf_file_text(path: Path) -> list[str]:
    """The PDF's lines as pdftotext lays them out (a table row on its line, wrapped cells
    on the lines below, columns apart by two spaces or more), without footnote marks."""
    out = subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], check=True, capture_output=True, text=True
    ).stdout
    return [MARKS.sub("", line).replace("\u00ad", "") for line in out.splitlines()]


def number_forms(value: Decimal) -> str:
    """The ways a report may print ``value`` as a regex: 0 as 0 or 0,0; a leading +
    allowed; digit groups joined by one space or none (a year: 2021)."""
    forms = set()
    for decimals in range(4):
        q = value.quantize(Decimal(1).scaleb(-decimals))
        if q != value:
            continue
        whole, _, frac = f"{abs(q):f}".partition(".")
        groups = re.sub(r"\B(?=(\d{3})+(?!\d))", "#", whole)
        form = re.escape(("-" if q < 0 else "") + groups + ("," + frac if frac else ""))
        forms.add(form.replace("\\#", "#").replace("#", "[ \u00a0\u202f]?"))
    return r"\+?(?:" + "|".join(sorted(forms, key=len, reverse=True)) + ")"


SPACE = "[ \u00a0\u202f]"


def numbers_pattern(values: list[Decimal]) -> re.Pattern:
    """A row's numbers in their order, each whole (not the tail or head of a longer
    number): 1 028 843 then 1 070 800 is read so even when the columns are one space
    apart, as LibreOffice sets narrow ones."""
    inner = r"\s+(?:.*?\s)?".join(number_forms(v) for v in values)
    return re.compile(rf"(?<![\d,])(?<!\d{SPACE}){inner}(?![\d,])(?!{SPACE}\d)")


def in_stretch(cells: list[str], stretch: list[str]) -> list[str]:
    """The cells not found in the row's stretch: its numbers in their order on the
    stretch; each text's words in their order (a cell that wraps is read across the
    lines, between the other columns' words)."""
    missing = []
    values = [number(c) for c in cells]
    numbers = [v for v in values if v is not None]
    if numbers and not numbers_pattern(numbers).search("  ".join(stretch)):
        missing += [c for c, v in zip(cells, values, strict=True) if v is not None]
    for cell, value in zip(cells, values, strict=True):
        if value is None and not words_in(cell, stretch):
            missing.append(cell)
    return missing


WORD = re.compile(r"[\w%]+")


def words_in(cell: str, stretch: list[str]) -> bool:
    """The cell's words (punctuation aside) in their order among the stretch's words; a
    long word broken over two lines of a narrow column (Marknadsun-/dersökning) is read
    as its pieces in order."""
    tokens = iter(WORD.findall(MARKS.sub("", " ".join(stretch))))
    for word in WORD.findall(MARKS.sub("", cell)):
        rest = word
        while rest:
            token = next(tokens, None)
            if token is None:
                return False
            if token == rest:
                rest = ""
            elif len(word) >= 8 and len(token) >= 4 and rest.startswith(token):
                rest = rest[len(token) :]
    return True


def row_pieces(spec: dict) -> list[list[str]]:
    """Each seed row's printed cells; a composed cell split back into the report's
    columns (seed 003's "… Långsiktigt målvärde 2026: 90 %")."""
    joiner = {k: v.get("joiner") for k, v in (spec.get("compose") or {}).items()}
    columns = spec.get("columns") or [None] * len(spec["rows"][0])
    pieces = []
    for row in expected_rows(spec):
        cells = []
        for column, cell in zip(columns, row, strict=True):
            sep = (joiner.get(column) or "").strip() if column else ""
            if sep and sep in cell:
                cells += [c.strip() for c in cell.split(sep, 1) if c.strip()]
            elif str(cell).strip():
                cells.append(str(cell).strip())
        pieces.append(cells)
    return pieces


def pdf_differences(spec: dict, lines: list[str]) -> list[str]:
    """Every cell of every seed row is in that row's stretch of the PDF: from the line
    where its label begins to the line where the next row's label begins. The table is
    where its first row's label begins and the most rows check out."""
    pieces = row_pieces(spec)
    keys = [flat(cells[0].split()[0]) for cells in pieces]
    flat_lines = [flat(line) for line in lines]

    def label_at(k: int, i: int) -> bool:
        return keys[k] in flat_lines[i] and words_in(pieces[k][0], lines[i : i + 8])

    def attempt(first: int) -> list[str]:
        starts, at = [], first
        for k in range(len(keys)):
            at = next((i for i in range(at, len(lines)) if label_at(k, i)), None)
            if at is None:
                break
            starts.append(at)
            at += 1
        out = [f"row {cells[0]!r} not found" for cells in pieces[len(starts) :]]
        for k, start in enumerate(starts):
            end = starts[k + 1] if k + 1 < len(starts) else start + 8
            stretch = lines[start : max(end, start + 1)]
            out += [
                f"row {pieces[k][0]!r}: {cell!r} not in {stretch!r}"
                for cell in in_stretch(pieces[k][1:], stretch)
            ]
        return out

    best = [f"row {pieces[0][0]!r} not found"]
    for i in range(len(lines)):
        if label_at(0, i):
            found = attempt(i)
            if len(found) < len(best) or best[0].endswith("not found"):
                best = found
            if not best:
                break
    return best


@pytest.mark.slow
def test_pdf_tables_are_the_seeds(demo, tmp_path):
    """The PDF (WeasyPrint) read back by pdftotext holds every cell of each seed table
    in the row where the seed prints it."""
    texts = {}
    failures = []
    for spec in map(load, SEED_TABLES):
        key = (spec["report"]["unit"], str(spec["report"]["period"]))
        if key not in texts:
            pdf = build_report(spec["report"]["kind"], find_unit(key[0]), key[1], "pdf")
            texts[key] = pdf_text(pdf, tmp_path, key[0])
        failures += [f"{spec['name']}: {d}" for d in pdf_differences(spec, texts[key])]
    assert failures == []


@pytest.mark.slow
def test_word_through_libreoffice_has_the_seeds_tables(demo, tmp_path):
    """The Word files opened by LibreOffice (converted to PDF) hold every cell of each seed
    table: what a controller sees who opens the file in an office suite."""
    from test_documents_readers import soffice_pdf

    texts = {}
    failures = []
    for spec in map(load, SEED_TABLES):
        key = (spec["report"]["unit"], str(spec["report"]["period"]))
        if key not in texts:
            path = tmp_path / f"{key[0]}.docx"
            path.write_bytes(
                build_report(spec["report"]["kind"], find_unit(key[0]), key[1], "docx")
            )
            texts[key] = pdf_file_text(soffice_pdf(path, tmp_path))
        failures += [f"{spec['name']}: {d}" for d in pdf_differences(spec, texts[key])]
    assert failures == []
