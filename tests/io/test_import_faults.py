"""Every family of bad file: a clear Swedish error and the database exactly as before.

Each bad file starts with valid rows, so an import that was not all-or-nothing would
leave them behind. The comparison is of every row of the follow-up and planning
tables, history and link tables included.
"""

from __future__ import annotations

import io

import pytest
from openpyxl import Workbook

from dbdump import dump
from styrkort.io.services import run_import

HEADER = "enhet;indikator;period;kön;värde;täljare;nämnare\n"
GOOD = (
    "NLL-LS1;lakarbesok;2022;T;31 180;;\n"
    "NLL-LS1-IM;lakemedelsberattelse;2022-DÅ08;K;;700;900\n"
    "NLL-LS1;budgetavvikelse;2022-04;T;-11,2%;;\n"
)


def _xlsx_bytes() -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.append(["org", "indicator", "period", "value"])
    for n in range(200):
        ws.append(["NLL-LS1", "lakarbesok", f"2021-{n % 12 + 1:02d}", n])
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


CASES = {
    # family: (file bytes, expected (row, column) of the first rejection, words in reason)
    "malformed-quote": (
        (HEADER + GOOD + 'NLL-LS1;lakarbesok;2022-05;T;"12;;\n').encode(),
        (5, None),
        "citattecken",
    ),
    "malformed-too-many-fields": (
        (HEADER + GOOD + "NLL-LS1;lakarbesok;2022-05;T;12;;;9;9\n").encode(),
        (5, None),
        "rubrikraden har 7",
    ),
    "malformed-binary": (
        (HEADER + GOOD).encode() + b"\x00\x01\x02\x03binary\n",
        (5, None),
        "binära tecken",
    ),
    "truncated-row": (
        (HEADER + GOOD + "NLL-LS1;lakarbesok;2022-0").encode(),
        (5, None),
        "avkortad rad",
    ),
    "truncated-xlsx": (_xlsx_bytes()[:3000], (None, None), "skadad eller avkortad"),
    "empty": (b"", (None, None), "tom"),
    "header-only": (HEADER.encode(), (None, None), "inga rader"),
    "wrong-encoding-utf16": ((HEADER + GOOD).encode("utf-16"), (None, None), "UTF-16"),
    "wrong-encoding-mixed": (
        (HEADER + GOOD + "Luleå;lakarbesok;2022;T;1;;\n").encode() + b"Ume\xe5;x;2022;T;1;;\n",
        (6, None),
        "teckenkodning",
    ),
    "unknown-unit": (
        (HEADER + GOOD + "NLL-XX;lakarbesok;2022;T;5;;\n").encode(),
        (5, "enhet"),
        "Okänd enhet: 'NLL-XX'",
    ),
    "unknown-indicator": (
        (HEADER + GOOD + "NLL-LS1;besok-okand;2022;T;5;;\n").encode(),
        (5, "indikator"),
        "Okänd indikator",
    ),
    "unknown-sex": (
        (HEADER + GOOD + "NLL-LS1;lakarbesok;2022;X;5;;\n").encode(),
        (5, "kön"),
        "Okänt kön",
    ),
    "conflicting-duplicate": (
        (HEADER + GOOD + "NLL-LS1;lakarbesok;2022;T;31 181;;\n").encode(),
        (5, "värde"),
        "som rad 2 men ett annat värde",
    ),
    "period-month-13": (
        (HEADER + GOOD + "NLL-LS1;lakarbesok;2022-13;T;5;;\n").encode(),
        (5, "period"),
        "Okänd period: '2022-13'",
    ),
    "period-tertial-4": (
        (HEADER + GOOD + "NLL-LS1;lakarbesok;2022-T4;T;5;;\n").encode(),
        (5, "period"),
        "Okänd period",
    ),
    "period-not-begun": (
        (HEADER + GOOD + "NLL-LS1;lakarbesok;2099-DÅ04;T;5;;\n").encode(),
        (5, "period"),
        "har inte börjat",
    ),
    "value-not-a-number": (
        (HEADER + GOOD + "NLL-LS1;lakarbesok;2022-05;T;1.757;;\n").encode(),
        (5, "värde"),
        "Ogiltigt tal",
    ),
    "numerator-above-denominator": (
        (HEADER + GOOD + "NLL-LS1;lakemedelsberattelse;2022-DÅ08;M;;900;700\n").encode(),
        (5, "täljare"),
        "kan inte vara större än nämnaren",
    ),
    "share-above-100": (
        (HEADER + GOOD + "NLL-LS1;aterinskrivningar-65;2022;K;118,8 %;;\n").encode(),
        (5, "värde"),
        "mellan 0 och 100",
    ),
    "negative-count": (
        (HEADER + GOOD + "NLL-LS1;lakarbesok;2022-05;T;-3;;\n").encode(),
        (5, "värde"),
        "negativt",
    ),
    "missing-value": (
        (HEADER + GOOD + "NLL-LS1;lakarbesok;2022-05;T;;;\n").encode(),
        (5, "värde"),
        "Ange ett värde",
    ),
}


@pytest.mark.parametrize("family", list(CASES))
def test_bad_file_leaves_database_unchanged(world, family):
    data, (row, column), words = CASES[family]
    before = dump()
    report = run_import("outcomes", io.BytesIO(data), user=None)
    assert not report.ok
    assert (report.created, report.updated, report.unchanged) == (0, 0, 0)
    first = report.rejected[0]
    assert (first.row, first.column) == (row, column), report.rejected
    assert words in first.reason
    assert dump() == before


def test_oversized_file_leaves_database_unchanged(world, settings):
    settings.STYRKORT_IMPORT_MAX_BYTES = 1000
    data = (HEADER + GOOD * 40).encode()
    before = dump()
    report = run_import("outcomes", io.BytesIO(data), user=None)
    assert len(report.rejected) == 1
    assert report.rejected[0].reason.startswith("Filen är för stor")
    assert dump() == before


def test_every_rejected_row_is_listed(world):
    data = (
        HEADER
        + GOOD
        + "NLL-XX;lakarbesok;2022;T;5;;\n"
        + "NLL-LS1;lakarbesok;2022-13;T;5;;\n"
        + "NLL-LS1;lakarbesok;2022-06;T;abc;;\n"
        + "NLL-LS1;lakarbesok;2022-07;T;7;;\n"
    ).encode()
    report = run_import("outcomes", io.BytesIO(data), user=None)
    assert [(e.row, e.column) for e in report.rejected] == [
        (5, "enhet"),
        (6, "period"),
        (7, "värde"),
    ]
    assert str(report.rejected[0]) == (
        "Rad 5, kolumn enhet: Okänd enhet: 'NLL-XX' (ange enhetens kod eller exakta namn)."
    )


def test_good_part_of_each_bad_file_imports_on_its_own(world):
    """The control: the valid rows the bad files start with do import."""
    report = run_import("outcomes", io.BytesIO((HEADER + GOOD).encode()), user=None)
    assert report.ok and report.created == 3
