"""Hostile import files: each is refused (or, for a lying dimension, read as what it
really holds) within 2 s, with peak memory under 200 MB and a clear Swedish message,
and the database is left exactly as it was. The files are built here with zipfile.
"""

from __future__ import annotations

import io
import time
import tracemalloc
import zipfile
from unittest import mock

import pytest
from django.db import connections
from openpyxl import Workbook

from dbdump import dump
from styrkort.io.management.commands.import_data import Command
from styrkort.io.readers import ImportFileError, Limits, open_table
from styrkort.io.services import run_import

SECONDS = 2.0
PEAK_BYTES = 200 * 1024 * 1024
MB = 1024 * 1024


def _workbook(rows: int = 3) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.append(["org", "indicator", "period", "value"])
    for n in range(rows):
        ws.append(["NLL-LS1", "lakarbesok", f"2021-{n % 12 + 1:02d}", n])
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def _replace(data: bytes, parts: dict[str, bytes | None]) -> bytes:
    """The package with some parts replaced (None: left out) or added."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w") as dst:
        for info in src.infolist():
            if info.filename in parts:
                continue
            dst.writestr(info, src.read(info))
        for name, body in parts.items():
            if body is not None:
                dst.writestr(name, body, compress_type=zipfile.ZIP_DEFLATED)
    return out.getvalue()


def _sheet(data: bytes) -> bytes:
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        return z.read("xl/worksheets/sheet1.xml")


def declared_full_sheet() -> bytes:
    """A few cells in a sheet that declares the whole sheet: A1:XFD1048576."""
    data = _workbook(3)
    sheet = _sheet(data)
    start = sheet.index(b"<dimension ")
    end = sheet.index(b"/>", start) + 2
    sheet = sheet[:start] + b'<dimension ref="A1:XFD1048576"/>' + sheet[end:]
    return _replace(data, {"xl/worksheets/sheet1.xml": sheet})


def cell_in_last_column() -> bytes:
    """A real cell in column XFD (16 384): too many columns."""
    data = _workbook(3)
    sheet = _sheet(data)
    sheet = sheet.replace(b"</row>", b'<c r="XFD2" t="inlineStr"><is><t>x</t></is></c></row>', 2)
    return _replace(data, {"xl/worksheets/sheet1.xml": sheet})


def zip_bomb(unpacked: int = 64 * MB) -> bytes:
    """A worksheet that packs about 1 000 to 1: valid XML padded with blanks."""
    data = _workbook(3)
    sheet = _sheet(data)
    head, tail = sheet.split(b"</sheetData>")
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w") as dst:
        for info in src.infolist():
            if info.filename != "xl/worksheets/sheet1.xml":
                dst.writestr(info, src.read(info))
        info = zipfile.ZipInfo("xl/worksheets/sheet1.xml")
        info.compress_type = zipfile.ZIP_DEFLATED
        with dst.open(info, "w", force_zip64=True) as part:
            part.write(head)
            blanks = b" " * MB
            for _ in range(unpacked // MB):
                part.write(blanks)
            part.write(b"</sheetData>" + tail)
    return out.getvalue()


LAUGHS = (
    b'<?xml version="1.0"?>\n<!DOCTYPE lolz [\n<!ENTITY lol "lol">\n'
    + b"".join(
        b'<!ENTITY lol%d "%s">\n' % (n, (b"&lol%d;" % (n - 1) if n > 1 else b"&lol;") * 10)
        for n in range(1, 10)
    )
    + b"]>\n"
)


def billion_laughs(part: str = "xl/worksheets/sheet1.xml", *, hidden: bool = False) -> bytes:
    """The classic XML bomb in one part of a package. `hidden` puts 70 kB of comment
    before it, past the quick look at each part's beginning, for the parser to catch."""
    data = _workbook(3)
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        body = z.read(part)
    body = body.split(b"?>", 1)[1] if body.startswith(b"<?xml") else body
    prologue = LAUGHS
    if hidden:
        prologue = b'<?xml version="1.0"?>\n<!--' + b"x" * 70_000 + b"-->\n" + LAUGHS[22:]
    # the bomb goes off where the first cell's text is read
    body = body.replace(b"<v>", b"<v>&lol9;", 1) if b"<v>" in body else body
    return _replace(data, {part: prologue + body})


def truncated_zip() -> bytes:
    data = _workbook(200)
    return data[: len(data) // 2]


CASES = {
    # name: (file bytes builder, file name, words of the reason)
    "zip-bomb": (zip_bomb, "utfall.xlsx", "zip-bomb"),
    "billion-laughs-sheet": (billion_laughs, "utfall.xlsx", "XML-bomb"),
    "billion-laughs-workbook": (
        lambda: billion_laughs("xl/workbook.xml"),
        "utfall.xlsx",
        "XML-bomb",
    ),
    "billion-laughs-past-the-prologue": (
        lambda: billion_laughs(hidden=True),
        "utfall.xlsx",
        "XML-bomb",
    ),
    "column-xfd": (cell_in_last_column, "utfall.xlsx", "kolumner"),
    "truncated-zip": (truncated_zip, "utfall.xlsx", "skadad eller avkortad"),
    "wrong-encoding-csv": (
        lambda: "enhet;indikator;period;värde\nNLL-LS1;lakarbesok;2022;1\n".encode("utf-16-le"),
        "utfall.csv",
        "binära tecken",
    ),
    "mixed-encoding-csv": (
        lambda: "enhet;indikator;period;värde\nLuleå;x;2022;1\n".encode() + b"Ume\xe5;x;2022;1\n",
        "utfall.csv",
        "teckenkodning",
    ),
    "empty": (lambda: b"", "utfall.xlsx", "tom"),
}


def _measured(fn):
    """(result, seconds, peak bytes allocated while fn ran)."""
    tracemalloc.start()
    started = time.perf_counter()
    try:
        result = fn()
        seconds = time.perf_counter() - started
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    return result, seconds, peak


@pytest.mark.parametrize("case", list(CASES))
def test_hostile_file_is_refused_quickly_and_changes_nothing(world, case):
    build, name, words = CASES[case]
    data = build()
    before = dump()
    report, seconds, peak = _measured(
        lambda: run_import("outcomes", io.BytesIO(data), user=None, name=name)
    )
    assert not report.ok
    assert words in report.rejected[0].reason, report.rejected
    assert seconds < SECONDS, f"{case}: {seconds:.2f} s"
    assert peak < PEAK_BYTES, f"{case}: {peak / MB:.0f} MB"
    assert dump() == before


def test_declared_dimension_is_ignored_for_the_real_cells(world):
    data = declared_full_sheet()
    assert b'ref="A1:XFD1048576"' in _sheet(data)
    report, seconds, peak = _measured(
        lambda: run_import("outcomes", io.BytesIO(data), user=None, dry_run=True)
    )
    assert report.ok, report.rejected
    assert (report.rows, report.created) == (3, 3)
    assert seconds < SECONDS
    assert peak < PEAK_BYTES


def test_a_short_row_without_the_declared_width_is_padded():
    """A row ends at its last cell once the dimension is ignored; the cells after it are
    empty, not missing (an XLSX row is never truncated as a CSV line can be)."""
    data = _workbook(1)
    sheet = _sheet(data).replace(b'<c r="D2" t="n"><v>0</v></c>', b"")
    table = open_table(io.BytesIO(_replace(data, {"xl/worksheets/sheet1.xml": sheet})))
    assert list(table.rows) == [(2, ["NLL-LS1", "lakarbesok", "2021-01", ""])]


def test_unpacked_size_and_row_limits():
    data = _workbook(30)
    with pytest.raises(ImportFileError, match="uppackad"):
        open_table(io.BytesIO(data), limits=Limits(max_unpacked_bytes=10_000))
    table = open_table(io.BytesIO(data), limits=Limits(max_rows=20))
    with pytest.raises(ImportFileError, match="fler än 20 rader") as caught:
        list(table.rows)
    assert caught.value.row == 21
    csv = b"org;value\n" + b"A;1\n" * 30
    table = open_table(io.BytesIO(csv), limits=Limits(max_rows=20))
    with pytest.raises(ImportFileError, match="fler än 20 rader"):
        list(table.rows)
    with pytest.raises(ImportFileError, match="kolumner"):
        open_table(io.BytesIO(b"a;" * 50 + b"\n"), limits=Limits(max_columns=20))


def test_the_limits_come_from_the_settings(world, settings):
    settings.STYRKORT_IMPORT_MAX_ROWS = 2
    report = run_import("outcomes", io.BytesIO(_workbook(5)), user=None, name="u.xlsx")
    assert "fler än 2 rader" in report.rejected[0].reason


def test_the_command_line_exits_2_with_the_message(world, tmp_path, capsys):
    path = tmp_path / "bomb.xlsx"
    path.write_bytes(billion_laughs())
    code = 0
    # run_from_argv closes every connection when it ends (the test's transaction).
    try:
        with mock.patch.object(connections, "close_all"):
            Command().run_from_argv(["styrkort", "import", "outcomes", str(path)])
    except SystemExit as exc:
        code = exc.code
    err = capsys.readouterr().err
    assert code == 2
    assert "XML-bomb" in err and "Ingenting har sparats" in err
    assert "Traceback" not in err
