"""Economy rules checked against seed 003's resultaträkning and investments and seed 004's
frames."""

from decimal import Decimal as D

import pytest
from hypothesis import given
from hypothesis import strategies as st

from styrkort.economy.rules import (
    LineNode,
    allocation_gap,
    budget_deviation,
    build_tree,
    forecast_deviation,
    frame_total,
    line_totals,
    remaining_frame,
    split_investments,
)

# Seed 003's resultaträkning as a tree: (code, parent).
LINES = [
    ("RESULTAT", None),
    ("INT", "RESULTAT"),
    ("INT-AVG", "INT"),
    ("INT-FORS-HSV", "INT"),
    ("INT-FORS-REG", "INT"),
    ("INT-UPPDRAG", "INT"),
    ("INT-OVR", "INT"),
    ("KOST", "RESULTAT"),
    ("KOST-PERS", "KOST"),
    ("KOST-KOPT", "KOST"),
    ("KOST-UPPDRAG", "KOST"),
    ("KOST-LM", "KOST"),
    ("KOST-LOKAL", "KOST"),
    ("KOST-OVR", "KOST"),
    ("KOST-AVSKR", "KOST"),
    ("FIN-INT", "RESULTAT"),
    ("FIN-KOST", "RESULTAT"),
]
COLUMNS = ["Bokslut 2022", "Budget 2023", "Prognos 2023", "Budget 2024", "Plan 2025", "Plan 2026"]
# Leaf lines as printed (tkr).
LEAVES = {
    "INT-AVG": [2487, 2700, 2700, 2400, 2400, 2400],
    "INT-FORS-HSV": [989760, 1048500, 1025500, 1053500, 1049300, 1065000],
    "INT-FORS-REG": [0, 0, 0, 0, 0, 0],
    "INT-UPPDRAG": [30467, 8300, 11800, 9300, 9300, 9400],
    "INT-OVR": [6129, 11300, 4800, 5200, 5200, 5300],
    "KOST-PERS": [-748511, -791400, -808400, -802300, -787700, -796400],
    "KOST-KOPT": [-115213, -114700, -124700, -108500, -111400, -114300],
    "KOST-UPPDRAG": [0, 0, 0, 0, 0, 0],
    "KOST-LM": [-2018, -2500, -2500, -2400, -2500, -2600],
    "KOST-LOKAL": [-66813, -66700, -71700, -68600, -70500, -72300],
    "KOST-OVR": [-92628, -100800, -94800, -90900, -93400, -95800],
    "KOST-AVSKR": [-716, -700, -700, -700, -700, -700],
    "FIN-INT": [278, 700, 700, 1500, 100, 100],
    "FIN-KOST": [-45, -700, -700, -1500, -100, -100],
}
# The totals the seed prints, which the rules must reproduce.
PRINTED = {
    "INT": [1028843, 1070800, 1044800, 1070400, 1066200, 1082100],
    "KOST": [-1025899, -1076800, -1102800, -1073400, -1066200, -1082100],
    "RESULTAT": [3177, -6000, -58000, -3000, 0, 0],
}


@pytest.mark.parametrize("col", range(len(COLUMNS)), ids=COLUMNS)
def test_seed_003_income_statement_totals(col):
    roots = build_tree(LINES)
    totals = line_totals(roots, {code: D(v[col]) for code, v in LEAVES.items()})
    for code, printed in PRINTED.items():
        assert totals[code] == D(printed[col]), code


def test_seed_003_budget_2024():
    roots = build_tree(LINES)
    totals = line_totals(roots, {code: v[3] for code, v in LEAVES.items()})
    assert (totals["INT"], totals["KOST"], totals["RESULTAT"]) == (1070400, -1073400, -3000)


def test_missing_leaves():
    roots = build_tree(LINES)
    totals = line_totals(roots, {"INT-AVG": 5})
    assert totals["INT"] == 5 and totals["RESULTAT"] == 5
    assert totals["KOST"] is None and totals["KOST-PERS"] is None


def test_unknown_parent_is_refused():
    with pytest.raises(ValueError, match="okänd"):
        build_tree([("A", "X")])


def test_seed_003_forecast_and_budget_deviation_2023():
    # Prognos 2023 against Budget 2023: result -58 000 vs -6 000.
    dev = forecast_deviation(D(-58000), D(-6000))
    assert dev.amount == D(-52000)
    assert dev.pct == pytest.approx(-866.666, rel=1e-4)
    # Personnel costs: forecast -808 400 vs budget -791 400 -> 17 000 tkr worse.
    assert forecast_deviation(-808400, -791400).amount == -17000
    # Income: 1 044 800 vs 1 070 800 -> -26 000 tkr, -2,43 %.
    dev = budget_deviation(1044800, 1070800)
    assert dev.amount == -26000 and dev.pct == pytest.approx(-2.428, abs=1e-3)
    assert budget_deviation(None, 5).amount is None
    assert budget_deviation(5, 0).pct is None


def test_seed_004_frame_changes():
    changes = [D("300.2"), D("17.0"), D("38.5"), D("15.6"), D("-8.1"), D("2.4"), D("50.0"),
               D("-110.0")]  # fmt: skip
    assert frame_total(D("8406.5"), changes) == D("8712.1")
    assert frame_total(D("8712.1"), [D("218.1")]) == D("8930.2")
    assert frame_total(D("8930.2"), [D("271.3")]) == D("9201.5")
    assert frame_total(None, changes) is None


def test_seed_004_frame_allocation_2022():
    # Ekonomisk ram 2022: base 2021 + index + expansion + reduction + reallocation.
    primary = frame_total(D("1191.2"), [D("33.7"), 0, 0, D("-1.9")])
    dental = frame_total(D("83.8"), [D("2.2"), 0, 0, D("-0.5")])
    board = frame_total(D("7131.5"), [D("264.3"), D("123.5"), D("-118.1"), D("2.4")])
    assert (primary, dental, board) == (D("1223.0"), D("85.5"), D("7403.6"))
    assert allocation_gap(D("8712.1"), [primary, dental, board]) == 0
    assert allocation_gap(D("8712.1"), [primary, None]) is None


class Obj:
    def __init__(self, name, amount):
        self.name, self.amount = name, D(amount)


def test_seed_003_investments_split():
    objs = [
        Obj("EKG-apparat och bladderscanner", 200),
        Obj("2 st EKG-apparater", 240),
        Obj("Öronmikroskop", 120),
    ]
    split = split_investments(objs)
    assert split.over == [] and split.over_total == 0
    assert split.under_total == D(560) and split.total == D(560)
    assert remaining_frame(D(1000), [o.amount for o in objs]) == D(440)


def test_threshold_is_strictly_over():
    split = split_investments([Obj("a", 4500), Obj("b", "4500.001"), Obj("c", 12000)])
    assert [o.name for o in split.over] == ["b", "c"]
    assert split.under_total == D(4500)


@given(st.lists(st.integers(-(10**9), 10**9), min_size=1, max_size=20))
def test_group_total_is_sum_of_children(values):
    root = LineNode("R", [LineNode(f"L{i}") for i in range(len(values))])
    totals = line_totals([root], {f"L{i}": v for i, v in enumerate(values)})
    assert totals["R"] == sum(values)
