"""The ledger arithmetic behind indicators fed from the income statement (economy.rules):
the leaves under a line, a yearly amount against its months, the year and the reporting
points as actual (or forecast) minus budget, and tkr in the indicator's unit. Seed 003's
resultaträkning gives the numbers."""

from decimal import Decimal as D

import pytest
from hypothesis import given
from hypothesis import strategies as st
from test_economy_rules import LEAVES, LINES  # seed 003, as printed

from styrkort.economy.rules import (
    TKR_FACTORS,
    LedgerFigures,
    in_unit,
    leaves_under,
    ledger_deviations,
    year_amount,
)
from styrkort.periods import parse_period

IDS = {code: i for i, (code, _parent) in enumerate(LINES, start=1)}
CHILDREN: dict[int, list[int]] = {}
for _code, _parent in LINES:
    if _parent is not None:
        CHILDREN.setdefault(IDS[_parent], []).append(IDS[_code])
BUDGET_2023, FORECAST_2023 = 1, 2  # columns of LEAVES


def yearly(kind: str, column: int) -> list[tuple]:
    return [(IDS[code], kind, None, D(values[column])) for code, values in LEAVES.items()]


def test_leaves_under_the_result_line_are_the_printed_lines():
    leaves = leaves_under(IDS["RESULTAT"], CHILDREN)
    assert sorted(leaves) == sorted(IDS[code] for code in LEAVES)
    assert sorted(leaves_under(IDS["KOST"], CHILDREN)) == sorted(
        IDS[c] for c in LEAVES if c.startswith("KOST")
    )
    assert leaves_under(IDS["FIN-INT"], CHILDREN) == [IDS["FIN-INT"]]  # a leaf itself


@pytest.mark.parametrize(
    ("year", "months", "expected"),
    [
        (D(2400), [D(100)] * 12, D(2400)),  # a yearly amount wins over the months
        (None, [D(200)] * 4, D(800)),
        (None, [], None),
        (D(0), [D(5)], D(0)),  # zero is an amount
    ],
)
def test_year_amount(year, months, expected):
    assert year_amount(year, months) == expected


def test_seed_003_forecast_2023_against_budget_is_minus_52_mnkr():
    leaves = leaves_under(IDS["RESULTAT"], CHILDREN)
    figures = LedgerFigures(
        yearly("budget", BUDGET_2023) + yearly("forecast", FORECAST_2023), leaves
    )
    assert figures.year_total("budget") == D(-6000)  # Budget 2023: -6,0 mnkr
    assert figures.year_total("forecast") == D(-58000)  # Prognos 2023: -58,0 mnkr
    deviations = ledger_deviations(figures, 2023, "forecast")
    assert deviations == {parse_period("2023"): D(-52000)}  # a forecast: the year only
    assert in_unit(deviations[parse_period("2023")], "mnkr") == D("-52.000")
    assert in_unit(D(-52000), "kr") == D(-52000000)


def test_actual_by_month_gives_the_reporting_points():
    """Personnel costs, budget 2024 -802 300 tkr: by month -66 858 (the rest in
    December); actuals 1 % over budget each month through August."""
    line = IDS["KOST-PERS"]
    budget = {m: D(-66858) for m in range(1, 12)} | {12: D(-802300) - 11 * D(-66858)}
    rows = [(line, "budget", m, v) for m, v in budget.items()]
    rows += [(line, "actual", m, budget[m] * D("1.01")) for m in range(1, 9)]
    figures = LedgerFigures(rows, [line])
    assert figures.year_total("budget") == D(-802300)
    assert not figures.complete_year("actual")  # no December yet: no year figure
    deviations = ledger_deviations(figures, 2024, "actual")
    assert deviations == {
        parse_period("2024-DÅ04"): D("-2674.32"),  # 4 x -668,58
        parse_period("2024-DÅ08"): D("-5348.64"),
    }


def test_a_point_needs_both_kinds_up_to_its_month():
    line = IDS["INT-AVG"]
    rows = [(line, "budget", m, D(200)) for m in range(1, 13)]
    rows += [(line, "actual", m, D(210)) for m in range(1, 4)]  # January-March only
    assert ledger_deviations(LedgerFigures(rows, [line]), 2024) == {}


def test_a_yearly_actual_completes_the_year():
    line = IDS["INT-AVG"]
    rows = [(line, "budget", None, D(2400)), (line, "actual", None, D(2487))]
    assert ledger_deviations(LedgerFigures(rows, [line]), 2022) == {parse_period("2022"): D(87)}
    assert ledger_deviations(LedgerFigures(rows[1:], [line]), 2022) == {}  # no budget


def test_units_of_money():
    assert set(TKR_FACTORS) == {"kr", "tkr", "mnkr"}
    with pytest.raises(KeyError):
        in_unit(D(1), "%")


@given(st.lists(st.integers(-(10**6), 10**6), min_size=1, max_size=12))
def test_months_add_up_to_the_year(months):
    line = 1
    rows = [(line, "actual", m, D(v)) for m, v in enumerate(months, start=1)]
    assert LedgerFigures(rows, [line]).year_total("actual") == sum(D(v) for v in months)
