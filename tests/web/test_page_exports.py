"""The tables of a page download as CSV (UTF-8 with BOM, semicolons, decimal comma: what
Excel in Sweden opens) and XLSX, with the same numbers as the page; LibreOffice with
Swedish settings reads the CSV's numbers as numbers."""

from __future__ import annotations

import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from styrkort.followup.queries import evaluate_unit
from styrkort.web.export import ExportTable, Num, to_csv
from styrkort.web.presentation import format_value

NBSP = "\u00a0"


def _rows(body: bytes) -> list[list[str]]:
    assert body.startswith(b"\xef\xbb\xbf")
    text = body.decode("utf-8-sig")
    assert "\r\n" in text
    return [line.split(";") for line in text.removesuffix("\r\n").split("\r\n")]


def _indicator_rows(rows):
    """The indicator table: from its header (after a title line when the file holds
    several tables) to the first empty line."""
    start = next(i for i, row in enumerate(rows) if "Kod" in row)
    out = []
    for row in rows[start:]:
        if not any(cell not in (None, "") for cell in row):
            break
        out.append(row)
    return out


def _expected(world):
    """Each indicator's total outcome as the scorecard page prints it (without the unit)."""
    evaluation = evaluate_unit(world.ls1, world.period)
    out = {}
    for item in evaluation.indicators:
        total = item.values.get("total")
        if total is not None:
            shown = format_value(total, item.unit, item.decimals)
            out[item.code] = (shown, shown.split(NBSP)[0].replace(" ", ""))
    assert out
    return out


def test_scorecard_csv_has_the_pages_numbers(world, login):
    client = login(world.users.reader)
    page = client.get(
        reverse("scorecard", args=[world.ls1.code]), {"period": world.period}
    ).content.decode()
    link = reverse("scorecard_export", args=[world.ls1.code, "csv"])
    assert link in page  # the page offers the download
    response = client.get(link, {"period": world.period})
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert 'attachment; filename="styrkort-' in response["Content-Disposition"]
    rows = _indicator_rows(_rows(response.content))
    header = rows[0]
    code_at, total_at = header.index("Kod"), header.index("Utfall totalt")
    by_code = {row[code_at]: row for row in rows[1:]}
    for code, (shown, number) in _expected(world).items():
        assert shown in page  # the page shows it so
        assert by_code[code][total_at] == number, code  # and the file has the same number
    assert any("," in row[total_at] for row in rows[1:])  # a decimal comma somewhere
    status_at = header.index("Måluppfyllelse")
    assert {row[status_at] for row in rows[1:]} <= {
        "Uppfyllt", "Delvis uppfyllt", "Ej uppfyllt", "Ej bedömt", "Utfall saknas",
    }  # fmt: skip


def test_scorecard_xlsx_has_numbers_as_numbers(world, login):
    client = login(world.users.reader)
    response = client.get(
        reverse("scorecard_export", args=[world.ls1.code, "xlsx"]), {"period": world.period}
    )
    sheet = load_workbook(io.BytesIO(response.content)).worksheets[0]
    rows = list(sheet.iter_rows(values_only=True))
    header = list(rows[0])
    code_at, total_at = header.index("Kod"), header.index("Utfall totalt")
    by_code = {row[code_at]: row for row in rows[1:]}
    for code, (_shown, number) in _expected(world).items():
        assert by_code[code][total_at] == pytest.approx(float(number.replace(",", "."))), code


def test_export_refusals(world, login):
    outsider = login(world.users.outsider)  # another region: may not see LS1
    url = reverse("scorecard_export", args=[world.ls1.code, "csv"])
    assert outsider.get(url).status_code in (403, 404)
    reader = login(world.users.reader)
    assert reader.get(reverse("scorecard_export", args=[world.ls1.code, "pdf"])).status_code == 404
    bad = reader.get(url, {"period": "2022-XX"})
    assert bad.status_code == 200  # an unreadable period falls back as the page does


def test_text_that_looks_like_a_formula_stays_text():
    table = ExportTable("T", ["a", "b"], [["=SUM(A1)", Num(-1234.5, 1)], ["-5 %", None]])
    rows = _rows(to_csv([table]))
    assert rows[1] == ["'=SUM(A1)", "-1234,5"] and rows[2] == ["-5 %", ""]


@pytest.mark.slow
def test_libreoffice_reads_the_scorecard_csv_with_swedish_settings(world, login, tmp_path):
    client = login(world.users.reader)
    response = client.get(
        reverse("scorecard_export", args=[world.ls1.code, "csv"]), {"period": world.period}
    )
    path = tmp_path / "styrkort.csv"
    path.write_bytes(response.content)
    from office import soffice_convert

    # separator ; (59), quote " (34), UTF-8 (76), from line 1, standard columns,
    # Swedish (1053) number reading: decimal comma
    soffice_convert(path, tmp_path, "xlsx", infilter="CSV:59,34,76,1,,1053")
    sheet = load_workbook(tmp_path / "styrkort.xlsx").worksheets[0]
    rows = _indicator_rows([list(r) for r in sheet.iter_rows(values_only=True)])
    header = rows[0]
    assert not str(sheet.cell(1, 1).value).startswith("\ufeff")  # the BOM is no text
    code_at, total_at = header.index("Kod"), header.index("Utfall totalt")
    by_code = {row[code_at]: row for row in rows[1:]}
    for code, (_shown, number) in _expected(world).items():
        cell = by_code[code][total_at]
        assert isinstance(cell, int | float), (code, cell)  # read as a number, not text
        assert cell == pytest.approx(float(number.replace(",", "."))), code
