"""Table builders with seed 001's numbers (pure, fast)."""

import pytest
from sample import MEDICATION, PRODUCTION, medication_table

from styrkort.followup.evaluation import Obs
from styrkort.io.numbers import NBSP
from styrkort.reports.tables import (
    BreakdownRow,
    breakdown_table,
    production_table,
    series_table,
    sex_ratio_table,
)


def sp(text: str) -> str:
    return text.replace(NBSP, " ")


def row_texts(row):
    return [sp(c.text) for c in row]


def test_production_table_change_and_remote_share():
    table = production_table(PRODUCTION, current_label="T1 2022", previous_label="T1 2021")
    doctors = row_texts(table.rows[0])
    assert doctors == [
        "Läkarbesök",
        "31 180",
        "29 685",
        "+5,0 %",
        "6 247",
        "7 037",
        "-11,2 %",
        "20,0 %",
    ]
    assert row_texts(table.rows[2])[3] == "-21,6 %"  # Psykiatri 1 428 vs 1 821
    assert row_texts(table.rows[2])[0].endswith("Psykiatri")
    # The last line, "Totalt antal besök", is the summed row: 14 702 of 62 308 remote.
    assert table.total is not None
    assert row_texts(table.total)[1:] == [
        "62 308",
        "62 709",
        "-0,6 %",
        "14 702",
        "16 637",
        "-11,6 %",
        "23,6 %",
    ]
    assert table.total[7].value == pytest.approx(100 * 14702 / 62308)
    assert table.total[3].value == pytest.approx(100 * (62308 - 62709) / 62709)


def test_production_without_remote_columns():
    table = production_table(
        PRODUCTION[:1], current_label="a", previous_label="b", with_remote=False
    )
    assert len(table.columns) == 4 and table.total is None


def test_ratio_breakdown_sums_numerators_and_denominators():
    table = medication_table()
    assert [sp(c.text) for c in table.total] == ["Summa", "", "1 757", "1 324", "75 %"]
    # 1 324 / 1 757, not the mean of the six percentages (80,2 %).
    assert table.total[4].value == pytest.approx(100 * 1324 / 1757)
    mean = sum(100 * n / d for *_, n, d in MEDICATION) / len(MEDICATION)
    assert abs(table.total[4].value - mean) > 4
    assert table.row_headers == 2
    assert [c.kind for c in table.rows[0]] == ["text", "text", "count", "count", "percent"]
    assert table.rows[5][4].denominator == 4


def test_sum_breakdown_over_two_periods():
    rows = [
        BreakdownRow(("VO Akut omhändertagande",), (Obs(2), Obs(2))),
        BreakdownRow(("VO Internmedicin",), (Obs(55), Obs(85))),
        BreakdownRow(("VO Neurocentrum",), (Obs(11), Obs(3))),
    ]
    table = breakdown_table(
        rows,
        label_columns=["Verksamhetsområde"],
        periods=["T1 2021", "T1 2022"],
        aggregation="sum",
        unit="st",
        total_label="Totalt",
    )
    assert table.columns == ["Verksamhetsområde", "T1 2021", "T1 2022"]
    assert row_texts(table.total) == ["Totalt", "68", "90"]


def test_not_aggregable_has_no_summed_row():
    rows = [BreakdownRow(("A",), (Obs(3.0),)), BreakdownRow(("B",), (Obs(4.0),))]
    table = breakdown_table(
        rows, label_columns=["Enhet"], periods=["2022"], aggregation="none", unit="index"
    )
    assert table.total is None


def test_sex_ratio_table_and_series():
    table = sex_ratio_table(
        Obs.from_ratio(644, 819),
        Obs.from_ratio(658, 845),
        unit="%",
        numerator_label="Antal med LM-berättelse",
        denominator_label="Antal med 5 ATC och VTF",
    )
    assert row_texts(table.rows[0]) == ["K", "819", "644", "79 %"]
    assert row_texts(table.rows[1]) == ["M", "845", "658", "78 %"]
    series = series_table(
        ["T1 2020", "T1 2021", "T1 2022"],
        [("Kvinnor", [270, 176, 205]), ("Totalt", [400, 315, 339])],
        unit="st",
    )
    assert row_texts(series.rows[1]) == ["Totalt", "400", "315", "339"]


def test_rows_must_match_columns():
    from styrkort.reports.document import Table, text_cell

    with pytest.raises(ValueError):
        Table(["a", "b"], [[text_cell("x")]])
