"""The CSV and XLSX readers and the cell number parsing, table-driven."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from openpyxl import Workbook

from styrkort.io.importers.base import cell_number, normalise_header
from styrkort.io.readers import ImportFileError, open_table

NBSP = "\u00a0"


def read(data: bytes, **kwargs):
    table = open_table(io.BytesIO(data), **kwargs)
    rows = list(table.rows)
    return table, rows


CSV_CASES = [
    pytest.param(
        "enhet;indikator;period;kön;värde\nNLL-LS1;lakarbesok;2022-DÅ04;K;1 757\n".encode(),
        "utf-8",
        ";",
        ["enhet", "indikator", "period", "kön", "värde"],
        [(2, ["NLL-LS1", "lakarbesok", "2022-DÅ04", "K", "1 757"])],
        id="utf8-semicolon-swedish",
    ),
    pytest.param(
        (
            '\ufefforg,indicator,period,sex,value\nNLL-LS1,lakemedelsberattelse,2022,men,"51,0 %"\n'
        ).encode(),
        "utf-8",
        ",",
        ["org", "indicator", "period", "sex", "value"],
        [(2, ["NLL-LS1", "lakemedelsberattelse", "2022", "men", "51,0 %"])],
        id="utf8-bom-comma-english-quoted-decimal-comma",
    ),
    pytest.param(
        (
            "Enhet;Indikator;Period;Kön;Värde\r\n"
            "VO Neurocentrum;budgetavvikelse;2022-04;Män;-11,2%\r\n"
        ).encode("cp1252"),
        "cp1252",
        ";",
        ["Enhet", "Indikator", "Period", "Kön", "Värde"],
        [(2, ["VO Neurocentrum", "budgetavvikelse", "2022-04", "Män", "-11,2%"])],
        id="cp1252-crlf-swedish-letters",
    ),
    pytest.param(
        f"org\tindicator\tperiod\tvalue\nNLL-LS1\tlakarbesok\t202204\t1{NBSP}757\n".encode(),
        "utf-8",
        "\t",
        ["org", "indicator", "period", "value"],
        [(2, ["NLL-LS1", "lakarbesok", "202204", f"1{NBSP}757"])],
        id="tab-nbsp",
    ),
    pytest.param(
        b"org;indicator;period;value\n\nA;x;2022;1\n;;;\nB;x;2022;2\n",
        "utf-8",
        ";",
        ["org", "indicator", "period", "value"],
        [(3, ["A", "x", "2022", "1"]), (5, ["B", "x", "2022", "2"])],
        id="blank-lines-skipped-row-numbers-kept",
    ),
    pytest.param(
        b'org;note;value\nA;"two\nlines; and a semicolon";3\n',
        "utf-8",
        ";",
        ["org", "note", "value"],
        [(2, ["A", "two\nlines; and a semicolon", "3"])],
        id="quoted-newline-and-separator",
    ),
    pytest.param(
        b'org,"a;b",value\nA,"x;y",1\n',
        "utf-8",
        ",",
        ["org", "a;b", "value"],
        [(2, ["A", "x;y", "1"])],
        id="separator-inside-quotes-not-counted",
    ),
]


@pytest.mark.parametrize(("data", "encoding", "delimiter", "headers", "rows"), CSV_CASES)
def test_csv_reader(data, encoding, delimiter, headers, rows):
    table, got = read(data)
    assert table.format == "csv"
    assert table.delimiter == delimiter
    assert table.headers == headers
    assert got == rows
    assert table.encoding == encoding


def test_cp1252_detected_after_a_long_ascii_start():
    """The first non-UTF-8 byte comes after the first read chunk (1 MiB): still cp1252."""
    filler = "".join(f"E{n};x;2022;{n}\n" for n in range(120_000)).encode()
    assert len(filler) > 1 << 20
    data = b"org;indicator;period;value\n" + filler + "Luleå;x;2022;1\n".encode("cp1252")
    table, rows = read(data)
    assert rows[-1][1][0] == "Luleå"
    assert table.encoding == "cp1252"
    assert len(rows) == 120_001


def test_utf8_then_invalid_byte_is_mixed_encoding():
    data = "org;value\nLuleå;1\n".encode() + b"Ume\xe5;2\n"
    with pytest.raises(ImportFileError, match="blandad eller okänd teckenkodning") as exc:
        list(open_table(io.BytesIO(data)).rows)
    assert exc.value.row == 3


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "Filen är tom"),
        (b"\n\n  \n", "Filen är tom"),
        ("org;value\n".encode("utf-16"), "UTF-16"),
        (b"org;value\nA;\x00\x01\x02\n", "binära tecken"),
        (b"org;value\nA\x81;1\n", "varken UTF-8 eller Windows-1252"),
    ],
    ids=["empty", "blank-lines", "utf16", "nul-bytes", "undefined-cp1252-byte"],
)
def test_csv_reader_refuses(data, message):
    with pytest.raises(ImportFileError, match=message):
        read(data)


def test_unterminated_quote_is_reported_with_its_row():
    table = open_table(io.BytesIO(b'org;value\nA;1\nB;"2\n'))
    rows = table.rows
    assert next(rows) == (2, ["A", "1"])
    with pytest.raises(ImportFileError, match="Felaktig CSV på rad 3") as exc:
        next(rows)
    assert exc.value.row == 3


def test_oversized_file_refused_before_reading():
    with pytest.raises(ImportFileError, match="för stor"):
        open_table(io.BytesIO(b"org;value\n" + b"A;1\n" * 100), max_bytes=50)


class _Unseekable(io.RawIOBase):
    def __init__(self, data):
        self._data = io.BytesIO(data)

    def readable(self):
        return True

    def read(self, n=-1):
        return self._data.read(n)

    def seekable(self):
        return False

    def tell(self):
        raise OSError("not seekable")


def test_oversized_stream_refused_while_reading():
    big = b"org;value\n" + b"A;1\n" * 400_000
    with pytest.raises(ImportFileError, match="för stor"):
        list(open_table(_Unseekable(big), max_bytes=1 << 20).rows)


def _xlsx(rows, formats=None) -> bytes:
    wb = Workbook()
    ws = wb.active
    for r, row in enumerate(rows, start=1):
        for c, value in enumerate(row, start=1):
            cell = ws.cell(row=r, column=c, value=value)
            if formats and (r, c) in formats:
                cell.number_format = formats[(r, c)]
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def test_xlsx_reader_percent_cells_dates_and_text():
    data = _xlsx(
        [
            ["Enhet", "Indikator", "Period", "Kön", "Värde", None],
            ["NLL-LS1", "lakemedelsberattelse", "2022-DÅ04", "K", 0.51, None],
            ["NLL-LS1", "lakarbesok", dt.datetime(2022, 4, 1), "T", 1757, None],
            [None, None, None, None, None, None],
            ["NLL-LS1", "lakarbesok", 202205, "T", "1 757", None],
        ],
        formats={(2, 5): "0.0%"},
    )
    table, rows = read(data, name="utfall.xlsx")
    assert table.format == "xlsx"
    assert table.headers == ["Enhet", "Indikator", "Period", "Kön", "Värde"]
    assert rows == [
        (2, ["NLL-LS1", "lakemedelsberattelse", "2022-DÅ04", "K", 51.0]),
        (3, ["NLL-LS1", "lakarbesok", "2022-04", "T", 1757]),
        (5, ["NLL-LS1", "lakarbesok", 202205, "T", "1 757"]),
    ]


def test_truncated_xlsx_is_refused():
    data = _xlsx([["org", "value"], ["A", 1]])
    with pytest.raises(ImportFileError, match="skadad eller avkortad"):
        read(data[: len(data) // 2])


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1757", 1757.0),
        ("1 757", 1757.0),
        (f"1{NBSP}757", 1757.0),
        ("1\u202f757", 1757.0),
        ("51,0", 51.0),
        ("51,0 %", 51.0),
        (f"51,0{NBSP}%", 51.0),
        ("-11,2%", -11.2),
        ("−11,2", -11.2),
        ("+19", 19.0),
        ("0,125", 0.125),
        ("1.5", 1.5),
        ("-0", 0.0),
        ("", None),
        ("  ", None),
        (None, None),
        (75.4, 75.4),
        (1324, 1324.0),
    ],
)
def test_cell_number(text, expected):
    assert cell_number(text) == expected


@pytest.mark.parametrize("text", ["abc", "1.757", "17 57", "1,2,3", "nan", "1e5", "12 kr"])
def test_cell_number_refuses(text):
    with pytest.raises(ValueError, match="Ogiltigt tal"):
        cell_number(text)


@pytest.mark.parametrize(
    ("header", "key"),
    [
        (" Kön ", "kön"),
        ("KÖN", "kön"),
        ("Ko\u0308n", "kön"),
        ("Value", "value"),
        ("plan_name", "planname"),
        ("Första år", "förstaår"),
        ("\ufefforg", "org"),
    ],
)
def test_normalise_header(header, key):
    assert normalise_header(header) == key
